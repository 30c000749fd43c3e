"""A timer whose callback never runs once it has been stopped.

Textual's `Timer.stop()` cancels the timer's task, and the cancel lands at the task's next await.
When the timer runs late, its wait for the next tick can be under half a millisecond, which Textual
does not sleep at all, so nothing is awaited and the callback runs once more after `stop()`.
For a redraw that is harmless; for auto-play it stepped past the quiz question it had just asked
(seen on a loaded CI machine), and for the status line it cleared a message as soon as it was shown.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class StoppableTimer:
    """`owner.set_interval` (or `set_timer` when `once`), with a `stop()` that is final."""

    def __init__(self, owner: MessagePump, seconds: float, callback: Callable[[], object], once: bool = False):
        self.callback = callback
        self.running = True
        start = owner.set_timer if once else owner.set_interval
        self.timer: Timer = start(seconds, self.tick)

    def tick(self) -> None:
        """What Textual calls at each tick: the callback, unless stopped meanwhile."""
        if self.running:
            self.callback()

    def stop(self) -> None:
        self.running = False
        self.timer.stop()
