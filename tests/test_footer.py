"""The footer (Textual's own, made from the command table): what it lists and what a click does."""

from __future__ import annotations

from textual.widgets import Footer

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.commands import COMMANDS
from bp_tui.app.screens.help import HelpScreen

from .helpers import SMALL, screen_text

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
        assert len(app.main.query(Footer)) == 1
