"""Losing the terminal (SIGHUP, as when an SSH connection drops): save the learner's place, then exit.

By default SIGHUP kills the process on the spot and the place is lost. `install` replaces that, before
the app runs, with a handler that

1. points standard input and output at /dev/null, so that nothing Textual still writes while it shuts
   down can fail on the dead terminal (or block behind a writer that failed), and reading gives EOF;
2. saves the place, through the app's own `save_place()` when it has one (that also keeps the quiz
   score), else straight through `progress.save`;
3. asks the app to exit, with status 128 + SIGHUP (129), the shell's number for "ended by SIGHUP".

The handler itself only does step 1: steps 2 and 3 run on the event loop, between two messages, so
the stepper is never read halfway through a move. When no loop is running (before the app has started
or after it has finished) it saves and exits at once.
"""

from __future__ import annotations

import asyncio
import os
import signal

from ..study import progress

HANGUP_STATUS = 128 + int(getattr(signal, "SIGHUP", 1))


def install(app) -> None:
    """Save `app`'s place and exit when the terminal hangs up. Call from the main thread."""
    if not hasattr(signal, "SIGHUP"):
        return
    state = {"handled": False}

    def on_hangup(_signum, _frame) -> None:
        if state["handled"]:
            return
        state["handled"] = True
        silence_terminal()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            save_place(app)
            raise SystemExit(HANGUP_STATUS) from None
        loop.call_soon_threadsafe(save_and_exit, app)

    signal.signal(signal.SIGHUP, on_hangup)


def save_and_exit(app) -> None:
    save_place(app)
    app.exit(return_code=HANGUP_STATUS)


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
