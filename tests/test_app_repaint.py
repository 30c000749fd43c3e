"""What reaches the terminal after each key adds up to the whole screen.

The panels repaint only the rows a key changes, keep rows they framed, draw the next sub-step ahead,
and the main screen's compositor renders only changed rows (bp_tui/app/compositor.py). A mistake in
any of those leaves a stale or wrong row on the learner's terminal while every snapshot (always a
full render) still looks right. So these tests paint every update the app sends, full or partial,
onto a grid of cells, as a terminal would, and after each key compare the grid with a full render.
"""

from __future__ import annotations

import asyncio
import io

import pytest
from rich.console import Console
from rich.cells import cell_len
from rich.segment import ControlType

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.compositor import RowCompositor
from bp_tui.app.widgets.lines import AHEAD_DELAY


class Terminal:
    """Cells (character, style) painted from the app's compositor updates."""

    def __init__(self):
        self.cells: dict[tuple[int, int], tuple] = {}
        self.console = Console(file=io.StringIO(), width=300)  # (the updates only need its options)

    def paint(self, update, console) -> None:
        x = y = 0
        for segment in update.__rich_console__(console, console.options):
            if segment.control:
                for code in segment.control:
                    if code[0] == ControlType.CURSOR_MOVE_TO:
                        x, y = code[1], code[2]
                continue
            for char in segment.text:
                if char == "\n":
                    x, y = 0, y + 1
                    continue
                self.cells[x, y] = (char, segment.style)
                x += cell_len(char)

    def rows(self, width: int, height: int) -> list[list[tuple]]:
        return [[self.cells.get((x, y)) for x in range(width)] for y in range(height)]


def full_rows(app: BackpropApp) -> list[list[tuple]]:
    """The screen as a full render draws it, cell by cell."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row = []
        for segment in strip:
            for char in segment.text:
                row.append((char, segment.style))
        rows.append(row)
    return rows


@pytest.fixture
def terminal(monkeypatch):
    """A Terminal fed every update the main screen sends (Textual's headless driver sends none)."""
    term = Terminal()
    render_update = RowCompositor.render_update

    def recording(self, *args, **kwargs):
        update = render_update(self, *args, **kwargs)
        if update is not None:
            term.paint(update, term.console)
        return update

    monkeypatch.setattr(RowCompositor, "render_update", recording)
    return term


async def check_keys(app: BackpropApp, terminal: Terminal, size, keys: list[str], settle: float) -> int:
    """Press the keys one by one; after each, the painted screen must equal a full render."""
    failures = []  # exceptions in event-loop callbacks (drawing ahead is one) are only logged: collect them
    async with app.run_test(size=size) as pilot:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: failures.append(context))
        await pilot.pause()
        checked = 0
        for key in keys:
            await pilot.press(key)
            await pilot.pause(settle)  # settle > 0 lets the panels draw the next sub-step ahead
            width, height = app.size
            painted, full = terminal.rows(width, height), full_rows(app)
            for y, (seen, expected) in enumerate(zip(painted, full)):
                assert seen == expected, (
                    f"after {key!r} (key {checked + 1}), row {y} on the terminal is "
                    f"{''.join(c[0] if c else '.' for c in seen)!r}, "
                    f"a full render gives {''.join(c[0] for c in expected)!r}")
            checked += 1
            assert not failures, failures
        return checked


# Through round 1 and into round 2, back across the boundary, by phases both ways, a finished round.
STEPS = ["space"] * 50 + ["left"] * 6 + ["right_square_bracket"] * 2 + ["left_square_bracket"] + \
    ["space"] * 5 + ["enter", "enter"] + ["space"] * 3 + ["r"] + ["space"] * 4


@pytest.mark.parametrize("name, size", [
    ("mazur", (80, 24)), ("mazur", (160, 48)), ("mazur", (60, 20)),  # the smallest size with panels
    ("deep", (80, 24)),  # its diagram scrolls, in tables
    ("xor-batch", (120, 40)),  # several samples
])
async def test_every_update_adds_up_to_the_screen(terminal, name, size):
    app = BackpropApp(load_scenario(name))
    assert await check_keys(app, terminal, size, STEPS, settle=0) == len(STEPS)


@pytest.mark.parametrize("name", ["mazur", "deep"])
async def test_drawing_ahead_leaves_no_stale_row(terminal, name):
    app = BackpropApp(load_scenario(name))
    keys = ["space"] * 48 + ["left"] * 3 + ["space"] * 4 + ["enter", "space", "space"]  # across a round's end
    assert await check_keys(app, terminal, (80, 24), keys, settle=0.05) == len(keys)


async def test_a_drawing_ahead_still_due_when_the_app_closes_does_nothing():
    # Quitting right after a key leaves each panel's draw-ahead pending on the event loop; when it
    # comes due the panels have no screen any more (the soak found it raising NoScreen).
    errors = []
    asyncio.get_running_loop().set_exception_handler(lambda _loop, context: errors.append(context))
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_next()  # as a key would, without waiting for the app to settle after it
    await asyncio.sleep(AHEAD_DELAY + 0.1)
    assert errors == []
