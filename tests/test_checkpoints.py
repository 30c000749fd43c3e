"""The stepper's checkpoints: taken inside one long run (the fast-forward) or chunk by chunk (stepping),
on every backend, they are the same states, bit for bit, and a stopped run keeps only what it did."""

import pytest

import bp_tui
from bp_tui.engine.stepper import CHECKPOINT_EVERY

from .scenario_factory import feature_grid, scenario_text

GRID = feature_grid()
BACKENDS = ["kernel", "general", "numpy"]


def scenario(**kwargs):
    return bp_tui.parse_scenario(scenario_text(**kwargs), "generated.toml")


def force(backend: str, monkeypatch) -> None:
    if backend != "kernel":
        monkeypatch.setattr("bp_tui.engine.kernel.MAX_KERNEL_WEIGHTS", 0)
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_MIN_WORK", 1 if backend == "numpy" else 10**9)
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_ONLINE_WEIGHTS_PER_LAYER", 0 if backend == "numpy" else 10**9)


def kept(stepper) -> dict:
    """Every checkpoint as text (repr tells NaNs and the sign of zero apart, unlike ==)."""
    states = {epoch: seg.trainer.kept_state(kept) for seg in stepper.history.segments
              for epoch, kept in seg.checkpoints.items()}
    return {epoch: repr((state.params, state.velocity)) for epoch, state in states.items()}


CASES = GRID[1::7] + [(f"{case_id}-1", dict(kwargs, samples=1)) for case_id, kwargs in GRID[3::14]
                      if "online" in case_id]


# numpy runs batch mode only: it is paired with the batch cases alone.
RUNS = [(backend, case_id, kwargs) for case_id, kwargs in CASES for backend in BACKENDS
        if backend != "numpy" or scenario(**kwargs).mode == "batch"]


@pytest.mark.parametrize("backend, case_id, kwargs", RUNS, ids=[f"{c}-{b}" for b, c, _k in RUNS])
def test_one_long_run_keeps_the_checkpoints_of_a_walk_in_small_steps(case_id, kwargs, backend, monkeypatch):
    force(backend, monkeypatch)
    sc = scenario(**kwargs)
    epochs = 3 * CHECKPOINT_EVERY + 5
    at_once, in_steps = bp_tui.Stepper(sc), bp_tui.Stepper(sc)
    at_once.extend_to(epochs)
    for target in range(7, epochs + 7, 7):
        in_steps.extend_to(min(target, epochs))
    assert repr(at_once.errors) == repr(in_steps.errors)
    assert at_once.diverged_at == in_steps.diverged_at
    assert kept(at_once) == kept(in_steps)
    reached = at_once.computed
    assert sorted(kept(at_once)) == list(range(0, reached + 1, CHECKPOINT_EVERY))
    result = bp_tui.train(sc, epochs)
    assert repr(at_once.errors) == repr(result.errors)
    assert repr(at_once.state_at(reached).params.weights) == repr(result.weights)


STOPPED = [("kernel", {}), ("general", {}), ("kernel", {"samples": 1}), ("kernel", {"mode": "batch"}),
           ("numpy", {"mode": "batch"}), ("numpy", {})]


@pytest.mark.parametrize("backend, settings", STOPPED, ids=[f"{b}-{s}" for b, s in STOPPED])
def test_a_stopped_run_keeps_the_epochs_it_did_and_their_checkpoints(backend, settings, monkeypatch):
    force(backend, monkeypatch)
    sc = scenario(layers=(2, 3, 2), momentum=0.7, **settings)
    stepper = bp_tui.Stepper(sc)
    asked = []

    def stop_after_150() -> bool:
        asked.append(1)
        return len(asked) > 150

    assert stepper.extend_to(10_000, should_stop=stop_after_150) == 150
    assert sorted(kept(stepper)) == [0, 64, 128]
    result = bp_tui.train(sc, 150)
    assert stepper.errors == result.errors
    assert stepper.state_at(150).params.weights == result.weights
    assert stepper.extend_to(300) == 300 and stepper.errors == bp_tui.train(sc, 300).errors
    assert sorted(kept(stepper)) == [0, 64, 128, 192, 256]


def test_states_after_an_edit_mid_way_are_replayed_from_that_segment():
    sc = scenario(layers=(2, 3, 2), momentum=0.7)
    stepper = bp_tui.Stepper(sc)
    stepper.goto_epoch(100)
    assert stepper.edit(learning_rate=0.3) == 100  # a new segment from epoch 100, between checkpoints
    stepper.extend_to(300)
    segment = stepper.history.segments[-1]
    assert sorted(segment.checkpoints) == [100, 128, 192, 256]
    start = segment.checkpoints[100]
    for epoch in (100, 101, 127, 128, 130, 255, 299):
        replayed, _done, _diverged = segment.trainer.run(start, epoch - 100, [])
        assert repr(stepper.state_at(epoch)) == repr(replayed), epoch
    old_settings = stepper.history.segments[0].trainer.run(start, 199, [])[0]
    assert repr(old_settings) != repr(stepper.state_at(299))  # the edit did change the replay


# (Online on the written-out kernel is where a round's end is trained for the screen: round_data.py.)
KERNEL_RUNS = [(case_id, kwargs) for backend, case_id, kwargs in RUNS if backend == "kernel"]


@pytest.mark.parametrize("case_id, kwargs", KERNEL_RUNS, ids=[c for c, _k in KERNEL_RUNS])
def test_rounds_shown_to_their_end_before_the_history_trains_them_are_its_epochs(case_id, kwargs, monkeypatch):
    """Showing a round's end trains that round (Round.set_data), and the history takes that run as its
    next epoch instead of training the round again: the errors, checkpoints and states are those of
    one long run, bit for bit, across a checkpoint and after training on from there."""
    force("kernel", monkeypatch)
    sc = scenario(**kwargs)
    shown, at_once = bp_tui.Stepper(sc), bp_tui.Stepper(sc)
    rounds = CHECKPOINT_EVERY + 3
    while shown.epoch + 1 < rounds and shown.finish_round():
        assert shown.k == shown.count
    at_once.extend_to(rounds)
    assert repr(shown.errors) == repr(at_once.errors[:len(shown.errors)])
    assert shown.diverged_at == at_once.diverged_at
    if shown.diverged_at is None:
        assert shown.epoch + 1 == rounds and shown.computed == rounds
    shown.extend_to(2 * CHECKPOINT_EVERY + 1)
    at_once.extend_to(2 * CHECKPOINT_EVERY + 1)
    assert repr(shown.errors) == repr(at_once.errors) and kept(shown) == kept(at_once)
    for epoch in (1, CHECKPOINT_EVERY, rounds - 1, shown.computed):
        assert repr(shown.state_at(epoch)) == repr(at_once.state_at(epoch)), epoch
