"""A page of the learner's own figures checked in the app (issue 15.4): pasted (or read from a file,
except in a browser), each figure marked in the quantities panel, and the stepper at the first wrong
one with its slip."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.figures import FiguresScreen

from .helpers import SMALL, panel_rows, screen_text
from .helpers import flat_text as flat
from .test_app_labels_edits import step_panel_text

# A reader's slip from the article's comments (b1 = 0.65 for h2), carried on (as README's example).
PAGE = """# round 1 by hand
net_h1 = 0.3775
out_h1 = 0.593269992
out_h2 = 0.666522
net_o1 = 0.4 * 0.593269992 + 0.45 * 0.666522 + 0.6 = 1.1372429
out_o1 = 0,757173
E_total = 0.301272
"""


async def paste(pilot, text: str) -> None:
    await pilot.press("y")
    assert isinstance(pilot.app.screen, FiguresScreen)
    pilot.app.screen.query_one(TextArea).text = text  # (as a paste leaves it: the box is a TextArea)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_pasted_page_is_marked_and_the_first_wrong_figure_explained():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await paste(pilot, PAGE)
        assert not isinstance(app.screen, FiguresScreen)
        out_h2 = next(s for s in app.stepper.records if s.quantity == "out_h2")
        assert (app.stepper.epoch, app.stepper.k) == (0, out_h2.index + 1)  # at the first wrong figure
        text = step_panel_text(app)
        assert "✗ yours 0.666522 (line 4): WRONG: first wrong figure" in text
        assert "with b1 = 0.65 instead of 0.35 the formula gives 0.666522833" in text
        rows = [row.rstrip(" ▐").strip() for row in panel_rows(app, "#quantities")]
        assert rows[-2:] == ["▶ out_h2            0.596884378 ✓ article", "✗ yours 0.666522 · first wrong"]
        assert "✓ yours 0.593269992 · right" in rows
        assert "2 of 6 figures right; the first wrong, out_h2 (line 4), is explained above." in flat(app)
        await pilot.press("space", "space")  # out_o1 follows from the learner's own wrong figures
        assert "↳ yours 0.757173 · carried" in [row.rstrip(" ▐").strip() for row in panel_rows(app, "#quantities")]
        assert "wrong, but follows from your net_o1" in step_panel_text(app)

        await pilot.press("y")  # the page is still there; an empty page clears the marks
        assert app.screen.query_one(TextArea).text == PAGE
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        assert "yours" not in screen_text(app)


async def test_a_page_that_cannot_be_read_keeps_the_box_and_the_text():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await paste(pilot, "net_h1 = 0.3775\nout_h1 = about a half\n")
        assert isinstance(app.screen, FiguresScreen)
        assert "✗ Not checked: your page: line 2:" in flat(app)
        assert app.screen.query_one(TextArea).text == "net_h1 = 0.3775\nout_h1 = about a half\n"


async def test_a_page_from_a_file_and_no_path_in_a_browser(tmp_path, monkeypatch):
    page = tmp_path / "mine.txt"
    page.write_text(PAGE, encoding="utf-8")
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("y")
        app.screen.query_one("#page-file", Input).value = str(page)
        app.screen.query_one("#page-file", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.study.figures is not None and app.study.figures.first_wrong.quantity == "out_h2"
    monkeypatch.setattr(BackpropApp, "is_web", property(lambda self: True))  # served: a path is the server's
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("y")
        assert not app.screen.query("#page-file") and "path" not in flat(app)
        app.screen.query_one(TextArea).text = PAGE  # pasting works there
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.study.figures.first_wrong.quantity == "out_h2"
