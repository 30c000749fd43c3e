"""The network: layers as columns of neurons, with columns of weights between them.

Every weight is written with both of its ends, "w2 i2→h1 0.2", because which weight joins which
neurons is what readers of the article asked about most. Each neuron shows its net input and output
once the current round has computed them (for the current sample). A weight whose update has been
shown this round is written w5+ with its new value, as the article names it.

What the current sub-step touches is drawn in reverse video, which survives NO_COLOR. When the
columns do not fit the width (or would be very tall), the same facts are drawn as one table per
layer, each neuron followed by the weights into it, inside a scrolling container.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.reactive import var
from textual.widget import Widget

from ...records import num
from ..frame import HOT, Frame
from .network_picture import Picture, Wire

MISSING = "·"  # a value not computed yet in this round
GRID_MAX_ROWS = 14  # taller than this, the per-layer tables read better than long columns


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


class Drawing:
    """Draws a Picture as Text lines at a given number of decimals, remembering the first hot line."""

    def __init__(self, picture: Picture, decimals: int, activations: bool = True):
        self.p, self.decimals, self.activations = picture, decimals, activations
        self.focus: tuple[int, int] = (0, 0)  # first line and line count of the current neuron's block

    def heading(self, L: int) -> Text:
        text = self.p.headings[L]
        return Text(text if self.activations else text.split(" · ")[0], style="bold")

    def hot(self, text: str, is_hot: bool) -> Text:
        return Text(text, style=HOT if is_hot else "")

    def neuron(self, L: int, j: int) -> list[Text]:
        p = self.p
        name = p.names[L][j]
        label = self.hot(name, name in p.hot_neurons)
        if L == 0:
            return [Text.assemble(label, " ", fmt(p.inputs[j], self.decimals)), Text("")]
        net = self.hot(fmt(p.nets[L][j], self.decimals), p.quantity == f"net_{name}")
        out = self.hot(fmt(p.outs[L][j], self.decimals), p.quantity == f"out_{name}")
        return [Text.assemble(label, " net ", net), Text.assemble(" " * len(name), " out ", out)]

    def wire(self, wire: Wire, name_width: int, ends_width: int) -> Text:
        shown = wire.name + ("+" if wire.updated else "")
        label = self.hot(shown, wire.name in self.p.hot_params)
        label.pad_right(name_width - len(shown))
        value = self.hot(fmt(wire.value, self.decimals), self.p.quantity == f"{wire.name}+")
        return Text.assemble(label, " ", wire.ends.ljust(ends_width), " ", value)

    def wire_cells(self, l: int) -> dict[str, Text]:
        """The weights of weight layer l, then its biases, by name, in the order the article numbers them."""
        every = [w for row in self.p.wires[l] for w in row] + list(self.p.bias_wires[l])
        name_width = max(len(w.name) + 1 for w in every)
        ends_width = max(len(w.ends) for w in every)
        return {w.name: self.wire(w, name_width, ends_width) for w in every}

    def into(self, l: int, j: int) -> list[str]:
        """Names of the weights and the bias that feed neuron j of layer l + 1."""
        biases = self.p.bias_wires[l]
        bias = [] if not biases else [biases[0].name if len(biases) == 1 else biases[j].name]
        return [w.name for w in self.p.wires[l][j]] + bias

    # --- the two layouts -----------------------------------------------------------------

    def columns(self) -> list[list[Text]]:
        p = self.p
        columns = []
        for L in range(len(p.names)):
            if L:
                columns.append([Text("weights", style="bold"), *self.wire_cells(L - 1).values()])
            cells = [line for j in range(len(p.names[L])) for line in self.neuron(L, j)]
            columns.append([self.heading(L), *cells])
        return columns

    def column_widths(self) -> tuple[int, ...]:
        return tuple(max(cell.cell_len for cell in column) for column in self.columns())

    def grid(self, width: int, least: tuple[int, ...]) -> list[Text] | None:
        """The columns side by side, or None when they do not fit.

        Columns are at least as wide as `least` (those of the same network with every value at its
        longest), so they stay put while the round fills in values.
        """
        columns = self.columns()
        widths = [max(cell.cell_len for cell in column) for column in columns]
        widths = [max(w, other) for w, other in zip(widths, least)]
        rows = max(len(column) for column in columns)
        room = width - sum(widths)
        if room < len(columns) - 1 or rows > GRID_MAX_ROWS + 1:
            return None
        gap = min(4, room // max(1, len(columns) - 1))
        lines = []
        for r in range(rows):
            line = Text(no_wrap=True)
            for c, column in enumerate(columns):
                cell = column[r].copy() if r < len(column) else Text("")
                if c < len(columns) - 1:
                    cell.pad_right(widths[c] - cell.cell_len + gap)
                line.append_text(cell)
            lines.append(line)
        return lines

    def tables(self, width: int) -> list[Text]:
        """One block per layer: each neuron, then the weights into it, flowed across the width."""
        p = self.p
        inputs = [self.neuron(0, j)[0] for j in range(len(p.names[0]))]
        lines = [Text("inputs", style="bold"), *self.flow(inputs, width, indent=2)]
        for L in range(1, len(p.names)):
            lines.append(self.heading(L))
            cells = self.wire_cells(L - 1)
            for j, name in enumerate(p.names[L]):
                net, out = self.neuron(L, j)
                start = len(lines)
                lines.append(Text.assemble("  ", net, " ", out[len(name):]))
                lines.extend(self.flow([cells[w] for w in self.into(L - 1, j)], width, indent=6))
                if name == p.own:
                    self.focus = (start, len(lines) - start)
        return lines

    @staticmethod
    def flow(cells: list[Text], width: int, indent: int) -> list[Text]:
        cell_width = max(cell.cell_len for cell in cells) + 2
        per_line = max(1, (width - indent) // cell_width)
        lines = []
        for start in range(0, len(cells), per_line):
            line = Text(" " * indent, no_wrap=True)
            for cell in cells[start:start + per_line]:
                padded = cell.copy()
                padded.pad_right(cell_width - cell.cell_len)
                line.append_text(padded)
            lines.append(line)
        return lines


def draw(picture: Picture, width: int) -> tuple[list[Text], tuple[int, int]]:
    """The most precise layout that fits: columns at 9, 6 or 4 decimals, else per-layer tables.

    Returns the lines and where the current neuron's block is (to scroll it into view).

    Where a column heading's activation name ("hidden · sigmoid") is what makes it too wide, it is
    dropped before precision is (the formula panel names the activation anyway).
    """
    widest = _widest(picture)
    for decimals in (9, 6, 4):
        for activations in (True, False):
            least = _least_widths(widest, decimals, activations)
            if sum(least) + len(least) - 1 > width:
                continue  # even the template does not fit: no need to draw the real thing
            lines = Drawing(picture, decimals, activations).grid(width, least)
            if lines is not None:
                return lines, _hot_rows(lines)
    drawing = Drawing(picture, 9 if width >= 100 else 6)
    lines = drawing.tables(width)
    return lines, drawing.focus


def _hot_rows(lines: list[Text]) -> tuple[int, int]:
    """First line and line count of the highlighted part of a grid (to scroll a tall one to it)."""
    hot = [y for y, line in enumerate(lines) if any(span.style == HOT for span in line.spans)]
    return (hot[0], hot[-1] - hot[0] + 1) if hot else (0, 0)


@lru_cache(maxsize=32)
def _least_widths(widest: Picture, decimals: int, activations: bool) -> tuple[int, ...]:
    """Column widths of the template picture (the same for every step of a network)."""
    return Drawing(widest, decimals, activations).column_widths()


def _widest(picture: Picture) -> Picture:
    """The picture with every computed value and weight at its longest (-0.333333333), marked updated.

    Nothing is highlighted in it, so every step of a network gives the same template (and cache hit).
    """
    longest = -1 / 3
    return replace(
        picture,
        hot_neurons=frozenset(),
        hot_params=frozenset(),
        quantity="",
        own="",
        nets=tuple(tuple(longest for _ in layer) for layer in picture.nets),
        outs=tuple(tuple(longest for _ in layer) for layer in picture.outs),
        wires=tuple(tuple(tuple(replace(w, value=longest, updated=True) for w in row) for row in layer)
                    for layer in picture.wires),
        bias_wires=tuple(tuple(replace(w, value=longest, updated=True) for w in layer)
                         for layer in picture.bias_wires),
    )


class Diagram(Widget):
    """The drawing itself; it sits in a NetworkPanel that scrolls when the drawing is taller."""

    frame: var[Frame | None] = var(None)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._picture: Picture | None = None
        self._drawn: tuple[int, list[Text], tuple[int, int]] | None = None

    def watch_frame(self, frame: Frame | None) -> None:
        if frame is None:
            return
        picture = Picture.of(frame)
        if picture == self._picture:
            return
        width = self.size.width
        before = len(self.lines(width))
        self._picture, self._drawn = picture, None
        # A new layout only when the drawing's height changes (a new network, or grown values).
        self.refresh(layout=len(self.lines(width)) != before or not before)
        self.call_after_refresh(self.show_hot_line)

    def lines(self, width: int) -> list[Text]:
        return self.drawn(width)[1]

    def drawn(self, width: int) -> tuple[int, list[Text], tuple[int, int]]:
        if self._picture is None:
            return width, [], (0, 0)
        if self._drawn is None or self._drawn[0] != width:
            self._drawn = (width, *draw(self._picture, width))
        return self._drawn

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.size.width))

    def show_hot_line(self) -> None:
        """Scroll the panel to the current neuron and the weights into it (it matters in table form)."""
        _width, _lines, (start, count) = self.drawn(self.size.width)
        if isinstance(self.parent, VerticalScroll) and count:
            self.parent.scroll_to_region(Region(0, start, 1, count), animate=False)


class NetworkPanel(VerticalScroll, can_focus=False):
    """Scrolls the diagram when a network is too large for the space (never when it fits)."""
