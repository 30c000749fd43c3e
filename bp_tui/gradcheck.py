"""Gradient check: backpropagation's gradients against central finite differences of the error.

The error checked is the training-set error (the mean of the samples' errors) at the given
parameters, so the check is the same for online and batch scenarios: it tests the derivatives,
not the update schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

from .network import Network, Params

EPSILON = 1e-6
THRESHOLD = 1e-5  # largest relative error that passes


@dataclass(frozen=True)
class GradientRow:
    name: str  # w5, b1, b_h1
    backprop: float
    numeric: float

    @property
    def relative_error(self) -> float:
        scale = max(abs(self.backprop), abs(self.numeric), 1e-8)  # floor: both ~0 counts as agreement
        return abs(self.backprop - self.numeric) / scale

    @property
    def ok(self) -> bool:
        return self.relative_error <= THRESHOLD


@dataclass(frozen=True)
class GradientReport:
    rows: tuple[GradientRow, ...]
    epsilon: float
    threshold: float

    @property
    def passed(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def worst(self) -> GradientRow | None:
        return max(self.rows, key=lambda r: r.relative_error, default=None)


def backprop_gradients(net: Network, params: Params):
    """(weight gradients, bias gradients) of the training-set error, by backpropagation."""
    scenario = net.scenario
    traces = [net.backprop(params, x, t) for x, t in zip(scenario.inputs, scenario.targets)]
    return net.mean_grads(traces)


def _with(params: Params, where: tuple, value: float) -> Params:
    """A copy of params with one weight or bias replaced."""
    weights = [[list(row) for row in layer] for layer in params.weights]
    biases = None if params.biases is None else [list(b) if isinstance(b, list) else b for b in params.biases]
    if where[0] == "w":
        _, l, j, k = where
        weights[l][j][k] = value
    elif where[2] is None:
        biases[where[1]] = value
    else:
        biases[where[1]][where[2]] = value
    return Params(weights, biases)


def check_gradients(net: Network, params: Params, epsilon: float = EPSILON, gradients=None) -> GradientReport:
    """Compare every weight's (and every trained bias's) gradient with (E(p+e) - E(p-e)) / 2e.

    `gradients` lets a caller substitute its own (weight, bias) gradients: the tests use it to show
    that a wrong gradient fails.
    """
    weight_grads, bias_grads = gradients or backprop_gradients(net, params)
    layout = net.scenario.layout
    places = []
    for l, layer in enumerate(params.weights):
        for j, row in enumerate(layer):
            for k, w in enumerate(row):
                places.append((layout.weight_names[l][j][k], ("w", l, j, k), w, weight_grads[l][j][k]))
    if net.train_biases and params.biases is not None:
        for l, b in enumerate(params.biases):
            if isinstance(b, list):
                for j, value in enumerate(b):
                    places.append((layout.bias_name(l, j), ("b", l, j), value, bias_grads[l][j]))
            else:
                places.append((layout.bias_name(l, 0), ("b", l, None), b, bias_grads[l]))
    rows = []
    for name, where, value, grad in places:
        up = net.dataset_error(_with(params, where, value + epsilon))[2]
        down = net.dataset_error(_with(params, where, value - epsilon))[2]
        rows.append(GradientRow(name, grad, (up - down) / (2 * epsilon)))
    return GradientReport(tuple(rows), epsilon, THRESHOLD)
