"""The footer (app/widgets/keys.py, made from the command table): what it lists, what fits, what a
click does."""

from __future__ import annotations

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.commands import COMMANDS
from bp_tui.app.screens.help import HelpScreen
from bp_tui.app.widgets.keys import KeyLine

from .helpers import SMALL, screen_rows, screen_text

KEYS_LINE = "space next ← back ] phase enter round f fast-fwd t table o open ? help q quit"


async def test_footer_lists_the_footer_commands_in_the_table_order():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].strip() == KEYS_LINE
        assert KEYS_LINE.split()[1::2][:4] == [c.label for c in COMMANDS if c.in_footer][:4]


async def test_clicking_a_key_in_the_footer_presses_it():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        bottom = SMALL[1] - 1
        await pilot.click(offset=(line.index("next"), bottom))
        await pilot.pause()
        assert app.stepper.k == 1
        await pilot.click(offset=(line.index("← back"), bottom))
        await pilot.pause()
        assert app.stepper.k == 0
        await pilot.click(offset=(line.index("? help"), bottom))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_footer_is_the_same_after_a_box_closes():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        before = screen_text(app).splitlines()[-1]
        await pilot.press("f", "escape")  # the fast-forward box, cancelled before it ran
        await pilot.pause()
        assert app.screen is app.main and app.stepper.completed == 0
        assert screen_text(app).splitlines()[-1] == before
        assert len(app.main.query(KeyLine)) == 1


async def test_a_narrow_terminal_leaves_keys_out_from_the_right_but_keeps_help_and_quit():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        line = screen_text(app).splitlines()[-1].rstrip()
        assert line.startswith("space next ← back ] phase") and line.endswith("? help q quit")
        assert "o open" not in line and len(line) <= 60


async def test_the_key_under_the_mouse_is_lit():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        plain = screen_rows(app, styles=True)[-1]
        line = screen_text(app).splitlines()[-1]
        await pilot.hover(offset=(line.index("fast-fwd"), SMALL[1] - 1))
        await pilot.pause()
        lit = screen_rows(app, styles=True)[-1]
        assert lit != plain and screen_text(app).splitlines()[-1] == line  # the same words, another colour
        await pilot.hover(offset=(2, 2))
        await pilot.pause()
        assert screen_rows(app, styles=True)[-1] == plain
