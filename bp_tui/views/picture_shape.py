"""The network picture's vocabulary and sizes: what a layout depends on (Shape), how roomy it is
(Options), its lines (Edge), its texts (Slot), the finished layout (Geometry), and how many
columns and rows each part takes (Sizes), which is all `size` needs to rule a layout out.

A column per layer, left to right; between two layers one row per weight (a *lane*), grouped by
the neuron it feeds, bias last; each box as tall as the lanes into it. See picture_layout.py.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from ..engine.layout import Layout

N, E, S, W = 0, 1, 2, 3  # the arms of a line cell: up, right, down, left
ERROR = "E"  # the error node's name in edge ids


class Shape(NamedTuple):
    """What the layout depends on: the network's names and the widest text each place must hold."""

    layout: Layout  # layer sizes, neuron names, weight and bias names
    activations: tuple[str, ...]
    input_width: int  # the widest input value, as printed
    target_width: int  # the widest target value, as printed
    value_width: int  # the widest computed value, as printed (sign included)
    param_width: int  # the widest weight or bias value, as printed (sign included)
    bias_fixed_width: int  # the widest bias value when biases are not trained, else 0

    @property
    def names(self) -> tuple[tuple[str, ...], ...]:
        return self.layout.neuron_names


class Options(NamedTuple):
    """How roomy a layout is; draw() tries them from roomiest to tightest."""

    spacing: int  # columns from one trunk to the next (2 leaves a blank between them)
    blank: bool  # a column between the lanes' arrow heads and a box, for a bar the lanes join
    headings: bool  # a first row naming each layer
    targets: bool  # a "target" row in each output box
    wide_bias: bool = True  # a shared bias's name and value on one row, however wide that makes it


class Edge(NamedTuple):
    """One drawn line: a weight, a bias into one neuron, or an output into the error."""

    id: str  # "w5", "b1>h1" (shared bias into h1), "b_h1" (per-neuron bias), "o1>E"
    param: str | None  # the weight or bias it draws; None for an output's line into the error
    source: str  # the neuron or shared bias it comes from; "1" for a per-neuron bias
    target: str  # the neuron it feeds, or "E"
    layer: int  # the weight layer it belongs to (the error's lines: one past the last)


class Slot(NamedTuple):
    """A piece of text: `kind` says what fills it (picture.py), `key` which name or quantity."""

    row: int
    col: int
    width: int
    kind: str  # heading neuron net out target input param bias bias-name bias-value one error-name error
    key: str
    edge: str = ""  # for a label on a lane: the lane's edge (its rest is filled with its line)


class Geometry(NamedTuple):
    rows: int
    width: int
    slots: tuple[Slot, ...]
    arms: dict  # (row, col) -> four tuples of edge ids (N, E, S, W)
    lanes: dict  # (row, col) -> edge id of a straight lane cell (dashed when its weight is negative)
    arrows: dict  # edge id -> (cell of its forward arrow head, cell of its backward one)
    edges: dict  # edge id -> Edge
    neuron_edges: dict  # neuron -> ids of the edges into it (E for the error node)
    edge_cells: dict  # edge id (and bar id) -> the line cells it has an arm in
    row_edges: tuple  # per row: the ids of the edges (and bars) with a cell in it
    row_slots: tuple  # per row: its slots, left to right
    memo: dict  # what drawings derive from this geometry, kept (picture_render.py)




def bar_id(neuron: str) -> str:
    """The id that owns the bar in front of a box: lit for the step's own neuron, or when the step
    adds up several of its lanes."""
    return f"{neuron}|"


def box_width(shape: Shape, layer: int, targets: bool) -> int:
    """A box holds its neuron's name, "net -0.3775", "out -0.3775" and, for an output, its target."""
    words = len("net ") + shape.value_width
    if targets and layer == len(shape.names) - 1:
        words = max(words, len("target ") + shape.target_width)
    return max(max(map(len, shape.names[layer])), words)


def param_label_width(name: str, shape: Shape) -> int:
    """Cells for "w5+ -0.3589": the name, its + once updated, a blank and the value."""
    return len(name) + 2 + shape.param_width



@lru_cache(maxsize=1024)
def size(shape: Shape, options: Options) -> tuple[int, int]:
    """(columns, rows) a layout takes, without laying it out (to skip what cannot fit)."""
    sizes = Sizes(shape, options)
    return sizes.total_width(), sizes.total_rows()


class Sizes:
    """Columns and rows of every part of a layout, from names and options alone."""

    def __init__(self, shape: Shape, options: Options):
        self.shape, self.options = shape, options
        self.names = shape.names
        self.depth = len(self.names) - 1
        self.wnames = shape.layout.weight_names
        self.shared = shape.layout.bias_mode == "shared"
        self.top = 1 if options.headings else 0
        self._lanes: dict[int, list[list[Edge]]] = {}  # lanes_into, by weight layer (asked for often)

    def lanes_into(self, l: int) -> list[list[Edge]]:
        """The edges into each neuron of layer l + 1, in the article's order, bias last."""
        if l not in self._lanes:
            self._lanes[l] = self._lanes_into(l)
        return self._lanes[l]

    def _lanes_into(self, l: int) -> list[list[Edge]]:
        found = []
        for j, target in enumerate(self.names[l + 1]):
            row = [Edge(w, w, self.names[l][k], target, l) for k, w in enumerate(self.wnames[l][j])]
            bias = self.shape.layout.bias_name(l, j)
            if bias is not None:
                row.append(Edge(f"{bias}>{target}", bias, bias, target, l) if self.shared
                           else Edge(bias, bias, "1", target, l))
            found.append(row)
        return found

    def box_rows(self, L: int) -> list[int]:
        """Height of each box of layer L >= 1: its lanes, and at least its lines of text."""
        text = 4 if (L == self.depth and self.options.targets) else 3
        return [max(len(row), text) for row in self.lanes_into(L - 1)]

    def text_width(self, L: int) -> int:
        """Width of column L without its shared bias: input names and values, or boxes."""
        if L == 0:
            return max(len(n) for n in self.names[0]) + 1 + self.shape.input_width
        return box_width(self.shape, L, self.options.targets)

    def bias_label(self, L: int) -> tuple[int, int]:
        """(width, rows) of the shared bias node in column L: "b1 0.35" on one row when that fits
        the column (or the options allow widening it), else its name above its value."""
        name = f"b{L + 1}"
        fixed = self.shape.bias_fixed_width
        one_row = len(name) + 1 + fixed if fixed else param_label_width(name, self.shape)
        if one_row <= self.text_width(L) or self.options.wide_bias:
            return one_row, 1
        return max(len(name) + (0 if fixed else 1), fixed or self.shape.param_width), 2

    def has_bias_node(self, L: int) -> bool:
        return self.shared and L < self.depth

    def column_rows(self, L: int) -> int:
        bias = self.bias_label(L)[1] if self.has_bias_node(L) else 0
        stacked = len(self.names[0]) if L == 0 else sum(self.box_rows(L))
        return stacked + bias

    def total_rows(self) -> int:
        return self.top + max(self.column_rows(L) for L in range(self.depth + 1))

    def column_width(self, L: int) -> int:
        width = self.text_width(L)
        return max(width, self.bias_label(L)[0]) if self.has_bias_node(L) else width

    def label_width(self, l: int) -> int:
        """Cells of the widest label on a lane of weight layer l, with a blank either side."""
        labels = [e.param for row in self.lanes_into(l) for e in row if e.param and e.source != e.param]
        return 2 + max(param_label_width(name, self.shape) for name in labels)

    def sources(self, l: int) -> list[str]:
        """What fans out through a trunk in weight layer l: its neurons, and a shared bias."""
        return list(self.names[l]) + ([f"b{l + 1}"] if self.shared else [])

    def gap_width(self, l: int) -> int:
        """Lead cell, trunks, then the lane area: back arrow (or "1"), label, forward arrow, bar."""
        return 1 + self.options.spacing * len(self.sources(l)) + self.label_width(l) + 2 + self.options.blank

    def error_width(self) -> int:
        return 2 + len("E_total")  # lead, trunk (or line), the node

    def total_width(self) -> int:
        return (sum(self.column_width(L) for L in range(self.depth + 1))
                + sum(self.gap_width(l) for l in range(self.depth)) + self.error_width())
