"""Turning a Geometry and one moment of a round into styled lines, quickly.

The picture is redrawn on every key, so the work per step is kept to what a step changes. The
lines with nothing lit are drawn once per geometry and pattern of weight signs and sizes (which
changes only when an update flips a sign or reorders sizes); a step then redraws only the cells of
the lines it lights, and writes the texts (names, values, labels) over them.
"""

from __future__ import annotations

import math
from itertools import groupby
from operator import itemgetter
from typing import Callable, Mapping

from .picture_shape import E, N, S, W, Geometry, Slot
from .styled import Line, Span

Cell = tuple[int, int]
first, second = itemgetter(0), itemgetter(1)
NO_TAGS: frozenset = frozenset()
DASHED = {1: "╌", 2: "╍"}  # a negative weight's lane, light and heavy
ARROWS = {"forward": "▶", "backward": "◀"}

_GLYPHS: dict[tuple[int, int, int, int], str] = {}
_TAGS: dict[tuple, frozenset] = {}


def tags_of(*names: str) -> frozenset:
    """One shared frozenset per combination of tags ("" is no tag): equal sets are one object."""
    found = _TAGS.get(names)
    if found is None:
        tags = frozenset(n for n in names if n)
        found = _TAGS[names] = next((t for t in _TAGS.values() if t == tags), tags)
    return found


def glyph(arms: tuple[int, int, int, int]) -> str:
    """The box-drawing character with these arms (N, E, S, W; 0 none, 1 light, 2 heavy)."""
    if not _GLYPHS:
        _GLYPHS.update(_box_drawing())
    return _GLYPHS.get(arms, "+")


def _box_drawing() -> dict:
    """Every light/heavy box-drawing character, by its arms, read from its Unicode name
    ("UP HEAVY AND RIGHT DOWN LIGHT": weights after their directions; "LIGHT VERTICAL AND RIGHT":
    one weight before all of them)."""
    import unicodedata

    words = {"UP": (N,), "DOWN": (S,), "LEFT": (W,), "RIGHT": (E,), "VERTICAL": (N, S), "HORIZONTAL": (E, W)}
    table = {}
    for code in range(0x2500, 0x2580):
        name = unicodedata.name(chr(code)).removeprefix("BOX DRAWINGS ").split()
        if not set(name) <= set(words) | {"LIGHT", "HEAVY", "AND"}:
            continue
        arms, waiting, weight = [0, 0, 0, 0], [], 0
        weight_first = name[0] in ("LIGHT", "HEAVY")
        for word in name:
            if word in ("LIGHT", "HEAVY"):
                weight = 1 if word == "LIGHT" else 2
                for d in waiting:
                    arms[d] = weight
                waiting = []
            elif word in words:
                if weight_first:
                    for d in words[word]:
                        arms[d] = weight
                else:
                    waiting.extend(words[word])
        table[tuple(arms)] = chr(code)
    return table


def weight_tags(value: float | None, size: str) -> tuple[str, ...]:
    """pos/neg and strong/weak for a weight's line and label."""
    sign = "" if value is None or value == 0 or math.isnan(value) else ("neg" if value < 0 else "pos")
    return sign, size


def sizes(geo: Geometry, params: Mapping[str, float]) -> dict[str, str]:
    """strong / weak / "" for each weight: its size against the largest weight into the same layer."""
    layers: dict[int, list[str]] = {}
    for edge in geo.edges.values():
        if edge.param is not None and edge.param == edge.id and edge.source != "1":
            layers.setdefault(edge.layer, []).append(edge.param)
    found = {}
    for names in layers.values():
        values = [abs(params[n]) for n in names if n in params and math.isfinite(params[n])]
        largest = max(values, default=0.0) or 1.0
        for name in names:
            value = params.get(name)
            share = abs(value) / largest if value is not None and math.isfinite(value) else 1.0
            found[name] = "strong" if share >= 2 / 3 else ("weak" if share <= 1 / 3 else "")
    return found


class Canvas:
    """Rows of characters and of their tags, written cell by cell or text by text."""

    def __init__(self, chars: list[list[str]], tags: list[list[frozenset]]):
        self.chars, self.tags = chars, tags

    def copy(self) -> Canvas:
        return Canvas([row[:] for row in self.chars], [row[:] for row in self.tags])

    def put(self, cell: Cell, char: str, tags: frozenset) -> None:
        r, c = cell
        self.chars[r][c] = char
        self.tags[r][c] = tags

    def write(self, row: int, col: int, parts: list[tuple[str, frozenset]], width: int) -> None:
        for text, tags in parts:
            text = text[: max(0, width - col)] if width else text
            self.chars[row][col:col + len(text)] = text
            self.tags[row][col:col + len(text)] = [tags] * len(text)
            col += len(text)

    def line(self, r: int) -> Line:
        return tuple(Span("".join(map(first, run)), tag) for tag, run in groupby(zip(self.chars[r], self.tags[r]), second))


def line_cell(geo: Geometry, cell: Cell, lit: frozenset, edge_tags: Callable[[str, bool], frozenset],
              negative: Callable[[str], bool]) -> tuple[str, frozenset]:
    """A line cell's character and tags: heavy arms where a lit edge runs, dashed along a negative
    weight's lane. A lane cell takes its edge's tags; a trunk or crossing cell is only "hot" or not."""
    sides = geo.arms[cell]
    weights = tuple(0 if not side else (2 if any(e in lit for e in side) else 1) for side in sides)
    lane = geo.lanes.get(cell)
    if lane is not None:
        return (DASHED[weights[E]] if negative(lane) else glyph(weights)), edge_tags(lane, lane in lit)
    return glyph(weights), (tags_of("hot") if 2 in weights else NO_TAGS)


def _look(geo: Geometry, params: Mapping[str, float]) -> tuple[tuple, dict, frozenset]:
    """What the unlit lines depend on: each weight's sign and size (kept per set of values)."""
    values = tuple(params.values())
    looks = geo.memo.setdefault("looks", {})
    found = looks.get(values)
    if found is None:
        if len(looks) > 256:
            looks.clear()
        size = sizes(geo, params)
        negatives = frozenset(e.id for e in geo.edges.values()
                              if e.param is not None and (params.get(e.param) or 0) < 0)
        found = looks[values] = ((negatives, tuple(size.values())), size, negatives)
    return found


def base(geo: Geometry, key: tuple, edge_tags: Callable[[str, bool], frozenset],
         negative: Callable[[str], bool]) -> Canvas:
    """The lines with nothing lit, for one pattern of weight signs and sizes (few per geometry)."""
    found = geo.memo.get(key)
    if found is None:
        canvas = Canvas([[" "] * geo.width for _ in range(geo.rows)], [[NO_TAGS] * geo.width for _ in range(geo.rows)])
        for cell in geo.arms:
            canvas.put(cell, *line_cell(geo, cell, frozenset(), edge_tags, negative))
        found = geo.memo[key] = canvas
    return found


def render(geo: Geometry, params: Mapping[str, float], lit_edges: frozenset, flow: str,
           slot_text: Callable[[Slot, str, frozenset], list[tuple[str, frozenset]]]) -> list[Line]:
    """The picture: lines (lit ones heavy, with arrow heads in the direction of flow), then texts.

    `slot_text(slot, fill, tags)` gives a slot's text as (text, tags) parts; for a label on a lane,
    `fill` and `tags` are the character and tags of its line, which continues after the text.
    A row is drawn only when what it shows differs from every time it was drawn before (rows are
    kept per geometry): a step usually redraws two or three rows."""
    look, size, negatives = _look(geo, params)
    negative = negatives.__contains__
    known: dict[tuple[str, bool], frozenset] = {}

    def edge_tags(edge_id: str, hot: bool) -> frozenset:
        found = known.get((edge_id, hot))
        if found is None:
            edge = geo.edges[edge_id]
            names = weight_tags(params.get(edge.param), size.get(edge.param, "")) if edge.param else ()
            found = known[edge_id, hot] = tags_of(*names, "hot" if hot else "")
        return found

    rows = geo.memo.setdefault("rows", {})
    if len(rows) > 20000:
        rows.clear()
    lines, canvas = [], None
    for r in range(geo.rows):
        lit_here = lit_edges & geo.row_edges[r]
        texts = []
        for slot in geo.row_slots[r]:
            fill, tags = ("", NO_TAGS)
            if slot.edge:  # its lane's character and tags, as the line below it is drawn
                cell = (slot.row, slot.col + slot.width - 1)
                fill = DASHED[2 if slot.edge in lit_here else 1] if negative(slot.edge) else (
                    "━" if slot.edge in lit_here else "─")
                tags = edge_tags(slot.edge, slot.edge in lit_here)
            texts.append(tuple(slot_text(slot, fill, tags)))
        key = (r, look, lit_here, flow if lit_here else "", tuple(texts))
        line = rows.get(key)
        if line is None:
            if canvas is None:
                canvas = base(geo, look, edge_tags, negative).copy()
            line = rows[key] = _draw_row(geo, canvas, r, lit_here, flow, texts, edge_tags, negative)
        lines.append(line)
    return lines


def _draw_row(geo, canvas: Canvas, r: int, lit_here: frozenset, flow: str, texts, edge_tags, negative) -> Line:
    for edge_id in lit_here:
        for cell in geo.edge_cells.get(edge_id, ()):
            if cell[0] == r:
                canvas.put(cell, *line_cell(geo, cell, lit_here, edge_tags, negative))
        if flow in ARROWS and edge_id in geo.arrows:
            cell = geo.arrows[edge_id][0 if flow == "forward" else 1]
            if cell[0] == r:
                canvas.put(cell, ARROWS[flow], edge_tags(edge_id, True))
    for slot, parts in zip(geo.row_slots[r], texts):
        canvas.write(r, slot.col, parts, slot.col + slot.width)
    return canvas.line(r)
