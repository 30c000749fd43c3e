"""What many test modules need, written once: running the `bp-tui` command (in a child process, in
this process, or on a pseudo-terminal), reading the app's screen, and waiting for a condition.

Every wait here is on a condition, never a fixed sleep, and a wait that runs out fails with what it
waited for and the last state it saw, so a failure on a busy machine says what did not happen.
"""

from __future__ import annotations

import asyncio
import functools
import io
import os
import pty
import signal
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Callable, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
SMALL = (80, 24)  # the terminal most app tests run in: the smallest common one

# --- the command ---------------------------------------------------------------------------------


def bp_tui_process(*args: str, input: str | bytes | None = None, env: dict | None = None, cwd=None, text: bool = True,
           timeout: float = 120, **options) -> subprocess.CompletedProcess:
    """`python -m bp_tui ARGS` in a child process, its output captured (`text=False`: as bytes). `env`
    holds variables to set on top of this process's environment; `options` go to subprocess.run."""
    return subprocess.run([sys.executable, "-m", "bp_tui", *args], capture_output=True, text=text, input=input,
                          env=None if env is None else {**os.environ, **env}, cwd=cwd, timeout=timeout,
                          **options)


def python_code(code: str, *args: str, flags: tuple[str, ...] = (), input: str | None = None,
                timeout: float = 120, check: bool = False) -> subprocess.CompletedProcess:
    """`python FLAGS -c CODE ARGS` in a fresh interpreter (what a module imports, warnings as errors,
    a script on its own), its output captured as text."""
    return subprocess.run([sys.executable, *flags, "-c", code, *args], capture_output=True, text=True,
                          input=input, timeout=timeout, check=check)


class Ran(NamedTuple):
    """What a command gave: unpacks as (status, stdout, stderr), or read as a CompletedProcess is."""
    returncode: int
    stdout: str
    stderr: str


def bp_tui_here(*args, input: str | bytes | None = None, env: dict | None = None) -> Ran:
    """The same command in this process (no interpreter to start, so much quicker): its exit status
    (argparse's exits included), stdout and stderr. `input` is its stdin; `env` holds variables set
    for the call only. For what only a process shows (signals, a terminal, the entry point), use
    bp_tui_process or bp_tui_on_a_terminal."""
    from bp_tui import cli

    out, err = io.StringIO(), io.StringIO()
    saved_stdin, saved_env = sys.stdin, dict(os.environ)
    data = (input or "").encode() if not isinstance(input, bytes) else input
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")  # (with .buffer, as a pipe's)
    os.environ.update(env or {})
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = cli.main([os.fspath(arg) for arg in args])
            except SystemExit as stop:
                status = stop.code
    finally:
        sys.stdin = saved_stdin
        os.environ.clear()
        os.environ.update(saved_env)
    return Ran(0 if status is None else status, out.getvalue(), err.getvalue())


def interruptible() -> None:
    """preexec_fn for a child a test sends SIGINT to: SIGINT back to its default, as in a shell's
    foreground job. A test run started in a script's background ignores SIGINT, and an ignored signal
    stays ignored across exec: Python would then never raise KeyboardInterrupt in the child."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def bp_tui_on_a_terminal(*args: str, env: dict | None = None, timeout: float = 60) -> tuple[int, str]:
    """`bp-tui ARGS` with its stdout and stderr on a pseudo-terminal: its exit status and all it wrote
    (line ends as the terminal sends them, \\r\\n)."""
    leader, follower = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "bp_tui", *args], stdout=follower, stderr=follower,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command has finished
                break
            if not chunk:
                break
            chunks.append(chunk)
        status = process.wait(timeout=timeout)
    os.close(leader)
    return status, b"".join(chunks).decode()


# --- waiting ---------------------------------------------------------------------------------------


class WaitedInVain(AssertionError):
    pass


def waited_in_vain(what: str, seconds: float, state: Callable[[], object] | None) -> WaitedInVain:
    seen = "" if state is None else f"\nlast seen:\n{state()}"
    return WaitedInVain(f"waited {seconds:g} s for {what}, in vain{seen}")


def wait_for(condition: Callable[[], object], what: str, seconds: float = 20.0,
             state: Callable[[], object] | None = None, poll: float = 0.01,
             sleep: Callable[[float], object] = time.sleep) -> None:
    """Poll `condition` (outside an event loop: a child process, a file) until it holds, pausing with
    `sleep` between tries (a browser page's own wait, so that it handles its events meanwhile)."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise waited_in_vain(what, seconds, state)
        sleep(poll)


async def wait_until(pilot, condition: Callable[[], object], what: str, seconds: float = 20.0,
                     state: Callable[[], object] | None = None) -> None:
    """Let the app run until `condition` holds, then until it has drawn what follows from it. By
    default a failure shows the screen as it last was."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise waited_in_vain(what, seconds, state or (lambda: screen_text(pilot.app)))
        await pilot.pause(0.01)
    await pilot.pause()


async def refreshed(app, seconds: float = 5.0) -> None:
    """Until the app's screen has laid out and painted what was pending when this was called, by
    Textual's public call_after_refresh (a resize or a panel's new height is laid out on the screen's
    next idle, after the messages Pilot waits for). An app that is exiting, or a screen that has
    gone, refreshes no more: then this returns at once."""
    try:
        screen = app.screen
    except Exception:  # no screen (the app has ended)
        return
    done = asyncio.get_running_loop().create_future()
    if not screen.call_after_refresh(lambda: done.done() or done.set_result(None)):
        return
    end = time.monotonic() + seconds
    while not done.done() and app.return_code is None and time.monotonic() < end:
        await asyncio.wait({done}, timeout=0.005)
        try:
            if app.screen is not screen:
                return
        except Exception:
            return
    if not done.done() and app.return_code is None:  # (a wait that costs seconds should be seen)
        warnings.warn(f"the screen did not refresh within {seconds:g} s", stacklevel=2)


@contextmanager
def brisk_pilot():
    """Pilot waits after every key and pause until the process looks idle: it sleeps 20 ms at a time
    until a sleep costs less than 1 ms of CPU, and up to a second while a thread (a fast-forward) keeps
    the process busy. Poll every 4 ms with the same 5% threshold, and wait at most 0.2 s: the same
    check in a fraction of the time. Then wait for the screen's next refresh (refreshed), so a layout
    the key asked for is done even when a loaded machine made the process look idle too soon. A test
    that needs a running fast-forward to end waits for that on a condition (wait_until).

    This sets Textual's private test timing (textual._wait, and the names app.py and pilot.py import
    from it), the one place the tests do so; if a release renames them, nothing is changed and the
    tests run at Textual's own pace."""
    try:
        import textual._wait as wait
        import textual.app
        import textual.pilot
    except ImportError:
        yield
        return
    modules = (textual.app, textual.pilot)
    constants = ("SLEEP_GRANULARITY", "SLEEP_IDLE")
    if not all(hasattr(wait, name) for name in constants) or not all(
            getattr(module, "wait_for_idle", None) is wait.wait_for_idle for module in modules):
        yield
        return
    original, saved = wait.wait_for_idle, {name: getattr(wait, name) for name in constants}
    Pilot = textual.pilot.Pilot
    press, pause = Pilot.press, Pilot.pause

    async def brisk(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
        await original(min_sleep, min(max_sleep, 0.05))

    async def press_then_refresh(pilot, *keys: str) -> None:
        await press(pilot, *keys)
        await refreshed(pilot.app)

    async def pause_then_refresh(pilot, delay: float | None = None) -> None:
        await pause(pilot, delay)
        await refreshed(pilot.app)

    wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = 0.004, 0.0002
    for module in modules:
        module.wait_for_idle = brisk
    Pilot.press, Pilot.pause = press_then_refresh, pause_then_refresh
    try:
        yield
    finally:
        Pilot.press, Pilot.pause = press, pause
        for module in modules:
            module.wait_for_idle = original
        for name, value in saved.items():
            setattr(wait, name, value)


@functools.cache
def builtin_scenario(name: str):
    """A built-in scenario, loaded once per test process: loading reads and validates its file, and
    the checker's tests load the same few again and again. A Scenario cannot change (tuples all the
    way down); each test still builds its own Stepper on it."""
    from bp_tui.engine.scenario import load_scenario

    return load_scenario(name)


# --- the app's screen ------------------------------------------------------------------------------


def screen_rows(app, styles: bool = False) -> list[str]:
    """The screen as a terminal shows it, modal screens over the stepper, one string a row (`styles`:
    with ANSI codes for colour and reverse video). Textual has no public call for the screen's text;
    this is what its own export_screenshot does, in the one place the tests do it."""
    from rich.console import Console

    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True,
                      color_system="truecolor" if styles else None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=styles).splitlines()


def screen_text(app) -> str:
    """The characters on screen, as a terminal would show them (modal screens over the stepper)."""
    return "\n".join(screen_rows(app)) + "\n"


def panel_rows(app, selector: str) -> list[str]:
    """The rows of text inside a panel (below its title), as the terminal shows them."""
    region = app.query_one(selector).content_region
    return [row[region.x:region.right] for row in screen_rows(app)[region.y:region.bottom]]


def flat_text(app) -> str:
    """The screen's text with runs of spaces and line breaks as one space (for wrapped sentences)."""
    return " ".join(screen_text(app).split())


def step_on(app) -> None:
    """One sub-step on, as space does it (the stepper moves, the stepper screen shows the new frame
    to every panel), without a key's round trip through Textual (a repaint, Pilot's waits). For walks
    through every sub-step of a round that read what a panel drew (its rows), not the painted screen:
    the panels redraw from the frame alone. Other tests press space, the way a learner moves."""
    assert app.stepper.next(), "no sub-step further"
    app.main.show(ahead=False)


def on_stepper(app) -> bool:
    """The stepper's own screen is on top: no prompt, progress box or other screen over it."""
    return app.screen is app.screen_stack[0]


async def fast_forward(pilot, epochs: str, seconds: float = 60.0) -> None:
    """Ask for a fast-forward of `epochs` (typed after the default in the box) and wait until it has
    finished and its box has closed."""
    await pilot.press("f")
    await pilot.press(*epochs, "enter")
    await wait_until(pilot, lambda: on_stepper(pilot.app), f"a fast-forward of {epochs} epochs to finish",
                     seconds)


# --- a child process on a pseudo-terminal ----------------------------------------------------------


def answered(term, since: int, what: str, quiet: float = 0.05, seconds: float = 20.0) -> None:
    """Wait until the program on `term` (bench/pty_bench.py's Terminal) has written something after
    byte `since` of its output and then nothing for `quiet` seconds: it has drawn its answer to a key."""
    end = time.monotonic() + seconds
    while len(term.output) <= since or term.read_for(quiet):
        if time.monotonic() > end:
            raise waited_in_vain(what, seconds, lambda: term.output[-300:])
        term.read_for(quiet)


def press_on(term, keys: bytes, what: str) -> None:
    """Type `keys` on `term` one at a time, each once the program has answered the one before."""
    for key in keys:
        since = len(term.output)
        os.write(term.fd, bytes([key]))
        answered(term, since, f"{what}: an answer to {bytes([key])!r}")


def process_state(pid: int) -> str:
    """What a process that did not end is doing, as Linux tells (its state, what it waits in, its
    signal masks), for a failure to say why; "" elsewhere."""
    proc = Path(f"/proc/{pid}")
    try:
        status = dict(line.split(":\t", 1) for line in (proc / "status").read_text().splitlines() if ":\t" in line)
        wchan = (proc / "wchan").read_text()
    except OSError:
        return ""
    return (f"state {status.get('State', '?').strip()}, waiting in {wchan or '-'}, signals blocked "
            f"{status.get('SigBlk', '?').strip()} ignored {status.get('SigIgn', '?').strip()} "
            f"caught {status.get('SigCgt', '?').strip()}")


def exit_status(pid: int, what: str, seconds: float = 20.0, while_waiting: Callable[[], object] | None = None,
                state: Callable[[], object] | None = None) -> int:
    """Wait for child `pid` to end (calling `while_waiting` meanwhile, to read its terminal, say); its
    exit status. A child still running after `seconds` is killed and the wait fails."""
    end = time.monotonic() + seconds
    while True:
        ended, status = os.waitpid(pid, os.WNOHANG)
        if ended:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > end:
            failure = waited_in_vain(what, seconds, state)  # (the state seen while it still runs)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise failure
        if while_waiting is None:
            time.sleep(0.01)
        else:
            while_waiting()
