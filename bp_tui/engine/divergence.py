"""Where a run that diverged first went wrong: the first sub-step whose value was infinite or NaN."""

from __future__ import annotations

import math

from .records import Step
from .scenario import Scenario
from .stepper import Stepper


def first_non_finite(scenario: Scenario, diverged_at: int) -> Step | None:
    """The first sub-step of the round that diverged whose value is infinite or NaN.

    `diverged_at` is TrainResult.diverged_at: the epochs done when a value was first infinite or
    NaN, so the culprit is in round `diverged_at` (in round 1 when the start itself is unusable).
    Rebuilding that one round costs one replay of the training up to it. None when every value of
    the round is finite (a running gradient may be the only thing that overflowed).
    """
    for step in Stepper(scenario).steps(max(diverged_at, 1) - 1):  # (made one by one, not kept)
        if not math.isfinite(step.value):
            return step
    return None
