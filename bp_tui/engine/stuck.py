"""Saturated and dead neurons: where the error can no longer reach the weights into a neuron.

Every delta is a product with the neuron's slope dout/dnet, so a neuron whose slope is nearly 0 for
every sample passes almost no error back: the weights into it (and its bias) hardly move however
large the error. A sigmoid or tanh neuron far out on the flat part of its curve is *saturated*; a
ReLU neuron whose net input is <= 0 for every sample has slope 0 exactly and is *dead*: nothing moves
its weights again, so it stays dead.

The judgement is made with the weights as they stand at a moment of a round (the ones in force,
not a new value waiting to be applied), over every sample of the training set: what the next
forward pass of each sample will meet. Linear neurons (slope 1) and softmax outputs (whose slope
cancels into out - target) are never marked.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Mapping, NamedTuple

from .layout import Layout
from .network import Network, Params

SLOPE_THRESHOLD = 0.01  # below this slope for every sample, a sigmoid or tanh neuron counts as saturated
SATURATED_MARK = "≈"  # on the flat part of its curve: the slope is about 0
DEAD_MARK = "⊘"  # a ReLU that passes nothing back
MARKED = ("sigmoid", "tanh", "relu")  # the activations a neuron can be stuck with
SLOPE = re.compile(r"dout_(\w+)/dnet_\1")


class Stuck(NamedTuple):
    """A neuron the error barely (saturated) or never (dead) gets through."""

    neuron: str
    kind: str  # "saturated" or "dead"
    slope: float  # its largest slope over the samples
    net: float  # its net input with that slope (for a dead neuron: its largest net input, <= 0)

    @property
    def mark(self) -> str:
        return DEAD_MARK if self.kind == "dead" else SATURATED_MARK

    def sentence(self) -> str:
        """One line for a learner who selects the neuron."""
        if self.kind == "dead":
            return (f"{self.mark} {self.neuron} is dead: its net input is at most {self.net:.4g} for every sample, "
                    f"so its slope is 0: no error reaches the weights into it, and they never move again.")
        return (f"{self.mark} {self.neuron} is saturated: its slope is {self.slope:.2g} at most (below "
                f"{SLOPE_THRESHOLD}): the error barely reaches the weights into it.")


def params_from_names(layout: Layout, bias_mode: str, values: Mapping[str, float]) -> Params:
    """Engine Params from every weight and bias by name (as the picture keeps them)."""
    weights = [[[values[name] for name in row] for row in layer] for layer in layout.weight_names]
    if bias_mode == "none":
        return Params(weights, None)
    if bias_mode == "shared":
        return Params(weights, [values[layout.bias_name(l, 0)] for l in range(len(weights))])
    return Params(weights, [[values[layout.bias_name(l, j)] for j in range(len(layer))]
                            for l, layer in enumerate(weights)])


def stuck_neurons(net: Network, params: Params) -> dict[str, Stuck]:
    """The neurons stuck at `params` over every sample of the training set, by name."""
    layout = net.scenario.layout
    best: dict[tuple[int, int], tuple[float, float]] = {}  # (layer, neuron) -> (largest slope, its net)
    for inputs in net.scenario.inputs:
        nets, outs = net.forward(params, inputs)
        for L in range(1, len(nets)):
            activation = net.activation_maths[L - 1]
            if activation.name not in MARKED:
                continue
            for j, (z, a) in enumerate(zip(nets[L], outs[L])):
                slope = activation.slope(z, a)
                found = best.get((L, j))
                if found is None or (slope, z) > found:
                    best[(L, j)] = (slope, z)
    stuck = {}
    for (L, j), (slope, z) in best.items():
        dead = net.activation_maths[L - 1].name == "relu"
        if slope < SLOPE_THRESHOLD:  # (a ReLU's slope is 0 or 1: below the threshold means net <= 0 everywhere)
            name = layout.neuron_names[L][j]
            stuck[name] = Stuck(name, "dead" if dead else "saturated", slope, z)
    return stuck


_FOUND: OrderedDict[tuple, dict[str, Stuck]] = OrderedDict()


def stuck_at(net: Network, values: Mapping[str, float]) -> dict[str, Stuck]:
    """`stuck_neurons` at the weights and biases `values` (by name), kept for the last few sets asked
    about (a round changes the weights only at its updates, and every key of the app asks)."""
    key = (id(net), tuple(values.items()))
    found = _FOUND.get(key)
    if found is None:
        params = params_from_names(net.scenario.layout, net.scenario.bias, values)
        found = _FOUND[key] = stuck_neurons(net, params)
        while len(_FOUND) > 16:
            _FOUND.popitem(last=False)
    return found


def flat_slope(quantity: str, value: float, activation: str) -> str:
    """The mark for a slope sub-step whose value is below the threshold (one sample's slope), else "":
    the quantities panel marks the very figure that stops the error."""
    if activation not in MARKED or not SLOPE.fullmatch(quantity) or not abs(value) < SLOPE_THRESHOLD:
        return ""
    return DEAD_MARK if activation == "relu" else SATURATED_MARK
