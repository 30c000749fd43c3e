"""`bp-tui gradcheck`: every built-in scenario passes, a wrong gradient fails, and the table says why."""

import math

import pytest

import bp_tui
from bp_tui.study import gradcheck
from bp_tui.study.gradcheck import (GradientReport, GradientRow, backprop_gradients, check_gradients,
                              check_scenario, report_lines, verdict)
from bp_tui.engine.network import Network
from bp_tui.engine.scenario import builtin_names
from bp_tui.engine.training import initial_state

from .helpers import bp_tui_here
from .scenario_factory import scenario_text


@pytest.mark.parametrize("name", builtin_names())
def test_every_built_in_scenario_passes(name, capsys):
    scenario = bp_tui.load_scenario(name)
    code, out, err = bp_tui_here("gradcheck", name)
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[-1].startswith("PASS: ") and "threshold 1e-05" in lines[-1] and "epsilon 1e-06" in lines[-1]
    table = {line.split()[0]: line for line in lines[2:]
             if line.split() and line.split()[-1] in ("ok", "ok*")}
    expected = scenario.layout.all_weight_names()
    if scenario.train_biases:
        expected += scenario.layout.bias_names()
    assert sorted(table) == sorted(expected)  # every weight, and every bias that is trained


def test_the_table_has_both_gradients_and_the_relative_error(capsys):
    code, out, _err = bp_tui_here("gradcheck", "mazur")
    assert code == 0
    header, w5 = out.splitlines()[1], next(l for l in out.splitlines() if l.startswith("w5 "))
    assert header.split() == ["parameter", "joins", "backprop", "numerical", "rel.", "error", "result"]
    cells = w5.split()
    assert cells[1:4] == ["h1", "->", "o1"]
    assert abs(float(cells[4]) - 0.082167041) < 1e-9 and abs(float(cells[5]) - 0.082167041) < 1e-9
    assert float(cells[6]) < 1e-5 and cells[7] == "ok"
    assert "b1, b2 are fixed" in out  # mazur's biases are not trained, so they are not in the table


@pytest.mark.parametrize("bias", ["shared", "per-neuron"])
def test_trained_biases_are_checked_too(bias, tmp_path, capsys):
    path = tmp_path / "biases.toml"
    path.write_text(scenario_text(layers=(2, 3, 2), bias=bias, train_biases=True, mode="batch"))
    code, out, _err = bp_tui_here("gradcheck", str(path))
    names = bp_tui.load_scenario(path).layout.bias_names()
    assert code == 0 and names and all(f"\n{b} " in out for b in names)
    assert "bias of h1" in out


def test_after_training(capsys):
    code, out, _err = bp_tui_here("gradcheck", "mazur", "--epochs", "500")
    assert code == 0 and "after 500 epoch(s) of training" in out.splitlines()[0]
    scenario = bp_tui.load_scenario("mazur")
    calls = []
    later = check_scenario(scenario, 500, progress=lambda done, total: calls.append((done, total)))
    start = check_scenario(scenario, 0)
    assert later.passed and later.rows[0].backprop != start.rows[0].backprop  # checked somewhere else
    assert calls == [(k, 8) for k in range(1, 9)]  # a worker thread can show how far it got


def test_a_wrong_gradient_fails_through_the_python_function():
    scenario = bp_tui.load_scenario("mazur")
    net = Network(scenario)
    params = initial_state(net).params
    weights, biases = backprop_gradients(net, params)
    weights[1][0][0] *= 1.02  # dE/dw5 off by 2%
    report = check_gradients(net, params, gradients=(weights, biases))
    assert not report.passed
    assert [row.name for row in report.failures] == ["w5"] and report.worst.name == "w5"
    assert verdict(report).startswith("FAIL: 1 of 8 gradients disagree") and "w5" in verdict(report)
    row = next(line for line in report_lines(report, scenario) if line.startswith("w5 "))
    assert row.split()[-1] == "FAIL"


def test_a_wrong_gradient_fails_through_the_cli(monkeypatch, capsys):
    right = gradcheck.backprop_gradients

    def off_by_a_little(net, params):
        weights, biases = right(net, params)
        weights[0][0][0] += 1e-4  # dE/dw1 (0.000438568) becomes 0.000538568
        return weights, biases

    monkeypatch.setattr(gradcheck, "backprop_gradients", off_by_a_little)
    code, out, _err = bp_tui_here("gradcheck", "mazur")
    assert code == 1
    assert next(l for l in out.splitlines() if l.startswith("w1 ")).split()[-1] == "FAIL"
    assert out.splitlines()[-1].startswith("FAIL: 1 of 8")


def test_noise_allowance_only_forgives_differences_below_rounding_noise():
    tiny = GradientRow("w1", 0.0, 3e-12, noise=1e-9)
    assert tiny.relative_error > gradcheck.THRESHOLD and tiny.ok and tiny.within_noise
    real = GradientRow("w1", 1e-4, 1.1e-4, noise=1e-9)
    assert not real.ok and not real.within_noise
    broken = GradientRow("w1", math.nan, 1.0, noise=1e-9)
    assert not broken.ok
    report = GradientReport((tiny, real, broken), 1e-6, 1e-5)
    assert report.worst is broken and not report.passed


def test_a_diverged_run_cannot_pass(tmp_path, capsys):
    path = tmp_path / "fast.toml"
    path.write_text(scenario_text(activation="linear", learning_rate=900.0, samples=1))
    with pytest.raises(gradcheck.Diverged, match="diverged at epoch"):
        check_scenario(bp_tui.load_scenario(path), 200)
    code, out, _err = bp_tui_here("gradcheck", str(path), "--epochs", "200")
    assert code == 1 and out.splitlines()[-1].startswith("FAIL: ") and "diverged" in out


@pytest.mark.parametrize("args, words", [
    (["gradcheck", "nosuch"], "nosuch"),
    (["gradcheck", "mazur", "--epochs", "-3"], "epochs"),
    (["gradcheck"], "scenario"),
])
def test_bad_input_is_one_line_and_exit_2(args, words, capsys):
    code, _out, err = bp_tui_here(*args)
    assert code == 2 and len(err.strip().splitlines()) == 1 and words in err and "Traceback" not in err
