"""Every quantity the current round has revealed, grouped under its phase, the current one marked.

Quantities with a figure from the scenario's [[expect]] list get ✓ when the figure agrees, ✗ and the
figure when it does not. The figure's note goes underneath when the panel is tall enough to keep
several quantities in view around it; otherwise the formula panel shows the current step's note.
The panel draws only the lines on screen (Textual's line API), so a round of thousands of sub-steps
costs no more per key than one of forty.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_left
from dataclasses import dataclass

from rich.text import Text
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...records import num
from ..frame import BAD_MARK, CURRENT_MARK, HOT, OK_MARK, Frame, phase_title, shown


@dataclass(frozen=True)
class Line:
    record: int  # the record it belongs to: shown once that record is revealed
    kind: str  # "heading", "quantity" or "note"
    text: str  # heading or note text; for a quantity, its name
    value: str = ""
    mark: str = ""


NOTES_MIN_HEIGHT = 12  # rows of panel needed before notes are written under their quantities


def round_lines(frame: Frame, width: int, with_notes: bool) -> list[Line]:
    """The lines of the whole round; a prefix of them is on screen."""
    stepper = frame.stepper
    records = frame.records
    name_width = max(len(step.quantity) for step in records)
    value_width = max(len(shown(step.value)) for step in records)
    lines, heading = [], None
    for i, step in enumerate(records):
        title = phase_title(step, frame.samples)
        if title != heading:
            heading = title
            lines.append(Line(i, "heading", title))
        check = stepper.expectation(step)
        mark = "" if check is None else (OK_MARK if check.ok else BAD_MARK)
        lines.append(Line(i, "quantity", step.quantity.ljust(name_width), shown(step.value).rjust(value_width), mark))
        if check is not None:
            notes = [] if check.ok else [f"{BAD_MARK} expected {num(check.expect.value)}"]
            notes += [check.expect.note] if check.expect.note and with_notes else []
            for note in notes:
                for part in textwrap.wrap(note, max(10, width - 4)):
                    lines.append(Line(i, "note", "    " + part))
    return lines


class QuantitiesPanel(ScrollView, can_focus=False):
    frame: var[Frame | None] = var(None)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lines: list[Line] = []
        self._starts: list[int] = []  # the record of each line, for finding how many are revealed
        self._built_for: tuple | None = None  # (the round's records, width, notes or not)
        self._visible = 0

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is not None:
            self.border_title = f" quantities · round {frame.epoch + 1} "
            self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        frame = self.frame
        if frame is None:
            return
        region = self.scrollable_content_region
        with_notes = region.height >= NOTES_MIN_HEIGHT
        built = self._built_for
        if built is None or built[0] is not frame.records or built[1:] != (region.width, with_notes):
            # A new round (or size): lay out all its lines once.
            key = (frame.records, region.width, with_notes)
            self._built_for, self._lines = key, round_lines(frame, region.width, with_notes)
            self._starts = [line.record for line in self._lines]
            widest = max((len(self.plain(line)) for line in self._lines), default=0)
            # The whole round's height, so a step changes no size (a new layout costs more than the
            # rest of a key press); lines not revealed yet are drawn blank, below the current one.
            self.virtual_size = Size(widest, len(self._lines))
        self._visible = bisect_left(self._starts, frame.k)
        self.refresh()
        # The current quantity (and its notes) is the last revealed line: keep it at the bottom.
        self.scroll_to(y=max(0, self._visible - region.height), animate=False, immediate=True)

    @staticmethod
    def plain(line: Line) -> str:
        if line.kind == "quantity":
            return f"  {line.text} {line.value} {line.mark}"
        return line.text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= self._visible or self.frame is None:
            return Strip.blank(width, style)
        line = self._lines[index]
        text = Text(style=style, no_wrap=True, end="")
        current = line.record == self.frame.k - 1
        masked = current and self.frame.masked  # quiz mode: the value, its mark and notes wait for the answer
        if line.kind == "heading":
            text.append(line.text, style="bold underline")
        elif line.kind == "note":
            text.append("" if masked else line.text, style="italic")
        else:
            text.append(f"{CURRENT_MARK} " if current else "  ")
            value = "?".rjust(len(line.value)) if masked else line.value
            text.append(f"{line.text} {value}", style=HOT if current else "")
            text.append("" if masked else f" {line.mark}", style="bold")
        strip = Strip(text.render(self.app.console), text.cell_len)
        return strip.crop_extend(scroll_x, scroll_x + width, style)
