"""The training-set error per epoch: the first and the current error written out, then a small chart.

The chart is bp_tui.views.chart's compact one: its axis is logarithmic only when the errors span a
decade or more, and otherwise linear over at least 5% of the largest error, so a change in the sixth
digit (softmax-cross-entropy's first round, 1.105732 to 1.105631) looks as small as it is. The line
under the bars gives the axis's bounds to the digits in which they differ; the numbers above them,
to 9 decimals, carry the precision.

In quiz mode nothing here gives a value away before it is asked: the error before training is
written only once round 1 has shown a sub-step with that value (E_total, for the article's network),
and the error after a round only once the round is done (Frame.completed).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..frame import Frame, shown
from .panel import LinePanel

HIDDEN = "?"  # an error the quiz has not shown yet
NO_CURVE = "the curve starts after round 1"
MAX_POINTS = 512  # a long run is charted from this many evenly spaced epochs (the chart is narrower)


def sample(errors: Sequence[float], count: int) -> list[float]:
    """The errors after 0 .. count-1 epochs, thinned to at most MAX_POINTS, first and last kept (so
    a run that diverged still ends on its first value that is not finite)."""
    if count <= MAX_POINTS:
        return list(errors[:count])
    stride = (count - 1) / (MAX_POINTS - 1)
    return [errors[round(i * stride)] for i in range(MAX_POINTS)]


def first_error_index(frame: Frame) -> int | None:
    """The sub-step of round 1 whose value is the error before training (None: no sub-step is)."""
    first = frame.stepper.errors[0]
    return next((step.index for step in frame.window(0, frame.count) if step.value == first), None)


def epoch_line(epoch: int, width: int, value: str) -> Text:
    return Text.assemble(f"epoch {epoch:<{width}}  ", (value, "bold"), no_wrap=True, overflow="ellipsis")


class ErrorChart(LinePanel):
    """Two lines of numbers, then the chart in the rows left (at least COMPACT_MIN's height; on a
    short terminal the chart is what gets left out)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._plotted: tuple | None = None
        self._shown: tuple[list[Text], Sequence[float]] = ([], [])  # (lines of numbers, errors charted)
        self._first_at: tuple | None = None  # (stepper, edits, index): where round 1 shows the first error

    def first_hidden(self, frame: Frame) -> bool:
        """In quiz mode, before the value of the error before training has been shown in round 1."""
        if not frame.quiz or frame.completed:
            return False
        key = (frame.stepper, frame.edits)
        if self._first_at is None or self._first_at[:2] != key:
            self._first_at = (*key, first_error_index(frame))
        index = self._first_at[2]
        return index is None or index >= frame.shown_count

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        stepper = frame.stepper
        # (An edit recomputes the errors from the epoch it applies at: the chart follows it.)
        key = (stepper, frame.completed, frame.diverged_at, frame.edits, self.first_hidden(frame))
        if key != self._plotted:  # (most keys leave the chart as it is)
            self._plotted = key
            self.plot(stepper.errors, frame.completed + 1, hide_first=key[-1])

    def plot(self, errors: Sequence[float], count: int, hide_first: bool = False) -> None:
        """Plot the first `count` errors (the list may be growing in a worker: it is not copied whole)."""
        last = count - 1
        width = len(str(last))
        lines = [epoch_line(0, width, HIDDEN if hide_first else shown(errors[0]))]
        if last:
            lines.append(epoch_line(last, width, shown(errors[last])))
        self._shown = (lines, sample(errors, count))
        self.redraw()

    def lines_for(self, frame: Frame | None, width: int) -> list:
        labels, errors = self._shown
        lines = [line.copy() for line in labels]
        if len(errors) < 2:  # (the first frame: the chart's module waits until there is a curve)
            return lines + [Text(NO_CURVE, style="dim", no_wrap=True, overflow="ellipsis")]
        from ...views.chart import COMPACT_MIN, compact_lines

        rows = self.scrollable_content_region.height - len(labels)
        return lines + (compact_lines(errors, width, rows) if rows >= COMPACT_MIN[1] else [])

    def prepare(self, frame: Frame) -> None:
        pass  # (the chart changes at a round's end only)
