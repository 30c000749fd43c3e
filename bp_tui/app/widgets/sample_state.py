"""What the network panel shows on a round of millions of sub-steps, read around the current sample.

The picture's state (views/picture.state_at) replays the round's sub-steps up to the current one:
on a round of 16 layers of 64 neurons and 60 samples that is up to 11 million records a key. From
LARGE_ROUND sub-steps on, the state is read from the engine instead: the current sample's net inputs
and outputs from its trace (Stepper.forward_values), the weights as that sample computes with them,
or those after the round once its end is shown (Stepper.sample_params). No new value is pending, and
the saturated and dead marks are left out: judging them passes every sample through the network.
"""

from __future__ import annotations

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
    params = params_by_name(stepper.layout, stepper.sample_params(sample, after))
    return PictureState(values, params, frozenset(params) if after else frozenset(), frozenset(), frame.current,
                        {}, {}, frame.selected)
