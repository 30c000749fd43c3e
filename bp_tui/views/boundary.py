"""The decision boundary: a two-input network's output over the input plane, as styled lines.

Each cell is one point of the plane (its centre), shaded ░ ▒ ▓ █ by the network's output there,
so the picture reads without colour; the tags shade1..shade4 let a surface colour it too. The
training samples are marked on top with their targets, and each first-hidden-layer neuron's line,
where its net input is zero, can be drawn over it (those lines are what the hidden layer cuts the
plane with; the output layer combines the pieces).

Several outputs: with softmax the outputs are one distribution over classes, and what the network
decides at a point is its most probable class, so the picture shows the winning class (a shade per
class). Other outputs are independent of each other (two sigmoids need not add up to anything), so
each gets its own picture, side by side.

Cost: a BoundaryView keeps its grid of points (views.plane) between redraws, so each picture costs
one forward pass per cell plus the shading. Measured on the README's 2-core machine: at 40x12
cells (245 points) 1.5 ms for `xor-online` and 2.7 ms for `softmax-cross-entropy`, with the
engine's forward pass point by point; at 80x24 (1,500 points, numpy) 1.1 and 2.8 ms.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter

from ..engine.network import Params
from ..engine.scenario import Scenario
from .chart import clip, needs_room
from .plane import GridForward, plane_for
from .styled import Line, Span, span

SHADES = "░▒▓█"
SHADE_TAGS = ("shade1", "shade2", "shade3", "shade4")
SHADE_CELLS = [span(glyph, tag) for glyph, tag in zip(SHADES, SHADE_TAGS)]
UNKNOWN = span("·", "dim")  # an output that is not finite (a diverged network)
MARK = frozenset({"focus"})  # a sample's mark: lines and labels go around it
CLASS_LETTERS = "abcdefghijklmnopqrstuvwxyz"  # regions when there are more classes than shades
MIN_COLUMNS, MIN_ROWS = 8, 4  # a picture smaller than this shows nothing readable
tags_of = attrgetter("tags")
BOUNDED = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "tanh": (-1.0, 1.0)}


def unsupported(scenario: Scenario) -> str | None:
    """Why this scenario has no boundary picture (one line), or None when it has one."""
    if scenario.layers[0] != 2:
        return f"the decision boundary is drawn for networks with two inputs; this one has {scenario.layers[0]}"
    return None


class BoundaryView:
    """The picture of one scenario at one size; `lines(params)` draws it for any parameters.

    Made once per scenario and size (the grid and the forward pass's set-up are kept), then asked
    for a picture each time the parameters change: as rounds go by, during a fast-forward.
    """

    def __init__(self, scenario: Scenario, width: int, height: int, hidden_lines: bool = False):
        self.scenario, self.width, self.height, self.hidden_lines = scenario, width, height, hidden_lines
        self.problem = unsupported(scenario)
        if self.problem:
            return
        names = scenario.layout.neuron_names
        self.x_name, self.y_name = names[0]
        self.outputs = names[-1]
        self.winner = scenario.activations[-1] == "softmax" and len(self.outputs) > 1
        self.pictures = 1 if self.winner else len(self.outputs)
        plane = plane_for(scenario, 1, 1)
        self.y_labels = (f"{plane.y1:g}", self.y_name, f"{plane.y0:g}")
        self.label_width = max(map(len, self.y_labels)) + 1
        columns = (width - self.label_width - 2 * (self.pictures - 1)) // self.pictures
        # the legend's figures depend on the outputs when they are unbounded: plan for the widest
        widest = None if scenario.activations[-1] in BOUNDED else (lambda value: "-1.11e+111")
        self.legend_lines = len(self.legend_for(self.value_ranges(None), widest))
        rows = height - 2 - self.legend_lines
        self.too_small = columns < MIN_COLUMNS or rows < MIN_ROWS
        if self.too_small:
            return
        self.plane = plane._replace(columns=columns, rows=rows)
        self.grid = GridForward(scenario, self.plane.points())

    def needed(self) -> tuple[int, int]:
        """The least width and height at which this view draws a picture."""
        return (self.label_width + self.pictures * MIN_COLUMNS + 2 * (self.pictures - 1),
                2 + self.legend_lines + MIN_ROWS)

    def lines(self, params: Params) -> list[Line]:
        if self.problem:
            return [(span(self.problem, "dim"),)]
        if self.too_small:
            return needs_room("the decision boundary", *self.needed())
        outputs = self.grid.outputs(params)
        ranges = self.value_ranges(outputs)
        cells = [self.shaded(outputs, j, ranges) for j in range(self.pictures)]
        missing = {}
        for j, picture in enumerate(cells):
            self.mark_samples(picture, j, ranges)
            if self.hidden_lines:
                missing = self.draw_hidden_lines(picture, params)
        legend = self.legend_for(ranges, missing=missing)
        return self.assemble(cells) + (legend + [()] * self.legend_lines)[:self.legend_lines]

    # --- shading -----------------------------------------------------------------------------

    def value_ranges(self, outputs: list[list[float]] | None) -> list[tuple[float, float]]:
        """The output range each picture's four shades divide: the activation's own range when it
        is bounded, else the range of every target and output drawn (one for all pictures, so
        one legend reads them all)."""
        bounded = BOUNDED.get(self.scenario.activations[-1])
        if not bounded:
            seen = [t for targets in self.scenario.targets for t in targets]
            seen += [o for out in outputs or () for o in out if math.isfinite(o)]
            low, high = min(seen), max(seen)
            bounded = (low, high) if high > low else (low - 0.5, high + 0.5)
        return [bounded] * len(self.outputs)

    def shaded(self, outputs: list[list[float]], j: int, ranges) -> list[list[Span]]:
        """One picture's cells, row by row, each a one-character span (shared, not built per cell)."""
        if self.winner:
            glyphs = SHADES if len(self.outputs) <= len(SHADES) else CLASS_LETTERS
            palette = [span(glyphs[k % len(glyphs)], SHADE_TAGS[k % 4]) for k in range(len(self.outputs))]
            cells = [palette[k] if k is not None else UNKNOWN for k in map(self.class_of, outputs)]
        else:
            low, high = ranges[j]
            scale = 4 / (high - low)
            cells = []
            for out in outputs:
                value = out[j]
                if value - value == 0:  # finite (inf - inf and NaN - NaN are NaN)
                    level = int((value - low) * scale)
                    cells.append(SHADE_CELLS[3 if level > 3 else 0 if level < 0 else level])
                else:
                    cells.append(UNKNOWN)
        columns = self.plane.columns
        return [cells[start:start + columns] for start in range(0, len(cells), columns)]

    @staticmethod
    def class_of(out: list[float]) -> int | None:
        if not all(map(math.isfinite, out)):
            return None
        return max(range(len(out)), key=out.__getitem__)

    # --- what goes on top ----------------------------------------------------------------------

    def mark_samples(self, picture, j: int, ranges) -> None:
        """Each training sample's cell shows its target for output j: ● high / ○ low, or, in the
        winning-class picture, its class's letter."""
        for x, targets in zip(self.scenario.inputs, self.scenario.targets):
            column, row = self.plane.cell_of(*x)
            if self.winner:
                mark = chr(ord("A") + self.class_of(list(targets)) % 26)
            else:
                low, high = ranges[j]
                mark = "●" if targets[j] >= (low + high) / 2 else "○"
            picture[row][column] = span(mark, "focus")

    def draw_hidden_lines(self, picture, params: Params) -> dict[str, str]:
        """Where each first-hidden-layer neuron's net input is zero, one cell per row or column.
        Neurons whose lines fall on the same cells (twins, as in `symmetry`) share one label.
        Returns the neurons whose line misses the plane shown, each with the side of 0 its net
        input keeps there ("below" for a ReLU neuron that has died)."""
        if len(self.scenario.layers) < 3:
            return {}
        names = self.scenario.layout.neuron_names[1]
        drawn: dict[tuple, list[str]] = {}
        missing = {}
        plane = self.plane
        for j, (w0, w1) in enumerate(params.weights[0]):
            bias = first_layer_bias(params, self.scenario.bias, j)
            cells, glyph = self.line_cells(w0, w1, bias)
            if not cells:
                middle = w0 * (plane.x0 + plane.x1) / 2 + w1 * (plane.y0 + plane.y1) / 2 + bias
                if math.isfinite(middle):
                    missing[names[j]] = "above" if middle > 0 else "below"
                continue
            drawn.setdefault(tuple(cells), []).append(names[j])
            stroke = span(glyph, "strong")
            for col, row in cells:
                if picture[row][col].tags != MARK:
                    picture[row][col] = stroke
        for cells, twins in drawn.items():
            self.label_line(picture, "=".join(twins), cells)
        return missing

    def line_cells(self, w0: float, w1: float, bias: float) -> tuple[list[tuple[int, int]], str]:
        """The cells (column, row) the line w0*x + w1*y + bias = 0 crosses, and its stroke."""
        plane = self.plane
        a = w0 * (plane.x1 - plane.x0) / plane.columns  # the net input's change per column right
        b = w1 * (plane.y1 - plane.y0) / plane.rows  # ... and per row up
        c = w0 * plane.x0 + w1 * plane.y1 + bias  # ... and its value at the top-left corner
        if not all(map(math.isfinite, (a, b, c))) or (a == 0 and b == 0):
            return [], ""
        if abs(b) >= abs(a):  # shallow: one cell per column
            cells = [(col, math.floor((a * (col + 0.5) + c) / b)) for col in range(plane.columns)]
        else:
            cells = [(math.floor((b * (row + 0.5) - c) / a), row) for row in range(plane.rows)]
        inside = [(col, row) for col, row in cells if 0 <= col < plane.columns and 0 <= row < plane.rows]
        return inside, line_glyph(a, b)

    @staticmethod
    def label_line(picture, name: str, cells: Sequence[tuple[int, int]]) -> None:
        """The neurons' name beside one end of their line, where it covers no sample's mark."""
        for column, row in (cells[0], cells[-1]):
            width = len(picture[row])
            for start in (column + 1, column - len(name)):
                spot = range(start, start + len(name))
                if start >= 0 and spot.stop <= width and all(picture[row][i].tags != MARK for i in spot):
                    for i, char in zip(spot, name):
                        picture[row][i] = span(char, "strong")
                    return

    # --- the frame around the pictures ---------------------------------------------------------

    def assemble(self, pictures) -> list[Line]:
        plane, gap = self.plane, "  "
        titles = ["winning class"] if self.winner else [f"out_{name}" for name in self.outputs]
        head = gap.join(f"{title[:plane.columns]:<{plane.columns}}" for title in titles)
        lines = [(span(" " * self.label_width), span(head, "title"))]
        label_rows = {0: self.y_labels[0], plane.rows // 2: self.y_labels[1], plane.rows - 1: self.y_labels[2]}
        for r in range(plane.rows):
            line = [span(f"{label_rows.get(r, ''):>{self.label_width - 1}} ", "axis")]
            for p, picture in enumerate(pictures):
                if p:
                    line.append(span(gap))
                line.extend(Span("".join(s.text for s in run), tags) for tags, run in groupby(picture[r], key=tags_of))
            lines.append(tuple(line))
        left, right = f"{plane.x0:g}", f"{plane.x1:g}"
        middle = f"{self.x_name} →"
        inner = plane.columns - len(left) - len(right)
        axis = left + f"{middle:^{inner}}" + right if inner >= len(middle) + 2 else f"{left:<{plane.columns}}"
        lines.append((span(" " * self.label_width + gap.join([axis[:plane.columns]] * len(pictures)), "axis"),))
        return lines

    def legend_for(self, ranges, figure=None, missing=None) -> list[Line]:
        """What the shades and marks mean, wrapped to the view's width (`figure` writes a number;
        `missing`: the hidden neurons whose line is not in the picture, as draw_hidden_lines says)."""
        figure = figure or (lambda value: f"{value:.3g}")
        items: list[tuple] = []
        if self.winner:
            for k, name in enumerate(self.outputs):
                glyph = SHADES[k] if len(self.outputs) <= len(SHADES) else CLASS_LETTERS[k % 26]
                items.append((span(glyph, SHADE_TAGS[k % 4]), span(f" {name} wins")))
            if len(self.outputs) <= len(SHADES):
                letters = " ".join(chr(ord("A") + k) for k in range(len(self.outputs)))
                items.append((span(letters, "focus"), span(f" samples whose target is {' '.join(self.outputs)}")))
            else:
                items.append((span("A B …", "focus"), span(f" samples by target class (A: {self.outputs[0]})")))
        else:
            low, high = ranges[0]
            cuts = [figure(low + (high - low) * k / 4) for k in range(1, 4)]
            shades = []
            for k, glyph in enumerate(SHADES):
                shades += [span(glyph, SHADE_TAGS[k]), span(f"<{cuts[k]} " if k < 3 else f"≥{cuts[2]}")]
            items.append(tuple(shades))
            middle = figure((low + high) / 2)
            items.append((span("●", "focus"), span(f" target ≥{middle} "), span("○", "focus"), span(f" <{middle}")))
        lines = wrap(items, self.width)
        if self.hidden_lines and len(self.scenario.layers) > 2:  # a line of its own, whatever it says
            lines.append(clip(hidden_lines_key(self.scenario.layout.neuron_names[1], missing or {}), self.width))
        return lines


def hidden_lines_key(names: Sequence[str], missing: dict[str, str]) -> Line:
    """The legend of the hidden neurons' lines: which are drawn, and for those not in the plane
    shown, the side of 0 their net input keeps all over it."""
    drawn = [name for name in names if name not in missing]
    parts = [f"net input 0 on the lines named {' '.join(drawn)}"] if drawn else []
    for side in ("above", "below"):
        group = [name for name in names if missing.get(name) == side]
        if group:
            parts.append(f"{' '.join(group)}: net input {side} 0 all over")
    return (span("╱─╲ " if drawn else "", "strong"), span("; ".join(parts)))


def first_layer_bias(params: Params, mode: str, j: int) -> float:
    if params.biases is None:
        return 0.0
    bias = params.biases[0]
    return bias if mode == "shared" else bias[j]


def line_glyph(a: float, b: float) -> str:
    """The box-drawing stroke closest to the line's direction on screen (cells twice as tall as wide).

    The net input rises by a per column to the right and falls by b per row down, so along the
    line (net input 0) it goes a/b rows down per column, 2a/b in square units.
    """
    if b == 0:
        return "│"
    slope = 2 * a / b  # screen rise per run, with rows counted downwards
    if abs(slope) < 0.5:
        return "─"
    if abs(slope) > 2:
        return "│"
    return "╲" if slope > 0 else "╱"


def wrap(items: Sequence[tuple], width: int) -> list[Line]:
    """Legend items (each a tuple of spans) packed into lines of at most `width` cells."""
    lines: list[list] = [[]]
    used = 0
    for item in items:
        size = sum(len(s.text) for s in item)
        if lines[-1] and used + 2 + size > width:
            lines.append([])
            used = 0
        if lines[-1]:
            lines[-1].append(span("  "))
            used += 2
        lines[-1].extend(item)
        used += size
    return [clip(tuple(line), width) for line in lines]


def boundary_lines(scenario: Scenario, params: Params, width: int, height: int,
                   hidden_lines: bool = False) -> list[Line]:
    """The whole picture at once (the app keeps a BoundaryView instead, to redraw it cheaply)."""
    return BoundaryView(scenario, width, height, hidden_lines).lines(params)
