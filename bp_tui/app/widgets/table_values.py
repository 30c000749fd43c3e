"""What the network table shows at one position of the stepper, before any question of layout.

TableValues hold each neuron's net input and output as far as the current round has computed them
(for the current sample), every weight and bias with its two ends and its value, and the names the
current sub-step touches. They are read from the picture's state (views/picture.py), and each weight
is written as the picture writes it (`shown_param`): w5+ with its new value once shown, … after it
while it waits to be applied, the old value while a step reads it meanwhile. So the picture and the
table always agree. Two equal TableValues draw the same, so the table compares them to skip redrawing.
"""

from __future__ import annotations

from typing import NamedTuple

from ...views.picture import PictureState, about, shown_param
from ..frame import Frame


class Wire(NamedTuple):
    """One weight (or bias) as the table writes it."""

    name: str  # as written: w5, or w5+ once its new value is shown
    ends: str  # "i2→h1", or "bias"
    value: float
    pending: bool = False  # the new value is shown but not applied yet (written with … after it)

    @property
    def param(self) -> str:
        return self.name.removesuffix("+")

    @property
    def updated(self) -> bool:
        return self.name.endswith("+")


class TableShape:
    """What every table of one network shares: its names, the column headings, each weight's name
    and ends, and the biases' names. Made once per scenario; tables compare it by identity."""

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


_SHAPES: dict[int, tuple[object, TableShape]] = {}


def table_shape_of(scenario) -> TableShape:
    found = _SHAPES.get(id(scenario))
    if found is None or found[0] is not scenario:
        if len(_SHAPES) > 64:
            _SHAPES.clear()
        found = _SHAPES[id(scenario)] = (scenario, TableShape(scenario))
    return found[1]


class TableValues(NamedTuple):
    """Everything the table draws, independent of the width it is drawn at."""

    shape: TableShape
    inputs: tuple[float, ...]
    nets: tuple[tuple[float | None, ...], ...]
    outs: tuple[tuple[float | None, ...], ...]
    wires: tuple[tuple[tuple[Wire, ...], ...], ...]  # wires[l][j]: the weights into neuron j of layer l+1
    bias_wires: tuple[tuple[Wire, ...], ...]  # per weight layer: one shared bias, one per neuron, or none
    hot_neurons: frozenset[str]
    hot_params: frozenset[str]
    quantity: str
    own: str  # the neuron the current quantity belongs to (the first it touches)
    marks: tuple[tuple[str, str], ...] = ()  # (neuron, mark) of the saturated and dead ones (engine/stuck.py)
    selected: str = ""  # what the learner selected (s, tab, a click)

    @property
    def names(self) -> tuple[tuple[str, ...], ...]:
        return self.shape.names

    @property
    def headings(self) -> tuple[str, ...]:
        return self.shape.headings

    @classmethod
    def of(cls, frame: Frame, state: PictureState) -> TableValues:
        """The table at `frame`, whose picture state is `state`."""
        scenario = frame.stepper.scenario
        shape = table_shape_of(scenario)
        names = shape.names
        current = frame.current
        reads = frozenset(p for p in current.params if not about(current.quantity, p)) if current else frozenset()
        values = state.values

        def wire(name: str, ends: str) -> Wire:
            shown, value, pending = shown_param(state, name, name in reads)
            return Wire(shown, ends, value, pending)

        return cls(
            shape=shape,
            inputs=tuple(values[n] for n in names[0]),
            nets=tuple(tuple(values.get(f"net_{n}") for n in layer) for layer in names),
            outs=tuple(tuple(values.get(f"out_{n}") for n in layer) for layer in names),
            wires=tuple(tuple(tuple(wire(name, ends) for name, ends in row) for row in layer) for layer in shape.wires),
            bias_wires=tuple(tuple(wire(name, "bias") for name in layer) for layer in shape.biases),
            hot_neurons=frozenset(current.neurons if current else ()),
            hot_params=frozenset(current.params if current else ()),
            quantity=current.quantity if current else "",
            own=current.neurons[0] if current and current.neurons else "",
            marks=tuple((name, stuck.mark) for name, stuck in state.stuck.items()),
            selected=state.selected,
        )


def _headings(names, activations) -> tuple[str, ...]:
    hidden = len(names) - 2
    headings = ["inputs"]
    for L in range(1, len(names)):
        kind = "outputs" if L == len(names) - 1 else ("hidden" if hidden == 1 else f"hidden {L}")
        headings.append(f"{kind} · {activations[L - 1]}")
    return tuple(headings)
