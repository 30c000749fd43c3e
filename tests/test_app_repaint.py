"""After every key, the screen is exactly what a freshly started app shows at the same place.

The panels keep the rows they drew and refresh only the rows a key changes; a row they forget to
refresh stays stale on screen, in the full render too (Textual reuses a widget's rows that were not
marked as changed). So after each key the screen, styles included (the reverse-video highlight), is
compared with that of a new stepper screen (new panels, nothing kept) put straight at the same round
and sub-step.
"""

from __future__ import annotations

import pytest

from bp_tui import Stepper, load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.stepper import StepperScreen
from bp_tui.app.study import Study
from bp_tui.app.widgets.status import StatusLine

from .helpers import screen_rows

pytestmark = pytest.mark.slow


def styled_screen(app: BackpropApp) -> list[str]:
    """The screen's rows with their styles (as ANSI codes), without the status line (news of keys) and
    the footer (Textual's, the same on every key)."""
    status = app.query_one(StatusLine).region.y
    return screen_rows(app, styles=True)[:status]


async def settled_screen(pilot) -> list[str]:
    """The screen once a pause changes it no more (showing or hiding a scrollbar takes a second layout).
    Read first as it is: each key and pause has waited for the screen's refresh (helpers.brisk_pilot)."""
    rows = styled_screen(pilot.app)
    for _ in range(20):
        await pilot.pause()
        rows, before = styled_screen(pilot.app), rows
        if rows == before:
            return rows
    raise AssertionError("the screen kept changing after a key")


async def check_keys(name: str, size: tuple[int, int], keys: list[str]) -> int:
    """Press the keys one by one; after each, the screen must be what a new stepper screen (new panels,
    nothing kept) shows at the same place."""
    seen = []
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=size) as pilot:
        for key in keys:
            await pilot.press(key)
            seen.append((key, app.stepper.epoch, app.stepper.k, await settled_screen(pilot)))
    fresh: dict[tuple[int, int], list[str]] = {}
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=size) as pilot:
        for number, (key, epoch, k, rows) in enumerate(seen, start=1):
            if (epoch, k) not in fresh:
                stepper = Stepper(load_scenario(name))
                stepper.goto_step(epoch, k)
                # Each new screen replaces the last one (popping it would redraw the app's own screen
                # under it every time, for nothing).
                new = StepperScreen(stepper, Study())
                await (app.push_screen(new) if not fresh else app.switch_screen(new))
                fresh[epoch, k] = await settled_screen(pilot)
            for y, (row, expected) in enumerate(zip(rows, fresh[epoch, k])):
                assert row == expected, (f"after {key!r} (key {number}, at round {epoch + 1} step {k}), row {y} "
                                         f"is\n{row!r}\na new screen there shows\n{expected!r}")
    return len(seen)


# Phases forward and back, a round's end, into the next round and back across the boundary, a reset.
MOVES = ["right_square_bracket"] * 3 + ["left_square_bracket"] + ["space"] * 3 + ["enter", "space", "left", "left",
                                                                                   "enter", "enter", "r", "space"]


@pytest.mark.parametrize("name, size, keys", [
    ("mazur", (80, 24), ["space"] * 47 + MOVES),  # every sub-step of round 1, one at a time
    ("mazur", (160, 48), ["space"] * 20 + MOVES),
    ("mazur", (60, 20), ["space"] * 12 + MOVES),  # the smallest size with panels
    ("deep", (80, 24), ["space"] * 30 + MOVES),  # its network is drawn as tables, and scrolls
    ("xor-batch", (120, 40), ["space"] * 12 + MOVES),  # several samples
])
async def test_every_key_leaves_the_screen_a_new_app_shows(name, size, keys):
    assert await check_keys(name, size, keys) == len(keys)
