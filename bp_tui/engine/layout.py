"""Names of everything in a network: neurons, weights, biases and the quantities the stepper computes.

The article numbers its weights w1, w2, ... layer by layer and, inside a layer, row by row: the
row is the receiving neuron, the column the sending one, so net_h1 = w1*i1 + w2*i2 + b1*1 (as in
its forward pass and its author's script). Its backward pass writes w3 for the i2->h1 weight; we keep
the forward pass's convention everywhere and say so in the help and the docs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple


def default_neuron_names(layers: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
    """i1.. for inputs, o1.. for outputs, h1.. for one hidden layer, h1_1.. / h2_1.. for several."""
    hidden = len(layers) - 2
    names = []
    for index, size in enumerate(layers):
        if index == 0:
            prefix = "i"
        elif index == len(layers) - 1:
            prefix = "o"
        elif hidden == 1:
            prefix = "h"
        else:
            prefix = f"h{index}_"
        names.append(tuple(f"{prefix}{n + 1}" for n in range(size)))
    return tuple(names)


class Layout(NamedTuple):
    """Where every name lives. Layer 0 is the input layer; weight layer l feeds layer l + 1."""

    layers: tuple[int, ...]
    neuron_names: tuple[tuple[str, ...], ...]
    bias_mode: str  # "shared" | "per-neuron" | "none"

    @property
    def weight_names(self) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """weight_names[l][j][k]: the article-style name of the weight from k (layer l) to j (layer l+1)."""
        return _weight_names(self.layers)

    def bias_name(self, l: int, j: int) -> str | None:
        """Name of the bias of neuron j of layer l + 1 (l indexes weight layers), None without biases."""
        if self.bias_mode == "none":
            return None
        if self.bias_mode == "shared":
            return f"b{l + 1}"
        return f"b_{self.neuron_names[l + 1][j]}"

    def bias_names(self) -> list[str]:
        """Every bias name, in order (one per layer when shared, one per neuron when per-neuron)."""
        if self.bias_mode == "none":
            return []
        if self.bias_mode == "shared":
            return [f"b{l + 1}" for l in range(len(self.layers) - 1)]
        return [f"b_{name}" for layer in self.neuron_names[1:] for name in layer]

    def all_weight_names(self) -> list[str]:
        return [name for layer in self.weight_names for row in layer for name in row]

    def weight_ends(self, weight_name: str) -> tuple[str, str]:
        """(from neuron, to neuron) of a weight: the question the article's readers asked most."""
        for l, layer in enumerate(self.weight_names):
            for j, row in enumerate(layer):
                for k, name in enumerate(row):
                    if name == weight_name:
                        return self.neuron_names[l][k], self.neuron_names[l + 1][j]
        raise KeyError(weight_name)


@lru_cache(maxsize=8)
def _weight_names(layers: tuple[int, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Made once per shape: a network of 16 layers of 64 has 61,440 of them."""
    names, counter = [], 0
    for l in range(len(layers) - 1):
        rows = []
        for _j in range(layers[l + 1]):
            rows.append(tuple(f"w{counter + k + 1}" for k in range(layers[l])))
            counter += layers[l]
        names.append(tuple(rows))
    return tuple(names)


def quantity_names(layout: Layout, loss: str, train_biases: bool, momentum: float, samples: int,
                   activations: tuple[str, ...] = (), mode: str = "online") -> set[str]:
    """Every quantity name a round of this network produces (used to check [[expect]] entries).

    It must name what records.EpochWriter writes: tests/test_engine_records.py checks the two agree."""
    names = layout.neuron_names
    softmax = bool(activations) and activations[-1] == "softmax"
    params = layout.all_weight_names() + (layout.bias_names() if train_biases else [])
    found = {"E_total", "E_total+"}
    if mode == "batch":
        found.add("E_mean")
    if samples > 1:
        found.add("E_mean+")
    for L in range(1, len(names)):
        output_layer = L == len(names) - 1
        for name in names[L]:
            found |= {f"net_{name}", f"out_{name}", f"delta_{name}"}
            if not (output_layer and softmax):
                found.add(f"dout_{name}/dnet_{name}")
            if not output_layer:
                found.add(f"dE_total/dout_{name}")
                found |= {f"dE_{up}/dout_{name}" for up in names[L + 1]}
    for name in names[-1]:
        found.add(f"out_{name}+")
        if len(names[-1]) > 1:  # one output's error is the sample's: it is written once, as E_total
            found.add(f"E_{name}")
        if not softmax:
            found.add(f"dE_total/dout_{name}")
    for p in params:
        found |= {f"dE_total/d{p}", f"{p}+"}
        if mode == "batch":
            found.add(f"dE_mean/d{p}")
        if momentum:
            found.add(f"v_{p}")
    return found
