"""A numerical check of the total derivative: nudge a hidden neuron's output and watch the error.

dE_total/dout_h1 is the sum of the paths from out_h1 to the error. To see that the sum is right,
move out_h1 a little either way (everything below it stays put), compute the layers above it
forward again with the weights of the forward pass, and divide the change in E_total by the
change in out_h1. The tolerance is the gradient check's (`bp-tui gradcheck`): relative error at
most 1e-5, or a difference below the rounding noise of the finite difference itself.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

from ..engine.network import Network, Params
from ..engine.records import value_text
from .gradcheck import EPSILON, NOISE_ULPS, THRESHOLD
from .round_values import RoundValues


class Nudge(NamedTuple):
    neuron: str
    epsilon: float
    error: float  # E_total recomputed from the neuron's layer up, nothing nudged
    up: float  # E_total with out + epsilon
    down: float  # E_total with out - epsilon
    paths: float  # the sum of the paths, as backpropagation computed it
    updated: tuple[str, ...] = ()  # weights the paths took already updated (hidden_deltas_use)

    @property
    def numeric(self) -> float:
        return (self.up - self.down) / (2 * self.epsilon)

    @property
    def noise(self) -> float:
        """The finite difference's own rounding noise: a smaller difference says nothing."""
        return NOISE_ULPS * sys.float_info.epsilon * max(abs(self.up), abs(self.down)) / (2 * self.epsilon)

    @property
    def relative_error(self) -> float:
        return abs(self.paths - self.numeric) / max(abs(self.paths), abs(self.numeric), 1e-8)

    @property
    def agrees(self) -> bool:
        return self.relative_error <= THRESHOLD or abs(self.paths - self.numeric) <= self.noise

    def lines(self, ascii: bool = False) -> list[str]:
        """The check in words and numbers; `ascii` writes eps and - for ε and − (for documents)."""
        out = f"out_{self.neuron}"
        e, minus = ("eps", "-") if ascii else ("ε", "−")
        found = [
            f"Check by nudging: move {out} by {e} = {self.epsilon:g} either way, and compute the layers above "
            f"{self.neuron} forward again with the weights of the forward pass:",
            f"E_total({out} + {e}) = {self.up:.15g}",
            f"E_total({out} {minus} {e}) = {self.down:.15g}",
            f"(E_total({out} + {e}) {minus} E_total({out} {minus} {e})) / (2*{e}) = {value_text(self.numeric)}",
        ]
        if self.agrees:
            found.append(f"sum of the paths = {value_text(self.paths)}: they agree (relative difference "
                         f"{self.relative_error:.1e}; the check allows {THRESHOLD:g}).")
        elif self.updated:
            found.append(f"sum of the paths = {value_text(self.paths)}: they differ (relative difference "
                         f"{self.relative_error:.1e}). The paths used {', '.join(w + '+' for w in self.updated)}, "
                         "the weights after their update, but the error was computed with the weights before "
                         "it: this sum is not the derivative of that error.")
        else:
            found.append(f"sum of the paths = {value_text(self.paths)}: they DIFFER (relative difference "
                         f"{self.relative_error:.1e}; the check allows {THRESHOLD:g}).")
        return found


def nudge(values: RoundValues, layer: int, name: str, sample: int | None, paths: float,
          epsilon: float = EPSILON) -> Nudge:
    """Nudge out_NAME (a neuron of `layer`) for one sample and compare the slope with `paths`."""
    sc = values.scenario
    names = values.names
    outs = [values.value(f"out_{n}", sample) for n in names[layer]]
    j = names[layer].index(name)
    upper = Network(_above(sc, layer, values, sample))
    params = Params(*_params_above(values, layer, sample))
    targets = sc.targets[sample]

    def error(shift: float) -> float:
        moved = list(outs)
        moved[j] = outs[j] + shift
        return upper.sample_loss(upper.forward(params, moved)[1][-1], targets)[1]

    updated = ()
    if values.updated_first:
        updated = tuple(values.layout.weight_names[layer][m][j] for m in range(len(names[layer + 1])))
    return Nudge(name, epsilon, error(0.0), error(epsilon), error(-epsilon), paths, updated)


def _above(scenario, layer: int, values: RoundValues, sample: int | None):
    """The scenario cut at `layer`: that layer becomes the input of a smaller network."""
    weights, biases = _params_above(values, layer, sample)
    return scenario._replace(layers=scenario.layers[layer:], activations=scenario.activations[layer:],
                             names=scenario.names[layer:], weights=weights, biases=biases)


def _params_above(values: RoundValues, layer: int, sample: int | None):
    """The weights and biases from `layer` up, as the sample's forward pass used them."""
    return values.nested(lambda name: values.param(name, sample), first=layer)
