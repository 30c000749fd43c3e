"""Numerics at the edges: huge weights, learning rates that blow up, saturated softmax outputs.

Whatever the numbers do, a learner sees no warning and no traceback: a run that overflows reports
"diverged at epoch N" (TrainResult, Stepper, `bp-tui run`, `bp-tui trace`), and reset takes the
stepper back to a finite start. Every case runs on each training path: the written-out kernel,
the general per-neuron loop (MAX_KERNEL_WEIGHTS = 0) and numpy for batches (NUMPY_MIN_WORK = 1),
with warnings turned into errors so that a single RuntimeWarning fails the test.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

import bp_tui.engine.kernel
import bp_tui.engine.training
from bp_tui import Stepper, parse_scenario, train

from .helpers import bp_tui_here, python_code

ARTICLE = "[[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]"
HUGE = "[[[1e300, -1e300], [-1e300, 1e300]], [[1e300, 1e300], [-1e300, -1e300]]]"
EPOCHS = 60


def scenario_text(weights=ARTICLE, activation='"sigmoid"', learning_rate=0.5, loss="half-sse",
                  inputs="[[0.05, 0.1]]", targets="[[0.01, 0.99]]", mode="online", momentum=0.0) -> str:
    return f"""title = "numerics"
[network]
layers = [2, 2, 2]
activation = {activation}
weights = {weights}
biases = [0.35, 0.6]
[training]
inputs = {inputs}
targets = {targets}
learning_rate = {learning_rate}
loss = "{loss}"
mode = "{mode}"
momentum = {momentum}
train_biases = true
"""


SOFTMAX = dict(activation='["sigmoid", "softmax"]', loss="cross-entropy", targets="[[0.0, 1.0]]")
CONFLICT = dict(activation='["linear", "softmax"]', loss="cross-entropy", learning_rate=1000,
                inputs="[[0.05, 0.1], [0.05, 0.1]]", targets="[[1.0, 0.0], [0.0, 1.0]]")

# name: (scenario settings, diverged_at online, diverged_at batch); None: it must not diverge
CASES = {
    # the starting error is already infinite or NaN: diverged before the first update
    "weights 1e300, linear": (dict(weights=HUGE, activation='"linear"'), 0, 0),
    "inputs 1e200 through relu": (dict(activation='["relu", "linear"]', inputs="[[1e200, 1e200]]"), 0, 0),
    "softmax saturated at the start": (
        dict(SOFTMAX, weights="[[[0.15, 0.2], [0.25, 0.3]], [[800, 800], [-800, -800]]]"), 0, 0),
    # learning rates that blow up
    "learning rate 1000, linear": (dict(learning_rate=1000, activation='"linear"'), 4, 4),
    "learning rate 1000, linear, momentum": (
        dict(learning_rate=1000, activation='"linear"', momentum=0.9), 4, 4),
    "softmax underflows to 0 while training": (CONFLICT, 1, 2),
    # extreme but bounded: saturated neurons, every value finite, no divergence
    "weights 1e300, sigmoid": (dict(weights=HUGE), None, None),
    "weights 1e300, tanh": (dict(weights=HUGE, activation='"tanh"'), None, None),
    "learning rate 1000, sigmoid": (dict(learning_rate=1000), None, None),
    "inputs 1e60 through relu": (dict(activation='["relu", "linear"]', inputs="[[1e60, 1e60]]"), None, None),
    "softmax, learning rate 1000": (dict(SOFTMAX, learning_rate=1000), None, None),
}

PATHS = [("kernel", "online"), ("kernel", "batch"), ("general", "online"), ("general", "batch"),
         ("numpy", "batch"), ("numpy", "online")]


@pytest.fixture
def path(request, monkeypatch):
    backend, mode = request.param
    if backend == "numpy":
        monkeypatch.setattr(bp_tui.engine.training, "NUMPY_MIN_WORK", 1)
        monkeypatch.setattr(bp_tui.engine.training, "NUMPY_ONLINE_WEIGHTS_PER_LAYER", 0)
    elif backend == "general":
        monkeypatch.setattr(bp_tui.engine.kernel, "MAX_KERNEL_WEIGHTS", 0)
    return backend, mode


def same(a: list[float], b: list[float]) -> bool:
    """Equal lists of floats, where NaN equals NaN."""
    return len(a) == len(b) and all(x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b))


def finite(values) -> bool:
    if isinstance(values, (list, tuple)):
        return all(finite(v) for v in values)
    return values is None or math.isfinite(values)


def uses(backend: str, scenario) -> None:
    """Make sure the forced path is the one taken (a renamed switch must not make this test moot)."""
    trainer = bp_tui.engine.training.Trainer(bp_tui.engine.training.Network(scenario))
    assert (trainer.numpy is not None) == (backend == "numpy")
    assert (trainer.kernel is not None) == (backend == "kernel")


@pytest.mark.parametrize("path", PATHS, indirect=True, ids=["-".join(p) for p in PATHS])
@pytest.mark.parametrize("case", list(CASES))
def test_train_and_stepper_report_divergence_without_a_warning(case, path):
    backend, mode = path
    settings, online_at, batch_at = CASES[case]
    expected = online_at if mode == "online" else batch_at
    scenario = parse_scenario(scenario_text(mode=mode, **settings), "numerics.toml")
    uses(backend, scenario)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (numpy overflow) becomes a failure here
        result = train(scenario, EPOCHS)
        stepper = Stepper(scenario)
        reached = stepper.goto_epoch(EPOCHS)
        walked = walk(stepper)
        stepper.reset()
        start = (stepper.epoch, stepper.k, stepper.params)
        walked_again = walk(stepper)

    assert result.diverged_at == expected
    assert stepper.diverged_at == expected
    assert len(result.errors) == result.epochs + 1
    if expected is None:
        assert result.epochs == EPOCHS and reached == EPOCHS
        assert finite(result.errors) and finite(result.weights) and finite(result.outputs)
    else:
        assert result.epochs == expected and reached == expected
        assert not (finite(result.errors[-1]) and finite(result.weights) and finite(result.biases))
        assert finite(result.errors[:-1])  # every error before the divergence was a number
        assert stepper.epoch <= expected  # the stepper cannot go past the diverged round
    assert same(stepper.errors[: len(result.errors)], result.errors)

    # reset: back to the very start, the scenario's own (finite) numbers, and the same walk again
    assert start[:2] == (0, 0)
    assert start[2].weights == [[list(row) for row in layer] for layer in scenario.weights]
    assert finite(start[2].weights) and finite(start[2].biases)
    assert same(walked_again, walked)


def walk(stepper: Stepper, limit: int = 5000) -> list[float]:
    """Every value revealed by pressing "next" from the start until it stops (or `limit` steps)."""
    stepper.reset()
    values = []
    while len(values) < limit and stepper.next():
        values.append(stepper.current.value)
    return values


def test_walking_stops_at_the_diverged_round():
    scenario = parse_scenario(scenario_text(**CASES["learning rate 1000, linear"][0]), "numerics.toml")
    stepper = Stepper(scenario)
    values = walk(stepper)
    assert stepper.diverged_at == 4
    assert (stepper.epoch, stepper.round_done) == (3, True)  # round 4 is the last one shown
    assert not stepper.next() and not stepper.finish_round() and not stepper.next_phase()
    assert not math.isfinite(values[-1])  # its new error, shown as it is
    assert all(map(math.isfinite, values[: len(values) // 2]))


# --- what the command line says ---------------------------------------------------------------

# A training path forced as the `path` fixture forces it: (module, setting, value) to set.
FORCE_NUMPY = ((bp_tui.engine.training, "NUMPY_MIN_WORK", 1),
               (bp_tui.engine.training, "NUMPY_ONLINE_WEIGHTS_PER_LAYER", 0))
FORCE_GENERAL = ((bp_tui.engine.kernel, "MAX_KERNEL_WEIGHTS", 0),)


def bp(*args, force=()):
    """`bp-tui ARGS` run in this process as `python -W error -m bp_tui ARGS` runs it, optionally on a
    forced training path: its (status, stdout, stderr). Every warning is an error, and numpy reports
    floating-point errors as a fresh interpreter does (whatever another test in this process set),
    so a RuntimeWarning fails the test as it would fail the command.

    A child per command cost 0.1 to 0.4 s of CPU (most of it starting Python and importing numpy),
    17 times over, to check the same. One test still runs the whole command, imports included, in a
    fresh `python -W error`: the already-infinite start below."""
    with pytest.MonkeyPatch.context() as patch, warnings.catch_warnings(), \
            np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
        for module, name, value in force:
            patch.setattr(module, name, value)
        warnings.simplefilter("error")
        return bp_tui_here(*args)


def bp_in_a_child(*args):
    """`python -W error -m bp_tui ARGS` in a fresh interpreter."""
    code = "import sys; from bp_tui.cli import main; sys.exit(main(sys.argv[1:]))"
    return python_code(code, *args, flags=("-W", "error"))


@pytest.mark.parametrize("force, mode", [((), "online"), (FORCE_GENERAL, "batch"), (FORCE_NUMPY, "batch"),
                                         (FORCE_NUMPY, "online")],
                         ids=["kernel", "general", "numpy", "numpy-online"])
def test_run_says_diverged_at_epoch_n_and_nothing_else_on_stderr(tmp_path, force, mode):
    path = tmp_path / "too-fast.toml"
    path.write_text(scenario_text(learning_rate=1000, activation='"linear"', mode=mode))
    diverged = (f"bp-tui: {path}: diverged at epoch 4: a value became infinite or NaN, first E_total+ = inf "
                "in round 4 (try a smaller learning_rate)\n")
    out = bp("run", str(path), "--epochs", "100", force=force)
    assert out.returncode == 0
    assert out.stderr == diverged  # no RuntimeWarning, no traceback: only the message
    assert "epochs: 4\n" in out.stdout and "error after 4 epoch(s): inf\n" in out.stdout
    assert "\ndiverged at epoch 4, first E_total+ = inf in round 4; training stopped there\n" in out.stdout

    out = bp("run", str(path), "--epochs", "100", "--json", force=force)
    assert out.returncode == 0 and out.stderr == diverged
    data = json.loads(out.stdout)  # strict JSON: infinities written as null
    assert data["epochs"] == 4 and len(data["errors"]) == 5 and data["diverged_at"] == 4
    assert data["errors"][-1] is None and all(isinstance(e, float) for e in data["errors"][:-1])

    out = bp("trace", str(path), "--epochs", "10", "--plain", force=force)
    assert out.returncode == 0 and out.stderr == ""
    assert out.stdout.rstrip("\n").endswith("diverged at epoch 4: later rounds cannot be computed")
    assert out.stdout.count("== round 4: forward pass ==") == 1 and "round 5" not in out.stdout


def test_run_of_a_start_that_is_already_infinite_says_epoch_0(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text(scenario_text(weights=HUGE, activation='"linear"'))
    out = bp_in_a_child("run", str(path), "--epochs", "10", "--json")
    assert out.returncode == 0
    assert out.stderr == (f"bp-tui: {path}: diverged at epoch 0: a value became infinite or NaN, first "
                          "net_o1 = nan in round 1 (try a smaller learning_rate)\n")
    data = json.loads(out.stdout)
    assert data["epochs"] == 0 and data["errors"] == [None] and data["diverged_at"] == 0
    assert data["weights"][0][0] == [1e300, -1e300]  # the file's weights, unchanged


def test_saturated_softmax_runs_without_warnings_on_every_path(tmp_path):
    path = tmp_path / "softmax.toml"
    for mode, at in (("online", 1), ("batch", 2)):
        path.write_text(scenario_text(mode=mode, **CONFLICT))
        for force in ((), FORCE_GENERAL) + ((FORCE_NUMPY,) if mode == "batch" else ()):
            out = bp("run", str(path), "--epochs", "50", force=force)
            where = f"E_total+ = inf in round {at}, sample 1"  # -ln(0): a probability underflowed
            assert out.stderr == (f"bp-tui: {path}: diverged at epoch {at}: a value became infinite or "
                                  f"NaN, first {where} (try a smaller learning_rate)\n"), (mode, force)
