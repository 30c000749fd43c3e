"""A CI-sized soak: random keys (from the app's key table, printable characters, prompts' keys and
resizes) through Pilot, 12 on each built-in scenario, with the invariants checked after every key.
The soak itself, and a five-minute run with a fresh seed, are in bench/soak.py (`python bench/run.py
soak`). The seed is fixed so CI is repeatable; set BP_TUI_SOAK_SEED to try others."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from soak import soak  # noqa: E402

from bp_tui.engine.scenario import builtin_names  # noqa: E402

pytestmark = [pytest.mark.soak, pytest.mark.slow]

SEED = int(os.environ.get("BP_TUI_SOAK_SEED") or 7_2024)
KEYS_PER_SCENARIO = 12


async def test_random_keys_on_every_built_in_scenario():
    print(f"soak seed {SEED}: replay with BP_TUI_SOAK_SEED={SEED} python -m pytest tests/test_soak.py")
    run = await soak(SEED, keys_per_scenario=KEYS_PER_SCENARIO, seconds=150)
    print(f"{run.keys} keys, {run.round_trips} back-and-forth checks")
    assert sorted(run.scenarios) == sorted(builtin_names())  # not cut short by the time limit
    assert run.keys == KEYS_PER_SCENARIO * len(builtin_names())
    assert run.round_trips >= 10  # the back-then-forward check did run
