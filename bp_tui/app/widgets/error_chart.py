"""The training-set error per epoch as bars, with its numbers written above them.

A sparkline stretches its data from the lowest bar to the highest, so a bare one would
show a fall from 0.2984 to 0.2910 as dramatically as a fall to 0.00004. Here the bars are the log
of the error and both ends of the scale are labelled; the first and the current error are written
out to 9 decimals, so the numbers, not the bar heights, carry the precision.

A long run is plotted from at most MAX_POINTS evenly spaced epochs (always the first and the last):
the bars are a few dozen columns wide anyway, and redrawing 100,000 points several times a second
during a fast-forward would slow the run it is showing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fractions import Fraction

from rich.text import Text

from ..frame import Frame, shown
from .panel import LinePanel

MAX_POINTS = 512


def sample(errors: Sequence[float], count: int) -> list[float]:
    """The errors after 0 .. count-1 epochs, thinned to at most MAX_POINTS, first and last kept."""
    if count <= MAX_POINTS:
        return list(errors[:count])
    stride = count / (MAX_POINTS - 1)
    return [errors[min(count - 1, round(i * stride))] for i in range(MAX_POINTS)]


def chart_labels(errors: Sequence[float], count: int, plotted: list[float]) -> tuple[Text, Text, Text]:
    """(first error, current error, what the bar heights mean)."""
    last = count - 1
    width = len(str(last))
    first = Text.assemble(f"epoch {0:<{width}}  ", (shown(errors[0]), "bold"))
    now = Text.assemble(f"epoch {last:<{width}}  ", (shown(errors[last]), "bold")) if last else Text("")
    finite = [e for e in plotted if math.isfinite(e) and e > 0]
    if len(finite) < 2:
        scale = Text("the curve starts after round 1", style="italic")
    else:
        scale = Text(f"log scale: ▁ {min(finite):.3g} … █ {max(finite):.3g}", style="italic")
        if len(finite) < len(plotted):
            scale.append(" (stops where values became inf/NaN)")
    return first, now, scale


BARS = "▁▂▃▄▅▆▇█"
MAX_BAR_ROWS = 8


def bar_rows(values: Sequence[float], width: int, height: int) -> list[str]:
    """The values as bars `height` rows tall in `width` columns, scaled from the least value to the
    greatest (as Textual's Sparkline draws them): each column is the greatest value of its share of
    the data."""
    if width <= 0 or height <= 0 or len(values) < 2:
        return []
    low, high = min(values), max(values)
    extent, levels = high - low or 1, len(BARS) * height - 1
    step = Fraction(len(values), width)
    heights = []
    for column in range(width):
        share = values[int(step * column):max(int(step * column) + 1, int(step * (column + 1)))]
        heights.append(int((max(share) - low) / extent * levels))
    rows = []
    for row in reversed(range(height)):
        bottom = row * len(BARS)
        rows.append("".join(" " if h < bottom else "█" if h >= bottom + len(BARS) else BARS[h - bottom]
                            for h in heights))
    return rows


class ErrorChart(LinePanel):
    """Three lines of numbers, then the bars of the log of the error in the rows left (at most
    MAX_BAR_ROWS; on a short terminal the bars are what gets squeezed out)."""

    COMPONENT_CLASSES = {"error-chart--bars"}
    DEFAULT_CSS = "ErrorChart > .error-chart--bars { color: $primary; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._plotted: tuple | None = None
        self._shown: tuple = ((), [])  # (the three lines of numbers, the log errors the bars show)

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        stepper = frame.stepper
        key = (stepper, frame.completed, frame.diverged_at)
        if key != self._plotted:  # (most keys leave the chart as it is)
            self._plotted = key
            self.plot(stepper.errors, frame.completed + 1)

    def plot(self, errors: Sequence[float], count: int) -> None:
        """Plot the first `count` errors (the list may be growing in a worker: it is not copied)."""
        plotted = sample(errors, count)
        logs = [math.log10(e) for e in plotted if math.isfinite(e) and e > 0]
        self._shown = (chart_labels(errors, count, plotted), logs)
        self.redraw()

    def lines_for(self, frame: Frame | None, width: int) -> list[Text]:
        labels, logs = self._shown
        bars = bar_rows(logs, width, min(MAX_BAR_ROWS, self.scrollable_content_region.height - len(labels)))
        style = self.get_component_rich_style("error-chart--bars")
        lines = [line.copy() for line in labels]
        for line in lines:
            line.no_wrap, line.overflow = True, "ellipsis"
        return lines + [Text(row, style=style, no_wrap=True) for row in bars]

    def prepare(self, frame: Frame) -> None:
        pass  # (the chart changes at a round's end only)
