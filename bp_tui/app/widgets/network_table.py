"""The network as a table: layers as columns of neurons, with columns of weights between them.

Every weight is written with both of its ends, "w2 i2→h1 0.2", because which weight joins which
neurons is what readers of the article asked about most. Each neuron shows its net input and output
once the current round has computed them (for the current sample). A weight whose update has been
shown this round is written w5+ with its new value, as the article names it (with … after it while it
waits to be applied; see table_values.py). The network panel shows this table where the picture does
not fit, or when the learner asks for it (diagram.py).

What the current sub-step touches is drawn in reverse video, which survives NO_COLOR. When the
columns do not fit the width (or would be very tall), the same facts are drawn as one table per
layer, each neuron followed by the weights into it; the panel scrolls to the current neuron's table.
"""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.text import Text

from ...engine.records import num
from ...views.picture import SELECTED
from ..frame import HOT, Frame
from .table_values import TableValues, Wire

MISSING = "·"  # a value not computed yet in this round
PENDING = "…"  # after a new value shown but not applied yet
GRID_MAX_ROWS = 14  # taller than this, the per-layer tables read better than long columns
CHOSEN = "reverse underline"  # what the learner selected (with ◂ after it: the picture's mark)


def fmt(x: float | None, decimals: int) -> str:
    """A value rounded for the diagram (the formula and quantities panels keep all 9 decimals)."""
    if x is None:
        return MISSING
    if decimals >= 9 or not math.isfinite(x) or abs(x) >= 1e9:
        return num(x)
    text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    if text in ("0", "-0") and x != 0:
        return f"{x:.1e}"  # too small to round to zero honestly
    return text


# A line is described before it is drawn: a tuple of cells, each (own style, parts, padding), where
# own is a style for the whole cell and its padding ("" for none) and parts are (text, style) pairs.
# Steps change a few cells, so most lines are described the same as on the last key and their Text
# (and the Diagram's strips) come from a cache.
Part = tuple[str, str]
Cell = tuple[str, tuple[Part, ...]]
EMPTY: Cell = ("", ())
_TEXTS: dict[tuple, Text] = {}


def width_of(cell: Cell) -> int:
    return sum(cell_len(text) for text, _style in cell[1])


def text_of(line: tuple) -> Text:
    """The Text a described line stands for (shared: do not change it)."""
    text = _TEXTS.get(line)
    if text is None:
        if len(_TEXTS) >= 8192:
            _TEXTS.clear()
        text = _TEXTS[line] = Text(no_wrap=True)
        for own, parts, pad in line:
            cell = Text("".join(part for part, _style in parts), style=own) if own else Text.assemble(*parts)
            if pad > 0:
                cell.pad_right(pad)
            text.append_text(cell)
    return text


class Drawing:
    """Draws TableValues as lines at a given number of decimals, remembering the first hot line."""

    def __init__(self, table: TableValues, decimals: int, activations: bool = True):
        self.p, self.decimals, self.activations = table, decimals, activations
        self.focus: tuple[int, int] = (0, 0)  # first line and line count of the current neuron's block

    def heading(self, L: int) -> Cell:
        text = self.p.headings[L]
        return "bold", ((text if self.activations else text.split(" · ")[0], ""),)

    def headings(self, L: int, weights: bool = False) -> list[Cell]:
        """A column's heading: one line ("hidden · sigmoid"), or, where that is too wide, the
        activation on a line of its own under the layer's name (never dropped)."""
        if weights:
            return [("bold", (("weights", ""),))] + ([] if self.activations else [EMPTY])
        text = self.p.headings[L]
        if self.activations or " · " not in text:
            return [self.heading(L)] + ([] if self.activations else [EMPTY])
        return [self.heading(L), ("", (("· " + text.split(" · ", 1)[1], ""),))]

    @staticmethod
    def hot(text: str, is_hot: bool) -> Part:
        return text, HOT if is_hot else ""

    def neuron(self, L: int, j: int) -> list[Cell]:
        p = self.p
        name = p.names[L][j]
        mark = dict(p.marks).get(name)
        label = self.hot(name if mark is None else f"{name} {mark}", name in p.hot_neurons)
        if name == p.selected:
            label = (label[0] + SELECTED[1], CHOSEN)
        if L == 0:
            return [("", (label, (" ", ""), (fmt(p.inputs[j], self.decimals), ""))), EMPTY]
        net = self.hot(fmt(p.nets[L][j], self.decimals), p.quantity == f"net_{name}")
        out = self.hot(fmt(p.outs[L][j], self.decimals), p.quantity == f"out_{name}")
        return [("", (label, (" net ", ""), net)), ("", ((" " * cell_len(label[0]), ""), (" out ", ""), out))]

    def wire(self, wire: Wire, name_width: int, ends_width: int) -> Cell:
        label = self.hot(wire.name + " " * (name_width - len(wire.name)), wire.param in self.p.hot_params)
        if wire.param == self.p.selected:
            label = ((wire.name + SELECTED[1]).ljust(name_width), CHOSEN)
        value = fmt(wire.value, self.decimals) + (PENDING if wire.pending else "")
        value = self.hot(value, self.p.quantity == f"{wire.param}+")
        return "", (label, (" ", ""), (wire.ends.ljust(ends_width), ""), (" ", ""), value)

    def wire_cells(self, l: int) -> dict[str, Cell]:
        """The weights of weight layer l, then its biases, by name, in the order the article numbers them."""
        every = [w for row in self.p.wires[l] for w in row] + list(self.p.bias_wires[l])
        name_width = max(len(w.param) + 1 for w in every)
        ends_width = max(len(w.ends) for w in every)
        return {w.param: self.wire(w, name_width, ends_width) for w in every}

    def into(self, l: int, j: int) -> list[str]:
        """Names of the weights and the bias that feed neuron j of layer l + 1."""
        biases = self.p.bias_wires[l]
        bias = [] if not biases else [biases[0].param if len(biases) == 1 else biases[j].param]
        return [w.param for w in self.p.wires[l][j]] + bias

    # --- the two layouts -----------------------------------------------------------------

    def columns(self) -> list[list[Cell]]:
        p = self.p
        columns = []
        for L in range(len(p.names)):
            if L:
                columns.append([*self.headings(L, weights=True), *self.wire_cells(L - 1).values()])
            cells = [line for j in range(len(p.names[L])) for line in self.neuron(L, j)]
            columns.append([*self.headings(L), *cells])
        return columns

    def column_widths(self) -> tuple[int, ...]:
        return tuple(max(width_of(cell) for cell in column) for column in self.columns())

    def grid(self, width: int, least: tuple[int, ...]) -> list[tuple] | None:
        """The columns side by side, or None when they do not fit.

        Columns are at least as wide as `least` (those of the same network with every value at its
        longest), so they stay put while the round fills in values.
        """
        columns = self.columns()
        cell_widths = [[width_of(cell) for cell in column] for column in columns]
        widths = [max(max(column), other) for column, other in zip(cell_widths, least)]
        rows = max(len(column) for column in columns)
        room = width - sum(widths)
        if room < len(columns) - 1 or rows > GRID_MAX_ROWS + 1:
            return None
        gap = min(4, room // max(1, len(columns) - 1))
        last = len(columns) - 1
        lines = []
        for r in range(rows):
            line = []
            for c, column in enumerate(columns):
                own, parts = column[r] if r < len(column) else EMPTY
                used = cell_widths[c][r] if r < len(column) else 0
                line.append((own, parts, widths[c] - used + gap if c < last else 0))
            lines.append(tuple(line))
        return lines

    def tables(self, width: int) -> list[tuple]:
        """One block per layer: each neuron, then the weights into it, flowed across the width."""
        p = self.p
        inputs = [self.neuron(0, j)[0] for j in range(len(p.names[0]))]
        lines = [(("bold", (("inputs", ""),), 0),), *self.flow(inputs, width, indent=2)]
        for L in range(1, len(p.names)):
            own, parts = self.heading(L)
            lines.append(((own, parts, 0),))
            cells = self.wire_cells(L - 1)
            for j, name in enumerate(p.names[L]):
                net, out = self.neuron(L, j)
                start = len(lines)
                # "  h1 net 0.3775  out 0.5933": the out cell without its indent under the name
                lines.append((("", (("  ", ""), *net[1], (" ", ""), *out[1][1:]), 0),))
                lines.extend(self.flow([cells[w] for w in self.into(L - 1, j)], width, indent=6))
                if name == p.own:
                    self.focus = (start, len(lines) - start)
        return lines

    @staticmethod
    def flow(cells: list[Cell], width: int, indent: int) -> list[tuple]:
        widths = [width_of(cell) for cell in cells]
        cell_width = max(widths) + 2
        per_line = max(1, (width - indent) // cell_width)
        lines = []
        for start in range(0, len(cells), per_line):
            line = [("", ((" " * indent, ""),), 0)]
            for (own, parts), used in zip(cells[start:start + per_line], widths[start:start + per_line]):
                line.append((own, parts, cell_width - used))
            lines.append(tuple(line))
        return lines


def draw(table: TableValues, width: int) -> tuple[list[Text], tuple[int, int]]:
    """The most precise layout that fits: columns at 9, 6 or 4 decimals, else per-layer tables.

    Returns the lines and where the current neuron's block is (to scroll it into view).

    Where a column heading's activation name ("hidden · sigmoid") is what makes it too wide, it goes
    on a line of its own under the heading before precision is lost.
    """
    for decimals in (9, 6, 4):
        for activations in (True, False):
            least = _least_widths(table, decimals, activations)
            if sum(least) + len(least) - 1 > width:
                continue  # even the template does not fit: no need to draw the real thing
            lines = Drawing(table, decimals, activations).grid(width, least)
            if lines is not None:
                return [text_of(line) for line in lines], _hot_rows(lines)
    drawing = Drawing(table, 9 if width >= 100 else 6)
    lines = drawing.tables(width)
    return [text_of(line) for line in lines], drawing.focus


def _hot_rows(lines: list[tuple]) -> tuple[int, int]:
    """First line and line count of the highlighted part of a grid (to scroll a tall one to it)."""
    hot = [y for y, line in enumerate(lines) if any(style == HOT for _own, parts, _pad in line for _t, style in parts)]
    return (hot[0], hot[-1] - hot[0] + 1) if hot else (0, 0)


_TEMPLATES: dict[tuple, tuple[int, ...]] = {}


def _least_widths(table: TableValues, decimals: int, activations: bool) -> tuple[int, ...]:
    """Column widths of the template table (the same for every step of a network and sample)."""
    key = (table.shape, table.inputs, decimals, activations)
    widths = _TEMPLATES.get(key)
    if widths is None:
        if len(_TEMPLATES) >= 256:
            _TEMPLATES.clear()
        widths = _TEMPLATES[key] = Drawing(_widest(table), decimals, activations).column_widths()
    return widths


def _widest(table: TableValues) -> TableValues:
    """The table with every computed value and weight at its longest (-0.333333333), marked updated.

    Nothing is highlighted in it, so every step of a network gives the same template.
    """
    longest = -1 / 3
    return table._replace(
        hot_neurons=frozenset(),
        hot_params=frozenset(),
        quantity="",
        own="",
        nets=tuple(tuple(longest for _ in layer) for layer in table.nets),
        outs=tuple(tuple(longest for _ in layer) for layer in table.outs),
        wires=tuple(tuple(tuple(_longest(w) for w in row) for row in layer) for layer in table.wires),
        bias_wires=tuple(tuple(_longest(w) for w in layer) for layer in table.bias_wires),
    )


def _longest(wire: Wire) -> Wire:
    """The wire written at its longest: updated, pending, its value -0.333333333."""
    return wire._replace(name=wire.param + "+", value=-1 / 3, pending=True)
