"""Expected figures labelled on screen as everywhere else (issue 13.2), edits that say so (19.2): the
label of the figure's source, the error recomputed after an edit, the header, asking before unsaved
edits are lost; and the honest error chart (19.7)."""

from __future__ import annotations

import pytest

from bp_tui import Stepper, load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.open import OpenScreen
from bp_tui.app.screens.save_scenario import SaveScenarioScreen
from bp_tui.app.screens.unsaved import UnsavedEditsScreen

from .helpers import SMALL, on_stepper, panel_rows, screen_text, wait_until
from .helpers import flat_text as flat


def step_panel_text(app: BackpropApp) -> str:
    """Every row of the step panel, scrolled out of view or not, as one line of words."""
    return " ".join(" ".join(row.text.split()) for row in app.query_one("#formula").rows())


async def goto(pilot, quantity: str) -> None:
    while pilot.app.stepper.current is None or pilot.app.stepper.current.quantity != quantity:
        await pilot.press("space")


async def test_the_step_and_quantities_panels_label_where_a_figure_comes_from():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await goto(pilot, "out_h1")
        assert "= 0.593269992   ✓ article 0.593269992" in screen_text(app)
        assert "matches the scenario's figure" not in screen_text(app)
        assert any(row.rstrip(" ▐").endswith("0.593269992 ✓ article") for row in panel_rows(app, "#quantities"))

        await goto(pilot, "dE_o2/dout_h1")  # the article prints another figure: no mark of agreement
        text = step_panel_text(app)
        assert "= -0.019049118 article prints -0.019049119" in text and "✓ article prints" not in text
        assert "Note: The article multiplied the rounded delta_o2" in text
        rows = panel_rows(app, "#quantities")
        assert rows[-2].rstrip(" ▐").endswith("-0.019049118 ≠ article") and "article prints -0.019049119" in rows[-1]

        await pilot.press("enter")  # E_total+: the article's 0.291027924, with its note
        text = step_panel_text(app)
        assert "= 0.291027774 article prints 0.291027924" in text and "Note: " in text


async def test_a_check_is_labelled_as_a_check_and_a_wide_row_has_the_whole_label():
    app = BackpropApp(load_scenario("softmax-cross-entropy"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter")
        assert "= 1.105631358 ✓ check (reference run) 1.10563136" in step_panel_text(app)
        assert panel_rows(app, "#quantities")[-1].rstrip(" ▐").endswith("1.105631358 ✓ check")
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(160, 48)) as pilot:
        await goto(pilot, "out_h1")
        assert any(row.rstrip(" ▐").endswith("0.593269992 ✓ article 0.593269992") for row in panel_rows(app, "#quantities"))


async def test_after_an_edit_the_figures_the_error_and_the_header_say_so():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        assert "edited" not in screen_text(app).splitlines()[0]
        await pilot.press("e", "down", "down", "enter", "ctrl+u", *"0.25", "enter")  # w1 = 0.25
        await pilot.pause()
        assert "edited network · round 1" in screen_text(app).splitlines()[0]
        edited = Stepper(load_scenario("mazur"))
        edited.edit(param="w1", value=0.25)
        text = screen_text(app)
        assert f"epoch 0  {edited.errors[0]:.9f}" in text and "0.298371109" not in text  # recomputed
        await pilot.press("space")
        text = step_panel_text(app)
        assert "= 0.382500000 article 0.3775 (from the unedited scenario)" in text and "✗" not in text
        assert not any("article" in row for row in panel_rows(app, "#quantities"))  # left out there


@pytest.mark.slow
async def test_quitting_with_unsaved_edits_asks_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("q")  # nothing edited: quits at once
        await pilot.pause()
    assert not app.is_running

    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e", "enter", "ctrl+u", "1", "enter")  # the learning rate
        await pilot.press("q")
        assert isinstance(app.screen, UnsavedEditsScreen) and app.is_running
        assert "edits that are not saved (learning rate 1)" in flat(app)
        await pilot.press("escape")  # stay
        assert not isinstance(app.screen, UnsavedEditsScreen) and app.is_running
        await pilot.press("o")  # opening another scenario asks too; w saves first, then opens
        assert isinstance(app.screen, UnsavedEditsScreen)
        await pilot.press("w")
        assert isinstance(app.screen, SaveScenarioScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen) and (tmp_path / "mazur-edited.toml").exists()
        await pilot.press("escape", "q")  # saved: quitting asks no more
        await pilot.pause()
    assert not app.is_running and app.return_code == 0

    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e", "enter", "ctrl+u", "1", "enter", "q", "q")  # q again: quit without saving
        await pilot.pause()
    assert not app.is_running and app.return_code == 0


# --- the honest error chart (issue 19.7) ---------------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, (160, 48)])
async def test_a_change_in_the_sixth_digit_looks_small_and_the_bounds_say_so(size):
    app = BackpropApp(load_scenario("softmax-cross-entropy"))
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")  # 1.105732318 -> 1.105631358
        rows = [row.strip() for row in panel_rows(app, "#chart")]
        assert rows[:2] == ["epoch 0  1.105732318", "epoch 1  1.105631358"]
        assert rows[-1] == "lin ▁ 1.08 … █ 1.13"  # a linear axis over 5% of the error, to its differing digits
        bars = rows[2:-1]
        assert bars and all(len(set(row)) <= 1 for row in bars) and any(bars)  # both epochs' bars the same height: no cliff
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=size) as pilot:
        await pilot.press("f", *"10000", "enter")
        await wait_until(pilot, lambda: app.stepper.completed == 10000 and on_stepper(app),
                         "a fast-forward of 10000 epochs to finish")
        rows = [row.strip() for row in panel_rows(app, "#chart")]
        assert rows[-1] == "log ▁ 3.51e-05 … █ 0.298"  # a fall over four decades: a log axis
