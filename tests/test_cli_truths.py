"""Small truths in the CLI: where a run diverged, the trained biases, zeros without a sign, and help
that states its defaults."""

from __future__ import annotations

import csv
import io
import json

import pytest

import bp_tui
from bp_tui import cli
from bp_tui.engine.records import num, term, value_text
from bp_tui.engine.scenario import builtin_names
from bp_tui.study.export import export
from bp_tui.study.gradcheck import GradientReport, GradientRow, report_lines

from .helpers import bp_tui_here


# --- divergence -----------------------------------------------------------------------------------


def test_run_json_says_when_training_diverged(capsys):
    status, out, err = bp_tui_here("run", "too-fast", "--json")
    assert status == 0 and json.loads(out)["diverged_at"] == 10
    status, out, _err = bp_tui_here("run", "mazur", "--epochs", "3", "--json")
    assert json.loads(out)["diverged_at"] is None


def test_plain_run_says_when_and_where_it_diverged(capsys):
    status, out, err = bp_tui_here("run", "too-fast")
    assert status == 0
    assert out.splitlines()[1:3] == ["epochs: 10",
                                     "diverged at epoch 10, first E_total+ = inf in round 10; training stopped there"]
    assert err == ("bp-tui: built-in 'too-fast': diverged at epoch 10: a value became infinite or NaN, first "
                   "E_total+ = inf in round 10 (try a smaller learning_rate)\n")


def test_the_first_non_finite_value_is_the_first_in_the_rounds_order():
    from bp_tui.engine.divergence import first_non_finite

    scenario = bp_tui.load_scenario("too-fast")
    step = first_non_finite(scenario, 10)
    records = bp_tui.Stepper(scenario).round_records(9)
    assert step == next(s for s in records if not s.value < float("inf"))
    assert all(s.value < float("inf") for s in records[:step.index])


# --- biases ---------------------------------------------------------------------------------------


def test_plain_run_prints_the_biases_when_they_are_trained(capsys):
    _status, out, _err = bp_tui_here("run", "mazur-biases", "--epochs", "10")
    result = bp_tui.train(bp_tui.load_scenario("mazur-biases"), 10)
    assert out.splitlines()[-1] == f"b1={value_text(result.biases[0])}  b2={value_text(result.biases[1])}"
    assert out.splitlines()[-1] == "b1=0.336029728  b2=0.126331803"
    _status, out, _err = bp_tui_here("run", "mazur-per-neuron-bias", "--epochs", "1")
    assert out.splitlines()[-1].startswith("b_h1=0.345614323  b_h2=0.345022873  b_o1=0.530750719  b_o2=")
    _status, out, _err = bp_tui_here("run", "mazur", "--epochs", "10")
    assert "b1=" not in out  # fixed biases are the file's: nothing to report


# --- zero has no sign -----------------------------------------------------------------------------


def test_a_zero_prints_without_a_minus_sign():
    assert (value_text(-0.0), num(-0.0), term(-0.0)) == ("0.000000000", "0", "0")
    assert value_text(-1e-12) == "-1.000000000e-12"  # a tiny number keeps its sign: it is not 0


@pytest.mark.parametrize("name", ["relu", "xor-online", "symmetry"])
def test_no_minus_zero_in_trace_or_export(name, capsys):
    records = bp_tui.Stepper(bp_tui.load_scenario(name)).round_records(1)
    assert any(s.value == 0 and str(s.value) == "-0.0" for s in records)  # the engine does make -0.0
    _status, text, _err = bp_tui_here("trace", name, "--plain", "--epochs", "2")
    assert "-0.000000000" not in text
    scenario = bp_tui.load_scenario(name)
    assert "-0.000000000" not in export(scenario, "md", 2) and "-0.000000000" not in export(scenario, "tex", 2)
    values = [row["value"] for row in csv.DictReader(io.StringIO(export(scenario, "csv", 2)))]
    assert "-0.0" not in values and "0.0" in values
    assert "-0.0," not in export(scenario, "json", 2).replace(" ", "")


def test_the_gradient_check_prints_a_zero_without_a_sign():
    report = GradientReport((GradientRow("w1", -0.0, -0.0),), 1e-6, 1e-5)
    row = report_lines(report, bp_tui.load_scenario("mazur"))[1]
    assert "-0.0000000000e+00" not in row and row.count(" 0.0000000000e+00") == 2


# --- help states the defaults ---------------------------------------------------------------------


@pytest.mark.parametrize("command, default", [("run", "(default 1000)"), ("trace", "(default 1)")])
def test_help_states_the_default_number_of_epochs(command, default, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--epochs EPOCHS" in text and default in text


def test_every_built_in_runs_with_diverged_at_in_its_json(capsys):
    for name in builtin_names():
        _status, out, _err = bp_tui_here("run", name, "--epochs", "1", "--json")
        assert "diverged_at" in json.loads(out)
