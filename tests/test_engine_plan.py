"""A round laid out from counts alone (plan.py) is the round the writer writes: every piece writes
the records it counts, a window is that slice of the round, and moving by phase or asking what is
pending gives what a walk over the whole round gives."""

import functools
import random

import pytest

import bp_tui
from bp_tui.engine.scenario import builtin_names
from bp_tui.engine.records import phase_kind

from .scenario_factory import feature_grid, scenario_text

GRID = feature_grid()
CASES = [(name, None) for name in builtin_names()] + [
    (case_id, kwargs) for case_id, kwargs in GRID[::5]] + [
    ("after-gradient-momentum", dict(layers=(2, 3, 2), update="after-gradient", momentum=0.5, bias="per-neuron")),
    ("updated-end", dict(layers=(2, 3, 3, 2), hidden_deltas_use="updated", momentum=0.5)),
    ("updated-after-gradient", dict(layers=(2, 3, 2), hidden_deltas_use="updated", update="after-gradient")),
    ("one-output", dict(layers=(2, 3, 1), samples=3, mode="batch")),
]


def load(name, kwargs):
    if kwargs is None:
        return bp_tui.load_scenario(name)
    return bp_tui.parse_scenario(scenario_text(**kwargs), f"{name}.toml")


@functools.cache
def scenario(name):
    """Case `name`'s scenario, loaded once for its five tests (a Scenario cannot change)."""
    return load(name, dict(CASES)[name])


@pytest.fixture(params=CASES, ids=[c[0] for c in CASES])
def stepper(request):
    return bp_tui.Stepper(scenario(request.param[0]))  # a fresh one for each test


@functools.cache
def round_one_of(scenario_) -> tuple:
    """The records of round 1 of a case's scenario, written out in full by a Stepper of their own,
    once per case rather than once in each of its four tests (a Step cannot change: tuples, strings
    and numbers)."""
    return tuple(bp_tui.Stepper(scenario_).round_records(0))


def round_one(stepper) -> list:
    """Round 1's records for this test, a list of its own; the test reads its own stepper's plan,
    windows, pieces and pending values against it."""
    return list(round_one_of(stepper.scenario))


def test_every_piece_writes_what_the_plan_counts(stepper):
    for epoch in range(2):
        plan, rnd = stepper.plan(epoch), stepper.round(epoch)
        records = list(rnd)
        assert len(records) == plan.count == len(rnd)
        assert [s.index for s in records] == list(range(plan.count))
        for place in plan.places(0, plan.count):
            written = rnd.window(place.start, place.start + place.piece.count)
            assert len(written) == place.piece.count
            assert {s.phase for s in written} == {place.piece.phase}
            assert {s.sample for s in written} == {place.sample}
            news = [s.quantity[:-1] for s in written if s.quantity.endswith("+") and s.quantity[:-1] in
                    set(stepper.layout.all_weight_names()) | set(stepper.layout.bias_names())]
            if place.piece.updates:
                assert tuple(news) == place.piece.updates


def test_a_window_is_that_slice_of_the_round(stepper):
    rng = random.Random(5)
    records = round_one(stepper)
    fresh = bp_tui.Stepper(stepper.scenario)  # nothing written yet: the window makes what it shows
    for _ in range(20):
        start = rng.randrange(len(records) + 1)
        stop = rng.randrange(start, len(records) + 2)
        assert fresh.window(start, stop) == records[start:stop]
    assert fresh.records[-1] == records[-1] and fresh.records[3:9] == records[3:9]


def phase_ends(records):
    return [i + 1 for i, s in enumerate(records)
            if i + 1 == len(records) or (records[i + 1].phase, records[i + 1].sample) != (s.phase, s.sample)]


def test_phases_found_from_the_plan_are_those_of_the_records(stepper):
    records = round_one(stepper)
    plan = stepper.plan(0)
    ends = phase_ends(records)
    starts = [0] + ends[:-1]
    for k in range(len(records) + 1):
        assert plan.phase_start_after(k) == next((e for e in ends if e > k), len(records))
        assert plan.phase_start_before(k) == next((s for s in reversed(starts) if s < k), None)


def test_pending_from_the_plan_is_what_a_walk_back_finds(stepper):
    records = round_one(stepper)
    params = set(stepper.layout.all_weight_names()) | set(stepper.layout.bias_names())

    def scope(step):
        if phase_kind(step.phase) != "backward":
            return None
        return (step.sample, step.phase) if stepper.scenario.hidden_deltas_use == "updated" else step.sample

    scopes = [scope(step) for step in records]  # (each record's, worked out once rather than once per k)
    for k in range(len(records) + 1):
        expected = []
        if 0 < k < len(records) and scopes[k] is not None:
            for step, its_scope in zip(reversed(records[:k]), reversed(scopes[:k])):
                if its_scope != scopes[k]:
                    break
                if step.quantity.endswith("+") and step.quantity[:-1] in params:
                    expected.append(step.quantity[:-1])
        assert stepper.pending(k) == tuple(reversed(expected)), k


def test_the_sample_steps_of_a_round_are_its_records_of_that_sample(stepper):
    records = round_one(stepper)
    rnd = stepper.round(0)
    for sample in [None, *range(len(stepper.scenario.inputs))]:
        assert list(rnd.sample_steps(sample)) == [s for s in records if s.sample == sample]
