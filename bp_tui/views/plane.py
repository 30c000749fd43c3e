"""The input plane of a two-input network, cut into cells, and the network's outputs over it.

The outputs come from the engine's own forward pass (Network.forward), point by point, so at a
sample's point they are the very numbers `run` prints. Once the grid is large (points x weights >=
GRID_NUMPY_MIN_WORK) the engine's numpy backend computes them instead, set up once per grid: at
80x24 cells it takes about a tenth of the time, but importing numpy costs ~150 ms, which a small
picture should not pay. (numpy sums a product in its own order: the last bit may differ.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from ..engine.network import Network, Params
from ..engine.scenario import Scenario

GRID_NUMPY_MIN_WORK = 4000  # points x weights from which numpy computes the grid


class Plane(NamedTuple):
    """The part of the input plane a picture shows, cut into columns x rows cells."""

    x0: float
    x1: float
    y0: float
    y1: float
    columns: int
    rows: int

    def centre(self, column: int, row: int) -> tuple[float, float]:
        """The point a cell stands for (row 0 is the top, where the second input is largest)."""
        return (self.x0 + (column + 0.5) * (self.x1 - self.x0) / self.columns,
                self.y1 - (row + 0.5) * (self.y1 - self.y0) / self.rows)

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        column = math.floor((x - self.x0) / (self.x1 - self.x0) * self.columns)
        row = math.floor((self.y1 - y) / (self.y1 - self.y0) * self.rows)
        return min(self.columns - 1, max(0, column)), min(self.rows - 1, max(0, row))

    def points(self) -> list[tuple[float, float]]:
        return [self.centre(c, r) for r in range(self.rows) for c in range(self.columns)]


def input_span(values: Sequence[float]) -> tuple[float, float]:
    """The range shown for one input: its samples' range and 0..1 (where inputs usually live),
    with a tenth of that to spare on each side so no sample sits on the edge."""
    low, high = min(0.0, *values), max(1.0, *values)
    spare = (high - low) / 10
    return low - spare, high + spare


def plane_for(scenario: Scenario, columns: int, rows: int) -> Plane:
    xs, ys = zip(*scenario.inputs)
    return Plane(*input_span(xs), *input_span(ys), columns, rows)


class GridForward:
    """The network's outputs at a fixed list of points, for any parameters: the engine's forward
    pass point by point, or its numpy backend (set up once) when there are many points."""

    def __init__(self, scenario: Scenario, points: Sequence[tuple[float, float]]):
        self.points = list(points)
        self.net = Network(scenario)
        self.batch = None
        weights = sum(a * b for a, b in zip(scenario.layers, scenario.layers[1:]))
        if len(self.points) * weights >= GRID_NUMPY_MIN_WORK:
            from ..engine.vectorized import BatchBackend

            blank = (0.0,) * scenario.layers[-1]
            grid = scenario._replace(inputs=tuple(self.points), targets=(blank,) * len(self.points))
            self.batch = BatchBackend(Network(grid))

    def outputs(self, params: Params) -> list[list[float]]:
        if self.batch is None:
            return [self.net.forward(params, point)[1][-1] for point in self.points]
        import numpy

        with numpy.errstate(all="ignore"):  # a diverged network draws as unknown cells, silently
            return self.batch.forward(*self.batch.arrays(params))[1][-1].tolist()


def outputs_at(scenario: Scenario, params: Params, points: Sequence[tuple[float, float]]) -> list[list[float]]:
    """The network's outputs at some points of the plane, computed as the picture computes them."""
    return GridForward(scenario, points).outputs(params)
