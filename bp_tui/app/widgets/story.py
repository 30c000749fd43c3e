"""The story of what the learner selected, in the step panel's place (s, tab, a click: screens/point.py).

The text is bp_tui.study.story's: the selection's value now, a saturated or dead neuron's reason,
its history over the rounds, then every sub-step so far that involves it, formula and numbers. The
panel keeps the current sub-step's lines in view when they are part of the story, else its top.
Formulas hold brackets: each line is a rich Text, never markup.
"""

from __future__ import annotations

from rich.text import Text

from ...study.story import StoryLine, story
from ..frame import Frame
from .chain_rule import hanging
from .panel import LinePanel

STYLES = {"title": "bold", "say": "italic", "mark": "bold reverse", "history": "", "math": ""}


class StoryPanel(LinePanel):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._story: tuple[tuple, list[StoryLine]] | None = None
        self._records: list[int] = []  # per row: the sub-step its line tells about (-1: none)

    def story_of(self, frame: Frame) -> list[StoryLine]:
        """The story at `frame` (kept while only what it does not depend on changes)."""
        sample = frame.current.sample if frame.current is not None and frame.current.sample is not None else 0
        key = (frame.stepper, frame.epoch, frame.edits, frame.selected, frame.shown_count, sample)
        if self._story is None or self._story[0] != key:
            self._story = (key, story(frame.stepper, frame.shown_count, frame.selected, sample))
        return self._story[1]

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is not None and frame.selected:
            title = f" {frame.selected}: its story in round {frame.epoch + 1} · tab: the next one · s: back "
            if title != self.border_title:
                self.border_title = title
        self.redraw()

    def lines_for(self, frame: Frame | None, width: int) -> list[Text]:
        if frame is None or not frame.selected or width <= 0:
            return []
        lines, records = [], []
        for line in self.story_of(frame):
            if line.kind == "math":
                rows = hanging(line.text, width)
            else:
                rows = [Text(line.text, style=STYLES[line.kind])]
            lines += rows
            records += [line.record] * len(rows)
        if frame is self.frame:
            self._records = records
        return lines

    def rows_to_keep_in_view(self) -> tuple[int, int]:
        frame = self.frame
        current = frame.k - 1 if frame is not None else -1
        rows = [y for y, record in enumerate(self._records) if record == current]
        return (rows[0], rows[-1] - rows[0] + 1) if rows else (0, 1)
