"""The numbers of one round by name: each record's value, and the weights each sample's passes used.

The chain rule written out (`derive`) and the matrix form (`matrix`) both show a sub-step with the
numbers that produced it. They look those numbers up here, by quantity name and sample, never by a
record's position in the round: the order of the sub-steps is free to change.

Weights and biases are not records, so they come from the parameters before the round, updated
sample by sample (online mode) with the round's own `w5+` records: whatever order and backend the
engine used, the values are the ones it computed.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import NamedTuple

from ..engine.network import Network, Params
from ..engine.records import Step
from ..engine.stepper import Stepper

PARAM_NAME = re.compile(r"[wb]\d+|b_\w+")


class Ref(NamedTuple):
    """What a number is: a record's quantity, a parameter, an input or a target, for one sample.

    `before` marks a running gradient (v_w5) as it was before this sample's update rather than the
    record of the new one.
    """

    quantity: str
    sample: int | None
    before: bool = False


class RoundValues:
    """Every number of round `epoch` (1-based, as in Step.epoch) of a stepper, by name."""

    def __init__(self, stepper: Stepper, epoch: int):
        self.scenario = stepper.scenario
        self.layout = stepper.layout
        self.epoch = epoch
        self.values = SampleValues(stepper.round(epoch - 1))
        start = stepper.state_at(epoch - 1)
        self.start = _named_params(self.layout, start.params)
        self.start_velocity = {} if start.velocity is None else _named_params(self.layout, start.velocity)
        self.names = self.layout.neuron_names
        self.top = len(self.names) - 1
        self.online = self.scenario.mode == "online"
        self.updated_first = self.online and self.scenario.hidden_deltas_use == "updated"
        self._after: dict = {}

    # --- records ------------------------------------------------------------------------

    def has(self, quantity: str, sample: int | None) -> bool:
        return (quantity, sample) in self.values

    def value(self, quantity: str, sample: int | None) -> float:
        return self.values[(quantity, sample)]

    def samples(self, sample: int | None) -> range | list[int]:
        """The samples a matrix step shows: all of them in batch mode (as rows), else the one."""
        return range(len(self.scenario.inputs)) if not self.online or sample is None else [sample]

    # --- parameters ---------------------------------------------------------------------

    def param(self, name: str, sample: int | None) -> float:
        """Weight or bias `name` as sample's forward pass used it (online: after the earlier samples)."""
        if self.online and sample:
            found = self.values.get((f"{name}+", sample - 1))
            if found is not None:
                return found
        return self.start[name]

    def used_above(self, name: str, sample: int | None) -> Ref:
        """The weight a hidden delta used: the forward pass's, or already updated (hidden_deltas_use)."""
        return Ref(f"{name}+", sample) if self.updated_first else Ref(name, sample)

    def velocity_before(self, name: str, sample: int | None) -> float:
        """Momentum's running gradient of `name` before this sample's (or the batch's) update."""
        if self.online and sample:
            found = self.values.get((f"v_{name}", sample - 1))
            if found is not None:
                return found
        return self.start_velocity.get(name, 0.0)

    def after(self, name: str) -> Ref:
        """A parameter after the round: its last `+` record, or the start value when it is not trained."""
        last = len(self.scenario.inputs) - 1 if self.online else None
        return Ref(f"{name}+", last) if self.has(f"{name}+", last) else Ref(name, 0)

    def nested(self, pick, first: int = 0) -> tuple[list, list | None]:
        """(weights, biases) nested as the engine keeps them, from weight layer `first` up, each
        parameter's value given by pick(name)."""
        layout, bias, top = self.layout, self.scenario.bias, self.top
        weights = [[[pick(w) for w in row] for row in layout.weight_names[l]] for l in range(first, top)]
        if bias == "none":
            return weights, None
        if bias == "shared":
            return weights, [pick(layout.bias_name(l, 0)) for l in range(first, top)]
        return weights, [[pick(layout.bias_name(l, j)) for j in range(len(self.names[l + 1]))]
                         for l in range(first, top)]

    def forward_after(self, sample: int) -> tuple[list, list]:
        """(nets, outs) of every layer for a sample, forward with the parameters after the round."""
        if sample not in self._after:
            params = Params(*self.nested(lambda name: self.resolve(self.after(name))))
            self._after[sample] = Network(self.scenario).forward(params, self.scenario.inputs[sample])
        return self._after[sample]

    def resolve(self, ref: Ref) -> float:
        """The number a Ref names, as the round computed it."""
        if ref.before:
            return self.velocity_before(ref.quantity[2:], ref.sample)
        if (ref.quantity, ref.sample) in self.values:
            return self.values[(ref.quantity, ref.sample)]
        if ref.quantity.endswith("+") and ref.quantity.startswith(("out_", "net_")):
            kind, _, name = ref.quantity[:-1].partition("_")
            layer = next(L for L, names in enumerate(self.names) if name in names)
            nets, outs = self.forward_after(ref.sample)
            return (outs if kind == "out" else nets)[layer][self.names[layer].index(name)]
        if PARAM_NAME.fullmatch(ref.quantity) and ref.quantity in self.start:
            return self.param(ref.quantity, ref.sample)
        if ref.quantity.startswith("target_"):
            return self.scenario.targets[ref.sample][self.names[-1].index(ref.quantity[7:])]
        return self.scenario.inputs[ref.sample][self.names[0].index(ref.quantity)]

    # --- neurons ------------------------------------------------------------------------

    def index(self, layer: int, name: str) -> int:
        return self.names[layer].index(name)

    def source(self, layer: int, name: str) -> str:
        """How a neuron's output is written in a formula: an input by its name, else out_NAME."""
        return name if layer == 0 else f"out_{name}"

    def source_ref(self, layer: int, name: str, sample: int | None) -> Ref:
        return Ref(self.source(layer, name), sample)

    def bias_name(self, l: int, j: int) -> str | None:
        return self.layout.bias_name(l, j)


class SampleValues:
    """The round's values by (quantity, sample), read a sample at a time: a lookup writes that
    sample's records (or those about the whole set) once, and keeps a few samples' values, never
    the whole round (which may have millions of records)."""

    KEPT = 3

    def __init__(self, round_):
        self.round = round_
        self.samples: OrderedDict[int | None, dict[str, float]] = OrderedDict()

    def of(self, sample: int | None) -> dict[str, float]:
        found = self.samples.get(sample)
        if found is None:
            found = self.samples[sample] = {step.quantity: step.value for step in self.round.sample_steps(sample)}
            while len(self.samples) > self.KEPT:
                self.samples.popitem(last=False)
        else:
            self.samples.move_to_end(sample)
        return found

    def get(self, key: tuple, default=None):
        quantity, sample = key
        if sample is not None and not 0 <= sample < self.round.plan.samples:
            return default
        return self.of(sample).get(quantity, default)

    def __contains__(self, key: tuple) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __getitem__(self, key: tuple) -> float:
        found = self.get(key, _MISSING)
        if found is _MISSING:
            raise KeyError(key)
        return found


_MISSING = object()


def _named_params(layout, params) -> dict[str, float]:
    """{w1: 0.15, ..., b1: 0.35} from nested weights and biases."""
    found = {}
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            for k, name in enumerate(row):
                found[name] = params.weights[l][j][k]
    for l, bias in enumerate(params.biases or ()):
        if isinstance(bias, list):
            for j, value in enumerate(bias):
                found[layout.bias_name(l, j)] = value
        else:
            found[layout.bias_name(l, 0)] = bias
    return found


_LAST: list = []  # [(round, RoundValues)]: the app asks again and again about the round on screen


def round_values(stepper: Stepper, step: Step) -> RoundValues:
    """The RoundValues of the step's round, reused while the stepper keeps the same round."""
    round_ = stepper.round(step.epoch - 1)
    if _LAST and _LAST[0][0] is round_:
        return _LAST[0][1]
    values = RoundValues(stepper, step.epoch)
    _LAST[:] = [(round_, values)]
    return values
