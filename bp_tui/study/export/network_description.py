"""What a worked example says about the network before the first step: its layers and settings,
and tables of the starting weights, the biases and the training samples.

Shared by Markdown and LaTeX. The words are prose: our own sentences, where `...` marks code.
"""

from __future__ import annotations

from ...engine.network import Params
from ...engine.records import num
from ...engine.scenario import Scenario

ACTIVATION_WORDS = {
    "sigmoid": "the logistic function `1/(1 + e^(-x))`",
    "tanh": "`tanh(x)`",
    "relu": "ReLU, `max(0, x)`",
    "linear": "linear (the output is the net input)",
    "softmax": "softmax (outputs that add up to 1)",
}
LOSS_WORDS = {
    "half-sse": "half the sum of the squared gaps between targets and outputs",
    "mse": "the mean over the outputs of the squared gaps",
    "cross-entropy": "cross-entropy of the softmax outputs",
}
LOSS_MATH = {
    "half-sse": r"E = \sum_{k} \frac{1}{2}(target_{k} - out_{k})^{2}",
    "mse": r"E = \frac{1}{n} \sum_{k} (target_{k} - out_{k})^{2}",
    "cross-entropy": r"E = -\sum_{k} target_{k} \cdot \ln(out_{k})",
}


def code(name: str) -> str:
    return f"`{name}`"


def assignments(names, values) -> str:
    return ", ".join(f"`{n} = {num(v)}`" for n, v in zip(names, values))


def describe_layers(sc: Scenario) -> list[str]:
    """One line per layer: its role, its neurons and its activation."""
    lines = []
    last = len(sc.layers) - 1
    for index, names in enumerate(sc.names):
        if index == 0:
            role = "Input layer"
        elif index == last:
            role = "Output layer"
        else:
            role = "Hidden layer" if last == 2 else f"Hidden layer {index}"
        line = f"{role}: {len(names)} neuron{'s' if len(names) != 1 else ''} ({', '.join(map(code, names))})"
        if index:
            line += f", activation {ACTIVATION_WORDS[sc.activations[index - 1]]}"
        lines.append(line)
    return lines


def settings(sc: Scenario) -> list[str]:
    """One line per setting of the training: error, learning rate, momentum, samples, biases."""
    items = [f"Error of one sample (`{sc.loss}`): {LOSS_WORDS[sc.loss]}",
             f"Learning rate `eta = {num(sc.learning_rate)}`"]
    if sc.momentum:
        items.append(f"Momentum `mu = {num(sc.momentum)}`: each parameter keeps a running gradient "
                     "`v = mu*v + gradient` and steps along it")
    samples = len(sc.inputs)
    if samples > 1:
        items.append(f"{samples} training samples, " + (
            "one update after each sample, in order (online)" if sc.mode == "online"
            else "one update per round from the mean error over all of them (batch)"))
    bias_words = {"shared": "one bias per layer, shared by its neurons",
                  "per-neuron": "one bias for each neuron", "none": "none"}[sc.bias]
    if sc.bias != "none":
        bias_words += ", trained like the weights" if sc.train_biases else ", kept fixed (not trained)"
    items.append(f"Biases: {bias_words}")
    if sc.hidden_deltas_use == "updated":
        items.append("The hidden deltas use the output-side weights after their update (the order of the "
                     "article's summary code). The usual rule takes every gradient of a round at the same "
                     "point, before any update")
    return items


def start_tables(sc: Scenario, start: Params, first_round: int) -> list[tuple]:
    """(title, header, alignment, rows) of the weights, biases and samples; cells are prose."""
    layout = sc.layout
    weights = [(code(name), code(layout.neuron_names[l][k]), code(layout.neuron_names[l + 1][j]),
                num(start.weights[l][j][k]))
               for l, layer in enumerate(layout.weight_names)
               for j, row in enumerate(layer) for k, name in enumerate(row)]
    tables = [(f"Weights at the start of round {first_round}", ("weight", "from", "to", "value"), "lllr",
               weights)]
    if start.biases is not None:
        biases = []
        for l in range(len(sc.layers) - 1):
            if sc.bias == "shared":
                biases.append((code(layout.bias_name(l, 0)), ", ".join(map(code, sc.names[l + 1])),
                               num(start.biases[l])))
            else:
                biases += [(code(layout.bias_name(l, j)), code(name), num(start.biases[l][j]))
                           for j, name in enumerate(sc.names[l + 1])]
        title = f"Biases at the start of round {first_round}" + ("" if sc.train_biases else " (fixed)")
        tables.append((title, ("bias", "added to", "value"), "llr", biases))
    samples = [(str(s + 1), assignments(sc.names[0], x), assignments(sc.names[-1], t))
               for s, (x, t) in enumerate(zip(sc.inputs, sc.targets))]
    tables.append(("Training samples", ("sample", "inputs", "targets"), "lll", samples))
    return tables
