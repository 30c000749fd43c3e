"""A long computation's progress, and a way to stop it from another thread.

The stepper's computations (replaying epochs from a checkpoint, passing a round's samples, a
fast-forward) report here as they go, so a screen can show a progress line while a worker thread
computes, and a key can stop them: `stop()` makes the next report raise `Stopped`, and the
computation unwinds without changing where the stepper is.
"""

from __future__ import annotations

import threading


class Stopped(Exception):
    """The computation was asked to stop (Work.stop) before it was done."""


class Work:
    def __init__(self):
        self.what = ""  # what is being computed, in a few words ("round 12: sample 30 of 60")
        self.done = 0
        self.total = 0
        self._stop = threading.Event()
        self.stop_asked = self._stop.is_set  # cheap enough to ask between two epochs of a tiny network

    def begin(self, what: str, total: int) -> None:
        self.what, self.done, self.total = what, 0, total

    def tick(self, done: int) -> None:
        """Report progress; raises Stopped once stop() has been called."""
        self.done = done
        if self._stop.is_set():
            raise Stopped(self.what)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Ask the computation under way (and any started before `resume`) to stop."""
        self._stop.set()

    def resume(self) -> None:
        """Let computations run again after a stop."""
        self._stop.clear()
        self.what, self.done, self.total = "", 0, 0
