"""The round as the checker sees it: every sub-step's formula read back, giving the engine's value."""

import pytest

from bp_tui.engine.scenario import builtin_names, load_scenario
from bp_tui.engine.stepper import Stepper
from bp_tui.study import expression
from bp_tui.study.round_model import RoundModel


@pytest.mark.parametrize("name", builtin_names())
def test_every_sub_step_of_every_built_in_scenario_can_be_recomputed(name):
    """The checker reads each record's formula back and must get the engine's value from it."""
    stepper = Stepper(load_scenario(name))
    for number in (1, 2):
        model = RoundModel(stepper, number)
        unread = [n.step.formula for n in model.nodes if n.step is not None and n.tree is None]
        assert unread == []


def test_a_formula_read_back_and_written_again():
    tree = expression.parse("dE_total/dout_o1 * dout_o1/dnet_o1")
    assert expression.names(tree) == ["dE_total/dout_o1", "dout_o1/dnet_o1"]
    assert expression.show(tree) == "dE_total/dout_o1 * dout_o1/dnet_o1"
    values = {"dE_total/dout_o1": 0.74136507, "dout_o1/dnet_o1": -0.5}
    assert expression.show(tree, values.get) == "0.74136507*(-0.5)"
    tree = expression.parse("-(target_o1 - out_o1)")
    assert expression.evaluate(tree, {"target_o1": 0.01, "out_o1": 0.75}.get) == 0.74
    assert expression.show(expression.parse("1/(1 + e^(-net_h1))")) == "1/(1 + e^(-net_h1))"
    assert expression.show(expression.parse("e^net_o1 / (e^net_o1 + e^net_o2)")) == "e^net_o1/(e^net_o1 + e^net_o2)"


@pytest.mark.parametrize("text", ["w1 +* i1", "w1 i1", "(w1", "f(w1)", "w1 ? 2"])
def test_a_formula_of_another_shape_is_refused(text):
    with pytest.raises(expression.FormulaError):
        expression.parse(text)


def test_a_name_in_another_samples_formula_reads_that_samples_values():
    """Online training: sample 2's forward pass reads the weights sample 1's update left."""
    stepper = Stepper(load_scenario("xor-online"))
    model = RoundModel(stepper, 1)
    second = model.node_of("net_h1", 1)
    source = model.nodes[second.reads["w1"]]
    assert (source.name, source.sample) == ("w1+", 0)
    assert model.nodes[model.node_of("net_h1", 0).reads["w1"]].kind == "given"
