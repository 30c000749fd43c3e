"""Two runs compared, in the error chart's place (key c): the error curve of a second scenario drawn
over this one's, and the epoch where each first falls below 10%, 1% and 0.1% of its start.

The second run has a stepper of its own, trained in a worker thread as far as this run has gone
(`completed` epochs): as rounds go by or a fast-forward ends, it is trained on, and the chart is
redrawn a few times a second while it catches up. Both curves are drawn by views.chart (log scale
where the errors span a decade, ● this run, ○ the other, ◉ both), the thresholds are the ones
`bp-tui compare` prints (study.compare.first_below), counted within the epochs on the chart.
"""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from ...engine.scenario import Scenario
from ...engine.stepper import Stepper
from ...study.compare import FRACTIONS, first_below, percent
from ...views.chart import MIN_HEIGHT, Series, chart_lines, clip
from ...views.styled import Line, span
from ..frame import Frame
from .panel import LinePanel

REDRAW_EVERY = 0.25  # seconds between redraws while the second run catches up
BUILT_IN = "built-in "


def run_label(scenario: Scenario) -> str:
    """How a run is named on the chart: the built-in's name or the file's name."""
    origin = scenario.origin
    if origin.startswith(BUILT_IN):
        return origin[len(BUILT_IN):].strip("'\"")
    return Path(origin).name or scenario.display_title


def threshold_lines(runs: list[tuple[str, list[float], int | None]], shown: int, width: int) -> list[Line]:
    """The first epoch each run's error is below 10%, 1% and 0.1% of its start, one row a run, within
    the `shown` epochs on the chart; then which run diverged, if one did."""
    cells = [[str(first_below(errors, f)) if first_below(errors, f) is not None else "—" for f in FRACTIONS]
             for _label, errors, _diverged in runs]
    columns = [max(len(percent(f)), *(len(row[i]) for row in cells)) for i, f in enumerate(FRACTIONS)]
    room = max(6, width - sum(c + 2 for c in columns))
    names = [f"{'●○'[i]} {label}" for i, (label, _e, _d) in enumerate(runs)]
    name_width = min(room, max(len("first below"), *map(len, names)))

    def row(first: str, values: list[str]) -> str:
        text = first if len(first) <= name_width else first[:name_width - 1] + "…"
        return f"{text:<{name_width}}" + "".join(f"  {v:>{c}}" for v, c in zip(values, columns))

    lines = [clip((span(row("first below", [percent(f) for f in FRACTIONS]), "title"),), width)]
    for i, values in enumerate(cells):
        lines.append(clip((span(row(names[i], values), f"series{i + 1}"),), width))
    notes = [f"{label} diverged at epoch {diverged}" for label, _e, diverged in runs if diverged is not None]
    if any("—" in values for values in cells):
        notes.append(f"— not within the {shown} epochs shown")
    lines += [clip((span(note, "dim"),), width) for note in notes]
    return lines


class ComparisonChart(LinePanel):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.other: Stepper | None = None  # the second run
        self.label = ""
        self._stop = threading.Event()  # set to stop the second run's worker
        self._worker: Worker | None = None
        self._redraws: Timer | None = None
        self._target = 0  # epochs the second run is to reach: as many as this run shows
        self._drawn_for: tuple | None = None

    def compare_with(self, label: str, scenario: Scenario) -> None:
        """Compare this run with a run of `scenario` from now on (replacing any comparison)."""
        self.close()
        self.other, self.label, self._stop = Stepper(scenario), label, threading.Event()
        self.border_title = f" error: ● this run, ○ {label} "
        self._drawn_for = None
        if self.frame is not None:
            self.watch_frame(self.frame)

    def close(self) -> None:
        """Stop comparing (the worker, if one runs, stops at its next epoch)."""
        self._stop.set()
        self.other, self._worker = None, None
        if self._redraws is not None:
            self._redraws.stop()
            self._redraws = None

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None or self.other is None:
            return
        self._target = frame.completed
        self.train()
        place = (frame.stepper, frame.completed, frame.edits, frame.diverged_at)
        if place != self._drawn_for:  # (a key inside a round leaves the chart as it is)
            self._drawn_for = place
            self.redraw()

    def train(self) -> None:
        """Train the second run as far as this one has gone, in a worker thread (one at a time)."""
        other = self.other
        if other is None or self._worker is not None or other.diverged_at is not None:
            return
        if other.computed >= self._target:
            return
        self._worker = self.run_worker(partial(other.extend_to, self._target, self._stop.is_set), thread=True,
                                       exit_on_error=False, group="comparison")
        self._redraws = self.set_interval(REDRAW_EVERY, self.redraw)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "comparison":
            return
        event.stop()
        if event.worker is not self._worker or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                                    WorkerState.CANCELLED):
            return
        self._worker = None
        if self._redraws is not None:
            self._redraws.stop()
            self._redraws = None
        if event.state == WorkerState.ERROR:
            self.notify(f"The second run stopped: {event.worker.error}", severity="error", markup=False)
        self.redraw()
        self.train()  # (this run may have gone further meanwhile)

    def on_unmount(self) -> None:
        self._stop.set()

    def lines_for(self, frame: Frame | None, width: int):
        other = self.other
        if frame is None or other is None or width <= 0:
            return []
        shown = frame.completed
        edited = " (edited)" if frame.edits else ""
        runs = [(run_label(frame.stepper.scenario) + edited, frame.stepper.errors[:shown + 1], frame.diverged_at),
                (self.label, other.errors[:shown + 1], other.diverged_at)]
        runs = [(label, errors, at if at is not None and at <= shown else None) for label, errors, at in runs]
        table = threshold_lines(runs, shown, width)
        if other.computed < shown and other.diverged_at is None:
            table.append((span(f"training {self.label}: epoch {other.computed} of {shown}…", "dim"),))
        height = self.scrollable_content_region.height
        series = [Series(f"{label}", errors) for label, errors, _d in runs]
        chart = chart_lines(series, width, max(MIN_HEIGHT, height - len(table)))
        return chart + table if shown else [Text("Both curves start after round 1: the chart follows this run "
                                                 "as it trains (enter finishes a round, f runs many).")] + table
