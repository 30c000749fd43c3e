"""Screenshots of point and ask (issue 21): the story of w5 after its update at 80x24, in colour and
without (NO_COLOR: the selection reads by its ▸ ◂), and the saturated scenario's marks (≈).

Plain `def` tests: snap_compare runs its own event loop. After a deliberate change to the screen,
look at the differences and accept them with
`python -m pytest tests/test_app_play_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp

from .test_app_picture_snapshots import spaces_to


@pytest.mark.parametrize("no_colour", [False, True], ids=["colour", "no-colour"])
def test_the_story_of_w5_after_its_update_at_80x24(snap_compare, monkeypatch, no_colour):
    if no_colour:
        monkeypatch.setenv("NO_COLOR", "1")
    app = BackpropApp(load_scenario("mazur"))
    assert snap_compare(app, press=[*spaces_to("mazur", "w5+"), "s"], terminal_size=(80, 24))


def test_the_saturated_outputs_marked_and_o1_s_story_without_colour(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = BackpropApp(load_scenario("saturated"))
    assert snap_compare(app, press=[*spaces_to("saturated", "delta_o1"), "s"], terminal_size=(80, 24))
