"""What the network panel shows on a round of millions of sub-steps, read around the current sample.

The picture's state (views/picture.state_at) replays the round's sub-steps up to the current one:
on a round of 16 layers of 64 neurons and 60 samples that is up to 11 million records a key. From
LARGE_ROUND sub-steps on, the state is read from the engine instead: the current sample's net inputs
and outputs from its trace (Stepper.forward_values), the weights as that sample computes with them,
or those after the round once its end is shown (Stepper.sample_params). No new value is pending, and
the saturated and dead marks are left out: judging them passes every sample through the network.
"""

from __future__ import annotations

from collections.abc import Mapping

from ...engine.phases import phase_kind
from ...views.picture import PictureState, params_by_name, sample_values
from ..frame import Frame


def state_around(frame: Frame) -> PictureState:
    stepper = frame.stepper
    plan, samples = stepper.plan(frame.epoch), len(stepper.scenario.inputs)
    place = plan.locate(frame.k - 1) if frame.k else None
    after = place is not None and (phase_kind(place.piece.phase) == "evaluate" or frame.round_done)
    sample = 0 if place is None else samples - 1 if place.sample is None else place.sample
    # (After the samples, the evaluation: no sample's forward pass is current, and reading the last
    # one could replay the whole round.)
    values = {} if after or place is not None and place.sample is None else \
        stepper.forward_values(sample, frame.shown_count)
    values.update(sample_values(stepper.scenario, sample))
    params = ParamsByName(stepper.layout, stepper.sample_params(sample, after))
    return PictureState(values, params, params.names if after else frozenset(), frozenset(), frame.current,
                        {}, {}, frame.selected)


class ParamsByName(Mapping):
    """Every weight and bias by name, read from the engine's Params only when asked: the table of a
    large network reads a few dozen of its 61,440 (views.picture.params_by_name would copy them all,
    some 15 ms a key)."""

    def __init__(self, layout, params):
        self.params = params
        found = _PLACES.get(id(layout))
        if found is None or found[0] is not layout:
            places = {name: (l, j, k) for l, layer in enumerate(layout.weight_names)
                      for j, row in enumerate(layer) for k, name in enumerate(row)}
            found = _PLACES[id(layout)] = (layout, places, frozenset(places))
        _layout, self.places, weights = found
        self.biases = {}  # (a few: one a layer, or one a neuron)
        for l, biases in enumerate(params.biases or ()):
            values = biases if isinstance(biases, (list, tuple)) else [biases]
            self.biases.update((layout.bias_name(l, j), value) for j, value in enumerate(values))
        self.names = weights | frozenset(self.biases)

    def __getitem__(self, name: str) -> float:
        place = self.places.get(name)
        if place is None:
            return self.biases[name]
        l, j, k = place
        return self.params.weights[l][j][k]

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


_PLACES: dict[int, tuple] = {}
