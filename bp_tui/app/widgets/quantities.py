"""Every quantity the current round has revealed, grouped under its phase, the current one marked.

Quantities with a figure from the scenario's [[expect]] list get ✓ when the figure agrees, ✗ and the
figure when it does not. The figure's note goes underneath when the panel is tall enough to keep
several quantities in view around it; otherwise the formula panel shows the current step's note.
The panel draws only the lines on screen (Textual's line API), so a round of thousands of sub-steps
costs no more per key than one of forty. A step repaints only the rows it changes (the new quantity,
the one that was current) unless the panel scrolls, and every drawn row is kept until the round ends.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_left
from typing import NamedTuple

from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...engine.records import num
from ..frame import BAD_MARK, CURRENT_MARK, HOT, OK_MARK, Frame, phase_title, shown
from .lines import DrawsAhead, FramedRows, QuickScrollBars


class Line(NamedTuple):
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


class QuantitiesPanel(DrawsAhead, QuickScrollBars, FramedRows, ScrollView, can_focus=False):
    frame: Frame | None = None  # set by update_frame

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._lines: list[Line] = []
        self._starts: list[int] = []  # the record of each line, for finding how many are revealed
        self._built_for: tuple | None = None  # (the round's records, width, notes or not)
        self._visible = 0
        self._title = ""
        self._drawn: tuple | None = None  # (records, k, masked) the rows on screen show
        self._rows: dict[tuple, Strip] = {}  # drawn rows, by line and state (see render_line)
        self._rows_style = None  # (visual style, rich style) the rows were drawn with

    def update_frame(self, frame: Frame | None) -> None:
        self.frame = frame
        if frame is not None:
            title = f" quantities · round {frame.epoch + 1} "
            if title != self._title:  # setting a title repaints the whole panel: only when it changes
                self._title = self.border_title = title
            self.rebuild()
            self.draw_ahead(frame)

    def warm_frame(self, frame: Frame) -> None:
        """Make and frame the rows the panel would show at `frame` (of the round on screen)."""
        if self._built_for is None or self._built_for[0] is not frame.records or self._rows_style is None:
            return
        region = self.scrollable_content_region
        visible = bisect_left(self._starts, frame.k)
        top = min(self.top_for(visible, self.scroll_offset.y, region.height, True), self.max_scroll_y)
        framed = self._framing()
        for index in range(top, min(top + region.height, visible)):
            line = self._lines[index]
            current = line.record == frame.k - 1
            masked = current and frame.masked
            key = (index, current, masked, self.scroll_offset.x, region.width)
            strip = self._rows.get(key)
            if strip is None:
                strip = self._rows[key] = self.draw_row(line, current, masked, key[3], key[4], self._rows_style[1])
            self.framed_row(strip, framed)

    def on_resize(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        frame = self.frame
        if frame is None:
            return
        region = self.scrollable_content_region
        with_notes = region.height >= NOTES_MIN_HEIGHT
        built, rebuilt = self._built_for, False
        if built is None or built[0] is not frame.records or built[1:] != (region.width, with_notes):
            # A new round (or size): lay out all its lines once.
            key = (frame.records, region.width, with_notes)
            self._built_for, self._lines = key, round_lines(frame, region.width, with_notes)
            self._starts = [line.record for line in self._lines]
            widest = max((len(self.plain(line)) for line in self._lines), default=0)
            # The whole round's height, so a step changes no size (a new layout costs more than the
            # rest of a key press); lines not revealed yet are drawn blank, below the current one.
            self.virtual_size = Size(widest, len(self._lines))
            self._rows.clear()
            rebuilt = True
        before, scrolled = self._drawn, self.scroll_offset
        self._drawn = (frame.records, frame.k, frame.masked)
        self._visible = bisect_left(self._starts, frame.k)
        one_step = before is not None and before[0] is frame.records and abs(frame.k - before[1]) == 1
        top = min(self.top_for(self._visible, scrolled.y, region.height, one_step), self.max_scroll_y)
        if top != scrolled.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        if rebuilt or before is None or before[0] is not frame.records or self.scroll_offset != scrolled:
            self.refresh()
        else:
            self.refresh_changed(before[1], frame.k)

    @staticmethod
    def top_for(visible: int, top: int, height: int, one_step: bool) -> int:
        """The first line to show when `visible` lines are revealed and `top` is shown now.

        The current quantity (and its notes) is the last revealed line and must be in view. After a
        jump (a phase, a round, a resume) it goes to the bottom, under as many earlier quantities as
        fit. When a single step takes it out of view, the panel moves by half its height instead
        of a line: the current line lands in the middle, and the next few steps leave the panel
        still, repainting two rows instead of all of them (over SSH, a few lines per key)."""
        if visible <= height:
            return 0
        if top < visible <= top + height:
            return top
        return visible - ((height + 1) // 2 if one_step else height)

    def refresh_changed(self, k_before: int, k: int) -> None:
        """Repaint the rows whose lines were revealed, hidden or (un)marked current by moving from
        sub-step k_before to k: those of records k_before - 1 .. k - 1 (either way round)."""
        low, high = sorted((k_before, k))
        first = bisect_left(self._starts, max(0, low - 1))
        last = bisect_left(self._starts, high)
        top = self.scroll_offset.y
        shown = self.scrollable_content_region  # (not the scrollbar: a step leaves it alone)
        rows = range(max(first, top), min(last, top + shown.height))
        if rows:
            self.refresh(Region(0, rows.start - top, shown.width, len(rows)))

    @staticmethod
    def plain(line: Line) -> str:
        if line.kind == "quantity":
            return f"  {line.text} {line.value} {line.mark}"
        return line.text

    def render_line(self, y: int) -> Strip:
        return self.content_rows(y, 1, 0)[0]

    def content_rows(self, first: int, count: int, _width: int) -> list[Strip]:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        visual_style = self.visual_style
        if self._rows_style is None or self._rows_style[0] != visual_style:
            self._rows_style = (visual_style, self.rich_style)
            self._rows.clear()
        style = self._rows_style[1]
        frame, rows = self.frame, []
        for index in range(scroll_y + first, scroll_y + first + count):
            if index >= self._visible or frame is None:
                blank = self._rows.get(width)  # one blank row object, so the framed row is kept too
                if blank is None:
                    blank = self._rows[width] = Strip.blank(width, style)
                rows.append(blank)
                continue
            line = self._lines[index]
            current = line.record == frame.k - 1
            masked = current and frame.masked  # quiz mode: the value, its mark and notes wait for the answer
            key = (index, current, masked, scroll_x, width)
            strip = self._rows.get(key)
            if strip is None:
                strip = self._rows[key] = self.draw_row(line, current, masked, scroll_x, width, style)
            rows.append(strip)
        return rows

    def draw_row(self, line: Line, current: bool, masked: bool, scroll_x: int, width: int, style) -> Strip:
        text = Text(style=style, no_wrap=True, end="")
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
