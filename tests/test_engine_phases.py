"""Moving by phases (`]` and `[`) across phases, samples and rounds, and new values that wait.

A phase is a run of one sample's records of one phase id. `]` shows the rest of the current phase
or the whole next one; `[` goes to the start of the current phase (its first sub-step the current
one) or, when already there, to the start of the previous one, back to the very start.
"""

from __future__ import annotations

import pytest

import bp_tui
from bp_tui.app.frame import Frame
from bp_tui.app.widgets.table_values import TableValues
from bp_tui.views.picture import state_of

from .scenario_factory import scenario_text


def at(stepper) -> tuple[int, int, str | None]:
    current = stepper.current
    return stepper.epoch, stepper.k, current.quantity if current else None


def phase_starts(stepper, epoch: int) -> list[int]:
    records = stepper.round_records(epoch)
    return [i + 1 for i, s in enumerate(records)
            if i == 0 or (records[i - 1].phase, records[i - 1].sample) != (s.phase, s.sample)]


def test_back_by_phase_goes_to_the_start_of_this_phase_then_of_the_one_before():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    assert not stepper.prev_phase()  # at the very start: nowhere to go
    for _ in range(20):
        stepper.next()
    assert at(stepper) == (0, 20, "dE_total/dw6") and stepper.current.phase == "backward-output"
    seen = []
    while stepper.prev_phase():
        seen.append(at(stepper))
    assert seen == [(0, 12, "dE_total/dout_o1"), (0, 9, "E_o1"), (0, 1, "net_h1"), (0, 0, None)]


def test_forward_and_back_by_phase_mirror_each_other_across_rounds():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    ends = []
    while not (stepper.epoch == 1 and stepper.round_done):  # to the end of round 2
        assert stepper.next_phase()
        ends.append(at(stepper))
    assert [q for _e, _k, q in ends] == ["out_o2", "E_total", "w8+", "w4+", "E_total+"] * 2
    assert ends[5][:2] == (1, 8)  # the whole forward pass of round 2
    starts = []
    while stepper.prev_phase():
        starts.append(at(stepper))
    assert starts[0] == (1, 44, "out_o1+")  # the start of the phase it was at the end of
    crossing = starts.index((1, 1, "net_h1"))
    assert starts[crossing + 1] == (0, 44, "out_o1+")  # back across rounds: round 1's new error
    expected = [(e, k) for e in (1, 0) for k in reversed(phase_starts(stepper, e))] + [(0, 0)]
    assert [(e, k) for e, k, _q in starts] == expected
    for epoch, k, _q in starts[:-1]:  # each one a start: the sub-step before it is another phase, or none
        records = stepper.round_records(epoch)
        assert k == 1 or (records[k - 2].phase, records[k - 2].sample) != (records[k - 1].phase,
                                                                         records[k - 1].sample)


def test_phase_keys_across_samples():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("xor-online"))
    labels = []
    while stepper.epoch == 0 and stepper.next_phase():
        labels.append((stepper.current.sample, stepper.current.phase))
    assert labels[:6] == [(0, "forward"), (0, "error"), (0, "backward-output"), (0, "backward-hidden"),
                          (0, "update"), (1, "forward")]
    stepper.reset()
    start_two = next(k for k in phase_starts(stepper, 0) if stepper.round_records(0)[k - 1].sample == 1)
    stepper.k = start_two + 3  # inside sample 2's forward pass
    assert stepper.prev_phase() and at(stepper)[1] == start_two and stepper.current.sample == 1
    assert stepper.prev_phase() and stepper.current.phase == "update" and stepper.current.sample == 0
    assert stepper.current.quantity == "w5+"  # the first update of sample 1 (w5, w6 into o1 first)


def positions(stepper):
    """(k, pending) at every position of the current round."""
    return [(k, stepper.pending(k)) for k in range(stepper.count + 1)]


def test_new_values_wait_until_the_backward_pass_is_over():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    index = {s.quantity: s.index for s in stepper.round_records(0)}
    waiting = dict(positions(stepper))
    assert waiting[index["dE_total/dw5"] + 1] == ()
    assert waiting[index["w5+"] + 1] == ("w5",)
    assert waiting[index["w8+"] + 1] == ("w5", "w6", "w7", "w8")
    assert waiting[index["dE_o1/dout_h1"] + 1] == ("w5", "w6", "w7", "w8")
    assert waiting[index["w1+"] + 1] == ("w5", "w6", "w7", "w8", "w1")
    assert waiting[index["w3+"] + 1] == ("w5", "w6", "w7", "w8", "w1", "w2", "w3")
    assert waiting[index["w4+"] + 1] == ()  # the backward pass is over: every new value applies
    assert all(waiting[k] == () for k in range(index["out_o1+"] + 1, stepper.count + 1))
    for _ in range(index["w6+"] + 1):
        stepper.next()
    assert stepper.pending() == ("w5", "w6")


def test_nothing_waits_when_the_update_comes_at_the_end():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("momentum-off"))
    assert all(waiting == () for _k, waiting in positions(stepper))


def test_with_updated_hidden_deltas_a_layers_new_values_apply_when_its_section_ends():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur-article-summary"))
    index = {s.quantity: s.index for s in stepper.round_records(0)}
    waiting = dict(positions(stepper))
    assert waiting[index["w7+"] + 1] == ("w5", "w6", "w7")
    assert waiting[index["w8+"] + 1] == ()  # applied: the hidden layer's deltas use them
    assert waiting[index["w1+"] + 1] == ("w1",)


@pytest.mark.parametrize("hidden", ["original", "updated"])
def test_pending_values_belong_to_one_sample(hidden):
    text = scenario_text(layers=(2, 2, 1), samples=3, hidden_deltas_use=hidden, update="after-gradient")
    stepper = bp_tui.Stepper(bp_tui.parse_scenario(text, "x.toml"))
    for k, waiting in positions(stepper):
        records = stepper.window(0, k)
        if not waiting:
            continue
        current = records[-1]
        assert current.phase.startswith("backward") and current.sample is not None
        this_sample = [s for s in records if s.sample == current.sample and s.phase.startswith("backward")]
        assert list(waiting) == [s.quantity[:-1] for s in this_sample if s.quantity.endswith("+")][-len(waiting):]
    for sample in range(3):  # each sample starts with the new values of the one before applied
        first = next(s for s in stepper.window(0, stepper.count) if s.sample == sample)
        assert stepper.pending(first.index + 1) == ()


def test_the_network_table_marks_a_waiting_value_and_shows_the_old_one_where_it_is_read():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    index = {s.quantity: s.index for s in stepper.round_records(0)}

    def wire(name: str):
        table = TableValues.of(Frame.of(stepper), state_of(stepper))
        return next(w for layer in table.wires for row in layer for w in row if w.param == name)

    for _ in range(index["w5+"] + 1):
        stepper.next()
    new_w5 = stepper.round_records(0)[index["w5+"]].value
    assert (wire("w5").value, wire("w5").pending) == (new_w5, True)  # shown, not applied: w5+ 0.358916…
    stepper.next()
    while stepper.current.quantity != "dE_o1/dout_h1":  # a step that reads w5 uses the old value
        stepper.next()
    assert (wire("w5").name, wire("w5").value, wire("w5").pending) == ("w5", 0.4, False)
    while stepper.current.quantity != "w4+":
        stepper.next()
    assert wire("w5").updated and wire("w5").value == stepper.round_records(0)[index["w5+"]].value
    assert wire("w1").updated
