"""Losing the terminal (SIGHUP: an SSH connection drops, the window is closed) or being asked to end
(SIGTERM): save the learner's place and exit within EXIT_WITHIN seconds, whatever bp-tui is doing.

A Python signal handler runs on the main thread, between two of its bytecodes: while the main
thread is inside a long computation (numpy, a replay of epochs) it would wait, and an exit would
then wait on any worker thread still computing (the interpreter joins them). So the handler does
nothing itself: the signal's number, which Python's own C-level handler writes at once to the
wakeup file descriptor (signal.set_wakeup_fd) in whichever thread the signal lands, wakes a daemon
thread that does the work. (Blocking the signals instead would miss threads started before, such
as numpy's.) On a signal that thread

1. (SIGHUP) points standard input, output and error at /dev/null, so that nothing still written to
   the dead terminal can fail or block;
2. asks the event loop to save the place (through the app's own `save_place()`, which keeps the
   quiz score too) and exit with status 128 + the signal's number (129, 143), the shell's number
   for "ended by that signal": the loop runs it between two messages, so the stepper is never read
   halfway through a move;
3. if the loop has not saved within SAVE_WITHIN seconds (it is stuck in a computation), saves from
   this thread instead, and skips the save when even that cannot finish in time;
4. ends the process itself (os._exit) if it is still there EXIT_WITHIN seconds after the signal,
   after giving a terminal that is still there (SIGTERM) back as it was found.

`leave` is the same last resort for an ordinary quit: a computation still running in a worker
thread must not keep a process alive once the app has gone.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
# os._exit is documented stdlib API despite its name: the one exit that does not wait on threads.
from os import _exit as exit_without_waiting

from ..study import progress

SIGNALS = tuple(getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name))
HANGUP_STATUS = 128 + int(getattr(signal, "SIGHUP", 1))
EXIT_WITHIN = 0.9  # seconds from the signal to the end of the process (the promise is 1 s)
SAVE_WITHIN = 0.4  # seconds the event loop gets to save the place before this thread does it
# What Textual switches on, switched off: the alternate screen, mouse reporting, bracketed paste;
# the cursor shown again.
RESTORE = b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l"


def install(app) -> None:
    """Save `app`'s place and exit on SIGHUP or SIGTERM. Call from the main thread before the app runs."""
    if not SIGNALS:
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    for signum in SIGNALS:
        signal.signal(signum, _noted)
    threading.Thread(target=_watch, args=(app, read_end), name="bp-tui signals", daemon=True).start()


def _noted(_signum, _frame) -> None:
    """The Python-level handler: nothing to do, the watcher thread has been woken already."""


def _watch(app, wakeup: int) -> None:
    signum = 0
    while signum not in SIGNALS:  # every signal with a Python handler is written there (SIGWINCH...)
        byte = os.read(wakeup, 1)
        if not byte:
            return
        signum = byte[0]
    deadline = time.monotonic() + EXIT_WITHIN
    status = 128 + int(signum)
    hangup = signum == getattr(signal, "SIGHUP", None)
    if hangup:
        silence_terminal()
    saved = threading.Event()
    once = threading.Lock()

    def save() -> None:
        if once.acquire(blocking=False):
            save_place(app)
            saved.set()

    def on_loop() -> None:
        save()
        app.exit(return_code=status)

    def ask_loop() -> None:
        try:
            app.call_from_thread(on_loop)
        except Exception:  # noqa: BLE001 - no loop running (before start or after the end): save here
            save()

    threading.Thread(target=ask_loop, daemon=True).start()
    if not saved.wait(SAVE_WITHIN):
        threading.Thread(target=save, daemon=True).start()  # the loop is busy: save from here, if quick
    saved.wait(max(0.0, deadline - time.monotonic()))
    time.sleep(max(0.0, deadline - time.monotonic()))  # the app exits by itself meanwhile, normally
    end_now(status, restore=not hangup)


def leave(app, status: int, grace: float = 0.5) -> None:
    """After the app has gone: ask the computations still running in worker threads to stop, and if
    the interpreter's exit is still waiting for one of them `grace` seconds later, end the process."""
    stepper = getattr(app, "stepper", None)
    if stepper is not None:
        stepper.work.stop()
    timer = threading.Timer(grace, end_now, args=(status,))
    timer.daemon = True  # an exit that waits on no one ends before it fires
    timer.start()


def end_now(status: int, restore: bool = False) -> None:
    """End the process at once with `status` (no waiting on threads), output flushed first."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if restore:
        try:
            if os.isatty(2):
                os.write(2, RESTORE)
        except OSError:
            pass
    exit_without_waiting(status)


def save_place(app) -> str | None:
    """Save where the learner is; a one-line warning if that cannot be done. Never raises."""
    try:
        own = getattr(app, "save_place", None)
        if callable(own):
            return own()
        stepper = app.stepper
        scenario = stepper.scenario
        return progress.save(scenario.digest, progress.Place(stepper.epoch, stepper.k),
                             scenario.display_title)
    except Exception as exc:  # noqa: BLE001 - the terminal is gone: nothing could show it anyway
        return f"cannot save your place: {exc}"


def silence_terminal() -> None:
    """Standard input, output and error to /dev/null (the file descriptors, so Textual's threads follow)."""
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        try:
            os.dup2(null, fd)
        except OSError:
            pass
    os.close(null)
