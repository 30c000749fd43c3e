"""What the network diagram shows at one position of the stepper, before any question of layout.

A Picture holds each neuron's net input and output as far as the current round has computed them
(for the current sample), every weight and bias with its two ends and its value (the new value once
its update has been shown), and the names the current sub-step touches. Two equal Pictures draw
the same, so the diagram compares them to skip redrawing.
"""

from __future__ import annotations

from typing import NamedTuple

from ..frame import Frame


class Wire(NamedTuple):
    """One weight (or bias) as the diagram writes it."""

    name: str
    ends: str  # "i2→h1", or "bias"
    value: float
    updated: bool


class Shape:
    """What every picture of one network shares: its names, the column headings, each weight's name
    and ends, and the biases' names. Made once per scenario; pictures compare it by identity."""

    def __init__(self, scenario):
        layout = scenario.layout
        names = layout.neuron_names
        weight_names = layout.weight_names
        self.names: tuple[tuple[str, ...], ...] = names
        self.headings = _headings(names, scenario.activations)
        # wires[l][j][k]: (name, ends) of the weight from neuron k of layer l into neuron j of layer l + 1
        self.wires = tuple(
            tuple(tuple((weight_names[l][j][k], f"{names[l][k]}→{names[l + 1][j]}") for k in range(len(names[l])))
                  for j in range(len(names[l + 1])))
            for l in range(len(names) - 1))
        bias_count = {"shared": lambda l: 1, "per-neuron": lambda l: len(names[l + 1]), "none": lambda l: 0}
        self.biases = tuple(tuple(layout.bias_name(l, j) for j in range(bias_count[scenario.bias](l)))
                            for l in range(len(names) - 1))


_SHAPES: dict[int, tuple[object, Shape]] = {}


def shape_of(scenario) -> Shape:
    found = _SHAPES.get(id(scenario))
    if found is None or found[0] is not scenario:
        if len(_SHAPES) > 64:
            _SHAPES.clear()
        found = _SHAPES[id(scenario)] = (scenario, Shape(scenario))
    return found[1]


class Picture(NamedTuple):
    """Everything the diagram draws, independent of the width it is drawn at."""

    shape: Shape
    inputs: tuple[float, ...]
    nets: tuple[tuple[float | None, ...], ...]
    outs: tuple[tuple[float | None, ...], ...]
    wires: tuple[tuple[tuple[Wire, ...], ...], ...]  # wires[l][j]: the weights into neuron j of layer l+1
    bias_wires: tuple[tuple[Wire, ...], ...]  # per weight layer: one shared bias, one per neuron, or none
    hot_neurons: frozenset[str]
    hot_params: frozenset[str]
    quantity: str
    own: str  # the neuron the current quantity belongs to (the first it touches)

    @property
    def names(self) -> tuple[tuple[str, ...], ...]:
        return self.shape.names

    @property
    def headings(self) -> tuple[str, ...]:
        return self.shape.headings

    @classmethod
    def of(cls, frame: Frame) -> Picture:
        stepper = frame.stepper
        scenario = stepper.scenario
        shape = shape_of(scenario)
        names = shape.names
        sample, values = 0, {}
        params, updated = _parameters(stepper, shape), set()
        pending = stepper.pending(frame.k)  # shown but not applied yet: the old value still stands
        for step in frame.revealed:
            if step.phase == "forward":
                if step.sample != sample:
                    sample, values = step.sample, {}  # a new sample: its forward pass starts over
                values[step.quantity] = step.value
            elif step.quantity[:-1] in params and step.quantity.endswith("+") and step.quantity[:-1] not in pending:
                params[step.quantity[:-1]] = step.value
                updated.add(step.quantity[:-1])

        def wire(name: str, ends: str) -> Wire:
            return Wire(name, ends, params[name], name in updated)

        wires = tuple(tuple(tuple(wire(name, ends) for name, ends in row) for row in layer) for layer in shape.wires)
        bias_wires = tuple(tuple(wire(name, "bias") for name in layer) for layer in shape.biases)
        current = frame.current
        return cls(
            shape=shape,
            inputs=scenario.inputs[sample],
            nets=tuple(tuple(values.get(f"net_{n}") for n in layer) for layer in names),
            outs=tuple(tuple(values.get(f"out_{n}") for n in layer) for layer in names),
            wires=wires,
            bias_wires=bias_wires,
            hot_neurons=frozenset(current.neurons if current else ()),
            hot_params=frozenset(current.params if current else ()),
            quantity=current.quantity if current else "",
            own=current.neurons[0] if current and current.neurons else "",
        )


def _parameters(stepper, shape: Shape) -> dict[str, float]:
    """Weights and biases by name, as they stood at the start of the current round."""
    params = stepper.params_before_round()
    found = {}
    for l, layer in enumerate(shape.wires):
        for j, row in enumerate(layer):
            for k, (name, _ends) in enumerate(row):
                found[name] = params.weights[l][j][k]
    layout = stepper.layout
    for l, biases in enumerate(params.biases or ()):
        if isinstance(biases, (list, tuple)):
            for j, value in enumerate(biases):
                found[layout.bias_name(l, j)] = value
        elif biases is not None:
            found[layout.bias_name(l, 0)] = biases
    return found


def _headings(names, activations) -> tuple[str, ...]:
    hidden = len(names) - 2
    headings = ["inputs"]
    for L in range(1, len(names)):
        kind = "outputs" if L == len(names) - 1 else ("hidden" if hidden == 1 else f"hidden {L}")
        headings.append(f"{kind} · {activations[L - 1]}")
    return tuple(headings)
