"""The footer (one widget in place of Textual's Footer of FooterKeys): what it lists and what the mouse does."""

from __future__ import annotations

from textual.events import MouseScrollDown, MouseScrollUp

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.commands import COMMANDS
from bp_tui.app.screens.help import HelpScreen
from bp_tui.app.widgets.footer import Footer

from .test_app import SMALL, screen_text

KEYS_LINE = "space next ← back ] phase enter round f fast-fwd r reset o open ? help q quit"


def footer_x(line: str, label: str) -> int:
    return line.index(label)


async def test_footer_lists_the_footer_commands_in_the_table_order():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL):
        assert screen_text(app).splitlines()[-1].rstrip() == KEYS_LINE
        shown = [key.description for key in app.query_one(Footer).keys()]
        assert shown == [c.label for c in COMMANDS if c.in_footer]


async def test_clicking_a_key_in_the_footer_presses_it():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.click(Footer, offset=(footer_x(KEYS_LINE, "next"), 0))
        await pilot.pause()
        assert app.stepper.k == 1
        await pilot.click(Footer, offset=(footer_x(KEYS_LINE, "←"), 0))
        await pilot.pause()
        assert app.stepper.k == 0
        await pilot.click(Footer, offset=(footer_x(KEYS_LINE, "? help"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_clicking_between_keys_does_nothing():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.click(Footer, offset=(footer_x(KEYS_LINE, " ← back"), 0))  # the space between two keys
        await pilot.click(Footer, offset=(len(KEYS_LINE) + 1, 0))  # past the last key
        await pilot.pause()
        assert app.stepper.k == 0 and app.screen is app.screen_stack[0]


async def test_the_key_under_the_pointer_is_highlighted():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        footer = app.query_one(Footer)
        plain = footer.render_line(0)
        await pilot.hover(Footer, offset=(footer_x(KEYS_LINE, "reset"), 0))
        await pilot.pause()
        lit = footer.render_line(0)
        assert lit.text == plain.text
        changed = [x for x in range(len(KEYS_LINE)) if list(lit.crop(x, x + 1)) != list(plain.crop(x, x + 1))]
        assert changed == list(range(footer_x(KEYS_LINE, "r reset"), footer_x(KEYS_LINE, " o open")))


async def test_a_footer_wider_than_the_terminal_scrolls_with_the_wheel():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(60, 20)) as pilot:
        assert "q quit" not in screen_text(app).splitlines()[-1]
        footer = app.query_one(Footer)
        for _ in range(20):  # more than enough: it stops at the end of the line
            footer.post_message(MouseScrollDown(footer, 1, 0, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].rstrip().endswith("? help q quit")
        footer.post_message(MouseScrollUp(footer, 1, 0, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].rstrip().endswith("? help q qu")
