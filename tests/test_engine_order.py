"""The order of a round's sub-steps: the article's, pinned against its text, for every kind of network.

Forward pass neuron by neuron; the backward pass one phase per layer; each new weight right after
its gradient when the scenario says update = "after-gradient" (the article's way), with the same
numbers as update = "end"; a lone output's error written once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import bp_tui
from bp_tui.cli import main
from bp_tui.engine.records import phase_kind, phase_label
from bp_tui.engine.scenario import builtin_names

from .scenario_factory import feature_grid, scenario_text

# The article's text is not ours to ship: it is read from the project's shared folder, beside this
# checkout (as CI lays it out) or where the developers' machines keep it.
ARTICLE = next((path for folder in (Path(__file__).resolve().parents[2], Path("/work"))
                if (path := folder / "shared" / "reference" / "step-by-step-backpropagation.txt").is_file()),
               Path("/work/shared/reference/step-by-step-backpropagation.txt"))
# The forward figures the article prints, in the order it prints them (it skips net_h2 and net_o2).
ARTICLE_FORWARD = [("net_h1", "0.3775"), ("out_h1", "0.593269992"), ("out_h2", "0.596884378"),
                   ("net_o1", "1.105905967"), ("out_o1", "0.75136507"), ("out_o2", "0.772928465")]


def traced(capsys, *args) -> list[tuple[str, str, float]]:
    """(heading, quantity, value) for every sub-step `bp-tui trace --plain` prints."""
    assert main(["trace", *args, "--plain"]) == 0
    lines = capsys.readouterr().out.splitlines()
    found, heading = [], None
    for i, line in enumerate(lines):
        if line.startswith("== "):
            heading = line.strip("= ")
        elif line and not line.startswith(" "):
            value = lines[i + 2].split("=", 1)[1].split()[0]
            found.append((heading, line.split(" = ")[0], float(value)))
    return found


def agrees(value: float, printed: str) -> bool:
    return abs(value - float(printed)) <= 0.5 * 10.0 ** -len(printed.split(".")[1]) * (1 + 1e-9)


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the article's text is not on this machine")
def test_the_forward_figures_come_in_the_articles_order(capsys):
    article = ARTICLE.read_text(encoding="utf-8")
    where = [article.index(f"= {printed}$$") for _name, printed in ARTICLE_FORWARD]
    assert where == sorted(where)  # the article's own order, read from its text
    steps = traced(capsys, "mazur")
    shown = [next(i for i, (_h, _q, v) in enumerate(steps) if agrees(v, printed)) for _n, printed in ARTICLE_FORWARD]
    assert shown == sorted(shown)
    assert [steps[i][1] for i in shown] == [name for name, _printed in ARTICLE_FORWARD]
    forward = [q for heading, q, _v in steps if heading == "round 1: forward pass"]
    assert forward == ["net_h1", "out_h1", "net_h2", "out_h2", "net_o1", "out_o1", "net_o2", "out_o2"]


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the article's text is not on this machine")
def test_new_weights_come_where_the_article_computes_them(capsys):
    article = ARTICLE.read_text(encoding="utf-8")
    marks = [article.index(text) for text in ("w_5^+ = w_5", "w_8^+ = 0.561370121", "\nHidden Layer\n",
                                              "= 0.036350306$$", "= 0.000438568$$")]
    assert marks == sorted(marks)  # w5+..w8+, then the hidden layer: dE_total/dout_h1, dE_total/dw1
    steps = traced(capsys, "mazur")
    order = [q for _h, q, _v in steps]
    headings = list(dict.fromkeys(h for h, _q, _v in steps))
    assert headings == ["round 1: forward pass", "round 1: error", "round 1: backward pass · output layer",
                        "round 1: backward pass · hidden layer", "round 1: new error"]
    assert order[order.index("E_total") - 2:order.index("E_total") + 1] == ["E_o1", "E_o2", "E_total"]
    for p in ("w5", "w6", "w7", "w8", "w1", "w2", "w3", "w4"):
        assert order.index(f"{p}+") == order.index(f"dE_total/d{p}") + 1
    output_layer = [q for h, q, _v in steps if h.endswith("output layer")]
    assert {"w5+", "w6+", "w7+", "w8+"} <= set(output_layer)
    assert max(order.index(f"w{n}+") for n in (5, 6, 7, 8)) < order.index("dE_o1/dout_h1")
    assert order[-1] == "E_total+" and agrees(steps[-1][2], "0.291027774")


@pytest.mark.parametrize("name", ["mazur", "mazur-biases", "mazur-per-neuron-bias", "mazur-article-summary"])
def test_after_gradient_moves_records_and_changes_no_number(name):
    article = bp_tui.load_scenario(name)
    assert article.update == "after-gradient"
    at_end = article._replace(update="end")
    moved = bp_tui.Stepper(article).round_records(0)
    kept = bp_tui.Stepper(at_end).round_records(0)
    assert sorted((s.quantity, s.value, s.formula) for s in moved) == sorted(
        (s.quantity, s.value, s.formula) for s in kept)
    assert "update" not in {s.phase for s in moved}
    if article.hidden_deltas_use == "original":
        assert [s.phase for s in kept].count("update") == len(article.layout.all_weight_names()) + (
            len(article.layout.bias_names()) if article.train_biases else 0)
    else:  # the hidden deltas use the new values: at the end of the output layer's section, as a block
        order = [s.quantity for s in kept if s.phase == "backward-output"]
        assert order[-8:] == ["dE_total/dw5", "dE_total/dw6", "dE_total/dw7", "dE_total/dw8",
                              "w5+", "w6+", "w7+", "w8+"]
    assert bp_tui.Stepper(article).round_records(1)[-1].value == bp_tui.Stepper(at_end).round_records(1)[-1].value


def test_the_hidden_deltas_use_the_original_weights_while_new_ones_wait():
    steps = {s.quantity: s for s in bp_tui.Stepper(bp_tui.load_scenario("mazur")).round_records(0)}
    assert steps["w5+"].index < steps["dE_o1/dout_h1"].index
    assert steps["dE_o1/dout_h1"].substituted == "0.138498562*0.4"  # w5 = 0.4, not w5+ = 0.35891648
    assert "the new one applies at its end" in steps["w5+"].explanation
    summary = {s.quantity: s for s in bp_tui.Stepper(bp_tui.load_scenario("mazur-article-summary")).round_records(0)}
    assert summary["dE_o1/dout_h1"].formula == "dE_o1/dout_h1 = delta_o1 * w5+"
    assert summary["dE_o1/dout_h1"].substituted == "0.138498562*0.35891648"


@pytest.mark.parametrize("momentum, bias, hidden", [(0.0, "per-neuron", "original"), (0.7, "shared", "original"),
                                                    (0.7, "per-neuron", "updated"), (0.0, "none", "updated")])
def test_each_new_value_follows_its_gradient_in_every_sample(momentum, bias, hidden):
    text = scenario_text(layers=(2, 3, 3, 2), bias=bias, momentum=momentum, hidden_deltas_use=hidden,
                         samples=3, update="after-gradient")
    stepper = bp_tui.Stepper(bp_tui.parse_scenario(text, "x.toml"))
    stepper.goto_epoch(1)  # round 2: momentum's v is not the gradient any more
    steps = stepper.round_records(1)
    same = bp_tui.Stepper(bp_tui.parse_scenario(text.replace('"after-gradient"', '"end"'), "y.toml"))
    assert sorted((-1 if s.sample is None else s.sample, s.quantity, s.value) for s in steps) == sorted(
        (-1 if s.sample is None else s.sample, s.quantity, s.value) for s in same.round_records(1))
    news = [i for i, s in enumerate(steps) if s.quantity.endswith("+") and phase_kind(s.phase) == "backward"]
    assert len(news) == 3 * len(stepper.layout.all_weight_names() + stepper.layout.bias_names() * (bias != "none"))
    for i in news:
        name = steps[i].quantity[:-1]
        gradient = i - (2 if momentum else 1)
        assert steps[gradient].quantity == f"dE_total/d{name}" and steps[gradient].sample == steps[i].sample
        if momentum:
            assert steps[i - 1].quantity == f"v_{name}"


def test_batch_mode_refuses_after_gradient_in_one_line(tmp_path, capsys):
    path = tmp_path / "batch.toml"
    path.write_text(scenario_text(mode="batch", update="after-gradient"), encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{path}: training.update: " in err and "mode = \"online\"" in err
    with pytest.raises(bp_tui.ScenarioError, match=r"^x\.toml: training\.update: must be one of end, after-gradient"):
        bp_tui.parse_scenario(scenario_text(update="sometimes"), "x.toml")


def test_a_softmax_layer_computes_every_net_before_its_outputs():
    steps = bp_tui.Stepper(bp_tui.load_scenario("softmax-cross-entropy")).round_records(0)
    forward = [s.quantity for s in steps if s.phase == "forward" and s.sample == 0]
    assert forward == ["net_h1", "out_h1", "net_h2", "out_h2", "net_h3", "out_h3",
                       "net_o1", "net_o2", "net_o3", "out_o1", "out_o2", "out_o3"]
    first = next(s for s in steps if s.quantity == "out_o1")
    assert first.explanation.startswith("Softmax needs the net input of every neuron in its layer")


@pytest.mark.parametrize("name", ["xor-online", "xor-batch", "relu", "symmetry"])
def test_one_output_writes_its_error_once(name):
    scenario = bp_tui.load_scenario(name)
    steps = bp_tui.Stepper(scenario).round_records(0)
    errors = [s for s in steps if s.phase == "error" and s.sample is not None]
    assert [s.quantity for s in errors] == ["E_total"] * len(scenario.inputs)
    assert errors[0].formula == "E_total = 1/2*(target_o1 - out_o1)^2" and "whole error" in errors[0].explanation
    known = bp_tui.engine.layout.quantity_names(scenario.layout, scenario.loss, scenario.train_biases,
                                                scenario.momentum, len(scenario.inputs), scenario.activations,
                                                scenario.mode)
    assert "E_o1" not in known and {s.quantity for s in steps} <= known
    text = scenario_text(layers=(2, 2, 1)) + '\n[[expect]]\nquantity = "E_o1"\nepoch = 1\nvalue = 0.5\n'
    with pytest.raises(bp_tui.ScenarioError, match=r"expect\[0\]\.quantity: .*its error is E_total"):
        bp_tui.parse_scenario(text, "x.toml")


def test_phase_ids_name_themselves():
    assert phase_label("forward") == "forward pass" and phase_label("evaluate") == "new error"
    assert phase_label("backward-output") == "backward pass · output layer"
    assert phase_label("backward-hidden") == "backward pass · hidden layer"
    assert phase_label("backward-hidden-3") == "backward pass · hidden layer 3"
    assert phase_label("backward") == "backward pass"  # the one backward phase of scores saved earlier
    deep = bp_tui.Stepper(bp_tui.load_scenario("deep")).round_records(0)
    assert list(dict.fromkeys(phase_label(s.phase) for s in deep)) == [
        "forward pass", "error", "backward pass · output layer", "backward pass · hidden layer 2",
        "backward pass · hidden layer 1", "update", "new error"]
    assert {s.layer for s in deep if s.phase == "backward-hidden-2"} == {2}


EXPLAINED = [(name, {}) for name in builtin_names()] + [(case_id, kwargs) for case_id, kwargs in feature_grid()[::5]]


@pytest.mark.parametrize("name, kwargs", EXPLAINED, ids=[n for n, _k in EXPLAINED])
def test_every_explanation_starts_with_a_capital_and_no_neuron_name(name, kwargs):
    scenario = bp_tui.parse_scenario(scenario_text(**kwargs), "x.toml") if kwargs else bp_tui.load_scenario(name)
    stepper = bp_tui.Stepper(scenario)
    neurons = {n.lower() for layer in scenario.names for n in layer}
    for epoch in range(2 if stepper.can_enter(1) else 1):
        for step in stepper.round_records(epoch):
            first = re.split(r"[\s':,]", step.explanation, maxsplit=1)[0]
            assert step.explanation[:1].isupper() and first.lower() not in neurons, (step.quantity, step.explanation)
