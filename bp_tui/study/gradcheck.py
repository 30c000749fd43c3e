"""Gradient check: backpropagation's gradients against central finite differences of the error.

The error checked is the training-set error (the mean of the samples' errors) at the given
parameters, so the check is the same for online and batch scenarios: it tests the derivatives,
not the update schedule.

A gradient passes when its relative error is at most THRESHOLD, or when the two values differ by
less than the rounding noise of the finite difference itself (a few units in the last place of the
error, divided by the step): near a gradient of zero the relative error says nothing, and a
difference of 1e-12 between 0 and 1e-12 is not a bug.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

from ..engine.network import Network, Params
from ..engine.scenario import Scenario

EPSILON = 1e-6
THRESHOLD = 1e-5  # largest relative error that passes
NOISE_ULPS = 64  # rounding error allowed in each error evaluation, in units of the last place


@dataclass(frozen=True)
class GradientRow:
    name: str  # w5, b1, b_h1
    backprop: float
    numeric: float
    noise: float = 0.0  # the finite difference's own rounding noise: smaller differences pass

    @property
    def relative_error(self) -> float:
        scale = max(abs(self.backprop), abs(self.numeric), 1e-8)  # floor: both ~0 counts as agreement
        return abs(self.backprop - self.numeric) / scale

    @property
    def within_noise(self) -> bool:
        """Agreement that only the noise allowance grants (the relative error alone would fail)."""
        return self.relative_error > THRESHOLD and abs(self.backprop - self.numeric) <= self.noise

    @property
    def ok(self) -> bool:
        return self.relative_error <= THRESHOLD or abs(self.backprop - self.numeric) <= self.noise


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
        """The row furthest from passing (a NaN counts as the worst of all)."""
        return max(self.rows, key=lambda r: math.inf if math.isnan(r.relative_error) else r.relative_error,
                   default=None)

    @property
    def failures(self) -> list[GradientRow]:
        return [row for row in self.rows if not row.ok]


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


class ErrorAt:
    """The training-set error at `params` with one weight or bias replaced: `error(where, value)`.

    A network that trains with numpy (a large one) is evaluated with numpy too, its parameters
    kept in arrays and changed in place for each evaluation: 16 layers of 64 neurons take about a
    millisecond an evaluation that way, against a third of a second rebuilding nested lists."""

    def __init__(self, net: Network, params: Params):
        from ..engine.training import Trainer

        self.net, self.params = net, params
        self.backend = Trainer(net).numpy
        if self.backend is not None:
            self.weights, self.biases = self.backend.arrays(params)

    def __call__(self, where: tuple, value: float) -> float:
        if self.backend is None:
            return self.net.dataset_error(_with(self.params, where, value))[2]
        if where[0] == "w":
            _, l, j, k = where
            array, index = self.weights[l], (j, k)
        else:
            array, index = self.biases[where[1]], (() if where[2] is None else (where[2],))
        kept = array[index]
        array[index] = value
        try:
            return self.backend.evaluation(self.weights, self.biases).mean
        finally:
            array[index] = kept


def places(net: Network, params: Params, weight_grads, bias_grads) -> list[tuple]:
    """(name, where, value, gradient) of every weight and trained bias, in the layout's order."""
    layout = net.scenario.layout
    found = []
    for l, layer in enumerate(params.weights):
        for j, row in enumerate(layer):
            for k, w in enumerate(row):
                found.append((layout.weight_names[l][j][k], ("w", l, j, k), w, weight_grads[l][j][k]))
    if net.train_biases and params.biases is not None:
        for l, b in enumerate(params.biases):
            if isinstance(b, list):
                for j, value in enumerate(b):
                    found.append((layout.bias_name(l, j), ("b", l, j), value, bias_grads[l][j]))
            else:
                found.append((layout.bias_name(l, 0), ("b", l, None), b, bias_grads[l]))
    return found


def check_gradients(net: Network, params: Params, epsilon: float = EPSILON, gradients=None,
                    progress=None) -> GradientReport:
    """Compare every weight's (and every trained bias's) gradient with (E(p+e) - E(p-e)) / 2e.

    `gradients` lets a caller substitute its own (weight, bias) gradients: the tests use it to show
    that a wrong gradient fails. Each parameter costs two passes over the training set, so a wide
    network takes a while: `progress(done, total)` is called after each one (for a worker thread).
    """
    weight_grads, bias_grads = gradients or backprop_gradients(net, params)
    error = ErrorAt(net, params)
    todo = places(net, params, weight_grads, bias_grads)
    rows = []
    for name, where, value, grad in todo:
        up = error(where, value + epsilon)
        down = error(where, value - epsilon)
        noise = NOISE_ULPS * sys.float_info.epsilon * max(abs(up), abs(down)) / (2 * epsilon)
        rows.append(GradientRow(name, grad, (up - down) / (2 * epsilon), noise))
        if progress is not None:
            progress(len(rows), len(todo))
    return GradientReport(tuple(rows), epsilon, THRESHOLD)


# --- for the CLI and the app ---------------------------------------------------------------------


class Diverged(Exception):
    """Training diverged before the requested epoch, so there is nothing finite to check."""


def check_scenario(scenario: Scenario, epochs: int = 0, epsilon: float = EPSILON,
                   progress=None) -> GradientReport:
    """Check the gradients at the scenario's start, or after `epochs` epochs of training."""
    from ..engine.stepper import Stepper  # the stepper replays training with checkpoints

    stepper = Stepper(scenario)
    return check_gradients(stepper.net, trained(stepper, epochs), epsilon, progress=progress)


def trained(stepper, epochs: int, should_stop=None) -> Params:
    """The parameters after `epochs` epochs of the stepper's training; Diverged if it diverged first."""
    stepper.extend_to(epochs, should_stop)
    if stepper.diverged_at is not None and stepper.diverged_at <= epochs:
        raise Diverged(f"{stepper.scenario.origin}: training diverged at epoch {stepper.diverged_at}, before "
                       f"epoch {epochs}: there are no finite gradients to check (try fewer epochs)")
    return stepper.state_at(epochs).params


def connections(scenario: Scenario) -> dict[str, str]:
    """What each parameter joins, for the table: "i1 -> h1" for a weight, "h1, h2" for a bias."""
    layout = scenario.layout
    found = {}
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            for k, name in enumerate(row):
                found[name] = f"{layout.neuron_names[l][k]} -> {layout.neuron_names[l + 1][j]}"
    for l in range(len(scenario.layers) - 1):
        receivers = layout.neuron_names[l + 1]
        if scenario.bias == "shared":
            found[layout.bias_name(l, 0)] = "bias of " + ", ".join(receivers)
        elif scenario.bias == "per-neuron":
            for j, name in enumerate(receivers):
                found[layout.bias_name(l, j)] = f"bias of {name}"
    return found


def report_lines(report: GradientReport, scenario: Scenario) -> list[str]:
    """The report as a plain-text table, one row per parameter, then the verdict line."""
    joins = connections(scenario)
    header = ("parameter", "joins", "backprop", "numerical", "rel. error", "result")
    # + 0.0 turns -0.0 (a negative delta times an input of 0) into 0.0: a zero has no sign to a reader
    rows = [(row.name, joins.get(row.name, ""), f"{row.backprop + 0.0: .10e}", f"{row.numeric + 0.0: .10e}",
             f"{row.relative_error:.1e}", "ok*" if row.within_noise else "ok" if row.ok else "FAIL")
            for row in report.rows]
    widths = [max(len(cells[i]) for cells in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
             for cells in [header, *rows]]
    if any(row.within_noise for row in report.rows):
        lines.append("* the two values differ by less than the rounding noise of the finite difference")
    fixed = scenario.layout.bias_names() if not scenario.train_biases else []
    if fixed:
        lines.append(f"biases {', '.join(fixed)} are fixed here (train_biases = false), "
                     "so they are not checked")
    lines.append(verdict(report))
    return lines


def verdict(report: GradientReport) -> str:
    """One line: PASS or FAIL, with the threshold and epsilon used."""
    how = (f"relative error threshold {report.threshold:g}, central differences with epsilon "
           f"{report.epsilon:g}")
    if not report.rows:
        return f"PASS: no trained parameters to check ({how})"
    worst = report.worst
    if report.passed:
        return (f"PASS: all {len(report.rows)} gradients agree with the numerical ones (largest relative "
                f"error {worst.relative_error:.1e}, {worst.name}; {how})")
    failed = report.failures
    names = ", ".join(row.name for row in failed[:8]) + (", ..." if len(failed) > 8 else "")
    return (f"FAIL: {len(failed)} of {len(report.rows)} gradients disagree with the numerical ones "
            f"({names}; {how})")
