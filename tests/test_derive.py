"""The chain rule written out (issue 16.1): each derivation ends on the record's value, and the
nudge check agrees with the sum of the paths (or says why not)."""

import re

import pytest

import bp_tui
from bp_tui.engine.records import value_text
from bp_tui.engine.scenario import builtin_names, parse_scenario
from bp_tui.study.derive import derive
from bp_tui.study.derive_text import pretty, text_lines
from bp_tui.study.gradcheck import THRESHOLD

from .scenario_factory import feature_grid, scenario_text

DERIVATIVE = re.compile(r"d\w*/d|delta_|v_")  # the quantities that are rates of change


def round_records(scenario, epoch=0):
    stepper = bp_tui.Stepper(scenario)
    stepper.extend_to(epoch)
    return stepper, stepper.round_records(epoch)


def close(a, b):
    return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))


def assert_derivations_end_on_the_records(scenario, epoch=0):
    stepper, records = round_records(scenario, epoch)
    derived = 0
    for step in records:
        derivation = derive(step, stepper)
        if not DERIVATIVE.match(step.quantity):
            assert derivation is None, step.quantity
            continue
        assert derivation is not None, step.quantity
        assert close(derivation.value, step.value), (step.quantity, step.sample, derivation.value, step.value)
        last = [line for line in derivation.lines if line.kind == "math"][-1]
        assert last.rhs == value_text(derivation.value)
        derived += 1
    assert derived > 0


@pytest.mark.parametrize("name", builtin_names())
def test_every_derivation_of_round_1_ends_on_the_records_value(name):
    assert_derivations_end_on_the_records(bp_tui.load_scenario(name))


@pytest.mark.parametrize("case_id, kwargs", feature_grid()[::3], ids=[c for c, _k in feature_grid()[::3]])
def test_derivations_of_every_kind_of_network_in_its_second_round(case_id, kwargs):
    # round 2 starts from trained weights, and online samples after the first from updated ones
    assert_derivations_end_on_the_records(parse_scenario(scenario_text(**kwargs), case_id), epoch=1)


def nudge_checks(scenario):
    stepper, records = round_records(scenario)
    hidden = [s for s in records if s.quantity.startswith("dE_total/dout_") and s.layer < len(scenario.layers) - 1]
    assert hidden
    totals = {s.sample: s.value for s in records if s.quantity == "E_total"}
    return [(step, derive(step, stepper).check, totals[step.sample]) for step in hidden]


@pytest.mark.parametrize("name", [n for n in builtin_names() if n != "mazur-article-summary"])
def test_the_nudge_agrees_with_the_sum_of_the_paths(name):
    for step, check, error in nudge_checks(bp_tui.load_scenario(name)):
        assert close(check.error, error)  # the layers above, recomputed, give the forward pass's error
        assert check.paths == step.value
        assert abs(check.numeric - check.paths) <= THRESHOLD * max(abs(check.numeric), abs(check.paths)) \
            or abs(check.numeric - check.paths) <= check.noise
        assert check.agrees
        assert "they agree" in check.lines()[-1]


def test_the_nudge_shows_that_updated_weights_give_no_derivative():
    # the article's summary code used w5+.. for the hidden deltas: the paths no longer add up to the slope
    checks = nudge_checks(bp_tui.load_scenario("mazur-article-summary"))
    for step, check, _error in checks:
        assert not check.agrees and check.updated
    step, check, _error = checks[0]
    assert step.quantity == "dE_total/dout_h1"
    assert value_text(check.numeric) == "0.036350306"  # the true slope, as in the article's worked pass
    assert value_text(check.paths) == "0.030229739"
    assert "w5+, w7+" in check.lines()[-1] and "not the derivative" in check.lines()[-1]


def mazur_lines(quantity):
    stepper, records = round_records(bp_tui.load_scenario("mazur"))
    step = next(s for s in records if s.quantity == quantity)
    return text_lines(derive(step, stepper))


def test_the_error_slope_is_written_out_with_the_articles_numbers():
    lines = mazur_lines("dE_total/dout_o1")
    assert "∂E_total/∂out_o1 = ∂E_o1/∂out_o1" in lines
    assert "E_o1 = ½·(target_o1 − out_o1)²" in lines
    assert "∂E_o1/∂out_o1 = 2·½·(target_o1 − out_o1)·(−1)" in lines
    assert lines[-3:] == ["              = −(target_o1 − out_o1)", "              = −(0.01 − 0.75136507)",
                          "              = 0.741365070"]


def test_a_gradient_names_the_input_of_its_weight():
    lines = mazur_lines("dE_total/dw5")
    assert "net_o1 = w5·out_h1 + w6·out_h2 + b2·1" in lines
    assert "∂net_o1/∂w5 = out_h1" in lines
    assert lines[-2:] == ["             = 0.138498562·0.593269992", "             = 0.082167041"]


def test_a_hidden_neurons_paths_add_up_and_are_checked_by_a_nudge():
    lines = mazur_lines("dE_total/dout_h1")
    assert "∂E_total/∂out_h1 = ∂E_total/∂net_o1·∂net_o1/∂out_h1 + ∂E_total/∂net_o2·∂net_o2/∂out_h1" in lines
    assert "                 = 0.055399425 + (−0.019049118)" in lines
    assert "                 = 0.036350306" in lines
    assert lines[-1].startswith("  sum of the paths = 0.036350306: they agree")
    assert any(line.startswith("  E_total(out_h1 + ε) = 0.29837114") for line in lines)


@pytest.mark.parametrize("name, quantity, words", [
    ("tanh", "dout_h1/dnet_h1", "1 − out_h1²"),
    ("relu", "dout_h1/dnet_h1", "1 if net_h1 > 0, else 0"),
    ("too-fast", "dout_h1/dnet_h1", "slope 1 everywhere"),
    ("mse", "dE_total/dout_o1", "−2·(target_o1 − out_o1)/2"),
    ("softmax-cross-entropy", "delta_o1", "out_o1 − target_o1"),
    ("xor-batch", "dE_mean/dw5", "(sum of ∂E_total/∂w5 over the 4 samples)/4"),
    ("momentum", "v_w5", "v_w5 = μ·v_w5 + ∂E_total/∂w5"),
    ("mazur-biases", "dE_total/db1", "δ_h1·1 + δ_h2·1"),
    ("mazur-article-summary", "dE_o1/dout_h1", "δ_o1·w5+"),
])
def test_each_activation_loss_and_setting_has_its_own_derivation(name, quantity, words):
    stepper, records = round_records(bp_tui.load_scenario(name))
    step = next(s for s in records if s.quantity == quantity)
    assert any(words in line for line in text_lines(derive(step, stepper)))


def test_neuron_names_that_look_like_symbols_are_kept():
    assert pretty("mu*v_w5 + eta", frozenset({"eta"})) == "μ·v_w5 + eta"
    assert pretty("delta_o1*3.5e-05 - x^2") == "δ_o1·3.5e-05 − x²"
