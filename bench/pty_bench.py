"""Terminal benchmarks (issue 6 targets 3-5): bp-tui on a pseudo-terminal against a bare Textual app.

Start-up: from spawning the process to the complete first screen (a known text from each of its parts).
Key latency: from writing a key to the pty to the first byte of the repaint.
Both are ratios against bare_app.py started the same way, in the same run. With the key latency
("keys"): the space bar held down, and how long after the last key the last frame is written.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

import run as bench
from report import report, verdict

HERE = Path(__file__).resolve().parent
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
PYTHON = sys.executable


class Terminal:
    """A child process on a pty of a given size."""

    def __init__(self, argv: list[str], cols: int, rows: int, env: dict | None = None):
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            # A new terminal's programs start with these signals at their defaults, whatever this harness
            # was started with: a script's background job ignores SIGINT and SIGQUIT (and nohup SIGHUP),
            # and an ignored signal stays ignored across exec, so ctrl+c would not reach the program.
            for signum in (signal.SIGINT, signal.SIGQUIT, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
            os.environ.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)})
            os.environ.update(env or {})
            os.execvp(argv[0], argv)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.output = b""

    def read_for(self, seconds: float) -> bytes:
        end, got = time.perf_counter() + seconds, b""
        while (left := end - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            got += chunk
        self.output += got
        return got

    def wait_for_text(self, text: str, *more: str, timeout: float = 20.0) -> float:
        """Seconds from spawn until `text` (and every one of `more`) has appeared on screen (escape
        codes ignored)."""
        wanted = [t.encode() for t in (text, *more)]
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break
                shown = ANSI.sub(b"", self.output)
                if all(t in shown for t in wanted):
                    return time.perf_counter() - self.started
        missing = [t.decode() for t in wanted if t not in ANSI.sub(b"", self.output)]
        raise TimeoutError(f"{missing!r} did not appear within {timeout} s")

    def key_latency(self, key: bytes, timeout: float = 5.0) -> float:
        """Seconds from writing `key` to the first byte of output."""
        self.read_for(0.25)  # let the previous repaint settle
        start = time.perf_counter()
        os.write(self.fd, key)
        ready, _, _ = select.select([self.fd], [], [], timeout)
        elapsed = time.perf_counter() - start
        if ready:
            self.output += os.read(self.fd, 65536)
        return elapsed

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


BARE = [PYTHON, str(HERE / "bare_app.py")]
def fresh_state() -> dict[str, str]:
    """An empty state folder for one app run: a place saved by the learner, by a run of bp-tui
    elsewhere, or by the previous run here (closing a Terminal sends SIGTERM, and bp-tui saves its
    place on SIGTERM) must not change which screen the key and fast-forward benchmarks start on."""
    folder = tempfile.mkdtemp(prefix="bp-tui-bench-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return {"XDG_STATE_HOME": folder}


def bp_tui_argv(scenario: str = "mazur") -> list[str]:
    return [PYTHON, "-m", "bp_tui", scenario]


def startup(argv, words, cols=80, rows=24, env=None) -> float:
    """Seconds from spawn until every one of `words` is on screen."""
    term = Terminal(argv, cols, rows, env)
    try:
        return term.wait_for_text(*words)
    finally:
        term.close()


def latencies(apps: list[tuple[list[str], str]], cols: int, rows: int, presses: int = 31) -> list[float]:
    """Median key-to-first-byte of each app, all running side by side and pressed in turn, so that
    a busy moment on a shared machine falls on all of them alike rather than on one app's run."""
    terms = [Terminal(argv, cols, rows, fresh_state()) for argv, _word in apps]
    try:
        for term, (_argv, word) in zip(terms, apps):
            term.wait_for_text(word)
        for term in terms:
            term.read_for(0.5)
        times: list[list[float]] = [[] for _ in terms]
        for _ in range(presses):
            for term, taken in zip(terms, times):
                taken.append(term.key_latency(b" "))
        return [statistics.median(taken) for taken in times]
    finally:
        for term in terms:
            term.close()


def title_word(name: str) -> str:
    """A word of the scenario's title: the header shows it once the first frame is drawn."""
    from bp_tui.engine.scenario import load_scenario

    return max(load_scenario(name).title.split()[:3], key=len).strip(":,")


def largest_builtin() -> str:
    from bp_tui.engine.scenario import builtin_names, load_scenario

    return max(builtin_names(), key=lambda n: sum(load_scenario(n).layers))


# The whole first screen of `bp-tui mazur`, one text per part: header (title), network diagram, step
# panel, quantities, error chart, footer (its last key). Textual fills the footer after its first
# refresh, so waiting for the title alone would stop the clock before the screen is complete.
FIRST_SCREEN = ("Mazur", "w8", "Nothing computed yet", "quantities", "the curve starts", "q quit")
STARTUP_RUNS = 15


def compile_bytecode() -> None:
    """Compile bp_tui's modules to __pycache__, as `pip install` does. Textual's were compiled when it
    was installed; without this, an editable install run with PYTHONDONTWRITEBYTECODE=1 (as on the
    machines these benchmarks were written on) would compile bp_tui's sources again on every start,
    which no installed copy does."""
    import compileall

    import bp_tui

    compileall.compile_dir(Path(bp_tui.__file__).parent, quiet=1)


def bench_startup() -> None:
    """Target 3: spawn to the complete first screen, against the bare app's one Static.

    Runs alternate (bare, ours, bare, ...) so that load from elsewhere on the machine falls on both;
    the best of STARTUP_RUNS each is compared. Each of our runs gets an empty state folder, so no
    saved place (say, after the fast-forward benchmark) changes what the first screen shows.
    """
    compile_bytecode()
    bare, ours = [], []
    for _ in range(STARTUP_RUNS):
        bare.append(startup(BARE, ["bench ready"]))
        with tempfile.TemporaryDirectory() as state:
            ours.append(startup(bp_tui_argv(), FIRST_SCREEN, env={"XDG_STATE_HOME": state}))
    print("   (bytecode precompiled as pip install does; clock stops when all of header, diagram, step "
          "panel, quantities, chart and footer are on screen)")
    report("3. start-up to the whole first screen, 80x24", min(ours) * 1000, min(bare) * 1000, 1.3)


KEY_TARGET = 2.5  # key to first byte, against the bare app (issue 17: public API only)


def bench_keys() -> None:
    names = ("mazur", largest_builtin())
    for cols, rows in ((80, 24), (160, 48)):
        apps = [(BARE, "bench ready")] + [(bp_tui_argv(name), title_word(name)) for name in names]
        bare, *ours = (seconds * 1000 for seconds in latencies(apps, cols, rows))
        for name, taken in zip(names, ours):
            report(f"4. key to repaint, {name} {cols}x{rows}", taken, bare, KEY_TARGET)
    bench_held_space()


HELD_KEYS_PER_SECOND = 30
HELD_SECONDS = 5.0
QUIET = 0.3  # seconds without output that mean the screen is complete


def expected_place(name: str, presses: int) -> tuple[int, int]:
    """Where `presses` spaces from the start leave the stepper (round, sub-step), computed headless."""
    from bp_tui import Stepper
    from bp_tui.engine.scenario import load_scenario

    stepper = Stepper(load_scenario(name))
    for _ in range(presses):
        stepper.next()
    return stepper.epoch, stepper.k


def bench_held_space() -> None:
    """Target: the space bar held down (30 keys a second for 5 s) at 160x48 on the largest built-in:
    the screen shows the last sub-step within 100 ms of the last key.

    The clock stops at the last byte the app writes before it falls quiet (QUIET seconds of no
    output). The app then quits, saving its place, and that place must be the one the presses lead
    to: every key was taken, and the last frame written is the last sub-step's."""
    name = largest_builtin()
    presses = int(HELD_KEYS_PER_SECOND * HELD_SECONDS)
    with tempfile.TemporaryDirectory() as state:
        term = Terminal(bp_tui_argv(name), 160, 48, {"XDG_STATE_HOME": state})
        try:
            term.wait_for_text(title_word(name))
            term.read_for(0.5)
            start = time.perf_counter()
            for i in range(presses):
                pause = start + i / HELD_KEYS_PER_SECOND - time.perf_counter()
                if pause > 0:
                    term.read_for(pause)
                os.write(term.fd, b" ")
            last_key = time.perf_counter()
            last_byte = last_key
            while True:
                ready, _, _ = select.select([term.fd], [], [], QUIET)
                if not ready:
                    break
                term.output += os.read(term.fd, 65536)
                last_byte = time.perf_counter()
            os.write(term.fd, b"q")
            term.read_for(1.0)
        finally:
            term.close()
        from bp_tui.engine.scenario import load_scenario
        from bp_tui.study import progress

        os.environ["XDG_STATE_HOME"], before = state, os.environ.get("XDG_STATE_HOME")
        try:
            place, _warning = progress.load(load_scenario(name).digest)
        finally:
            if before is None:
                del os.environ["XDG_STATE_HOME"]
            else:
                os.environ["XDG_STATE_HOME"] = before
    reached = (place.epoch, place.k) if place else None
    wanted = expected_place(name, presses)
    after = (last_byte - last_key) * 1000
    verdict(f"4. held space, {name} 160x48, {HELD_KEYS_PER_SECOND}/s", after <= 100 and reached == wanted,
            f"last sub-step on screen {after:6.1f} ms after the last key (target <= 100 ms); "
            f"place {reached}, expected {wanted}")


def start_fast_forward(term: Terminal, epochs: int) -> float:
    """Open the fast-forward prompt, type `epochs`, press enter; returns when enter was written."""
    term.wait_for_text("Mazur")
    term.read_for(0.5)
    os.write(term.fd, b"f")
    term.wait_for_text("how many")
    term.read_for(0.3)
    os.write(term.fd, b"\x7f" * 12)
    term.read_for(0.2)
    os.write(term.fd, str(epochs).encode())
    term.read_for(0.3)
    sent = time.perf_counter()
    os.write(term.fd, b"\r")
    return sent


FAST_FORWARD_RUNS = 5  # an app run takes ~3 s; with 3, one busy spell on this 2-core machine moved the ratio by 0.3


def bench_fast_forward() -> None:
    """Target 5: 100,000 epochs in the app vs headless; a key is answered within 100 ms meanwhile.

    The run counts until the finished screen is drawn: the header's 'round 100000' and the error
    chart's line for epoch 100000 (a frame with only the header updated would not do). Headless and
    app runs alternate, so that a busy spell of this shared machine weighs on both sides alike;
    best of FAST_FORWARD_RUNS of each."""
    from bp_tui import load_scenario, train

    scenario = load_scenario("mazur")
    headless, runs = [], []
    for _ in range(FAST_FORWARD_RUNS):
        headless.append(bench.best_of(lambda: train(scenario, 100_000), 1))
        term = Terminal(bp_tui_argv(), 80, 24, fresh_state())
        try:
            sent = start_fast_forward(term, 100_000)
            term.output = b""
            for text in ("round 100000", "epoch 100000  "):
                term.wait_for_text(text, timeout=60)
            runs.append(time.perf_counter() - sent)
        finally:
            term.close()
    report("5. fast-forward 100,000 epochs in the app", min(runs) * 1000, min(headless) * 1000, 1.5)

    term = Terminal(bp_tui_argv(), 80, 24, fresh_state())
    try:
        start_fast_forward(term, 1_000_000)
        term.output = b""
        term.read_for(1.0)
        counts = set(re.findall(rb"epoch (\d+) of 1000000", ANSI.sub(b"", term.output)))
        answer = term.key_latency(b"x", timeout=2.0)
        ok = answer <= 0.100 and len(counts) >= 2
        verdict("5. a key during fast-forward", ok,
                f"answered in {answer * 1000:6.1f} ms (target <= 100 ms); progress redrawn {len(counts)} "
                "times in 1 s")
    finally:
        term.close()


BENCHES = {"startup": bench_startup, "keys": bench_keys, "fastforward": bench_fast_forward}
