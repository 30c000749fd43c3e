"""Two runs compared: how fast each error falls, which one diverged, and what differs in round 1.

The pairs of built-in scenarios (momentum / momentum-off, xor-online / xor-batch) each change one
thing; this is where the change shows. Everything here is data and short texts, for `bp-tui
compare` and the app alike (the curves themselves are drawn by views.chart).

Round 1 is compared by what each value *is*, its quantity name and sample, never by its position
in the round: two scenarios may order their sub-steps differently (an update per sample or per
epoch, momentum's extra steps), and the order itself may change between versions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from ..engine import records as rec
from ..engine.scenario import Scenario
from ..engine.stepper import Stepper
from ..engine.training import train

FRACTIONS = (0.1, 0.01, 0.001)  # "below 10%, 1% and 0.1% of the starting error"


def first_below(errors: Sequence[float], fraction: float) -> int | None:
    """The first epoch whose error is below `fraction` of the error at epoch 0 (None: none is)."""
    if not errors or not math.isfinite(errors[0]):
        return None
    limit = fraction * errors[0]
    return next((epoch for epoch, error in enumerate(errors) if error < limit), None)


class RunSummary(NamedTuple):
    label: str  # how the user named it: a built-in name or a file
    scenario: Scenario
    errors: Sequence[float]  # after 0, 1, ... epochs; it ends early where the run diverged
    diverged_at: int | None
    below: tuple[int | None, ...]  # first_below for each of FRACTIONS


def summarize(label: str, scenario: Scenario, errors: Sequence[float], diverged_at: int | None) -> RunSummary:
    """A run's summary from its errors (from `train`, or the app's stepper.errors)."""
    return RunSummary(label, scenario, errors, diverged_at, tuple(first_below(errors, f) for f in FRACTIONS))


class Difference(NamedTuple):
    quantity: str
    sample: int | None  # 0-based; None for a quantity about the whole training set
    a: float | None  # None: the first run has no such quantity in round 1
    b: float | None


Key = tuple[str, "int | None", int]  # quantity, sample, and which occurrence of that pair


def round_one_values(scenario: Scenario) -> dict[Key, float] | None:
    """Every value of round 1 by (quantity, sample, occurrence), or None if round 1 cannot be
    computed (the starting error is already not finite)."""
    stepper = Stepper(scenario)
    if not stepper.can_enter(0):
        return None
    values: dict[Key, float] = {}
    for step in stepper.window(0, stepper.count):
        occurrence = 0
        while (step.quantity, step.sample, occurrence) in values:
            occurrence += 1
        values[(step.quantity, step.sample, occurrence)] = step.value
    return values


def differences(a: dict[Key, float], b: dict[Key, float]) -> tuple[list[Difference], int]:
    """The quantities whose values differ, as printed to 9 decimals, or that only one run has,
    in the first run's order and then the second's; and how many are the same in both."""
    found, same = [], 0
    for key in list(a) + [key for key in b if key not in a]:
        left, right = a.get(key), b.get(key)
        if left is not None and right is not None and rec.value_text(left) == rec.value_text(right):
            same += 1
        else:
            found.append(Difference(key[0], key[1], left, right))
    return found, same


class Comparison(NamedTuple):
    a: RunSummary
    b: RunSummary
    epochs: int  # epochs asked for
    differences: list[Difference] | None  # None when round 1 of either run cannot be computed
    same: int  # round-1 quantities equal in both


def compare(a: tuple[str, Scenario], b: tuple[str, Scenario], epochs: int) -> Comparison:
    """Train both (label, scenario) runs for `epochs` epochs and compare them."""
    runs = []
    for label, scenario in (a, b):
        result = train(scenario, epochs)
        runs.append(summarize(label, scenario, result.errors, result.diverged_at))
    first, second = round_one_values(a[1]), round_one_values(b[1])
    found, same = differences(first, second) if first is not None and second is not None else (None, 0)
    return Comparison(runs[0], runs[1], epochs, found, same)


# --- as text ----------------------------------------------------------------------------------

def percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def summary_rows(comparison: Comparison) -> list[tuple[str, str, str]]:
    """(what, first run, second run) rows: the start, the end, the thresholds, the divergence."""
    a, b = comparison.a, comparison.b
    rows = [("error at epoch 0", rec.value_text(a.errors[0]), rec.value_text(b.errors[0]))]
    last = [(len(run.errors) - 1, run.errors[-1]) for run in (a, b)]
    if last[0][0] == last[1][0]:
        rows.append((f"error after {last[0][0]} epochs", *(rec.value_text(e) for _n, e in last)))
    else:
        rows.append(("last error", *(f"{rec.value_text(e)} (epoch {n})" for n, e in last)))
    for index, fraction in enumerate(FRACTIONS):
        cells = [f"epoch {run.below[index]}" if run.below[index] is not None else
                 f"not in {len(run.errors) - 1}" for run in (a, b)]
        rows.append((f"below {percent(fraction)} of its start", *cells))
    rows.append(("diverged", *(f"at epoch {run.diverged_at}" if run.diverged_at is not None else "no"
                              for run in (a, b))))
    return rows


def divergence_sentence(comparison: Comparison) -> str:
    """Which run diverged, and when, in one sentence."""
    gone = [run for run in (comparison.a, comparison.b) if run.diverged_at is not None]
    if not gone:
        return f"Neither run diverged in {comparison.epochs} epochs."
    said = " and ".join(f"{run.label} at epoch {run.diverged_at}" for run in gone)
    if len(gone) == 2:
        return f"Both diverged: {said}."
    return f"{said.replace(' at epoch', ' diverged at epoch')}; the other did not."


def difference_rows(comparison: Comparison) -> list[tuple[str, str, str, str]]:
    """(quantity, sample, first run's value, second run's value); — where a run has no such value."""
    return [(d.quantity, "" if d.sample is None else str(d.sample + 1),
             "—" if d.a is None else rec.value_text(d.a), "—" if d.b is None else rec.value_text(d.b))
            for d in comparison.differences or ()]
