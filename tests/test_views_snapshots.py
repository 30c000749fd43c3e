"""Screenshots of the four views of why (issue 16) at 80x24 and 120x40, and the README's pictures
of them (drawn by the app: `python -m bp_tui.app.screenshot` rewrites them).

Plain `def` tests: snap_compare runs its own event loop. After a deliberate change, accept the new
screens with `python -m pytest tests/test_views_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screenshot import DEFAULT_PATH, SHOTS, boundary_shot, comparison_shot, render_screen

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
PHASES = ["right_square_bracket"] * 3

VIEWS = {  # name: (scenario, keys pressed, or a drive for the pilot)
    "chain_rule_hidden": ("mazur", PHASES + ["space"] * 3 + ["d"]),  # dE_total/dout_h1: paths and the nudge
    "chain_rule_none": ("mazur", ["space", "d"]),  # net_h1 takes no derivative
    "matrix_batch": ("xor-batch", ["right_square_bracket"] * 8 + ["space", "m"]),  # samples as rows
    "boundary": ("xor-online", boundary_shot),
    "comparison": ("momentum", comparison_shot),
}


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("view", VIEWS.keys())
def test_view(snap_compare, view, size):
    name, how = VIEWS[view]
    if callable(how):
        assert snap_compare(BackpropApp(load_scenario(name)), run_before=how, terminal_size=size)
    else:
        assert snap_compare(BackpropApp(load_scenario(name)), press=how, terminal_size=size)


@pytest.mark.parametrize("path", [path for path in SHOTS if path != DEFAULT_PATH], ids=str)
def test_readme_pictures_of_the_views_match_the_app(path):
    name, drive, title = SHOTS[path]
    saved = (ROOT / path).read_text(encoding="utf-8")
    assert asyncio.run(render_screen(name, drive, title)) == saved, (
        f"the screen changed: regenerate {path} with `python -m bp_tui.app.screenshot`")
