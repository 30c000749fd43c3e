"""The training-set error per epoch as a sparkline, with its numbers written beside it.

Textual's Sparkline stretches its data from the lowest bar to the highest, so a bare one would
show a fall from 0.2984 to 0.2910 as dramatically as a fall to 0.00004. Here the bars are the log
of the error and both ends of the scale are labelled; the first and the current error are written
out to 9 decimals, so the numbers, not the bar heights, carry the precision.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import Sparkline, Static

from ..frame import Frame, shown


def chart_labels(errors: list[float]) -> tuple[Text, Text, Text]:
    """(first error, current error, what the bar heights mean)."""
    last = len(errors) - 1
    width = len(str(last))
    first = Text.assemble(f"epoch {0:<{width}}  ", (shown(errors[0]), "bold"))
    now = Text.assemble(f"epoch {last:<{width}}  ", (shown(errors[-1]), "bold")) if last else Text("")
    finite = [e for e in errors if math.isfinite(e) and e > 0]
    if len(finite) < 2:
        scale = Text("the curve starts after round 1", style="italic")
    else:
        scale = Text(f"log scale: ▁ {min(finite):.3g} … █ {max(finite):.3g}", style="italic")
        if len(finite) < len(errors):
            scale.append(" (stops where values became inf/NaN)")
    return first, now, scale


class ErrorChart(Vertical):
    frame: var[Frame | None] = var(None)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._plotted: tuple | None = None

    def compose(self) -> ComposeResult:
        # Numbers first, bars last: on a short terminal the bars are what gets squeezed out.
        yield Static(markup=False, classes="first")
        yield Static(markup=False, classes="now")
        yield Static(markup=False, classes="scale")
        yield Sparkline([], classes="curve")

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        stepper = frame.stepper
        key = (stepper, frame.completed, frame.diverged_at)
        if key != self._plotted:
            self._plotted = key
            self.plot(stepper.errors[: frame.completed + 1])

    def plot(self, errors: list[float]) -> None:
        first, now, scale = chart_labels(errors)
        self.query_one(".first", Static).update(first, layout=False)
        self.query_one(".now", Static).update(now, layout=False)
        self.query_one(".scale", Static).update(scale, layout=False)
        logs = [math.log10(e) for e in errors if math.isfinite(e) and e > 0]
        curve = self.query_one(Sparkline)
        curve.display = len(logs) >= 2  # one point would fill the whole widget and mean nothing
        curve.data = logs
