"""The maths of one sample: forward pass, error, deltas, gradients, and the parameter update.

Plain Python floats, one neuron at a time, in the order the article computes them, so the stepper
and the fast trainer (which both call these functions) agree bit for bit, and a sum like
net_h1 = w1*i1 + w2*i2 + b1 is added left to right exactly as written. Each activation's and
loss's own formulas come from the table in maths.py. Nothing here raises on
overflow: infinities and NaN flow through and the caller reports divergence.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from .maths import ACTIVATIONS, LOSSES, add_all

if TYPE_CHECKING:  # (only for annotations: the network is below the scenario loader)
    from .scenario import Scenario

class Params(NamedTuple):
    """Weights and biases. Never changed in place: an update builds new lists, so snapshots are cheap."""

    weights: list  # weights[l][j][k]
    biases: list | None  # per weight layer: a float (shared) or a list (per-neuron); None without biases

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> "Params":
        weights = [[list(row) for row in layer] for layer in scenario.weights]
        if scenario.biases is None:
            return cls(weights, None)
        if scenario.bias == "shared":
            return cls(weights, list(scenario.biases))
        return cls(weights, [list(b) for b in scenario.biases])

    def flat(self) -> list[float]:
        values = [w for layer in self.weights for row in layer for w in row]
        for b in self.biases or ():
            values.extend(b if isinstance(b, list) else (b,))
        return values

    def finite(self) -> bool:
        return all(map(math.isfinite, self.flat()))


class State(NamedTuple):
    """Everything that carries from one epoch to the next."""

    params: Params
    velocity: Params | None


class SampleTrace(NamedTuple):
    """Every intermediate quantity of one sample, as the stepper shows them.

    Layer-indexed lists have an entry per layer (index 0, the input layer, holds None where a
    quantity does not exist for inputs). Weight-layer-indexed lists have one per weight layer.
    """

    nets: list
    outs: list
    loss_terms: list[float]
    loss: float
    error_slopes: list[float] | None  # dE/dout per output neuron; None for softmax + cross-entropy
    slopes: list  # slopes[L][j] = dout/dnet
    contributions: list  # contributions[L][j][m] = delta of neuron m in L+1 times its weight from j
    sums: list  # sums[L][j] = dE/dout_j for hidden neurons
    deltas: list
    weight_grads: list  # per weight layer
    bias_grads: list | None
    weights_used: list  # weights[l] used for the deltas of layer l (differs in "updated" mode)
    after: "Params | None" = None  # parameters after this sample's update (online mode)
    velocity_after: "Params | None" = None


class Evaluation(NamedTuple):
    """The output layer of every sample at some parameters, and the training-set error there."""

    nets: list  # nets[s][j]
    outputs: list  # outputs[s][j]
    losses: list[float]  # each sample's error
    mean: float  # their mean: the training-set error


class Network:
    """A scenario's fixed settings, and the passes that use them."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.activations = scenario.activations
        self.loss = scenario.loss
        self.activation_maths = [ACTIVATIONS[name] for name in scenario.activations]  # per weight layer
        self.loss_maths = LOSSES[scenario.loss]
        self.learning_rate = scenario.learning_rate
        self.momentum = scenario.momentum
        self.bias_mode = scenario.bias
        self.train_biases = scenario.train_biases
        self.update_first = scenario.hidden_deltas_use == "updated"
        self.depth = len(scenario.layers) - 1  # weight layers

    # --- forward and error ---------------------------------------------------------------

    def forward(self, params: Params, inputs) -> tuple[list, list]:
        nets, outs = [None], [list(inputs)]
        for l in range(self.depth):
            below = outs[-1]
            bias = None if params.biases is None else params.biases[l]
            layer_nets = []
            for j, row in enumerate(params.weights[l]):
                net = add_all(w * x for w, x in zip(row, below))
                if bias is not None:
                    net = net + (bias if self.bias_mode == "shared" else bias[j])
                layer_nets.append(net)
            outs.append(self.activation_maths[l].layer(layer_nets))
            nets.append(layer_nets)
        return nets, outs

    def sample_loss(self, outputs: list[float], targets) -> tuple[list[float], float]:
        n, term = len(outputs), self.loss_maths.term
        terms = [term(t, o, n) for t, o in zip(targets, outputs)]
        return terms, add_all(terms)

    # --- backward ------------------------------------------------------------------------

    def backprop(self, params: Params, inputs, targets, velocity: Params | None = None,
                 update: bool = False) -> SampleTrace:
        """One sample through forward, error and backward; with update=True also the update."""
        nets, outs = self.forward(params, inputs)
        terms, loss = self.sample_loss(outs[-1], targets)
        top = self.depth
        slopes = [None] * (top + 1)
        deltas = [None] * (top + 1)
        contributions = [None] * (top + 1)
        sums = [None] * (top + 1)
        weight_grads = [None] * top
        bias_grads = None if params.biases is None else [None] * top
        weights_used = list(params.weights)
        out, net, n = outs[top], nets[top], len(outs[top])
        loss_slope = self.loss_maths.slope
        if self.loss_maths.slope_is_delta:  # cross-entropy after softmax: the delta is out - target
            error_slopes = None
            deltas[top] = [loss_slope(t, o, n) for t, o in zip(targets, out)]
        else:
            error_slopes = [loss_slope(t, o, n) for t, o in zip(targets, out)]
            slope = self.activation_maths[-1].slope
            slopes[top] = [slope(z, o) for z, o in zip(net, out)]
            deltas[top] = [e * s for e, s in zip(error_slopes, slopes[top])]

        current = params
        current_velocity = velocity
        for layer in range(top, 0, -1):  # layer whose deltas are known; its weights in: layer - 1
            l = layer - 1
            weight_grads[l] = [[d * x for x in outs[l]] for d in deltas[layer]]
            if bias_grads is not None:
                bias_grads[l] = add_all(deltas[layer]) if self.bias_mode == "shared" else list(deltas[layer])
            if update and self.update_first:
                current, current_velocity = self.apply(current, current_velocity, weight_grads, bias_grads, [l])
            if l == 0:
                break
            above = current.weights[l] if update and self.update_first else params.weights[l]
            weights_used[l] = above
            slope = self.activation_maths[l - 1].slope
            below_deltas, below_slopes, below_contrib, below_sums = [], [], [], []
            for j in range(len(outs[l])):
                parts = [d * above[m][j] for m, d in enumerate(deltas[layer])]
                total = add_all(parts)
                s = slope(nets[l][j], outs[l][j])
                below_contrib.append(parts)
                below_sums.append(total)
                below_slopes.append(s)
                below_deltas.append(total * s)
            contributions[l], sums[l], slopes[l], deltas[l] = below_contrib, below_sums, below_slopes, below_deltas

        if update and not self.update_first:
            current, current_velocity = self.apply(params, velocity, weight_grads, bias_grads,
                                                   range(top - 1, -1, -1))
        after, velocity_after = (current, current_velocity) if update else (None, None)
        return SampleTrace(nets, outs, terms, loss, error_slopes, slopes, contributions, sums, deltas,
                           weight_grads, bias_grads, weights_used, after, velocity_after)

    # --- update --------------------------------------------------------------------------

    def apply(self, params: Params, velocity: Params | None, weight_grads, bias_grads, layers):
        """New parameters (and velocity) with the given weight layers stepped down their gradients."""
        lr, mu = self.learning_rate, self.momentum
        weights = list(params.weights)
        biases = None if params.biases is None else list(params.biases)
        v_weights = None if velocity is None else list(velocity.weights)
        v_biases = None if velocity is None or velocity.biases is None else list(velocity.biases)
        train_b = self.train_biases and biases is not None
        for l in layers:
            grads = weight_grads[l]
            if mu:
                v_weights[l] = [[mu * v + g for v, g in zip(vr, gr)] for vr, gr in zip(v_weights[l], grads)]
                grads = v_weights[l]
            weights[l] = [[w - lr * g for w, g in zip(wr, gr)] for wr, gr in zip(weights[l], grads)]
            if train_b:
                g = bias_grads[l]
                if self.bias_mode == "shared":
                    if mu:
                        v_biases[l] = g = mu * v_biases[l] + g
                    biases[l] = biases[l] - lr * g
                else:
                    if mu:
                        v_biases[l] = g = [mu * v + gi for v, gi in zip(v_biases[l], g)]
                    biases[l] = [b - lr * gi for b, gi in zip(biases[l], g)]
        new_velocity = None if velocity is None else Params(v_weights, v_biases)
        return Params(weights, biases), new_velocity

    def zero_velocity(self, params: Params) -> Params | None:
        """Momentum's running gradient starts at zero; without momentum there is none."""
        if not self.momentum:
            return None
        weights = [[[0.0] * len(row) for row in layer] for layer in params.weights]
        if params.biases is None:
            return Params(weights, None)
        shared = self.bias_mode == "shared"
        return Params(weights, [0.0 if shared else [0.0] * len(b) for b in params.biases])

    def mean_grads(self, traces: list[SampleTrace]):
        """Batch mode: the gradient of the mean error is the mean of the samples' gradients."""
        count = len(traces)
        weight_grads = [
            [[add_all(t.weight_grads[l][j][k] for t in traces) / count for k in range(len(row))]
             for j, row in enumerate(layer)]
            for l, layer in enumerate(traces[0].weight_grads)
        ]
        if traces[0].bias_grads is None:
            return weight_grads, None
        bias_grads = []
        for l, first in enumerate(traces[0].bias_grads):
            if isinstance(first, list):
                bias_grads.append([add_all(t.bias_grads[l][j] for t in traces) / count for j in range(len(first))])
            else:
                bias_grads.append(add_all(t.bias_grads[l] for t in traces) / count)
        return weight_grads, bias_grads

    def evaluate(self, params: Params) -> Evaluation:
        """Every sample's outputs and error at these parameters, and their mean."""
        nets, outputs, losses = [], [], []
        for x, t in zip(self.scenario.inputs, self.scenario.targets):
            layer_nets, outs = self.forward(params, x)
            nets.append(layer_nets[-1])
            outputs.append(outs[-1])
            losses.append(self.sample_loss(outs[-1], t)[1])
        return Evaluation(nets, outputs, losses, add_all(losses) / len(losses))

    def dataset_error(self, params: Params) -> tuple[list, list[float], float]:
        """(outputs, per-sample errors, training-set error) at these parameters."""
        found = self.evaluate(params)
        return found.outputs, found.losses, found.mean
