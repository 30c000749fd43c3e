"""Screenshots of quiz mode at 80x24: a value asked, then the hint after a miss.

Plain `def` tests (snap_compare runs its own event loop). After a deliberate change to the screen,
look at the differences and accept them with
`python -m pytest tests/test_study_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp

# After net_h1 is answered right (run_before), these keys ask out_h1, then miss it once.
STATES = {
    "asked": ["space"],
    "hint": ["space", "0", ".", "5", "enter"],
}


def quiz_app() -> BackpropApp:
    return BackpropApp(load_scenario("mazur"), quiz=True)


async def answer_net_h1(pilot) -> None:
    await pilot.press("space", *"0.3775", "enter")


@pytest.mark.parametrize("state", STATES.keys())
def test_quiz(snap_compare, state):
    assert snap_compare(quiz_app(), run_before=answer_net_h1, press=STATES[state], terminal_size=(80, 24))
