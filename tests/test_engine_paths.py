"""The engine's promises beyond the article: fast path = stepped path, determinism, true gradients."""

import functools
import math
import warnings

import pytest

import bp_tui
from bp_tui.study.gradcheck import check_gradients
from bp_tui.engine.network import Network
from bp_tui.engine.training import initial_state

from .helpers import python_code
from .scenario_factory import feature_grid, scenario_text

GRID = feature_grid()


def scenario(**kwargs):
    return parsed(scenario_text(**kwargs))


@functools.cache
def parsed(text):
    """The same grid scenarios are parsed by up to five tests each: once is enough, as a Scenario
    cannot change."""
    return bp_tui.parse_scenario(text, "generated.toml")


@pytest.mark.parametrize("case_id, kwargs", GRID[::3], ids=[c[0] for c in GRID[::3]])
def test_fast_path_equals_stepped_path_bit_for_bit(case_id, kwargs):
    sc = scenario(**kwargs)
    result = bp_tui.train(sc, 5)
    stepper = bp_tui.Stepper(sc)
    for epoch in range(5):
        records = stepper.round_records(epoch)
        final = [s for s in records if s.quantity in ("E_total+", "E_mean+")][-1]
        assert final.value == result.errors[epoch + 1]  # exact equality, not approx
    assert stepper.extend_to(5) == 5 and stepper.errors == result.errors
    assert stepper.state_at(5).params.weights == result.weights


def test_updated_hidden_deltas_path_is_also_identical():
    sc = scenario(layers=(2, 3, 2), hidden_deltas_use="updated", momentum=0.5)
    result = bp_tui.train(sc, 4)
    stepper = bp_tui.Stepper(sc)
    assert [stepper.round_records(e)[-1].value for e in range(4)] == result.errors[1:]


@pytest.mark.parametrize("case_id, kwargs", GRID, ids=[c[0] for c in GRID])
def test_backprop_gradients_match_central_differences(case_id, kwargs):
    sc = scenario(**kwargs)
    net = Network(sc)
    report = check_gradients(net, initial_state(net).params)
    assert report.passed, (report.worst, report.worst.relative_error)
    assert len(report.rows) == len(sc.layout.all_weight_names()) + (
        len(sc.layout.bias_names()) if sc.train_biases else 0)


def test_a_wrong_gradient_fails_the_check():
    sc = scenario()
    net = Network(sc)
    params = initial_state(net).params
    from bp_tui.study.gradcheck import backprop_gradients

    weights, biases = backprop_gradients(net, params)
    weights[0][0][0] *= 1.01  # one gradient off by 1%
    report = check_gradients(net, params, gradients=(weights, biases))
    assert not report.passed
    assert [r.name for r in report.rows if not r.ok] == ["w1"]


def test_momentum_update_rule():
    sc = scenario(momentum=0.9, mode="batch", bias="none", samples=1)
    stepper = bp_tui.Stepper(sc)
    round2 = {s.quantity: s for s in stepper.round_records(1)}
    round1 = {s.quantity: s for s in stepper.round_records(0)}
    # v <- mu*v + g ; w <- w - eta*v
    v1 = round1["v_w1"].value
    assert v1 == round1["dE_mean/dw1"].value  # v starts at zero
    assert round2["v_w1"].value == 0.9 * v1 + round2["dE_mean/dw1"].value
    assert round2["w1+"].value == round1["w1+"].value - 0.5 * round2["v_w1"].value


def walk(stepper, moves):
    seen = []
    for move in moves:
        getattr(stepper, move)()
        seen.append((stepper.epoch, stepper.k, stepper.current and stepper.current.value))
    return seen


def test_back_and_forward_again_gives_identical_values():
    sc = bp_tui.load_scenario("mazur")
    stepper = bp_tui.Stepper(sc)
    forward = walk(stepper, ["next"] * 140)  # three rounds and more
    assert stepper.epoch == 3
    backward = walk(stepper, ["back"] * 140)
    assert (stepper.epoch, stepper.k) == (0, 0)
    assert backward[:-1][::-1] == forward[:-1]
    again = walk(stepper, ["next"] * 140)
    assert again == forward


def test_navigation_by_phase_round_and_epoch():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    stepper.next_phase()
    assert stepper.current.quantity == "out_o2" and stepper.current.phase == "forward"
    stepper.next_phase()
    assert stepper.current.quantity == "E_total"
    stepper.prev_phase()  # back to the start of the error phase
    assert stepper.current.quantity == "E_o1"
    stepper.finish_round()
    assert stepper.current.quantity == "E_total+" and stepper.completed == 1
    stepper.next()
    assert (stepper.epoch, stepper.current.quantity) == (1, "net_h1")
    stepper.back()
    assert stepper.current.quantity == "E_total+" and stepper.epoch == 0
    assert stepper.goto_epoch(200) == 200
    assert stepper.current.quantity == "E_total+" and stepper.current.epoch == 200
    assert stepper.current.value == bp_tui.train(stepper.scenario, 200).errors[200]
    stepper.reset()
    assert (stepper.epoch, stepper.k, stepper.current) == (0, 0, None)
    assert not stepper.back()


def test_divergence_is_a_state_not_an_exception():
    sc = scenario(layers=(2, 2), activation="linear", bias="none", learning_rate=50.0, samples=2)
    result = bp_tui.train(sc, 500)
    assert result.diverged_at is not None and result.diverged_at < 500
    assert result.epochs == result.diverged_at
    stepper = bp_tui.Stepper(sc)
    assert stepper.goto_epoch(500) == result.diverged_at
    assert not stepper.next() or stepper.epoch < result.diverged_at
    while stepper.next():
        pass
    assert stepper.completed == result.diverged_at
    assert not all(math.isfinite(s.value) for s in stepper.records)


def test_huge_weights_saturate_without_warnings():
    text = scenario_text(layers=(2, 2, 2), seed=4).replace("init = { seed = 4, scale = 0.8 }",
                                                            "weights = [[[1e300, -1e300], [1e300, 1e300]], "
                                                            "[[-1e300, 1e300], [1e300, 1e300]]]\nbiases = [1, 1]")
    # Every warning an error, as `python -W error` makes it, but in this process (a child cost about
    # 0.1 s of CPU for the same check): a RuntimeWarning or a traceback fails the test here.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sc = bp_tui.parse_scenario(text, "huge.toml")
        result = bp_tui.train(sc, 50)
    assert result.epochs <= 50


def test_engine_never_imports_textual():
    code = ("import sys, bp_tui; from bp_tui import cli; from bp_tui.study import gradcheck; "
            "bp_tui.train(bp_tui.load_scenario('mazur'), epochs=3); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = python_code(code, check=True)
    assert out.stdout.strip() == "[]"


def test_train_rejects_a_bad_epoch_count():
    with pytest.raises(ValueError):
        bp_tui.train(bp_tui.load_scenario("mazur"), -1)


@pytest.mark.parametrize("case_id, kwargs", GRID, ids=[c[0] for c in GRID])
def test_written_out_kernel_equals_the_general_loop(case_id, kwargs, monkeypatch):
    sc = scenario(**kwargs)
    fast = bp_tui.train(sc, 4)
    monkeypatch.setattr("bp_tui.engine.kernel.MAX_KERNEL_WEIGHTS", 0)  # force the general per-neuron loop
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_MIN_WORK", 10**9)
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_ONLINE_WEIGHTS_PER_LAYER", 10**9)
    slow = bp_tui.train(sc, 4)
    assert fast.errors == slow.errors and fast.weights == slow.weights and fast.biases == slow.biases


# Online with a single sample, the written-out loop's forward pass for an epoch's error is also the
# next epoch's forward pass: a path of its own.
ONE_SAMPLE = [(f"{case_id}-1", dict(kwargs, samples=1)) for case_id, kwargs in GRID if "online" in case_id][::3] + [
    ("2-3-2-updated-mu0.5-1", dict(layers=(2, 3, 2), hidden_deltas_use="updated", momentum=0.5, samples=1))]


@pytest.mark.parametrize("case_id, kwargs", ONE_SAMPLE, ids=[c[0] for c in ONE_SAMPLE])
def test_one_sample_online_kernel_equals_the_stepper_and_the_general_loop(case_id, kwargs, monkeypatch):
    sc = scenario(**kwargs)
    fast = bp_tui.train(sc, 5)
    stepper = bp_tui.Stepper(sc)
    assert [repr(stepper.round_records(epoch)[-1].value) for epoch in range(5)] == list(map(repr, fast.errors[1:]))
    monkeypatch.setattr("bp_tui.engine.kernel.MAX_KERNEL_WEIGHTS", 0)
    assert repr(bp_tui.train(sc, 5)) == repr(fast)


@pytest.mark.parametrize("case_id, kwargs", [c for c in GRID if "batch" in c[0]][::2],
                         ids=[c[0] for c in GRID if "batch" in c[0]][::2])
def test_numpy_batch_path_matches_stepper_exactly_and_python_closely(case_id, kwargs, monkeypatch):
    kwargs = dict(kwargs, samples=12)
    sc = scenario(**kwargs)
    python = bp_tui.train(sc, 3)
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_MIN_WORK", 1)  # every batch scenario through numpy
    vector = bp_tui.train(sc, 3)
    assert vector.errors == pytest.approx(python.errors, rel=1e-12, abs=1e-15)
    stepper = bp_tui.Stepper(sc)
    assert stepper.history.segments[0].trainer.numpy is not None
    for epoch in range(3):
        assert stepper.round_records(epoch)[-1].value == vector.errors[epoch + 1]  # bit for bit
    assert stepper.state_at(3).params.weights == vector.weights


ONLINE = [c for c in GRID if "online" in c[0]][::2] + [
    ("2-3-2-updated-mu0.5", dict(layers=(2, 3, 2), hidden_deltas_use="updated", momentum=0.5)),
    ("2-3-2-after-gradient-per-neuron", dict(layers=(2, 3, 2), update="after-gradient", bias="per-neuron"))]


@pytest.mark.parametrize("case_id, kwargs", ONLINE, ids=[c[0] for c in ONLINE])
def test_numpy_online_path_matches_stepper_exactly_and_python_closely(case_id, kwargs, monkeypatch):
    """Large online networks train with numpy a sample at a time: what the learner steps through is
    what `train` computed there, bit for bit, and within rounding of the per-neuron passes."""
    sc = scenario(**dict(kwargs, samples=4))
    python = bp_tui.train(sc, 3)
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_ONLINE_WEIGHTS_PER_LAYER", 0)  # every online scenario
    vector = bp_tui.train(sc, 3)
    assert vector.errors == pytest.approx(python.errors, rel=1e-9, abs=1e-15)
    stepper = bp_tui.Stepper(sc)
    assert stepper.history.segments[0].trainer.numpy is not None
    for epoch in range(3):
        steps = stepper.round_records(epoch)
        assert steps[-1].value == vector.errors[epoch + 1]  # bit for bit
        monkeypatch.setattr("bp_tui.engine.training.NUMPY_ONLINE_WEIGHTS_PER_LAYER", 10**9)
        again = bp_tui.Stepper(sc).round_records(epoch)  # the per-neuron passes of network.py
        monkeypatch.setattr("bp_tui.engine.training.NUMPY_ONLINE_WEIGHTS_PER_LAYER", 0)
        assert [s.quantity for s in steps] == [s.quantity for s in again]
        assert [s.value for s in steps] == pytest.approx([s.value for s in again], rel=1e-9, abs=1e-12)
    assert stepper.state_at(3).params.weights == vector.weights


def test_numpy_batch_path_with_momentum_and_no_biases(monkeypatch):
    # The divergence check walked the velocity's biases, which are None without biases: a TypeError.
    sc = scenario(layers=(2, 3, 2), mode="batch", bias="none", momentum=0.7, samples=12)
    python = bp_tui.train(sc, 5)
    monkeypatch.setattr("bp_tui.engine.training.NUMPY_MIN_WORK", 1)
    vector = bp_tui.train(sc, 5)
    assert vector.errors == pytest.approx(python.errors, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("case_id, kwargs", GRID[1::4], ids=[c[0] for c in GRID[1::4]])
def test_the_kernels_evaluation_is_network_evaluate_bit_for_bit(case_id, kwargs, monkeypatch):
    """Many samples are evaluated by the written-out kernel (the first error, a round's new error):
    the same numbers as network.py's, so the records and train agree whichever did it."""
    from bp_tui.engine.training import Trainer

    sc = scenario(**kwargs)
    net = Network(sc)
    trainer = Trainer(net)
    assert trainer.kernel is not None
    state, _done, _diverged = trainer.run(initial_state(net), 3, [])
    monkeypatch.setattr("bp_tui.engine.training.KERNEL_EVALUATION_MIN_WORK", 0)
    assert repr(trainer.evaluate(state)) == repr(net.evaluate(state.params))
