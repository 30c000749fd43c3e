"""Screenshots at 80x24: quiz mode (a value asked, the hint after a miss, a long note on an answered
value) and the honest error chart of a change in the sixth digit.

Plain `def` tests (snap_compare runs its own event loop). After a deliberate change to the screen,
look at the differences and accept them with
`python -m pytest tests/test_study_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.widgets.quiz import AnswerBox
from bp_tui.engine.records import num

# After net_h1 (asked at once) is answered right (run_before), these keys ask out_h1, then miss it once.
STATES = {
    "asked": ["space"],
    "hint": ["space", "0", ".", "5", "enter"],
}


def quiz_app() -> BackpropApp:
    return BackpropApp(load_scenario("mazur"), quiz=True)


async def answer_net_h1(pilot) -> None:
    await pilot.press(*"0.3775", "enter")


@pytest.mark.parametrize("state", STATES.keys())
def test_quiz(snap_compare, state):
    assert snap_compare(quiz_app(), run_before=answer_net_h1, press=STATES[state], terminal_size=(80, 24))


async def answer_up_to_a_long_note(pilot) -> None:
    """Every value answered right up to dE_o2/dout_h1, whose label and note say why the article
    prints -0.019049119."""
    await pilot.pause()
    box = pilot.app.query_one(AnswerBox)
    while True:
        step = pilot.app.stepper.current
        box.set(num(step.value), True)
        await pilot.press("enter")
        if step.quantity == "dE_o2/dout_h1":
            break
        await pilot.press("space")
    await pilot.pause()


def test_quiz_long_note(snap_compare):
    assert snap_compare(quiz_app(), run_before=answer_up_to_a_long_note, terminal_size=(80, 24))


def test_chart_of_a_small_change(snap_compare):
    """softmax-cross-entropy after one round: 1.105732318 to 1.105631358 looks as small as it is."""
    app = BackpropApp(load_scenario("softmax-cross-entropy"))
    assert snap_compare(app, press=["enter"], terminal_size=(80, 24))
