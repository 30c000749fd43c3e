"""The headless CLI as a user meets it: output, exit status, and one-line errors for bad input."""

import json
import os
import subprocess
import sys

import pytest

from .helpers import bp_tui_here as bp
from .helpers import bp_tui_process
from .scenario_factory import scenario_text


def test_run_json_is_one_object_at_full_precision():
    out = bp("run", "mazur", "--epochs", "10000", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"epochs", "errors", "weights", "biases", "outputs", "diverged_at"}
    assert data["epochs"] == 10000 and len(data["errors"]) == 10001 and data["diverged_at"] is None
    assert data["errors"][1] == 0.29102777369359933
    assert data["weights"][0][0][0] == 0.3785099883501318
    assert data["biases"] == [0.35, 0.6]


def test_run_summary_shows_the_article_figures():
    out = bp("run", "mazur", "--epochs", "10000")
    assert out.returncode == 0
    assert "0.298371109" in out.stdout
    assert "3.510187783e-05" in out.stdout
    assert "0.015913620, 0.984064274" in out.stdout


def test_trace_prints_every_sub_step_plainly():
    out = bp("trace", "mazur", "--plain")
    assert out.returncode == 0
    text = out.stdout
    for figure in ("0.377500000", "0.593269992", "0.298371109", "0.082167041", "0.358916480",
                   "0.149780716", "0.299502287", "0.291027774"):
        assert figure in text
    assert "net_h1 = w1*i1 + w2*i2 + b1*1" in text
    assert "\x1b" not in text and "─" not in text
    assert text.count("\n    = ") == 2 * 46  # 46 sub-steps, each with substitution and value


def test_trace_marks_article_figures():
    text = bp("trace", "mazur", "--plain").stdout
    assert "    = 0.593269992  ✓ article 0.593269992\n" in text


def test_list_and_show():
    listed = bp("list")
    assert listed.returncode == 0
    assert any(line.startswith("mazur ") for line in listed.stdout.splitlines())
    shown = bp("show", "mazur")
    assert shown.returncode == 0 and "[network]" in shown.stdout
    assert bp("show", "no-such").returncode == 2


def test_validate_reports_each_bad_file(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(scenario_text())
    bad = tmp_path / "bad.toml"
    bad.write_text(scenario_text().replace("learning_rate = 0.5", "learning_rate = -1"))
    out = bp("validate", str(good), str(bad))
    assert out.returncode == 2
    assert "good.toml: ok" in out.stdout
    assert out.stderr.strip() == f"bp-tui: {bad}: training.learning_rate: must be > 0.0, got -1"


BAD_INPUTS = {
    "missing file": (None, "no such file"),
    "folder": ("<dir>", "is a folder"),
    "not toml": ("layers = [2,\n", "not valid TOML"),
    "binary": (b"\x00\x01\x02\xff", "binary"),
    "not utf-8": (b"title = '\xff\xfe'", "not UTF-8"),
    "wrong shape": (scenario_text(layers=(2, 2)).replace("inputs = [[", "inputs = [[1.0, "), "training.inputs[0]"),
    "wrong type": (scenario_text().replace('loss = "half-sse"', "loss = 3"), "training.loss"),
    "nan": (scenario_text().replace("learning_rate = 0.5", "learning_rate = nan"), "training.learning_rate"),
    "inf": (scenario_text().replace("momentum = 0.0", "momentum = inf"), "training.momentum"),
    "unknown key": (scenario_text().replace("[training]", "[training]\nlearnin_rate = 1"),
                    "training.learnin_rate: unknown key"),
    "out of range": (scenario_text().replace("momentum = 0.0", "momentum = 1.0"), "training.momentum"),
    "absurd size": (scenario_text().replace("layers = [2, 3, 2]", "layers = [2, 100000000, 2]"),
                    "network.layers[1]: must be between 1 and 64"),
    "too many layers": (scenario_text().replace("layers = [2, 3, 2]", "layers = " + str([2] * 40)),
                        "network.layers: has 40 entries; the limit is 16"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_no_traceback(tmp_path, case):
    content, expected = BAD_INPUTS[case]
    path = tmp_path / "scenario.toml"
    if content == "<dir>":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    # The headless commands in this process (an exception would fail the test), the app in its own.
    for args in (["run", str(path), "--epochs", "1"], ["validate", str(path)], ["trace", str(path)], [str(path)]):
        out = bp_tui_process(*args) if args == [str(path)] else bp(*args)
        status, stdout, stderr = out.returncode, out.stdout, out.stderr
        assert status == 2, (args, stderr)
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in stderr, stderr
        assert str(path) in lines[0] and expected in lines[0], lines[0]
        assert stdout == ""


def test_bad_epochs_argument_is_a_usage_error():
    out = bp("run", "mazur", "--epochs", "many")
    assert out.returncode == 2 and "whole number" in out.stderr and "Traceback" not in out.stderr


def test_divergence_is_reported_not_raised(tmp_path):
    path = tmp_path / "fast.toml"
    path.write_text(scenario_text(layers=(2, 2), activation="linear", bias="none", learning_rate=50.0))
    out = bp("run", str(path), "--epochs", "500", "--json")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["epochs"] < 500
    assert "diverged at epoch" in out.stderr


def test_installed_command_works_from_any_folder(tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "bp-tui")
    out = subprocess.run([exe, "run", "mazur", "--epochs", "1"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0 and "0.291027774" in out.stdout
