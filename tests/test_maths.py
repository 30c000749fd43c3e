"""The table of activations and losses (bp_tui/engine/maths.py): every name a scenario file may use
has a complete entry, and the forms of an entry (plain floats, kernel source, numpy, the text the
records show) compute and say the same thing."""

import math

import numpy as np
import pytest

import bp_tui
from bp_tui.engine import maths
from bp_tui.engine.kernel import BUILTINS
from bp_tui.study.export.latex_math import latex_math

from .helpers import python_code
from .scenario_factory import scenario_text

# net inputs from deep in the saturated ends through zero (both signs) to the article's values
NETS = [-800.0, -30.0, -2.5, -1e-300, -0.0, 0.0, 0.3775, 1.0, 1.1059059670597702, 4.0, 750.0]
# (target, output) pairs: the article's, exact hits, an output of 0 and of 1
PAIRS = [(0.01, 0.7513650695523157), (0.99, 0.7729284653214625), (0.0, 0.3), (1.0, 0.25), (0.5, 0.5),
         (1.0, 1.0), (0.0, 0.0), (0.2, 0.0), (1.0, 1e-320)]
SIGNED_PAIRS = PAIRS + [(-0.5, 0.25), (-1.0, -3.0), (2.0, 40.0)]  # not for cross-entropy: its targets are >= 0


def output_only(name: str) -> bool:
    return maths.ACTIVATIONS[name].slope is None


def parse(**settings):
    return bp_tui.parse_scenario(scenario_text(**settings), "generated.toml")


def run_source(lines: list[str], names: dict) -> dict:
    """Runs kernel lines the way the kernel does: with its builtins and the given locals."""
    space = dict(BUILTINS, **names)
    exec("\n".join(lines), space)  # noqa: S102 - the table's own fixed text
    return space


def readable(equation: str) -> bool:
    """Whether the exports print it as maths (an equation they cannot read becomes one \\text{...})."""
    return not latex_math(equation).startswith("\\text{")


def same(a: float, b: float) -> bool:
    """Equal to the last bit (NaN equals NaN, 0.0 and -0.0 are told apart)."""
    return repr(a) == repr(b)


# --- complete -----------------------------------------------------------------------------------

def test_the_loader_accepts_exactly_the_names_in_the_table():
    for name in maths.ACTIVATIONS:
        sc = parse(layers=(2, 3, 2), activation=name,
                   loss="cross-entropy" if output_only(name) else "half-sse")
        assert sc.activations[-1] == name
    for name, loss in maths.LOSSES.items():
        sc = parse(activation="softmax" if loss.slope_is_delta else "sigmoid", loss=name)
        assert sc.loss == name
    with pytest.raises(bp_tui.ScenarioError, match=r"network\.activation"):
        parse(activation="gelu")
    with pytest.raises(bp_tui.ScenarioError, match=r"training\.loss"):
        parse(loss="hinge")


@pytest.mark.parametrize("name", list(maths.ACTIVATIONS))
def test_every_activation_has_every_form(name):
    entry = maths.ACTIVATIONS[name]
    assert entry.name == name
    assert all(callable(form) for form in (entry.layer, entry.kernel, entry.numpy))
    assert entry.formula and entry.explanation
    slopes = (entry.slope, entry.kernel_slope, entry.numpy_slope, entry.slope_formula, entry.slope_explanation)
    if not output_only(name):
        assert all(slopes)
        return
    # no slope of its own: only allowed where the loss's slope already is the output's delta
    assert not any(slopes)
    with pytest.raises(bp_tui.ScenarioError, match=r"network\.activation"):
        parse(layers=(2, 3, 2), activation=[name, name], loss="cross-entropy")
    for loss in (other for other, entry in maths.LOSSES.items() if not entry.slope_is_delta):
        with pytest.raises(bp_tui.ScenarioError, match=r"training\.loss"):
            parse(activation=name, loss=loss)


@pytest.mark.parametrize("name", list(maths.LOSSES))
def test_every_loss_has_every_form(name):
    entry = maths.LOSSES[name]
    assert entry.name == name
    assert all(callable(form) for form in (entry.term, entry.slope, entry.numpy_terms, entry.numpy_slope))
    assert entry.kernel_term and entry.kernel_slope
    assert entry.formula and entry.explanation and entry.slope_formula and entry.slope_explanation
    if "{g}" in entry.kernel_term + entry.kernel_slope:
        assert entry.kernel_gap


@pytest.mark.parametrize("name", list(maths.ACTIVATIONS))
def test_an_activations_formulas_are_maths_in_the_exports(name):
    entry = maths.ACTIVATIONS[name]
    formula = entry.out_formula("net_o1", ["net_o1", "net_o2"])
    for text in (formula, entry.out_formula("0.3775", ["0.3775", "-2.5"])):
        assert readable(f"out_o1 = {text}"), text
    assert "{" not in formula and "{" not in entry.explanation.format(n="o1")
    if entry.slope_formula:
        text = entry.slope_formula.format(out="out_h1", net="net_h1")
        assert readable(f"dout_h1/dnet_h1 = {text}"), text


@pytest.mark.parametrize("name", list(maths.LOSSES))
def test_a_losss_formulas_are_maths_in_the_exports(name):
    entry = maths.LOSSES[name]
    for template in (entry.formula, entry.slope_formula):
        for target, out in (("target_o1", "out_o1"), ("0.01", "0.75136507"), ("target_o1", "out_o1+")):
            text = template.format(target=target, out=out, n=2)
            assert readable(f"E_o1 = {text}"), text
    assert "{" not in entry.explanation.format(name="o1", n=2) + entry.slope_explanation.format(name="o1")


def test_the_engine_holds_numpy_forms_without_importing_numpy():
    code = ("import sys, bp_tui\n"
            "from bp_tui.engine import kernel, maths, network, records, stepper, training\n"
            "for name in ('mazur', 'softmax-cross-entropy', 'xor-batch'):\n"
            "    bp_tui.train(bp_tui.load_scenario(name), 50)\n"
            "    bp_tui.Stepper(bp_tui.load_scenario(name)).round_records(0)\n"
            "print('numpy' in sys.modules)")
    out = python_code(code, check=True)
    assert out.stdout.strip() == "False"


def test_the_exports_describe_every_activation_and_loss():
    # (their prose lives with the exports; a name the table gains must be described there too)
    from bp_tui.study.export.network_description import ACTIVATION_WORDS, LOSS_MATH, LOSS_WORDS

    assert set(ACTIVATION_WORDS) == set(maths.ACTIVATIONS)
    assert set(LOSS_WORDS) == set(LOSS_MATH) == set(maths.LOSSES)


# --- the forms agree ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(maths.ACTIVATIONS))
def test_an_activations_kernel_text_computes_its_float_function_bit_for_bit(name):
    entry = maths.ACTIVATIONS[name]
    zs, outs = [f"z_{j}" for j in range(len(NETS))], [f"a_{j}" for j in range(len(NETS))]
    space = run_source(entry.kernel(zs, outs), dict(zip(zs, NETS)))
    expected = entry.layer(list(NETS))
    assert all(map(same, [space[a] for a in outs], expected)), [space[a] for a in outs]
    if entry.slope:
        for z, a in zip(NETS, expected):
            text = entry.kernel_slope.format(z="z_", a="a_")
            assert same(run_source([f"s_ = {text}"], {"z_": z, "a_": a})["s_"], entry.slope(z, a)), (z, a)


@pytest.mark.parametrize("name", list(maths.ACTIVATIONS))
def test_an_activations_numpy_form_computes_its_float_function(name):
    entry = maths.ACTIVATIONS[name]
    nets = np.array([NETS, [n / 3 for n in NETS]])  # two samples
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):  # no overflow either
        outs = entry.numpy(np, nets)
        slopes = entry.numpy_slope(np, nets, outs) if entry.numpy_slope else None
    for row, net_row in zip(outs, nets):
        expected = entry.layer(list(net_row))
        np.testing.assert_allclose(row, expected, rtol=1e-15, atol=0)
    if slopes is not None:
        expected = [[entry.slope(z, a) for z, a in zip(zr, ar)] for zr, ar in zip(nets.tolist(), outs.tolist())]
        np.testing.assert_allclose(slopes, expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("name", list(maths.LOSSES))
def test_a_losss_kernel_text_computes_its_float_functions_bit_for_bit(name):
    entry = maths.LOSSES[name]
    n = 3
    for t, o in PAIRS if entry.slope_is_delta else SIGNED_PAIRS:
        gap = [f"g_ = {entry.kernel_gap.format(t='t_', a='a_')}"] if entry.kernel_gap else []
        lines = gap + [f"q_ = {entry.kernel_term.format(t='t_', a='a_', n=n, g='g_')}",
                       f"s_ = {entry.kernel_slope.format(t='t_', a='a_', n=n, g='g_')}"]
        space = run_source(lines, {"t_": t, "a_": o})
        assert same(space["q_"], entry.term(t, o, n)), (t, o)
        assert same(space["s_"], entry.slope(t, o, n)), (t, o)


@pytest.mark.parametrize("name", list(maths.LOSSES))
def test_a_losss_numpy_forms_compute_its_float_functions(name):
    entry = maths.LOSSES[name]
    pairs = PAIRS if entry.slope_is_delta else SIGNED_PAIRS
    T, out = np.array([[t for t, _o in pairs]]), np.array([[o for _t, o in pairs]])
    with np.errstate(all="ignore"):  # (as every numpy caller runs them)
        terms, slopes = entry.numpy_terms(np, T, out), entry.numpy_slope(np, T, out)
    n = len(pairs)
    assert [float(x) for x in terms[0]] == pytest.approx([entry.term(t, o, n) for t, o in pairs], rel=1e-15)
    assert [float(x) for x in slopes[0]] == pytest.approx([entry.slope(t, o, n) for t, o in pairs], rel=1e-15)
    assert not any(math.isnan(x) for x in terms[0])  # an output of 0 gives inf, a target of 0 gives 0


RECORDED = [
    (dict(activation="tanh", loss="mse"), {
        "out_o1": "tanh(net_o1)", "dout_o1/dnet_o1": "1 - out_o1^2", "E_o1": "(target_o1 - out_o1)^2/2",
        "dE_total/dout_o1": "-2*(target_o1 - out_o1)/2", "out_o1+": "tanh(net_o1+)"}),
    (dict(activation="softmax", loss="cross-entropy"), {
        "out_o2": "e^net_o2 / (e^net_o1 + e^net_o2)", "out_o2+": "e^net_o2+ / (e^net_o1+ + e^net_o2+)",
        "delta_o1": "out_o1 - target_o1", "E_o1": "-target_o1*ln(out_o1)"}),
]


@pytest.mark.parametrize("settings, formulas", RECORDED, ids=["tanh-mse", "softmax-cross-entropy"])
def test_the_records_write_the_tables_formulas(settings, formulas):
    stepper = bp_tui.Stepper(parse(layers=(2, 2), samples=1, **settings))
    records = {step.quantity: step.formula for step in stepper.round_records(0)}
    assert {quantity: records[quantity] for quantity in formulas} == {
        quantity: f"{quantity} = {formula}" for quantity, formula in formulas.items()}
