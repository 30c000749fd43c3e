"""Error curves as styled lines: a chart with axes for one or two runs, and a compact one for a panel.

Honest scaling (issue 19.7). A chart that stretches its data from the lowest value to the highest
turns a change in the sixth digit into a cliff. Here an axis is logarithmic only when the values
span at least a decade (LOG_FROM); otherwise it is linear and spans at least REL_FLOOR of its
largest value, centred on the data, so a change smaller than that looks small. Its bounds are
printed with as many significant digits as it takes for them to differ (at least three), so the
numbers under the eye say what the heights show.

Runs stop at their first value that is not finite (the epoch a run diverged): nothing is drawn
after it. Everything here is a pure function of its arguments, so the app, the command line and
the exports draw the same picture; curves are told apart by glyph, not only by colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import groupby
from typing import NamedTuple

from .styled import Line, span

REL_FLOOR = 0.05  # a linear axis spans at least 5% of its largest value
LOG_FROM = 10.0  # a log axis once the largest value is ten times the smallest
GLYPHS = ("●", "○")  # series 1 and 2 (tags series1, series2)
BOTH = "◉"  # where the two curves share a cell
BARS = " ▁▂▃▄▅▆▇█"  # eighths of a cell, for the compact chart
MIN_WIDTH, MIN_HEIGHT = 24, 6  # the chart with axes; the compact one needs COMPACT_MIN
COMPACT_MIN = (8, 2)


class Series(NamedTuple):
    label: str
    values: Sequence[float]  # the value after 0, 1, 2, ... epochs


class Axis(NamedTuple):
    lo: float
    hi: float
    log: bool

    def fraction(self, value: float) -> float:
        """Where a value sits on the axis: 0 at the bottom, 1 at the top (clipped)."""
        lo, hi = self.lo, self.hi
        if self.log:
            value, lo, hi = math.log10(max(value, lo)), math.log10(lo), math.log10(hi)
        if hi == lo:
            return 0.5
        return min(1.0, max(0.0, (value - lo) / (hi - lo)))

    @property
    def kind(self) -> str:
        return "log" if self.log else "lin"


def axis_between(lo: float, hi: float) -> Axis:
    """The axis for values from lo to hi (finite): log over a decade or more, else linear with a floor."""
    if lo > 0 and hi / lo >= LOG_FROM:
        return Axis(lo, hi, True)
    least = REL_FLOOR * max(abs(lo), abs(hi))
    if hi - lo < least:
        middle = (lo + hi) / 2
        lo, hi = middle - least / 2, middle + least / 2
    return Axis(lo, hi, False)


def finite_run(values: Sequence[float]) -> Sequence[float]:
    """The values before the first one that is not finite (all of them when none is)."""
    try:
        if math.isfinite(sum(values)):  # one pass in C for the usual case
            return values
    except OverflowError:
        pass
    for index, value in enumerate(values):
        if not math.isfinite(value):
            return values[:index]
    return values


def differing_digits(lo: float, hi: float, least: int = 3) -> int:
    """How many significant digits it takes for lo and hi to print differently (at least `least`)."""
    for digits in range(least, 17):
        if f"{lo:.{digits}g}" != f"{hi:.{digits}g}":
            return digits
    return 17


def bounds_text(lo: float, hi: float) -> tuple[str, str]:
    """lo and hi printed to the digits in which they differ."""
    digits = differing_digits(lo, hi)
    return f"{lo:.{digits}g}", f"{hi:.{digits}g}"


def needs_room(what: str, width: int, height: int) -> list[Line]:
    return [(span(f"{what} needs at least {width}×{height} cells", "dim"),)]


# --- the chart with axes ------------------------------------------------------------------

def chart_lines(series: Sequence[Series], width: int, height: int, x_label: str = "epoch") -> list[Line]:
    """One or two curves on shared axes, `height` lines of at most `width` cells.

    The first line is the legend, then the plot with the y axis labelled at its bounds (and each
    decade between on a log axis), then the x axis from epoch 0 to the longest run's last epoch.
    """
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return needs_room("the chart", MIN_WIDTH, MIN_HEIGHT)
    runs = [finite_run(s.values) for s in series]
    drawn = [run for run in runs if len(run)]
    if not drawn:
        return [legend(series, width), (span("no finite value to draw", "dim"),)]
    axis = axis_between(min(min(run) for run in drawn), max(max(run) for run in drawn))
    rows = height - 3
    labels = y_labels(axis, rows)
    label_width = max(len(text) for text in labels.values()) + 1
    plot_width = width - label_width - 1
    last_epoch = max(len(s.values) for s in series) - 1
    cells = [[0] * plot_width for _ in range(rows)]
    for bit, run in enumerate(runs):
        for column, (low, high) in enumerate(column_spans(run, axis, plot_width, last_epoch)):
            for row in range(round((1 - high) * (rows - 1)), round((1 - low) * (rows - 1)) + 1):
                cells[row][column] |= 1 << bit
    lines = [legend(series, width)]
    for row, bits in enumerate(cells):
        label = labels.get(row, "")
        lines.append((span(f"{label:>{label_width - 1}} {'┤' if label else '│'}", "axis"),
                      *plot_row(bits)))
    lines.append((span(" " * label_width + "└" + "─" * plot_width, "axis"),))
    lines.append((span(" " * (label_width + 1) + x_axis_text(last_epoch, plot_width, x_label, axis), "axis"),))
    return lines


def y_labels(axis: Axis, rows: int) -> dict[int, str]:
    """Row -> label: the bounds always, the middle (linear) or the decades (log) where there is room."""
    top, bottom = bounds_text(axis.lo, axis.hi)[::-1]
    labels = {0: top, rows - 1: bottom}
    inner: list[tuple[float, str]] = []
    if axis.log:
        first, last = math.ceil(math.log10(axis.lo)), math.floor(math.log10(axis.hi))
        inner = [(10.0 ** k, f"{10.0 ** k:g}") for k in range(first, last + 1)]
    elif rows >= 5:
        middle = (axis.lo + axis.hi) / 2
        inner = [(middle, f"{middle:.{differing_digits(axis.lo, axis.hi)}g}")]
    for value, text in inner:
        row = round((1 - axis.fraction(value)) * (rows - 1))
        if all(abs(row - taken) >= 2 for taken in labels):
            labels[row] = text
    return labels


def column_spans(run: Sequence[float], axis: Axis, columns: int, last_epoch: int):
    """(low, high) axis fractions each column of the plot covers, joined to the column before.

    With more epochs than columns a column covers a stretch of epochs (its lowest and highest
    values show, so an oscillation stays visible); with fewer, values between two epochs are
    interpolated so the curve is continuous. A run that stops early yields fewer columns.
    """
    count = len(run)
    if not count:
        return
    previous = None
    for column in range(columns):
        if last_epoch + 1 > columns:
            start = column * (last_epoch + 1) // columns
            stop = min((column + 1) * (last_epoch + 1) // columns, count)
            if start >= count:
                return
            part = run[start:stop]
            low, high, last = axis.fraction(min(part)), axis.fraction(max(part)), axis.fraction(part[-1])
        else:
            if column and not last_epoch:
                return  # epoch 0 alone: one point, at the left
            t = column * last_epoch / (columns - 1)
            before = math.floor(t)
            if before >= count or (t > before and before + 1 >= count):
                return
            low = high = last = axis.fraction(run[before])
            if t > before:  # between two epochs: as far along the way to the next as t is
                low = high = last = last + (t - before) * (axis.fraction(run[before + 1]) - last)
        if previous is not None:
            low, high = min(low, previous), max(high, previous)
        previous = last
        yield low, high


CELLS = {0: span(" "), 1: span(GLYPHS[0], "series1"), 2: span(GLYPHS[1], "series2"),
         3: span(BOTH, "series1", "series2")}  # by which series pass through a cell (bit 0: the first)


def plot_row(bits: list[int]) -> tuple:
    """One row of the plot as spans: runs of cells with the same glyph share a span."""
    return tuple(CELLS[key]._replace(text=CELLS[key].text * len(list(run))) for key, run in groupby(bits))


def legend(series: Sequence[Series], width: int) -> Line:
    parts: list = []
    for index, s in enumerate(series[:2]):
        parts.append(span(f"{GLYPHS[index]} {s.label}", f"series{index + 1}"))
        parts.append(span("  "))
    if len(series) > 1:
        parts.append(span(f"{BOTH} both", "series1", "series2"))
    return clip(tuple(parts), width)


def clip(line: Line, width: int) -> Line:
    """A line cut to `width` cells, the cut marked with …."""
    total = sum(len(s.text) for s in line)
    if total <= width:
        return line
    kept, room = [], width - 1
    for s in line:
        if room <= 0:
            break
        kept.append(s._replace(text=s.text[:room]))
        room -= len(kept[-1].text)
    return (*kept, span("…"))


def x_axis_text(last_epoch: int, plot_width: int, x_label: str, axis: Axis) -> str:
    middle = f"{x_label}   (error: {'log' if axis.log else 'linear'} scale)"
    right = str(last_epoch)
    gap = plot_width - 1 - len(right)
    if len(middle) + 2 > gap:
        middle = x_label if len(x_label) + 2 <= gap else ""
    left = "0" + " " * ((gap - len(middle)) // 2) + middle
    return left + " " * (plot_width - len(left) - len(right)) + right


# --- the compact chart for a small panel ----------------------------------------------------

def compact_lines(values: Sequence[float], width: int, height: int) -> list[Line]:
    """A small error chart: `height - 1` rows of bars and a line with the axis's bounds.

    For the app's error panel (about 30×6). The bars span the honest axis above, not the data's
    own range; the last line reads e.g. `log ▁ 3.51e-05 … █ 0.298`: what the lowest and the
    highest bar stand for, to the digits in which they differ.
    """
    if width < COMPACT_MIN[0] or height < COMPACT_MIN[1]:
        return needs_room("the error chart", *COMPACT_MIN)
    run = finite_run(values)
    if len(run) < 2:
        return [(span("the curve starts after round 1", "dim"),)]
    picked = thinned(run, width)
    axis = axis_between(min(picked), max(picked))
    rows = height - 1
    eighths = [max(1, round(axis.fraction(v) * rows * 8)) for v in picked]
    lines = []
    for row in range(rows - 1, -1, -1):
        text = "".join(BARS[min(8, max(0, e - 8 * row))] for e in eighths)
        lines.append((span(text, "series1"),))
    lines.append(compact_label(axis, len(run) < len(values), width))
    return lines


def thinned(run: Sequence[float], columns: int) -> list[float]:
    """One value per column: evenly spaced epochs (first and last kept), or stretched when fewer."""
    count = len(run)
    if count >= columns:
        return [run[round(c * (count - 1) / (columns - 1))] for c in range(columns)] if columns > 1 else [run[-1]]
    return [run[c * count // columns] for c in range(columns)]


def compact_label(axis: Axis, stopped: bool, width: int) -> Line:
    """`log ▁ low … █ high`, shortened to fit; `then inf/NaN` where the run diverged (its last
    value is not drawn)."""
    low, high = bounds_text(axis.lo, axis.hi)
    texts = (f"{axis.kind} ▁ {low} … █ {high}", f"{axis.kind} ▁{low}…█{high}", f"▁{low}…█{high}")
    endings = (" then inf/NaN", " ✗inf/NaN") if stopped else ()
    tries = [text + ending for text in texts for ending in endings] + list(texts)
    fitting = next((text for text in tries if len(text) <= width), texts[-1])
    return clip((span(fitting, "axis"),), width)
