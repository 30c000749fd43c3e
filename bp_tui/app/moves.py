"""Moves that may take long, off the UI thread: a round of millions of sub-steps (16 layers of 64).

Inside a round every move costs milliseconds, but the end of a large round is computed when it is
first shown (enter, or ] or space across it), and stepping back into a round means replaying it from
the nearest checkpoint: a second or more on the largest scenarios. On such a round a move runs in a
Textual thread worker while the status line says what is being computed and how far it has got
(engine.work.Work), and any key stops it: the stepper then stays where it was, and the epochs
already trained are kept. On a small round a move runs at once, as before (the key path's speed).

While a move runs nothing else reads the stepper: the screen draws no frame ahead and keys only
stop the move.
"""

from __future__ import annotations

import sys
from typing import Callable

from textual.timer import Timer

from ..engine.work import Stopped
from .frame import LARGE_ROUND

PROGRESS_EVERY = 0.1  # seconds between two updates of the progress line
FIRST_PROGRESS = 0.04  # seconds a move runs before the progress line appears (most end sooner)
# While a worker computes, the UI thread waits for the interpreter up to the switch interval (5 ms)
# each time it needs it, and a key takes it dozens of times: a shorter interval answers keys sooner.
SWITCH_INTERVAL = 0.0005


class BackgroundMoves:
    def __init__(self, screen):
        self.screen = screen
        self.busy = False
        self._timer: Timer | None = None
        self._shown = False

    def run(self, move: Callable[[], bool], then: Callable[[bool], None]) -> None:
        """Run `move` (a stepper move) and hand its result to `then` on the UI thread: at once on a
        small round, in a worker thread on a large one."""
        stepper = self.screen.stepper
        if stepper.count < LARGE_ROUND:
            then(move())
            return
        self.busy, self._shown = True, False
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        stepper.work.resume()
        self._timer = self.screen.set_interval(PROGRESS_EVERY, self.progress)
        self.screen.set_timer(FIRST_PROGRESS, self.progress)  # (a key is answered within 100 ms)
        self.screen.run_worker(lambda: self.compute(move, then), thread=True, exit_on_error=False,
                               group="move", description="a stepper move")

    def compute(self, move, then) -> None:
        """In the worker thread: the move, then `finish` on the UI thread."""
        work = self.screen.stepper.work
        try:
            result: bool | Stopped | Exception = move()
            if work.stopping:  # (training stopped short returns what it reached rather than raising)
                result = Stopped(work.what)
        except Stopped as stopped:
            result = stopped
        except Exception as error:  # noqa: BLE001 - said in the status line, never a traceback
            result = error
        try:
            self.screen.app.call_from_thread(self.finish, result, then)
        except RuntimeError:
            pass  # (the app has gone meanwhile)

    def finish(self, result, then) -> None:
        self.busy = False
        sys.setswitchinterval(self._interval)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        work = self.screen.stepper.work
        what = work.what
        work.resume()
        if isinstance(result, Stopped):
            self.screen.say(f"Stopped ({what or 'a computation'}): the rounds already trained are kept.")
            self.screen.show()
        elif isinstance(result, Exception):
            self.screen.say(f"The move failed: {result}")
            self.screen.show()
        else:
            if self._shown:
                self.screen.say("Done.", timeout=2)
            then(result)

    def stop(self) -> None:
        """Ask the running move to stop (a key was pressed)."""
        if self.busy:
            self.screen.stepper.work.stop()
            # (Said at once: the written-out kernel finishes the epoch it is in, up to about 1.3 s.)
            self.screen.say("Stopping at the next sample or epoch…")

    def progress(self) -> None:
        """The progress line: what is computed, how far it has got, and that a key stops it."""
        work = self.screen.stepper.work
        if not self.busy or work.stopping:
            return
        self._shown = True
        done = f" ({100 * work.done // work.total}%)" if work.total else ""
        # (The key first: at 80 columns the end of a long line is cut.)
        self.screen.say(f"Any key stops · computing {work.what or 'the round'}{done}", timeout=PROGRESS_EVERY * 20)
