"""`export --format numpy` (issue 16.2): a script that runs with only numpy and prints `run`'s errors."""

import ast
import io
import json
import math
import os
import re
import tokenize
from pathlib import Path

import numpy
import pytest

import bp_tui
from bp_tui.cli import main
from bp_tui.engine.scenario import builtin_names, parse_scenario
from bp_tui.study.export.numpy_script import numpy_script

from .helpers import python_code
from .scenario_factory import feature_grid, scenario_text

# Runs scripts in an interpreter that sees the standard library and numpy, nothing else (no site
# packages, so neither bp_tui nor Textual), and says so.
DRIVER = """
import contextlib, io, json, runpy, sys
sys.path.append(sys.argv[1])
results = []
for script, epochs in json.loads(sys.argv[2]):
    sys.argv = [script, str(epochs)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(script, run_name="__main__")
    results.append(out.getvalue())
try:
    import bp_tui
    isolated = False
except ImportError:
    isolated = True
print(json.dumps({"isolated": isolated, "textual": "textual" in sys.modules, "out": results}))
"""


@pytest.fixture(scope="module")
def numpy_only(tmp_path_factory):
    """A folder holding numpy (and the libraries its wheel brings) and nothing else."""
    folder = tmp_path_factory.mktemp("numpy-only")
    site = Path(numpy.__file__).resolve().parent.parent
    for name in ("numpy", "numpy.libs"):
        if (site / name).exists():
            os.symlink(site / name, folder / name)
    return folder


def run_scripts(numpy_only, tmp_path, scenarios, epochs):
    jobs = []
    for i, scenario in enumerate(scenarios):
        path = tmp_path / f"script{i}.py"
        path.write_text(numpy_script(scenario), encoding="utf-8")
        jobs.append((str(path), epochs))
    done = python_code(DRIVER, str(numpy_only), json.dumps(jobs), flags=("-I", "-S"), timeout=600)
    assert done.returncode == 0 and done.stderr == "", done.stderr  # no warning either
    result = json.loads(done.stdout)
    assert result["isolated"] and not result["textual"]
    return result["out"]


def agrees(printed: float, expected: float) -> bool:
    """The same error to 1e-12 (relative, for an error above 1); infinities and NaN alike."""
    if not math.isfinite(expected):
        return printed == expected or (math.isnan(printed) and math.isnan(expected))
    return abs(printed - expected) <= 1e-12 * max(1.0, abs(expected))


def check_against_run(scenario, output: str, epochs: int):
    result = bp_tui.train(scenario, epochs)
    lines = output.splitlines()
    printed = {int(m.group(1)): float(m.group(2)) for m in
               (re.fullmatch(r"epoch (\d+): error (\S+)", line) for line in lines) if m}
    last = result.diverged_at if result.diverged_at is not None else epochs
    every = max(1, epochs // 10)
    assert sorted(printed) == sorted({0, last} | set(range(every, last + 1, every)))
    for epoch, error in printed.items():
        assert agrees(error, result.errors[epoch]), (epoch, error, result.errors[epoch])
    diverged = [line for line in lines if line.startswith("diverged")]
    assert diverged == ([f"diverged at epoch {last}: a value became infinite or NaN"]
                        if result.diverged_at is not None else [])
    outputs = [json.loads(line.split("outputs ", 1)[1].replace("inf", "Infinity").replace("nan", "NaN"))
               for line in lines if line.startswith("sample ")]
    assert len(outputs) == len(result.outputs)
    for got, expected in zip(outputs, result.outputs):
        assert all(agrees(a, b) for a, b in zip(got, expected))


@pytest.mark.slow
def test_every_built_in_scenario_prints_the_errors_of_run(numpy_only, tmp_path):
    names = builtin_names()
    scenarios = [bp_tui.load_scenario(name) for name in names]
    outputs = run_scripts(numpy_only, tmp_path, scenarios, 1000)  # run's default
    for name, scenario, output in zip(names, scenarios, outputs):
        check_against_run(scenario, output, 1000)
    assert outputs[names.index("mazur")].splitlines()[0] == "epoch 0: error 0.2983711087600027"


@pytest.mark.slow
def test_every_kind_of_network(numpy_only, tmp_path):
    cases = feature_grid()
    scenarios = [parse_scenario(scenario_text(**kwargs), case_id) for case_id, kwargs in cases]
    extra = [dict(mode="online", hidden_deltas_use="updated", momentum=0.5),
             dict(mode="batch", bias="shared", momentum=0.9, layers=(3, 4, 2)),
             dict(activation=["relu", "linear"], loss="mse", train_biases=False)]
    scenarios += [parse_scenario(scenario_text(**kwargs), f"extra{i}") for i, kwargs in enumerate(extra)]
    outputs = run_scripts(numpy_only, tmp_path, scenarios, 40)
    for scenario, output in zip(scenarios, outputs):
        check_against_run(scenario, output, 40)


def test_the_script_is_short_and_written_for_its_scenario():
    text = numpy_script(bp_tui.load_scenario("mazur"))
    assert len(text.splitlines()) < 120
    assert "W = [\n    np.array([[0.15, 0.2], [0.25, 0.3]]),  # i1 i2 -> h1 h2\n" in text
    assert "nets.append(W[l] @ outs[l] + B[l])  # net = W · out_below + b" in text
    assert "MOMENTUM" not in text and "softmax" not in text and "tanh" not in text  # only what it uses
    batch = numpy_script(bp_tui.load_scenario("xor-batch"))
    assert "nets.append(outs[l] @ W[l].T + B[l])" in batch and "delta.T @ outs[l] / len(X)" in batch


HOSTILE = '''title = "x\\"\\"\\" + __import__('os').system('echo pwned') + \\"\\"\\"x"
description = """
import os
os.system("echo pwned")
"""
[network]
layers = [2, 2, 1]
activation = "sigmoid"
names = [["exec", "évil"], ["import", "h2"], ["os"]]
weights = [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]]
bias = "shared"
biases = [0.1, 0.2]
[training]
inputs = [[0.0, 1.0]]
targets = [[1.0]]
learning_rate = 0.5
'''


def code_tokens(text: str) -> list[str]:
    """The script without its comments: what Python runs."""
    return [t.string for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type != tokenize.COMMENT]


def test_nothing_from_the_scenario_text_becomes_code(tmp_path, numpy_only):
    scenario = parse_scenario(HOSTILE, "hostile.toml")
    text = numpy_script(scenario)
    assert "pwned" not in text and "__import__" not in text and "évil" not in text
    assert "# exec \\xe9vil -> import h2" in text  # names only in comments, escaped
    # the same network without its title, description and names gives the same code, comments aside
    plain = "\n".join(line for line in HOSTILE.split("[network]")[1].splitlines() if not line.startswith("names"))
    assert code_tokens(text) == code_tokens(numpy_script(parse_scenario("[network]" + plain, "hostile.toml")))
    ast.parse(text)
    output = run_scripts(numpy_only, tmp_path, [scenario], 5)[0]
    assert "pwned" not in output
    check_against_run(scenario, output, 5)


def test_cli_writes_the_script(tmp_path, capsys):
    target = tmp_path / "mazur.py"
    assert main(["export", "mazur", "--format", "numpy", "--epochs", "20", "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "EPOCHS = 20\n" in text and "python mazur.py [EPOCHS]      (default 20)" in text
    assert main(["export", "mazur", "--format", "numpy", "-o", str(target)]) == 2  # never over a file
    assert "--force" in capsys.readouterr().err and target.read_text(encoding="utf-8") == text
    assert main(["export", "mazur", "--format", "numpy"]) == 0
    assert "EPOCHS = 1000\n" in capsys.readouterr().out
