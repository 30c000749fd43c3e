"""One line at the top: the scenario's title on the left, where the learner is on the right.

The position (round, sample, phase, step k of n) matters more than the title, so on a narrow
terminal the title is the part that gets shortened. After an edit (e) the position starts with
"edited network": what is on screen is no longer the scenario as written. The title is scenario text: it is drawn as a
rich Text, never parsed as markup, so a title like "x[i] and [W]" shows exactly as written.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from ..frame import LARGE_ROUND, Frame, divergence_text, phase_title
from .panel import changed_columns


def positions(frame: Frame) -> tuple[str, str]:
    """The position in full, then in short for narrow terminals."""
    step = frame.current
    if step is None:
        where = "not started"
    elif frame.round_done:
        where = "done" if frame.diverged_at is not None else "done, space: next round"
    else:
        where = phase_title(step, frame.samples)
    edited = "edited network · " if frame.edits else ""  # (the scenario's figures no longer apply)
    if frame.count >= LARGE_ROUND:  # "step 0 of 11109241" would not say what a step is at that scale
        each = frame.stepper.plan(frame.epoch).blocks[0].size
        full = f"{edited}round {frame.epoch + 1} · {where} · sub-step {frame.k:,} of {frame.count:,}"
        if frame.samples > 1:
            full += f" ({each:,} a sample)"
        return full, f"{'edited · ' if frame.edits else ''}round {frame.epoch + 1} · sub-step {frame.k:,}/{frame.count:,}"
    full = f"{edited}round {frame.epoch + 1} · {where} · step {frame.k} of {frame.count}"
    return full, f"{'edited · ' if frame.edits else ''}round {frame.epoch + 1} · step {frame.k}/{frame.count}"


def header_line(frame: Frame | None, width: int) -> Text:
    if frame is None:
        return Text("")
    title, (full, short), diverged = frame.stepper.scenario.display_title, positions(frame), divergence_text(frame)
    right = Text()
    if frame.playing:  # (auto-play and its pace: screens/play.py)
        right.append(f" {frame.playing} ", style="reverse bold")
        right.append(" ")
    if diverged:
        right.append(f" {diverged} ", style="reverse bold")
        right.append("  ")
    # The full position if it leaves the title some room, else the short one.
    right.append(full if right.cell_len + len(full) + 12 <= width else short, style="bold")
    room = width - right.cell_len - 2
    # No room: no title (rich's truncate to 0 would keep it whole and push the status off the line).
    left = Text(title, no_wrap=True) if room > 1 else Text("")
    left.truncate(max(0, room), overflow="ellipsis")
    gap = max(1, width - left.cell_len - right.cell_len)
    return Text.assemble(left, " " * gap, right, no_wrap=True, overflow="ellipsis")


class StatusHeader(Widget):
    """Drawn with the Line API: one row, rendered once per distinct text (it changes on every key)."""

    DEFAULT_CSS = "StatusHeader { height: 1; padding: 0 1; background: $panel; }"

    frame: var[Frame | None] = var(None)  # bound to the screen's frame

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rows: dict[tuple, Strip] = {}  # the row for this frame, and for the one drawn ahead
        self._row: Strip | None = None  # the row on screen
        self._ahead: tuple | None = None  # (frame, width, row) drawn ahead (see prepare)

    def row_for(self, frame: Frame | None) -> Strip:
        width = self.size.width
        ahead = self._ahead
        if ahead is not None and ahead[0] == frame and ahead[1] == width:
            return ahead[2]  # (drawn ahead: the key that shows it builds no text)
        text = header_line(frame, width)
        key = (text.plain, tuple(text.spans), width)
        row = self._rows.get(key)
        if row is None:
            if len(self._rows) > 8:
                self._rows.clear()
            base = self.rich_style
            row = Strip(list(text.render(self.app.console, end="")), text.cell_len).apply_style(base)
            row = self._rows[key] = row.crop_extend(0, width, base)
        return row

    def prepare(self, frame: Frame) -> None:
        self._ahead = (frame, self.size.width, self.row_for(frame))

    def watch_frame(self) -> None:
        before, self._row = self._row, None
        columns = None if before is None else changed_columns(before, self.render_line(0))
        if before is None or columns is not None:  # (only the columns that changed go to the terminal)
            start, end = columns or (0, self.size.width)
            self.refresh(Region(start, 0, end - start, 1))

    def on_resize(self) -> None:
        self._row = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row, self._rows, self._ahead = None, {}, None

    def render_line(self, y: int) -> Strip:
        if self._row is None or self._row.cell_length != self.size.width:
            self._row = self.row_for(self.frame)
        return self._row if y == 0 else Strip.blank(self.size.width, self.rich_style)
