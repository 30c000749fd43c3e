"""Where everything of the network picture goes: computed once per network and size, never per step.

The picture is a grid of character cells. Layers are columns, left to right; between two layers
every weight gets a row of its own (a *lane*), so its label sits on its own line and never meets
another label or a node. Lanes are grouped by the neuron they feed, in the article's numbering
(w1, w2 into h1, then w3, w4 into h2), and run straight into that neuron's box: a box is as tall
as the lanes into it. On the left each lane leaves a vertical *trunk* that fans out from the neuron
(or shared bias) it comes from; a trunk crossing another source's lane is the only crossing there
is, drawn as a crossing, never as a join. The trunks' order and the rows where sources leave their
boxes are chosen to make the fewest crossings.

A per-neuron bias is drawn as a weight on the constant input 1 (a lane starting at "1"); a
shared bias is a node of its own fanning out to every neuron of its layer, as in the article's
figure. The outputs feed one error node on the right.

This module places things only (picture_shape.py has the sizes, picture_trunks.py the trunk
search). What a cell shows at a given step (values, which lines are lit, heavy or dashed) is the
business of picture.py and picture_render.py; a Geometry records, for that, which edge owns each
arm of each line cell and which text goes where.
"""

from __future__ import annotations

from functools import lru_cache

from .picture_shape import ERROR, E, N, S, W, Edge, Geometry, Options, Shape, Sizes, Slot, bar_id, box_width
from .picture_trunks import best_trunks


@lru_cache(maxsize=64)
def geometry(shape: Shape, options: Options) -> Geometry:
    return _Builder(shape, options).build()


class _Builder(Sizes):
    """Places boxes, nodes, lanes and trunks, recording each line cell's arms and each text."""

    def __init__(self, shape: Shape, options: Options):
        super().__init__(shape, options)
        self.arms: dict = {}
        self.lanes: dict = {}
        self.arrows: dict = {}
        self.slots: list[Slot] = []
        self.edges: dict = {}
        self.neuron_edges: dict = {}

    # --- drawing lines -----------------------------------------------------------------------

    def arm(self, row: int, col: int, direction: int, edge: str) -> None:
        cell = self.arms.setdefault((row, col), ([], [], [], []))
        if edge not in cell[direction]:
            cell[direction].append(edge)

    def horizontal(self, row: int, c0: int, c1: int, edge: str) -> None:
        for c in range(c0, c1):
            self.arm(row, c, E, edge)
            self.arm(row, c + 1, W, edge)

    def vertical(self, col: int, r0: int, r1: int, edge: str) -> None:
        for r in range(min(r0, r1), max(r0, r1)):
            self.arm(r, col, S, edge)
            self.arm(r + 1, col, N, edge)

    # --- the layout ----------------------------------------------------------------------------

    def build(self) -> Geometry:
        starts, x = [], 0
        for L in range(self.depth + 1):
            starts.append(x)
            x += self.column_width(L) + (self.gap_width(L) if L < self.depth else 0)
        rows = self.total_rows()
        box_top: dict[str, int] = {}
        for L in range(1, self.depth + 1):  # each column's boxes, centred
            r = self.top + (rows - self.top - self.column_rows(L)) // 2
            for name, height in zip(self.names[L], self.box_rows(L)):
                box_top[name] = r
                self.box(L, name, starts[L], r)
                r += height
        for l in range(self.depth):
            self.gap(l, starts[l], starts[l + 1], box_top, rows)
        self.error_part(starts[-1] + self.column_width(self.depth), box_top)
        if self.options.headings:
            self.headings(starts)
        arms = {cell: tuple(tuple(side) for side in sides) for cell, sides in self.arms.items()}
        edge_cells: dict[str, list] = {}
        for cell, sides in arms.items():
            for edge in {e for side in sides for e in side}:
                edge_cells.setdefault(edge, []).append(cell)
        row_edges = [set() for _ in range(rows)]
        for edge, cells in edge_cells.items():
            for r, _c in cells:
                row_edges[r].add(edge)
        for edge, cells in self.arrows.items():
            for r, _c in cells:
                row_edges[r].add(edge)
        row_slots = tuple(tuple(sorted((s for s in self.slots if s.row == r), key=lambda s: s.col))
                          for r in range(rows))
        return Geometry(rows, self.total_width(), tuple(self.slots), arms, self.lanes, self.arrows,
                        self.edges, self.neuron_edges, edge_cells, tuple(map(frozenset, row_edges)),
                        row_slots, {})

    def headings(self, starts: list[int]) -> None:
        hidden = self.depth - 1
        error_x = self.total_width() - len("error")
        for L, x in enumerate(starts):
            if L == 0:
                text = "inputs"
            else:
                role = "outputs" if L == self.depth else ("hidden" if hidden == 1 else f"hidden {L}")
                text = f"{role} · {self.shape.activations[L - 1]}"
            room = (starts[L + 1] if L < self.depth else error_x) - x - 1
            if len(text) > room:
                text = text.split(" · ")[0]
            self.slots.append(Slot(0, x, len(text), "heading", text))
        self.slots.append(Slot(0, error_x, len("error"), "heading", "error"))

    def box(self, L: int, name: str, x: int, top: int) -> None:
        width = box_width(self.shape, L, self.options.targets)
        kinds = ["neuron", "net", "out"] + (["target"] if L == self.depth and self.options.targets else [])
        for i, kind in enumerate(kinds):
            self.slots.append(Slot(top + i, x, width, kind, name))

    def source_choices(self, l: int, fan, lane_row, box_top, rows) -> dict[str, list[int]]:
        """Rows where each source of weight layer l may leave its column, the preferred first: a
        box's rows from its "out" row outwards; an input or bias node any free row, its lanes' first."""
        boxes = {n: range(box_top[n], box_top[n] + h) for n, h in zip(self.names[l], self.box_rows(l))} if l else {}
        taken = {r for rows_of_box in boxes.values() for r in rows_of_box}
        choices = {}
        for s in self.sources(l):
            if s in boxes:
                out = box_top[s] + 2  # its output leaves from its "out" row, or as near as can be
                choices[s] = sorted(boxes[s], key=lambda r: abs(r - out))
                continue
            height = 1 if s in self.names[0] else self.bias_label(l)[1]
            free = [r for r in range(self.top, rows - height + 1) if not taken & set(range(r, r + height))]
            own = sorted(lane_row[e.id] for e in fan[s])
            middle = own[len(own) // 2]
            choices[s] = [r for r in own if r in free] + sorted((r for r in free if r not in own),
                                                                key=lambda r: abs(r - middle))
        return choices

    def gap(self, l: int, x0: int, x1: int, box_top, rows) -> None:
        """Lanes, trunks and (for the inputs and a shared bias) the source nodes of weight layer l."""
        groups = self.lanes_into(l)
        lane_row: dict[str, int] = {}
        for row_edges in groups:
            for i, edge in enumerate(row_edges):
                lane_row[edge.id] = box_top[edge.target] + i
                self.edges[edge.id] = edge
                self.neuron_edges.setdefault(edge.target, []).append(edge.id)
        every = [e for row in groups for e in row]
        sources = self.sources(l)
        fan = {s: [e for e in every if e.source == s] for s in sources}
        choices = self.source_choices(l, fan, lane_row, box_top, rows)
        heights = {s: (self.bias_label(l)[1] if s not in self.names[l] else 1) for s in sources}
        order, leads = best_trunks(sources, fan, lane_row, choices, heights if l == 0 or self.shared else None)
        box_right = x0 + self.column_width(l)
        trunk0 = box_right + 1
        lane_start = trunk0 + self.options.spacing * len(sources)
        end = x1 - 1 - self.options.blank  # a lane's last cell: its forward arrow head
        for position, s in enumerate(order):
            xs = trunk0 + self.options.spacing * position
            lead = leads[s]
            for e in fan[s]:
                self.horizontal(lead, box_right, xs, e.id)
                self.vertical(xs, lead, lane_row[e.id], e.id)
                self.horizontal(lane_row[e.id], xs, end, e.id)
            if l == 0 or s not in self.names[l]:  # an input or a shared bias: a node of its own
                if s in self.names[l]:
                    self.slots.append(Slot(lead, x0, box_right - x0, "input", s))
                elif heights[s] == 1:
                    self.slots.append(Slot(lead, x0, box_right - x0, "bias", s))
                else:  # its name, and its value on the row below
                    self.slots.append(Slot(lead, x0, box_right - x0, "bias-name", s))
                    self.slots.append(Slot(lead + 1, x0, box_right - x0, "bias-value", s))
        if self.options.blank:
            for row_edges in groups:  # the bar in front of each box: the lanes join it
                rows_in = [lane_row[e.id] for e in row_edges]
                self.vertical(end + 1, min(rows_in), max(rows_in), bar_id(row_edges[0].target))
        for e in every:
            r = lane_row[e.id]
            if e.source == "1":  # a per-neuron bias: a weight on the constant input 1
                self.slots.append(Slot(r, lane_start, 1, "one", "1"))
                self.horizontal(r, lane_start + 1, end, e.id)
                self.arrows[e.id] = ((r, end), (r, end))
            else:
                self.arrows[e.id] = ((r, end), (r, lane_start))
            if e.source != e.param:  # a shared bias has its value on its node, not on each line
                self.slots.append(Slot(r, lane_start + 1, self.label_width(l), "param", e.param, e.id))
            self.arm(r, end, E, e.id)  # (a straight end, not a stub)
            if self.options.blank:  # the lane joins the bar in front of its box
                self.arm(r, end + 1, W, e.id)
            for c in range(lane_start, end + 1):
                cell = self.arms.get((r, c))
                if cell and cell[E] == [e.id] and cell[W] in ([e.id], []) and not cell[N] and not cell[S]:
                    self.lanes[(r, c)] = e.id

    def error_part(self, x: int, box_top) -> None:
        """Each output's line from its "out" row into the error node E_total."""
        outputs = self.names[-1]
        lead_rows = [box_top[o] + 2 for o in outputs]
        middle = (lead_rows[0] + lead_rows[-1]) / 2
        between = [r for r in range(lead_rows[0], lead_rows[-1] + 1) if r not in lead_rows[1:-1]]
        # not an output's row (unless there is one output): four lines meeting would read as crossing
        node_row = min(between, key=lambda r: (r in lead_rows and len(outputs) > 1, abs(r - middle)))
        trunk = x + 1
        node_x = x + 2
        for o, r in zip(outputs, lead_rows):
            edge = Edge(f"{o}>{ERROR}", None, o, ERROR, self.depth)
            self.edges[edge.id] = edge
            self.neuron_edges.setdefault(ERROR, []).append(edge.id)
            if len(outputs) == 1:
                self.horizontal(r, x, node_x - 1, edge.id)
            else:
                self.horizontal(r, x, trunk, edge.id)
                self.vertical(trunk, r, node_row, edge.id)
                self.horizontal(node_row, trunk, node_x - 1, edge.id)
            self.arm(node_row, node_x - 1, E, edge.id)
            self.arrows[edge.id] = ((node_row, node_x - 1), (r, x))
        self.slots.append(Slot(node_row, node_x, len("E_total"), "error-name", "E_total"))
        value_row = node_row - 1 if node_row + 1 in lead_rows else node_row + 1  # not beside a line's end
        self.slots.append(Slot(value_row, node_x, len("E_total"), "error", "E_total"))
