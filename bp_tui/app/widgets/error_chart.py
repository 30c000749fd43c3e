"""The training-set error per epoch as a sparkline, with its numbers written beside it.

Textual's Sparkline stretches its data from the lowest bar to the highest, so a bare one would
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

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

from ..frame import Frame, shown

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


class ErrorChart(Vertical):
    """Three lines of numbers, then the bars (mounted with the first curve to draw, after round 1:
    on a short terminal the bars are what gets squeezed out)."""

    frame: var[Frame | None] = var(None)  # bound to the screen's frame

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._plotted: tuple | None = None
        self._labels: tuple | None = None
        self._curve: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static(markup=False, id="chart-numbers")

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        stepper = frame.stepper
        key = (stepper, frame.completed, frame.diverged_at)
        if key != self._plotted:
            self._plotted = key
            self.plot(stepper.errors, frame.completed + 1)

    def plot(self, errors: Sequence[float], count: int) -> None:
        """Plot the first `count` errors (the list may be growing in a worker: it is not copied)."""
        plotted = sample(errors, count)
        labels = chart_labels(errors, count, plotted)
        if labels != self._labels:
            self._labels = labels
            self.query_one("#chart-numbers", Static).update(Text("\n").join(labels))
        logs = [math.log10(e) for e in plotted if math.isfinite(e) and e > 0]
        drawn = len(logs) >= 2  # one point would fill the whole widget and mean nothing
        if self._curve is None:
            if not drawn:
                return
            from textual.widgets import Sparkline  # (with its statistics module: after round 1, not at start-up)

            self._curve = Sparkline(logs)
            self.mount(self._curve)
            return
        self._curve.display = drawn
        self._curve.data = logs
