"""One row above the footer for short news: saved, exported, opened, resumed, a key refused.

Textual's notifications are toasts over the screen, on top of the step being read, the error chart or
a dialog's border. This line has a row of its own, so what it says covers nothing; the app sends
every notification here (BackpropApp.notify). A message stays until the next one or for its timeout;
with none, the line lists the study keys the footer has no room for.

A message is fitted into the row: a path in it loses folders from the left (…/name) before anything
else, so a file name is never split or cut; only then is the end of the sentence cut.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from ..timers import StoppableTimer

# The keys the footer has no room for, with no news to show: at 80 columns the ones a learner looks
# for first (play and point at something before the study boxes); every key where the row has room.
IDLE = "p play · s select · k quiz · y figures · x export · e edit · ctrl+p more"
IDLE_WIDE = "p play · s select · k quiz · y figures · x export · g grad check · e edit · w save · ctrl+p more"
DEFAULT_TIMEOUT = 8.0  # seconds a message stays when nothing replaces it
MARKS = {"warning": "⚠ ", "error": "✗ "}


def shorten_path(path: str, room: int) -> str:
    """The path with as many leading folders replaced by … as it takes to fit in `room` cells (down to
    …/name: the name itself is never cut)."""
    parts = path.split("/")
    for start in range(1, len(parts)):
        if len(path) <= room:
            break
        path = "…/" + "/".join(parts[start:])
    return path


def fit(message: str, width: int) -> str:
    """The message in one row of `width` cells: paths shortened first, then the end cut."""
    if len(message) <= width:
        return message
    words = message.split(" ")
    paths = sorted((i for i, word in enumerate(words) if "/" in word.strip("/")), key=lambda i: -len(words[i]))
    for i in paths:
        excess = len(" ".join(words)) - width
        if excess <= 0:
            break
        words[i] = shorten_path(words[i], len(words[i]) - excess)
    message = " ".join(words)
    return message if len(message) <= width else message[: max(0, width - 1)] + "…"


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $panel; }
    StatusLine.-idle { color: $text-muted; }
    """

    class Said(Message, bubble=False):
        """Posted with every message the line shows (in full, before it is fitted to the row), for
        a test or a log to read."""

        def __init__(self, text: str, severity: str):
            super().__init__()
            self.text, self.severity = text, severity

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.message = ""  # what the line says now ("" when idle)
        self.severity = "information"
        self._timer: StoppableTimer | None = None
        self.add_class("-idle")

    def say(self, message: str, severity: str = "information", timeout: float | None = None) -> None:
        """Show one line of news until the next, or for `timeout` seconds (DEFAULT_TIMEOUT if None)."""
        self.message, self.severity = " ".join(message.split()), severity
        self.post_message(self.Said(self.message, severity))
        # A message cut to fit the row is whole in the tooltip, under the mouse.
        self.tooltip = self.message if len(self.message) + 2 > self.size.width else None
        if self._timer is not None:
            self._timer.stop()
        self._timer = StoppableTimer(self, max(timeout or DEFAULT_TIMEOUT, 1.0), self.clear, once=True)
        self.remove_class("-idle")
        self.refresh()

    def clear(self) -> None:
        self.message, self._timer, self.tooltip = "", None, None
        self.add_class("-idle")
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        if not self.message:
            return Text(fit(IDLE_WIDE if len(IDLE_WIDE) <= width else IDLE, width), style="italic")
        mark = MARKS.get(self.severity, "")
        style = "bold reverse" if self.severity == "error" else "bold" if self.severity == "warning" else ""
        return Text(mark + fit(self.message, width - len(mark)), style=style, no_wrap=True, overflow="crop")
