"""Screenshots of the app in each state a learner passes through, at 80x24 and 120x40.

Plain `def` tests: snap_compare runs its own event loop. After a deliberate change to the screen,
look at the differences (pytest writes a report) and accept them with
`python -m pytest tests/test_app_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp

from .helpers import fast_forward

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}

# Keys from the very start. `]` shows a whole phase: forward, error, the backward pass's output layer
# and hidden layer (each new weight right after its gradient, as the article does), new error.
STATES = {
    "start": [],
    "mid_forward": ["space"] * 2,  # out_h1 just computed
    "mid_backward": ["right_square_bracket"] * 2 + ["space"] * 9,  # dE_total/dw6
    "after_update": ["right_square_bracket"] * 4,  # every weight updated, new error not yet shown
    "help": ["question_mark"],
}


async def fast_forward_10000(pilot) -> None:
    await fast_forward(pilot, "10000")


def mazur_app() -> BackpropApp:
    return BackpropApp(load_scenario("mazur"))


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("state", STATES.keys())
def test_state(snap_compare, state, size):
    assert snap_compare(mazur_app(), press=STATES[state], terminal_size=size)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_after_fast_forward(snap_compare, size):
    assert snap_compare(mazur_app(), run_before=fast_forward_10000, terminal_size=size)


def test_too_small(snap_compare):
    assert snap_compare(mazur_app(), terminal_size=(50, 15))
