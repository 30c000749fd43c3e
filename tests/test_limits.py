"""Everything the validator accepts works: the largest scenario each limit allows loads and steps in
bounded memory, one step past each limit is refused in one line, and long headless work streams,
shows its progress on a terminal, asks before it starts, and stops cleanly on ctrl+c."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bp_tui

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from limit_scenarios import AT_LIMIT, ISSUE, PAST_LIMIT  # noqa: E402
from limits_bench import OWN_PEAK_KB  # noqa: E402
from pty_bench import Terminal  # noqa: E402

from .helpers import Ran, bp_tui_here, exit_status, interruptible, process_state  # noqa: E402

MB = 2**20
MOVES = ["next"] * 5 + ["next_phase"] * 2 + ["prev_phase", "back", "finish_round", "next", "back", "prev_phase"]


# For a child's code: each command line in argv[1] (JSON) through bp-tui's main, one after the other,
# each with its own stdout and stderr; their exit statuses and output, as JSON. An exception that
# escapes main ends the child with its traceback, as `python -m bp_tui` would.
EACH_COMMAND = """
import io, json, sys
from contextlib import redirect_stderr, redirect_stdout
from bp_tui.cli import main
ran = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as stop:  # (argparse's exits)
            status = stop.code
    ran.append([0 if status is None else status, out.getvalue(), err.getvalue()])
print(json.dumps(ran))
"""


def bp_each(*commands: list, timeout: float = 120, **kwargs) -> list[Ran]:
    """Several `bp-tui` commands in one child process rather than a child each: every child pays for
    an interpreter and bp_tui's imports. They run in a child at all so that a command that fails to
    refuse hours of work is ended after `timeout` instead of running in the test's process. As on a
    pipe: stdin is the child's (`kwargs`), stdout and stderr are not terminals."""
    run = subprocess.run([sys.executable, "-c", EACH_COMMAND, json.dumps([list(map(str, args)) for args in commands])],
                         capture_output=True, text=True, timeout=timeout, cwd=ROOT, **kwargs)
    assert run.returncode == 0, run.stderr
    return [Ran(*ran) for ran in json.loads(run.stdout)]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("limits")
    found = {}
    for name, (_what, make) in {**AT_LIMIT, "issue": ISSUE}.items():
        found[name] = folder / f"{name}.toml"
        found[name].write_text(make(), encoding="utf-8")
    return found


STEP_THROUGH = OWN_PEAK_KB + """
import sys
import bp_tui
stepper = bp_tui.Stepper(bp_tui.load_scenario(sys.argv[1]))
for move in sys.argv[2:]:
    assert getattr(stepper, move)(), move
    assert stepper.window(stepper.k - 20, stepper.k + 20) and stepper.current is not None
    stepper.pending()
print(stepper.count, stepper.epoch, stepper.k, own_peak_kb() // 1024)
"""


@pytest.mark.parametrize("name", [*AT_LIMIT, "issue"])
def test_the_largest_scenario_each_limit_allows_steps_in_bounded_memory(name, files):
    out = bp_tui_here("validate", files[name])  # (in this process: validating a file does no long work)
    assert out.returncode == 0 and out.stdout.endswith(" sample(s))\n"), out.stderr
    run = subprocess.run([sys.executable, "-c", STEP_THROUGH, str(files[name]), *MOVES], capture_output=True,
                         text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    count, epoch, k, peak_mb = map(int, run.stdout.split())
    assert count > 1_000_000  # a round of millions of sub-steps, none of them held
    assert epoch == 0 and 1 < k < count  # back in round 1 after its end and round 2's start
    assert peak_mb < 300, f"{peak_mb} MB resident"


@pytest.mark.parametrize("name", PAST_LIMIT)
def test_one_step_past_each_limit_is_refused_in_one_line_naming_the_field(name, tmp_path):
    field, limit, make = PAST_LIMIT[name]
    path = tmp_path / f"past-{name}.toml"
    path.write_text(make(), encoding="utf-8")
    commands = (["validate", path], ["trace", path, "--yes"], [path])  # [path]: the app, before its screen
    for args, out in zip(commands, bp_each(*commands), strict=True):
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
        assert out.stderr.startswith(f"bp-tui: {path}: {field}") and limit in out.stderr, out.stderr


def test_editing_in_momentum_past_the_sub_step_limit_is_refused_and_changes_nothing(files):
    stepper = bp_tui.Stepper(bp_tui.load_scenario(files["issue"]))
    with pytest.raises(ValueError, match="the limit is 12,000,000"):
        stepper.edit(momentum=0.9)
    assert stepper.scenario.momentum == 0 and stepper.edits == []


# The trace is streamed in a child of its own: its memory is measured from the resident pages
# (HeldMemory), which a fresh process shows plainly, where the test run's process would also reuse
# the memory that earlier tests freed.
STREAM = """
import json, sys
sys.path.insert(0, sys.argv[1])
import bp_tui
from bp_tui.views.trace import round_lines
from limit_scenarios import scenario_text
from limits_bench import HeldMemory
stepper = bp_tui.Stepper(bp_tui.parse_scenario(scenario_text([16] * 6, 12), "streamed.toml"))
per_sample = stepper.plan(0).blocks[0].size
lines = round_lines(stepper, 0)
seen, sizes = 0, []
with HeldMemory() as held:
    for line in lines:
        seen += 1
        if seen % (3 * per_sample) == 0:  # about a sample's lines
            sizes.append(held.now())
print(json.dumps({"count": stepper.count, "seen": seen, "sizes": sizes, "peak": held.peak}))
"""


def test_a_trace_streams_a_round_in_constant_memory():
    run = subprocess.run([sys.executable, "-c", STREAM, str(ROOT / "bench")], capture_output=True, text=True,
                         timeout=120, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    seen, sizes, peak = found["seen"], found["sizes"], found["peak"]
    assert seen > 3 * found["count"] and len(sizes) >= 10
    assert max(sizes[4:]) - min(sizes[4:]) < 2 * MB  # after the first samples, no growth
    assert peak < 40 * MB


def test_long_work_on_a_pipe_is_refused_without_yes(files):
    commands = (["trace", files["issue"]], ["export", files["issue"], "--format", "md"],
                ["run", files["issue"], "--epochs", "100000"], ["gradcheck", files["issue"]])
    for args, out in zip(commands, bp_each(*commands, stdin=subprocess.DEVNULL), strict=True):
        assert out.returncode == 2 and out.stdout == "", args
        assert out.stderr.count("\n") == 1 and "would take about" in out.stderr and "--yes" in out.stderr


def test_long_work_on_a_terminal_asks_first(files, tmp_path):
    term = Terminal([sys.executable, "-m", "bp_tui", "export", str(files["issue"]), "--format", "md", "-o",
                     str(tmp_path / "out.md")], 100, 30, env={"PYTHONPATH": str(ROOT)})
    try:
        term.wait_for_text("Start it? [y/N]", timeout=30)
        os.write(term.fd, b"n\r")
        assert exit_status(term.pid, "the export to end after no", 10, state=lambda: process_state(term.pid)) == 1
        assert list(tmp_path.iterdir()) == []
    finally:
        os.close(term.fd)


def test_export_shows_progress_on_a_terminal_and_ctrl_c_leaves_no_file(files, tmp_path):
    target = tmp_path / "out.csv"
    term = Terminal([sys.executable, "-m", "bp_tui", "export", str(files["issue"]), "--format", "csv", "-o",
                     str(target), "--yes"], 100, 30, env={"PYTHONPATH": str(ROOT)})
    try:
        term.wait_for_text("sub-steps, about", timeout=60)  # the bar, with its estimate
        assert b"% [" in term.output
        temporary = list(tmp_path.glob(".out.csv.*.tmp"))
        assert temporary and temporary[0].stat().st_size > 0  # written as it goes
        os.write(term.fd, b"\x03")  # ctrl+c
        # (Reading on while it ends: a program that fills its terminal's buffer blocks on writing.)
        assert exit_status(term.pid, "ctrl+c to end the export", 10, lambda: term.read_for(0.05),
                           lambda: process_state(term.pid)) == 130
        assert list(tmp_path.iterdir()) == []  # neither the file nor the temporary one
    finally:
        os.close(term.fd)


def test_on_a_pipe_or_with_quiet_there_is_no_progress_bar(tmp_path):
    out = bp_tui_here("export", "mazur", "--format", "csv", "-o", tmp_path / "a.csv")  # (its stderr: no terminal)
    assert out.returncode == 0 and out.stderr == f"bp-tui: wrote {tmp_path / 'a.csv'}\n"
    term = Terminal([sys.executable, "-m", "bp_tui", "run", "mazur", "--epochs", "1000000", "--quiet"], 100, 30,
                    env={"PYTHONPATH": str(ROOT)})
    try:
        assert exit_status(term.pid, "a quiet run of 1,000,000 epochs to end", 60, lambda: term.read_for(0.05),
                           lambda: process_state(term.pid)) == 0
        assert b"% [" not in term.output and b"error after 1000000 epoch(s)" in term.output
    finally:
        os.close(term.fd)


def test_ctrl_c_during_an_export_to_a_file_leaves_no_file(files, tmp_path):
    target = tmp_path / "out.json"
    child = subprocess.Popen([sys.executable, "-m", "bp_tui", "export", str(files["issue"]), "--format", "json",
                              "-o", str(target), "--yes"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             preexec_fn=interruptible)
    try:
        end = time.monotonic() + 60
        while not any(p.stat().st_size for p in tmp_path.glob(".out.json.*.tmp")) and time.monotonic() < end:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        try:  # (reading its output meanwhile: a child that fills a pipe blocks on writing)
            _out, err = child.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running 10 s after ctrl+c: {process_state(child.pid)}") from None
        assert child.returncode == 130, err
        assert list(tmp_path.iterdir()) == []
    finally:
        child.kill()
        child.wait()
