"""Records read correctly for any values, and [[expect]] entries name only what a round computes."""

import re

import pytest

import bp_tui

from .scenario_factory import feature_grid, scenario_text


def test_negative_values_are_bracketed_in_substitutions():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("too-fast"))
    stepper.goto_epoch(3)
    for step in stepper.round_records(2):
        assert "- -" not in step.substituted and "--" not in step.substituted, step


@pytest.mark.parametrize("quantity, settings", [
    ("E_mean", {}),                                    # batch only
    ("dE_mean/dw1", {}),                               # batch only
    ("E_mean+", {"samples": 1}),                       # several samples only
    ("dE_total/dout_o1", {"activation": "softmax", "loss": "cross-entropy", "layers": (2, 3)}),
    ("dout_o1/dnet_o1", {"activation": "softmax", "loss": "cross-entropy", "layers": (2, 3)}),
    ("v_w1", {}),                                      # momentum only
    ("dE_total/db1", {"train_biases": False}),
])
def test_expect_naming_a_quantity_the_round_never_computes_is_refused(quantity, settings):
    text = scenario_text(**settings) + f'\n[[expect]]\nquantity = "{quantity}"\nepoch = 1\nvalue = 0.5\n'
    with pytest.raises(bp_tui.ScenarioError, match=r"expect\[0\]\.quantity"):
        bp_tui.parse_scenario(text, "x.toml")


def test_every_computed_quantity_is_accepted_as_an_expect():
    for settings in ({}, {"mode": "batch", "momentum": 0.5, "samples": 3},
                     {"activation": "softmax", "loss": "cross-entropy", "bias": "per-neuron"}):
        sc = bp_tui.parse_scenario(scenario_text(**settings), "x.toml")
        names = {s.quantity for s in bp_tui.Stepper(sc).round_records(0)}
        text = scenario_text(**settings) + "".join(
            f'\n[[expect]]\nquantity = "{q}"\nepoch = 1\nvalue = 0.5\n' for q in sorted(names))
        assert len(bp_tui.parse_scenario(text, "x.toml").expects) == len(names)


def test_an_exact_zero_can_be_checked_with_decimals():
    text = scenario_text() + '\n[[expect]]\nquantity = "net_h1"\nepoch = 1\nvalue = 0.0\ndecimals = 12\n'
    expect = bp_tui.parse_scenario(text, "x.toml").expects[0]
    assert expect.decimals == 12 and expect.holds(0.0) and not expect.holds(1e-9)
    loose = bp_tui.parse_scenario(text.replace("decimals = 12\n", ""), "x.toml").expects[0]
    assert loose.decimals == 1 and loose.holds(0.04)


@pytest.mark.parametrize("name", ["total", "mean", "w3", "b1", "b_h1"])
def test_neuron_names_that_would_make_formulas_ambiguous_are_refused(name):
    text = scenario_text(layers=(2, 2)).replace("[training]", f'names = [["x1", "x2"], ["{name}", "y2"]]\n[training]')
    with pytest.raises(bp_tui.ScenarioError, match=r"network\.names\[1\]\[0\]"):
        bp_tui.parse_scenario(text, "x.toml")


def test_value_text_keeps_results_readable_at_every_size():
    from bp_tui.engine.records import value_text

    assert value_text(0.3775) == "0.377500000"
    assert value_text(3.510187782978859e-05) == "3.510187783e-05"
    assert value_text(1.2e30) == "1.200000000e+30"
    assert value_text(-2.5e12) == "-2.500000000e+12"
    assert value_text(float("inf")) == "inf"


# --- what a record touches (the rule in the Step docstring) ---------------------------------------

TOUCHED_CASES = [(name, None) for name in bp_tui.engine.scenario.builtin_names()] + [
    (case_id, kwargs) for case_id, kwargs in feature_grid()[1::6]] + [
    ("after-gradient-momentum", dict(layers=(2, 3, 3, 2), momentum=0.5, bias="per-neuron", update="after-gradient")),
    ("updated-shared", dict(layers=(3, 2, 2, 2), hidden_deltas_use="updated", update="after-gradient"))]


def names_read(formula: str, neurons: set[str], params: set[str]) -> tuple[set[str], set[str]]:
    """The neurons and the weights/biases a formula names: i1, out_h1, delta_o1, target_o1, w5, db1, v_w5..."""
    found_n, found_p = set(), set()
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", formula):
        head, _, rest = token.partition("_")
        if token in params:
            found_p.add(token)
        elif token in neurons:
            found_n.add(token)
        elif token[:1] == "d" and token[1:] in params:  # dw5, db_h1: a gradient's name
            found_p.add(token[1:])
        elif head in ("net", "out", "delta", "target", "E", "dE", "dout", "dnet") and rest in neurons:
            found_n.add(rest)
        elif head == "v" and rest in params:
            found_p.add(rest)
    return found_n, found_p


def parameter_of(quantity: str, params: set[str]) -> str | None:
    """w5 for dE_total/dw5, dE_mean/dw5, v_w5 and w5+; None for anything else."""
    for prefix in ("dE_total/d", "dE_mean/d", "v_"):
        if quantity.startswith(prefix) and quantity[len(prefix):] in params:
            return quantity[len(prefix):]
    return quantity[:-1] if quantity.endswith("+") and quantity[:-1] in params else None


@pytest.mark.parametrize("case_id, kwargs", TOUCHED_CASES, ids=[c[0] for c in TOUCHED_CASES])
def test_records_touch_exactly_what_their_formula_reads_or_the_path_they_travel(case_id, kwargs):
    sc = bp_tui.load_scenario(case_id) if kwargs is None else bp_tui.parse_scenario(scenario_text(**kwargs), "x.toml")
    layout = sc.layout
    names = layout.neuron_names
    neurons = {n for layer in names for n in layer}
    weights, biases = set(layout.all_weight_names()), set(layout.bias_names())
    params = weights | biases
    feeds = {}  # each weight or bias: the neurons it joins, the one it feeds first
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            for k, w in enumerate(row):
                feeds[w] = (names[l + 1][j], names[l][k])
        for j, to in enumerate(names[l + 1]):
            b = layout.bias_name(l, j)
            if b is not None:
                feeds[b] = names[l + 1] if sc.bias == "shared" else (to,)
    stepper = bp_tui.Stepper(sc)
    steps = stepper.round_records(0) + (stepper.round_records(1) if stepper.can_enter(1) else [])
    for step in steps:
        read_n, read_p = names_read(step.formula, neurons, params)
        where = (step.quantity, step.formula, step.neurons, step.params)
        assert len(set(step.neurons)) == len(step.neurons) and len(set(step.params)) == len(step.params), where
        assert read_n <= set(step.neurons) and read_p <= set(step.params), where
        p = parameter_of(step.quantity, params)
        hidden = step.quantity.startswith("dE_total/dout_") and step.quantity[14:] not in names[-1]
        if p is not None:  # about one parameter: it, and the neurons it joins
            assert step.params == (p,) and step.neurons == tuple(dict.fromkeys(feeds[p])), where
        elif hidden:  # the path out of a hidden neuron: every weight into the layer above, and that layer
            own = step.quantity[14:]
            L = next(i for i, layer in enumerate(names) if own in layer)
            path = {w for w in weights if feeds[w] == (feeds[w][0], own) and feeds[w][0] in names[L + 1]}
            assert step.neurons[0] == own and set(step.neurons) == {own, *names[L + 1]}, where
            assert set(step.params) == path and len(path) == len(names[L + 1]), where
        elif step.quantity in ("E_mean", "E_mean+"):  # the training set's error: every output neuron
            assert set(step.neurons) == set(names[-1]) and step.params == (), where
        else:
            assert set(step.neurons) == read_n and set(step.params) == read_p, where
            own = [n for n in re.findall(r"[A-Za-z0-9_]+", step.quantity) for n in [n.partition("_")[2] or n]
                   if n in neurons]
            assert not own or step.neurons[0] == own[-1], where
