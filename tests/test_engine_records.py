"""Records read correctly for any values, and [[expect]] entries name only what a round computes."""

import pytest

import bp_tui

from .scenario_factory import scenario_text


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
