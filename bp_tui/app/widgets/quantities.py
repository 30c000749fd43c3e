"""Every quantity the current round has revealed, grouped under its phase, the current one marked.

A quantity with a figure from the scenario's [[expect]] list carries that figure's label
(bp_tui.engine.expectations): whole when the row has room (`✓ article 0.593269992`), else in short
(`✓ article`), with the whole label on the line under it when it says more than agreement (`article
prints 0.291027924`, or what was expected when the run does not give it). After an edit the figures
describe the file as written, not this run: the quantities leave them out (the step panel says
"from the unedited scenario"). The figure's note goes underneath when the panel is tall enough to
keep several quantities in view around it; otherwise the step panel shows the current step's note.
A figure from the learner's own page gets a line of its own under the quantity, with its verdict.

Only revealed quantities are listed, so the current one is always the last: the panel shows the last
rows that fit, the rows above the current one filling it as far as they exist, and scrolls no more
than a step needs. The lines of a round are made as the learner reaches them (read through the
stepper a window at a time) and each row is drawn only when it is on screen, so a round of thousands
of sub-steps costs no more per key than one of forty. On a round of LARGE_ROUND sub-steps or more, a
jump further than LISTED sub-steps (enter) lists only the last LISTED of them, under a line saying
how many come before.
"""

from __future__ import annotations

import textwrap
from bisect import bisect_left
from typing import NamedTuple

from rich.text import Text
from textual.strip import Strip

from ...engine.expectations import CHECK, MISMATCH, SOURCE, SOURCE_DIFFERS, FigureLabel
from ...engine.stuck import flat_slope
from ..frame import BAD_MARK, CURRENT_MARK, HOT, LARGE_ROUND, OK_MARK, Frame, phase_title, shown
from .panel import LinePanel


class Line(NamedTuple):
    record: int  # the record it belongs to: shown once that record is revealed
    kind: str  # "heading", "quantity" or "note"
    text: str  # heading or note text; for a quantity, its name
    value: str = ""
    mark: str = ""
    style: str = "italic"  # of a note


NOTES_MIN_HEIGHT = 12  # rows of panel needed before notes are written under their quantities
NAME_WIDTH = 16  # names are padded to this (or to the longest one so far), so the values line up
VALUE_WIDTH = 12
LISTED = 24  # sub-steps listed at most after a jump (a record of a wide layer takes ~0.5 ms to make)


def label_parts(label: FigureLabel | None, room: int) -> tuple[str, list[str]]:
    """(what the row carries after the value, the lines under it) for a figure's label."""
    if label is None or label.kind not in (SOURCE, SOURCE_DIFFERS, CHECK, MISMATCH):
        return "", []  # (none, or from the unedited scenario: the step panel says so)
    if len(label.text) <= room:
        return label.text, []
    if label.kind == CHECK:
        return f"{OK_MARK} check", []
    if label.kind == SOURCE:
        return label.text.rsplit(" ", 1)[0], []  # "✓ article": the figure is the value on the row
    if label.kind == MISMATCH:
        return BAD_MARK, [label.text]
    return f"≠ {label.text.split(' prints ')[0]}", [label.text]  # "≠ article" over "article prints 0.291027924"


def step_lines(frame: Frame, index: int, step, heading: str | None, width: int, with_notes: bool) -> list[Line]:
    """The lines of record `index`: its phase's heading when a new phase starts, the quantity, notes."""
    lines = []
    title = phase_title(step, frame.samples)
    if title != heading:
        lines.append(Line(index, "heading", title))
    check = frame.stepper.expectation(step)
    label = None if check is None else check.label
    flat = flat_slope(step.quantity, step.value, frame.stepper.scenario.activations[step.layer - 1]) if step.layer else ""
    figure, under = label_parts(label, width - (NAME_WIDTH + VALUE_WIDTH + 4 + 2 * bool(flat)))
    mark = f"{flat} {figure}".rstrip() if flat else figure  # (a slope that barely lets the error through: ≈, or ⊘)
    lines.append(Line(index, "quantity", step.quantity, shown(step.value), mark))
    notes = [(text, "bold") for text in under]
    if figure and label.note and with_notes:
        notes.append((label.note, "italic"))
    if frame.figures is not None:  # (the learner's page: its module is loaded with the first one)
        from .figures import mark_text

        yours = mark_text(frame, step)
        notes += [] if yours is None else [(yours, "bold")]
    for note, style in notes:
        lines += [Line(index, "note", "    " + part, style=style) for part in textwrap.wrap(note, max(10, width - 4))]
    return lines


class QuantitiesPanel(LinePanel):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._round: tuple | None = None  # which round, width and notes setting the lines are for
        self._lines: list[Line] = []  # the lines of records 0 .. _built - 1
        self._starts: list[int] = []  # the record of each line (to find how many lines are revealed)
        self._built = 0
        self._heading: str | None = None  # the last phase heading made
        self._name_width = NAME_WIDTH
        self._shown: tuple | None = None  # (round, k, masked) of the rows on screen
        self._visible = 0  # lines revealed
        self._drawn: dict[tuple, Strip] = {}  # rows by (line, current, masked)
        self._title_round = 0

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is not None and frame.epoch + 1 != self._title_round:  # (a new title repaints the panel)
            self._title_round = frame.epoch + 1
            self.border_title = f" quantities · round {frame.epoch + 1} "
        self.redraw()

    def build(self, frame: Frame, width: int, with_notes: bool) -> None:
        """Make the lines of the round's records up to the current one (once per round and size)."""
        key = (frame.stepper, frame.epoch, frame.edits, width, with_notes, frame.figures)
        first = self._starts[0] if self._starts else self._built
        jump = frame.k - self._built > LISTED and frame.count >= LARGE_ROUND
        if key != self._round or jump or 0 < first >= frame.k:
            self._round, self._lines, self._starts, self._built, self._heading = key, [], [], 0, None
            self._name_width, self._drawn = NAME_WIDTH, {}
            if frame.k > LISTED and frame.count >= LARGE_ROUND:  # (a round of millions: the last few)
                self._built = frame.k - LISTED
                self._lines, self._starts = [Line(self._built, "note", f"… {self._built:,} sub-steps before these")], \
                    [self._built]
        if frame.k <= self._built:
            return
        for index, step in enumerate(frame.window(self._built, frame.k), start=self._built):
            lines = step_lines(frame, index, step, self._heading, width, with_notes)
            self._heading = phase_title(step, frame.samples)
            self._lines += lines
            self._starts += [line.record for line in lines]
            if len(step.quantity) > self._name_width:
                self._name_width, self._drawn = len(step.quantity), {}  # the values move right: draw again
        self._built = frame.k

    def redraw(self) -> None:
        frame, width = self.frame, self.content_width
        if frame is None or not self.is_mounted or width <= 0:
            return
        height = self.scrollable_content_region.height
        self.build(frame, width, height >= NOTES_MIN_HEIGHT)
        before, self._shown = self._shown, (self._round, frame.k, frame.masked)
        self._visible = bisect_left(self._starts, frame.k)
        if self.set_scroll_height(self._visible) or before is None or before[0] != self._round:
            self.refresh()  # (a new scrollbar, a new round: every row may move)
        else:
            # The rows of the records between the old current one and the new one (either way round).
            low, high = sorted((before[1], frame.k))
            first = bisect_left(self._starts, max(0, low - 1))
            self.refresh_lines(first, bisect_left(self._starts, high) - first)
        if frame.k:
            current = bisect_left(self._starts, frame.k - 1)
            self.keep_in_view(current, self._visible - current)

    def lines_for(self, frame: Frame | None, width: int) -> list[Text]:
        return []  # (rows are drawn one at a time, only when on screen: see row_at)

    def prepare(self, frame: Frame) -> None:
        """Make the next record's lines, and draw the rows that will be on screen then."""
        width, height = self.content_width, self.scrollable_content_region.height
        if width <= 0 or self._round is None or self._round[:3] != (frame.stepper, frame.epoch, frame.edits) \
                or self._round[-1] is not frame.figures:
            return
        self.build(frame, width, height >= NOTES_MIN_HEIGHT)
        visible = bisect_left(self._starts, frame.k)
        for index in range(max(0, visible - height), visible):
            self.drawn_row(index, self._lines[index].record == frame.k - 1, False)

    def total_rows(self) -> int:
        return self._visible

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn = {}

    def row_at(self, index: int) -> Strip:
        frame = self.frame
        if frame is None or index >= self._visible:
            return self.blank_row()
        current = self._lines[index].record == frame.k - 1
        return self.drawn_row(index, current, current and frame.masked)  # (masked: the value waits for an answer)

    def drawn_row(self, index: int, current: bool, masked: bool) -> Strip:
        key = (index, current, masked)
        strip = self._drawn.get(key)
        if strip is None:
            text = self.line_text(self._lines[index], current, masked)
            strip = self._drawn[key] = self.wrapped(text, self.content_width)[0]
        return strip

    def line_text(self, line: Line, current: bool, masked: bool) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        if line.kind == "heading":
            text.append(line.text, style="bold underline")
        elif line.kind == "note":
            text.append("" if masked else line.text, style=line.style)
        else:
            text.append(f"{CURRENT_MARK} " if current else "  ")
            value = "?" if masked else line.value
            text.append(f"{line.text:<{self._name_width}} {value:>{VALUE_WIDTH}}", style=HOT if current else "")
            text.append("" if masked else f" {line.mark}", style="bold")
        return text
