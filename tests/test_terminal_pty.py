"""The real program on a pseudo-terminal: every quit key gives the terminal back as it found it, and
losing the terminal (SIGHUP) saves the learner's place before the program ends.

These start `python -m bp_tui` in a child process, so they take a second or two each: few of them.
Between keys they wait for the program's answer (output, then a quiet moment), never a fixed time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from pty_bench import ANSI, Terminal  # noqa: E402  (the benchmarks' pty harness)

from bp_tui import Stepper, load_scenario  # noqa: E402
from bp_tui.app.hangup import HANGUP_STATUS  # noqa: E402

from .helpers import answered, exit_status, press_on  # noqa: E402

pytestmark = [pytest.mark.pty, pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")]

# What Textual switches on, and what must come after it once the program is gone: (on, off).
MODES = {
    "alternate screen": (b"\x1b[?1049h", b"\x1b[?1049l"),
    "hidden cursor": (b"\x1b[?25l", b"\x1b[?25h"),
    "mouse clicks": (b"\x1b[?1000h", b"\x1b[?1000l"),
    "mouse motion": (b"\x1b[?1003h", b"\x1b[?1003l"),
    "SGR mouse": (b"\x1b[?1006h", b"\x1b[?1006l"),
    "bracketed paste": (b"\x1b[?2004h", b"\x1b[?2004l"),
}


def start(state_home: Path) -> Terminal:
    env = {"XDG_STATE_HOME": str(state_home), "PYTHONPATH": str(ROOT)}
    term = Terminal([sys.executable, "-m", "bp_tui", "mazur"], 80, 24, env=env)
    term.wait_for_text("Mazur", "q quit", timeout=30)  # the header and the footer: the whole screen
    answered(term, 0, "the first screen to be drawn")
    return term


def ended(term: Terminal, read: bool = True) -> int:
    """Wait for the child to end (reading what it writes meanwhile, unless its terminal is gone); its
    exit status."""
    status = exit_status(term.pid, "the program to end after being asked to quit",
                         while_waiting=(lambda: term.read_for(0.01)) if read else None,
                         state=lambda: term.output[-300:])
    if read:
        term.read_for(0.05)  # whatever was still in the pty's buffer
    return status


def close(term: Terminal) -> None:
    try:
        os.close(term.fd)
    except OSError:
        pass


def assert_terminal_restored(output: bytes) -> None:
    for mode, (on, off) in MODES.items():
        if on in output:
            assert output.rfind(off) > output.rfind(on), f"{mode} left on: {output[-300:]!r}"
    assert b"Traceback" not in output


def fast_forward(term: Terminal, epochs: int) -> None:
    """Start a fast-forward of `epochs` and wait until its progress is on screen."""
    since = len(term.output)
    os.write(term.fd, b"f")
    term.wait_for_text("how many")
    answered(term, since, "the fast-forward's box")  # keys typed before it has the focus would be lost
    # The box opens empty (its default is only a placeholder), so the digits typed are the number:
    # no backspaces first. On an empty box they change nothing on screen, so waiting for their answer
    # caught the cursor's next blink instead, up to a second each; and one written straight before a
    # digit was at times applied after it, deleting the digit.
    press_on(term, str(epochs).encode(), "typing the epochs")
    # Enter starts the run, and its progress (the stop hint) replaces the question once it has run
    # for a moment. Wait for that, not for a quiet spell in the redraws, during which the run would
    # only burn a core.
    os.write(term.fd, b"\r")
    term.wait_for_text("any key to stop")


@pytest.mark.parametrize("key, during_fast_forward", [(b"q", False), (b"\x11", False), (b"\x03", True)],
                         ids=["q", "ctrl+q", "ctrl+c during a fast-forward"])
def test_quit_keys_restore_the_terminal(key, during_fast_forward, tmp_path):
    term = start(tmp_path)
    try:
        press_on(term, b"  ", "two sub-steps")
        if during_fast_forward:
            fast_forward(term, 1_000_000)
        os.write(term.fd, key)
        assert ended(term) == 0
        assert_terminal_restored(term.output)
    finally:
        close(term)


def test_losing_the_terminal_saves_the_place_then_exits(tmp_path):
    term = start(tmp_path)
    press_on(term, b"   ]", "three sub-steps, then the rest of the forward phase")
    close(term)  # the terminal goes away: the kernel sends SIGHUP, as when SSH drops
    assert ended(term, read=False) == HANGUP_STATUS
    saved = list((tmp_path / "bp-tui").glob("*.json"))
    assert [p.stem for p in saved] == [load_scenario("mazur").digest[:40]]
    place = json.loads(saved[0].read_text())
    stepper = Stepper(load_scenario("mazur"))
    for move in (stepper.next, stepper.next, stepper.next, stepper.next_phase):
        move()
    assert (place["epoch"], place["k"]) == (stepper.epoch, stepper.k) != (0, 0)


def test_sighup_during_a_fast_forward_saves_and_exits(tmp_path):
    term = start(tmp_path)
    try:
        press_on(term, b"\r", "round 1 to its end")
        fast_forward(term, 1_000_000)
        os.kill(term.pid, signal.SIGHUP)
        assert ended(term) == HANGUP_STATUS
        place = json.loads(next((tmp_path / "bp-tui").glob("*.json")).read_text())
        assert place["epoch"] == 0 and place["k"] > 0  # round 1, shown to its end, as before the run
    finally:
        close(term)


# --- a signal ends bp-tui within a second, whatever it is doing (issue 20) -----------------------

from bp_tui.app.hangup import RESTORE  # noqa: E402

from .scenario_factory import long_run_text  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from limit_scenarios import AT_LIMIT  # noqa: E402

from bp_tui.study import progress  # noqa: E402


def start_on(path: Path, state_home: Path, wait_for: str | None, settle: float = 0.3) -> Terminal:
    """The app on `path`, once `wait_for` is on screen and it has then had `settle` seconds to draw
    the rest (0: at once, while what it shows is still going on)."""
    env = {"XDG_STATE_HOME": str(state_home), "PYTHONPATH": str(ROOT)}
    term = Terminal([sys.executable, "-m", "bp_tui", str(path)], 80, 24, env=env)
    if wait_for is not None:
        term.wait_for_text(wait_for, timeout=30)
        term.read_for(settle)
    else:  # the app has started (the alternate screen is on) and is busy building its first screen
        end = time.monotonic() + 30
        while b"\x1b[?1049h" not in term.output and time.monotonic() < end:
            term.read_for(0.05)
        term.read_for(1.0)
    return term


def computing(term: Terminal) -> bool:
    """The progress line came after any "Done." or "Stopped" the status line said: the move had not
    finished when the test last read the terminal."""
    shown = ANSI.sub(b"", term.output)
    return shown.rfind(b"Any key stops") > max(shown.rfind(b"Done."), shown.rfind(b"Stopped"))


def ended_within(term: Terminal, signum: int, close_terminal: bool) -> tuple[float, int]:
    """Send the signal (or close the terminal, which sends SIGHUP); (seconds until the process was
    gone, its exit status)."""
    start = time.monotonic()
    if close_terminal:
        close(term)
    else:
        os.kill(term.pid, signum)
    status = ended(term, read=not close_terminal)
    return time.monotonic() - start, status


@pytest.mark.parametrize("signum, close_terminal", [(signal.SIGHUP, True), (signal.SIGTERM, False)],
                         ids=["terminal closed", "SIGTERM"])
def test_a_signal_during_a_fast_forward_in_a_worker_thread_ends_the_app_within_a_second(signum, close_terminal,
                                                                                        tmp_path):
    path = tmp_path / "long.toml"
    path.write_text(long_run_text())
    term = start_on(path, tmp_path, "a long run")
    try:
        press_on(term, b"  ", "two sub-steps")
        fast_forward(term, 1_000_000)  # minutes of epochs in a worker thread
        seconds, status = ended_within(term, signum, close_terminal)
        assert status == 128 + signum and seconds < 1.0, (status, seconds)
        place = json.loads(next((tmp_path / "bp-tui").glob("*.json")).read_text())
        assert (place["epoch"], place["k"]) == (0, 2)  # where the learner was when the run began
        if not close_terminal:
            assert_terminal_restored(term.output)
    finally:
        close(term)


@pytest.fixture(scope="module")
def samples_limit(tmp_path_factory) -> tuple[Path, str, int]:
    """The scenario at the samples limit, as a file, with its digest and the sub-step half way through
    a round. Loading it and counting its sub-steps takes half a second: done once for both signals.
    The app only reads the file; each test saves its place in a state folder of its own."""
    path = tmp_path_factory.mktemp("samples-limit") / "samples.toml"
    path.write_text(AT_LIMIT["samples"][1]())
    scenario = load_scenario(path)
    return path, scenario.digest, Stepper(scenario).count // 2


@pytest.mark.parametrize("signum, close_terminal", [(signal.SIGHUP, True), (signal.SIGTERM, False)],
                         ids=["terminal closed", "SIGTERM"])
def test_a_signal_while_the_app_recomputes_a_large_round_ends_it_within_a_second(signum, close_terminal,
                                                                                tmp_path, monkeypatch,
                                                                                samples_limit):
    """Resuming deep inside round 4 of the scenario at the samples limit trains three rounds of 10,000
    samples with the written-out kernel, which cannot stop inside an epoch, then replays thousands
    of samples: seconds of work in a worker thread, with the progress line on screen."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    path, digest, half_a_round = samples_limit
    assert progress.save(digest, progress.Place(3, half_a_round)) is None
    # The signal goes as soon as the progress line is on screen: it appears 0.04 s into the move, of
    # seconds of training, so the worker is computing when the signal lands (more of it first would
    # only burn a core). The line still being on screen then says it had not finished.
    term = start_on(path, tmp_path, "Any key stops · computing", settle=0)
    try:
        assert computing(term), term.output[-300:]
        seconds, status = ended_within(term, signum, close_terminal)
        assert status == 128 + signum and seconds < 1.0, (status, seconds)
        if not close_terminal:
            assert_terminal_restored(term.output)
            assert term.output.endswith(RESTORE) or b"\x1b[?1049l" in term.output
    finally:
        close(term)


def test_a_computation_left_in_a_worker_thread_does_not_keep_the_process_alive():
    """After the app has gone, the interpreter would wait for a worker thread still computing (a
    gradient check, a replay): hangup.leave asks the stepper's work to stop and ends the process if
    the exit still waits half a second later."""
    code = ("import threading, time, bp_tui; from bp_tui.app import hangup\n"
            "class App: stepper = bp_tui.Stepper(bp_tui.load_scenario('mazur'))\n"
            "threading.Thread(target=lambda: [time.sleep(0.01) for _ in iter(int, 1)]).start()  # never ends\n"
            "hangup.leave(App(), 7)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 7, out.stderr  # (an exit that no longer waited would give 0)
