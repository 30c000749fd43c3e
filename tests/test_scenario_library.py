"""The built-in scenario library: every scenario loads, trains, steps and keeps its promises.

Three kinds of check:
- every built-in: it loads, is listed with its title, `bp-tui show` prints text that validates, it
  trains 100 epochs and steps through round 1, its [[expect]] figures hold in the engine, and the
  engine agrees with the independent reference implementation (tests/reference_backprop.py);
- every figure in the library's files agrees with the reference too (they were computed with it,
  never copied from bp-tui), and the reference itself reproduces the article and finite differences;
- for each scenario, the behaviour its description tells the learner to look for.
"""

from __future__ import annotations

import functools
import math
import re

import numpy as np
import pytest

import bp_tui
from bp_tui import cli
from bp_tui.engine.scenario import builtin_dir, builtin_names, parse_scenario

from . import reference_backprop as ref
from .helpers import bp_tui_here

# The library this test file owns, each answering a question the article's readers asked.
LIBRARY = (
    "mazur-biases", "mazur-per-neuron-bias", "xor-online", "xor-batch", "deep", "momentum",
    "momentum-off", "too-fast", "tanh", "relu", "softmax-cross-entropy", "mse", "symmetry",
    "saturated",
)
ALL = tuple(builtin_names())
DIVERGES = {"too-fast"}  # the one built-in whose description promises a divergence


@functools.cache
def scenario(name: str) -> bp_tui.Scenario:
    return bp_tui.load_scenario(name)


@functools.cache
def model(name: str) -> ref.Model:
    return ref.load(builtin_dir() / f"{name}.toml")


@functools.cache
def stepper(name: str) -> bp_tui.Stepper:
    return bp_tui.Stepper(scenario(name))


def records(name: str, round_number: int) -> dict[tuple[str, int], float]:
    """{(quantity, sample index): value} of a round's records in the engine (sample 0 for set-wide)."""
    return {(s.quantity, s.sample or 0): s.value for s in stepper(name).round_records(round_number - 1)}


def variant(name: str, **changes) -> bp_tui.Scenario:
    """The built-in with some [training] settings rewritten (as a learner would in a copy)."""
    text = (builtin_dir() / f"{name}.toml").read_text(encoding="utf-8")
    for key, value in changes.items():
        text, count = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        assert count == 1, key
    return parse_scenario(text, f"{name} variant")


def first_below(errors, threshold: float) -> int | None:
    return next((epoch for epoch, error in enumerate(errors) if error < threshold), None)


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-15) -> bool:
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


# --- every built-in ----------------------------------------------------------------------------


def test_library_is_complete():
    missing = set(LIBRARY) - set(ALL)
    assert not missing, f"built-in scenarios missing: {sorted(missing)}"


@pytest.mark.parametrize("name", ALL)
def test_loads_with_title_and_description(name):
    loaded = scenario(name)
    assert loaded.title.strip() and loaded.description.strip()
    assert len(loaded.description) <= 4000


def test_list_shows_every_builtin_with_its_title():
    done = bp_tui_here("list")  # (in this process: the listing is the same, without a child's start-up)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for name in ALL:
        assert any(line.split(None, 1) == [name, scenario(name).title] for line in lines), name


@pytest.mark.parametrize("name", ALL)
def test_show_prints_text_that_validates_to_the_same_scenario(name, capsys):
    assert cli.main(["show", name]) == 0
    printed = capsys.readouterr().out
    parsed = parse_scenario(printed, f"shown {name}")
    assert parsed._replace(origin=scenario(name).origin) == scenario(name)


def test_validate_accepts_every_builtin(capsys):
    files = [str(builtin_dir() / f"{name}.toml") for name in ALL]
    assert cli.main(["validate", *files]) == 0
    assert capsys.readouterr().out.count(": ok (") == len(ALL)


@pytest.mark.parametrize("name", ALL)
def test_trains_100_epochs_and_steps_through_round_1(name):
    result = bp_tui.train(scenario(name), 100)
    if name in DIVERGES:
        assert result.diverged_at is not None and result.epochs == result.diverged_at
    else:
        assert result.diverged_at is None and result.epochs == 100 and len(result.errors) == 101
        assert all(math.isfinite(e) for e in result.errors)
    steps = stepper(name).round_records(0)
    assert steps and all(step.epoch == 1 for step in steps)
    assert all(math.isfinite(step.value) for step in steps)
    phases = [step.phase for step in steps]
    assert phases[0] == "forward" and phases[-1] == "evaluate"


@pytest.mark.parametrize("name", ALL)
def test_expect_figures_hold(name):
    results = stepper(name).check_expects()
    failing = [(r.expect.quantity, r.expect.epoch, r.expect.value, r.actual) for r in results if not r.ok]
    assert not failing
    if name in LIBRARY:
        assert len(results) >= 5, "each library scenario shows the learner figures to compare"


@pytest.mark.parametrize("name", ALL)
def test_engine_matches_the_reference_for_a_few_epochs(name):
    epochs = 5
    run = ref.train(model(name), epochs)
    result = bp_tui.train(scenario(name), epochs)
    assert len(result.errors) == len(run.errors) == epochs + 1
    for engine, reference in zip(result.errors, run.errors):
        assert close(engine, reference), (engine, reference)
    for layer, ref_layer in zip(result.weights, run.params.weights):
        assert np.allclose(np.array(layer), ref_layer, rtol=1e-12, atol=1e-15)
    if result.biases is not None:
        for engine_b, ref_b in zip(result.biases, run.params.biases):
            assert np.allclose(np.atleast_1d(engine_b), ref_b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ALL)
def test_every_step_of_round_1_matches_the_reference(name):
    """Each record of round 1 (forward, error, deltas, gradients, updates, new error) has the
    reference's value under the same name: the naming and the maths agree."""
    expected = ref.round_quantities(model(name), 1)
    steps = stepper(name).round_records(0)
    for step in steps:
        key = (step.quantity, step.sample or 0)
        assert key in expected, f"{key} is not a quantity the reference computes"
        assert close(step.value, expected[key]), (key, step.value, expected[key])


@pytest.mark.parametrize("name", ALL)
def test_train_agrees_with_the_stepper_bit_for_bit(name):
    """The fast path and the stepped path on each built-in's own shape."""
    walker = bp_tui.Stepper(scenario(name))
    walker.extend_to(30)
    assert bp_tui.train(scenario(name), 30).errors == walker.errors


# --- the figures in the files, and the reference itself ----------------------------------------


@pytest.mark.parametrize("name", LIBRARY)
def test_library_figures_come_from_the_reference(name):
    """Every [[expect]] value agrees with the reference to the digits it is written with."""
    checked = ref.expect_values(model(name))
    assert checked
    for expect, value in checked:
        digits = bp_tui.engine.scenario.printed_decimals(expect["value"])
        assert value is not None, expect
        assert abs(value - expect["value"]) <= 0.5 * 10.0 ** -digits * (1 + 1e-9), (expect, value)


def test_reference_reproduces_the_article():
    """The article's worked figures (the mazur scenario's round-1 expects) from the reference."""
    checked = ref.figures(model("mazur"), [1])[1]
    entries = [e for e in model("mazur").expects if e["epoch"] == 1]
    assert len(entries) >= 20
    for expect in entries:
        value = checked[(expect["quantity"], expect.get("sample", 1) - 1)]
        if "value" in expect:  # the exact figure (the article printed another one: see its note)
            figure, digits = expect["value"], bp_tui.engine.scenario.printed_decimals(expect["value"])
        else:  # the article's printed figure is the exact one at its digits
            figure, digits = float(expect["printed"]), bp_tui.engine.expectations.text_decimals(expect["printed"])
        assert abs(value - figure) <= 0.5 * 10.0 ** -digits * (1 + 1e-9), expect


def _flat(p: ref.Params, with_biases: bool) -> np.ndarray:
    parts = [w.ravel() for w in p.weights] + ([b.ravel() for b in p.biases] if with_biases else [])
    return np.concatenate(parts)


def _unflat(m: ref.Model, vector: np.ndarray, with_biases: bool) -> ref.Params:
    p, at = ref.start(m), 0
    for l, w in enumerate(p.weights):
        p.weights[l] = vector[at:at + w.size].reshape(w.shape)
        at += w.size
    if with_biases:
        for l, b in enumerate(p.biases):
            p.biases[l] = vector[at:at + b.size].reshape(b.shape)
            at += b.size
    return p


@pytest.mark.parametrize("name", LIBRARY)
def test_reference_gradients_match_finite_differences(name):
    """The reference's backward pass against central differences of the training-set error."""
    m = model(name)
    with_biases = m.start_biases is not None
    p = ref.start(m)
    bw = ref.backward(m, p, m.inputs, m.targets)
    analytic = [g.mean(axis=0).ravel() for g in bw.weight_grads]
    if with_biases:
        analytic += [g.mean(axis=0).ravel() for g in bw.bias_grads]
    analytic = np.concatenate(analytic)
    x0, h = _flat(p, with_biases), 1e-6
    numeric = np.empty_like(x0)
    for i in range(x0.size):
        up, down = x0.copy(), x0.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (ref.dataset_error(m, _unflat(m, up, with_biases))[2]
                      - ref.dataset_error(m, _unflat(m, down, with_biases))[2]) / (2 * h)
    assert np.allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


# --- what each description promises ------------------------------------------------------------


def test_biases_trained_start_as_the_article_and_end_lower():
    article, trained = records("mazur", 1), records("mazur-biases", 1)
    for key, value in article.items():  # round 1 before the update: the article's figures
        if not key[0].endswith("+"):
            assert trained[key] == value, key
    assert trained[("dE_total/db2", 0)] == trained[("delta_o1", 0)] + trained[("delta_o2", 0)]
    assert trained[("dE_total/db1", 0)] == trained[("delta_h1", 0)] + trained[("delta_h2", 0)]
    assert trained[("E_total+", 0)] < article[("E_total+", 0)]
    ratio = bp_tui.train(scenario("mazur-biases"), 1000).errors[-1] / bp_tui.train(
        scenario("mazur"), 1000).errors[-1]
    assert 0.25 < ratio < 0.4  # "about a third of the article's"


def test_per_neuron_biases_sum_to_the_shared_gradient_and_drift_apart():
    shared, own = records("mazur-biases", 1), records("mazur-per-neuron-bias", 1)
    assert own[("net_h1", 0)] == records("mazur", 1)[("net_h1", 0)]  # same start as the article
    assert own[("dE_total/db_o1", 0)] == own[("delta_o1", 0)]
    assert close(own[("dE_total/db_o1", 0)] + own[("dE_total/db_o2", 0)], shared[("dE_total/db2", 0)])
    assert close(own[("dE_total/db_h1", 0)] + own[("dE_total/db_h2", 0)], shared[("dE_total/db1", 0)])
    assert own[("b_o1+", 0)] < 0.60 < own[("b_o2+", 0)]
    gaps = []
    for epochs in (1, 10, 100, 300):
        result = bp_tui.train(scenario("mazur-per-neuron-bias"), epochs)
        (b_h1, b_h2), (b_o1, b_o2) = result.biases
        assert b_h1 != b_h2 and b_o1 != b_o2
        gaps.append(b_o2 - b_o1)
        assert result.errors[-1] < bp_tui.train(scenario("mazur-biases"), epochs).errors[-1]
    assert gaps == sorted(gaps)  # the output biases keep drifting apart


XOR_THRESHOLD = 0.01  # "low error" for XOR: the mean of the four samples' half squared errors


def test_xor_online_learns_xor():
    errors = bp_tui.train(scenario("xor-online"), 400).errors
    assert first_below(errors, XOR_THRESHOLD) == 389
    assert errors[200] > 0.1  # it creeps for about 200 rounds first
    outputs = bp_tui.train(scenario("xor-online"), 389).outputs
    assert [round(o[0]) for o in outputs] == [0, 1, 1, 0]


def test_xor_batch_learns_xor_about_four_times_slower_than_online():
    errors = bp_tui.train(scenario("xor-batch"), 1500).errors
    batch = first_below(errors, XOR_THRESHOLD)
    assert batch == 1430
    assert batch > 3 * first_below(bp_tui.train(scenario("xor-online"), 400).errors, XOR_THRESHOLD)
    assert [round(o[0]) for o in bp_tui.train(scenario("xor-batch"), batch).outputs] == [0, 1, 1, 0]
    # a quarter of the learning rate online, or four times it in batch, roughly swaps the two
    slow_online = first_below(bp_tui.train(variant("xor-online", learning_rate=0.25), 1600).errors,
                              XOR_THRESHOLD)
    fast_batch = first_below(bp_tui.train(variant("xor-batch", learning_rate=4.0), 500).errors,
                             XOR_THRESHOLD)
    assert abs(slow_online - batch) < 0.1 * batch
    assert abs(fast_batch - 389) < 0.1 * 389


def test_batch_uses_the_starting_weights_for_every_sample_and_the_mean_gradient():
    online, batch = records("xor-online", 1), records("xor-batch", 1)
    start = ref.start(model("xor-batch"))
    zs, _outs = ref.forward(model("xor-batch"), start, model("xor-batch").inputs)
    for s in range(4):
        for j, name in enumerate(("h1", "h2")):
            assert close(batch[(f"net_{name}", s)], zs[1][s, j])
    assert online[("net_h1", 0)] == batch[("net_h1", 0)]  # sample 1 sees the start in both
    assert online[("net_h1", 1)] != batch[("net_h1", 1)]  # online's sample 2 sees sample 1's update
    for w in ("w1", "w5", "b_h1", "b_o1"):
        mean = sum(batch[(f"dE_total/d{w}", s)] for s in range(4)) / 4
        assert close(batch[(f"dE_mean/d{w}", 0)], mean)
    assert batch[("E_mean+", 0)] > online[("E_mean+", 0)]  # one step per epoch against four


def test_deep_hidden_deltas_match_the_reference_through_both_hidden_layers():
    names = [f"delta_h{layer}_{j}" for layer in (1, 2) for j in (1, 2, 3)]
    expected = ref.figures(model("deep"), [1, 2, 3])
    for round_number in (1, 2, 3):
        engine = records("deep", round_number)
        for name in names + ["dE_total/dout_h1_1", "dE_h2_3/dout_h1_1"]:
            assert close(engine[(name, 0)], expected[round_number][(name, 0)]), (round_number, name)
    engine = records("deep", 1)
    # dE_total/dout_h1_1 is the sum over the three neurons h1_1 feeds, each delta times its weight
    w = scenario("deep").weights[1]
    total = sum(engine[(f"delta_h2_{m + 1}", 0)] * w[m][0] for m in range(3))
    assert close(engine[("dE_total/dout_h1_1", 0)], total)
    # the vanishing gradient the description points at
    largest = {layer: max(abs(engine[(f"delta_{n}", 0)]) for n in names_)
               for layer, names_ in (("o", ("o1", "o2")), ("h2", ("h2_1", "h2_2", "h2_3")),
                                     ("h1", ("h1_1", "h1_2", "h1_3")))}
    assert largest["o"] > largest["h2"] > largest["h1"]
    assert largest["o"] < 0.12 and largest["h2"] < 0.01
    assert sum(abs(engine[(f"delta_h1_{j}", 0)]) < 0.002 for j in (1, 2, 3)) == 2


def test_momentum_converges_faster_than_its_twin():
    with_momentum = first_below(bp_tui.train(scenario("momentum"), 200).errors, 0.01)
    without = first_below(bp_tui.train(scenario("momentum-off"), 1000).errors, 0.01)
    assert with_momentum == 69 and without == 868
    article = first_below(bp_tui.train(scenario("mazur"), 300).errors, 0.01)
    assert 165 <= article <= 185  # "about 175" at the article's learning rate
    on, off = records("momentum", 1), records("momentum-off", 1)
    for key, value in off.items():  # round 1 is the same: the running gradient starts at 0
        assert on[key] == value, key
    assert on[("v_w5", 0)] == on[("dE_total/dw5", 0)]
    second = records("momentum", 2)
    assert close(second[("v_w5", 0)], 0.9 * on[("v_w5", 0)] + second[("dE_total/dw5", 0)])
    assert second[("E_total+", 0)] < records("momentum-off", 2)[("E_total+", 0)]
    plain = bp_tui.train(scenario("momentum-off"), 100).errors
    assert all(0.001 < a - b < 0.002 for a, b in zip(plain, plain[1:]))  # "about 0.0015 a round"


def test_too_fast_oscillates_then_diverges():
    result = bp_tui.train(scenario("too-fast"), 200)
    assert result.diverged_at == 10 and result.epochs == 10
    finite = result.errors[:10]
    assert all(b > a for a, b in zip(finite, finite[1:]))  # the error grows every round
    assert not math.isfinite(result.errors[10])
    target = scenario("too-fast").targets[0][0]
    signs = [math.copysign(1, bp_tui.train(scenario("too-fast"), n).outputs[0][0] - target)
             for n in range(5)]
    assert signs == [1, -1, 1, -1, 1]  # out_o1 swings across its target
    # the figures the description quotes
    assert [float(f"{e:.2g}") for e in result.errors[1:6]] == [1.0, 1.1, 2.4, 7.0, 17]
    out_o1 = [round(bp_tui.train(scenario("too-fast"), n).outputs[0][0], 2) for n in range(4)]
    assert out_o1 == [0.93, -0.22, 1.34, -1.41]
    walker = bp_tui.Stepper(scenario("too-fast"))
    assert walker.can_enter(9) and not walker.can_enter(10)  # round 10 shows the overflow, no more
    assert any(not math.isfinite(step.value) for step in walker.round_records(9))


def test_too_fast_settles_with_smaller_learning_rates():
    slower = variant("too-fast", learning_rate=0.5)
    settles = bp_tui.train(slower, 200)
    assert settles.diverged_at is None and settles.errors[-1] < 1e-6
    assert all(b < a for a, b in zip(settles.errors, settles.errors[1:]))  # falls every round
    out_o1 = [bp_tui.train(slower, n).outputs[0][0] for n in range(6)]
    assert [round(o, 2) for o in out_o1[:5]] == [0.93, 0.13, 0.72, 0.24, 0.41]  # as described
    steps = [b - a for a, b in zip(out_o1, out_o1[1:])]
    assert [math.copysign(1, step) for step in steps] == [-1, 1, -1, 1, -1]  # still zig-zags


def test_tanh_slopes_and_speed():
    steps = records("tanh", 1)
    assert close(steps[("out_h1", 0)], math.tanh(0.3775))
    assert close(steps[("dout_h1/dnet_h1", 0)], 1 - steps[("out_h1", 0)] ** 2)
    slopes = [steps[(f"dout_{n}/dnet_{n}", 0)] for n in ("h1", "h2", "o1", "o2")]
    assert [round(min(slopes), 2), round(max(slopes), 2)] == [0.43, 0.87]
    tanh_error = bp_tui.train(scenario("tanh"), 100).errors[-1]
    assert tanh_error < bp_tui.train(scenario("mazur"), 100).errors[-1] / 5


def test_saturated_start_stalls_then_collapses():
    article, saturated = records("mazur", 1), records("saturated", 1)
    assert saturated[("out_o1", 0)] > 0.99 > article[("out_o1", 0)]  # further from its target 0.01
    assert saturated[("dout_o1/dnet_o1", 0)] < 0.006
    assert 25 < article[("delta_o1", 0)] / saturated[("delta_o1", 0)] < 27  # "some 26 times smaller"
    errors = bp_tui.train(scenario("saturated"), 350).errors
    assert min(errors[:251]) > 0.44  # stuck for 250 rounds
    assert errors[300] < 0.11 and round(errors[350], 2) == 0.01  # then it collapses


def _dead(name_or_scenario, epochs: int) -> bool:
    """Whether h3 has a non-positive net input for every sample after `epochs` epochs."""
    s = scenario(name_or_scenario) if isinstance(name_or_scenario, str) else name_or_scenario
    result = bp_tui.train(s, epochs)
    w, b = result.weights[0][2], result.biases[0][2]
    return all(w[0] * x[0] + w[1] * x[1] + b <= 0 for x in s.inputs)


def test_relu_neuron_dies_and_its_gradients_are_exactly_zero():
    first = records("relu", 1)
    assert first[("out_h3", 0)] > 0 and first[("delta_h3", 0)] != 0  # alive for sample 1
    frozen = None
    for round_number in range(1, 21):
        steps = records("relu", round_number)
        for s in range(3):
            if (round_number, s) == (1, 0):
                continue
            assert steps[("net_h3", s)] < 0 and steps[("out_h3", s)] == 0.0
            assert steps[("dout_h3/dnet_h3", s)] == 0.0 and steps[("delta_h3", s)] == 0.0
            for grad in ("dE_total/dw5", "dE_total/dw6", "dE_total/db_h3", "dE_total/dw9"):
                assert steps[(grad, s)] == 0.0, (round_number, s, grad)
            now = tuple(steps[(f"{p}+", s)] for p in ("w5", "w6", "b_h3", "w9"))
            frozen = frozen or now
            assert now == frozen  # exactly the values sample 1 of round 1 left
    final = bp_tui.train(scenario("relu"), 300)
    assert (final.weights[0][2], final.biases[0][2], final.weights[1][0][2]) == (
        [frozen[0], frozen[1]], frozen[2], frozen[3])
    # dead for every input in the unit square: its largest possible net input is negative
    assert max(frozen[0], 0) + max(frozen[1], 0) + frozen[2] < 0
    assert [round(v, 4) for v in frozen] == [-0.146, 0.227, -0.546, 1.5897]  # as the description says
    assert bp_tui.train(scenario("relu"), 100).errors[-1] < 0.001  # h1 and h2 carry on
    assert not _dead(variant("relu", learning_rate=0.1), 100)  # smaller steps: h3 survives


def test_softmax_outputs_are_probabilities_and_the_classes_are_learned():
    steps = records("softmax-cross-entropy", 1)
    targets = scenario("softmax-cross-entropy").targets
    for s in range(3):
        outs = [steps[(f"out_o{j}", s)] for j in (1, 2, 3)]
        assert abs(sum(outs) - 1) < 1e-15 and min(outs) > 0
        for j in range(3):
            assert steps[(f"delta_o{j + 1}", s)] == outs[j] - targets[s][j]
        assert close(steps[("E_total", s)], -math.log(outs[targets[s].index(1.0)]))
    errors = bp_tui.train(scenario("softmax-cross-entropy"), 100).errors
    assert round(errors[0], 3) == 1.106 and abs(errors[0] - math.log(3)) < 0.01 and errors[100] < 0.1
    for epochs in range(0, 101):
        outputs = bp_tui.train(scenario("softmax-cross-entropy"), epochs).outputs
        assert all(abs(sum(row) - 1) < 1e-12 for row in outputs)
        learned = all(row.index(max(row)) == s for s, row in enumerate(outputs))
        assert learned == (epochs >= 23), epochs


def test_mse_equals_the_article_with_two_outputs_and_doubles_steps_with_one():
    mse = bp_tui.train(scenario("mse"), 50)
    half = bp_tui.train(variant("mse", loss='"half-sse"'), 50)
    assert mse.errors == half.errors and mse.weights == half.weights
    one_output = """
[network]
layers = [2, 2, 1]
weights = [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45]]]
biases = [0.35, 0.60]
[training]
inputs = [[0.05, 0.10]]
targets = [[0.01]]
learning_rate = {rate}
loss = "{loss}"
"""
    mse_one = bp_tui.train(parse_scenario(one_output.format(rate=0.5, loss="mse")), 50)
    half_double = bp_tui.train(parse_scenario(one_output.format(rate=1.0, loss="half-sse")), 50)
    assert mse_one.weights == half_double.weights
    assert all(close(m, 2 * h) for m, h in zip(mse_one.errors, half_double.errors))


def test_symmetric_start_keeps_the_hidden_neurons_identical_and_xor_unlearned():
    for epochs in (1, 300, 1000):
        result = bp_tui.train(scenario("symmetry"), epochs)
        (row1, row2), (outgoing,) = result.weights
        (b_h1, b_h2), _ = result.biases
        assert row1 == row2 and b_h1 == b_h2 and outgoing[0] == outgoing[1]
        assert result.errors[-1] > 0.08
    assert row1[0] != row1[1]  # the inputs' weights differ; the two neurons do not
    assert [round(o[0]) for o in result.outputs] == [0, 1, 1, 1]  # (1, 1) stays wrong
    steps = records("symmetry", 1)
    for s in range(4):
        assert steps[("out_h1", s)] == steps[("out_h2", s)]
        assert steps[("delta_h1", s)] == steps[("delta_h2", s)]
