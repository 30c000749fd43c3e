"""Quiz mode as a learner expects it (issues 13.3, 19.6, 15.4): it asks at once, keys that would skip
values ask for a second press and count what they skip, nothing on screen gives an asked value away,
a wrong answer gets its slip and a hint the screen does not already show, and one tolerance for all."""

from __future__ import annotations

import io

from rich.console import Console

from bp_tui import Stepper, load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.frame import shown
from bp_tui.app.screens.export import ExportScreen
from bp_tui.app.screens.fast_forward import FastForwardPrompt
from bp_tui.app.screens.gradcheck import GradcheckScreen
from bp_tui.app.commands import help_keys
from bp_tui.app.screens.help import help_text
from bp_tui.app.widgets.quiz import AnswerBox
from bp_tui.engine.records import num

from .helpers import SMALL, panel_rows, screen_text
from .helpers import flat_text as flat
from .test_study_app import answer


async def test_bp_tui_quiz_asks_the_first_value_at_once():
    """Issue 13.3: type 0.3775, enter: right, score 1 of 1 (the round is not finished by enter)."""
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        assert app.stepper.k == 1 and app.study.asking and "net_h1 =" in flat(app)
        await answer(pilot, "0.3775")
        text = flat(app)
        assert "✓ Right: net_h1 = 0.3775" in text and "score 1 of 1" in text
        assert app.stepper.k == 1 and not app.stepper.round_done


async def test_keys_that_would_skip_values_say_so_and_skip_on_a_second_press():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("right_square_bracket")  # box empty: ] is a command, but the first press only says
        assert app.stepper.k == 1 and app.study.asking
        assert ("] would show the rest of the forward pass without asking: press ] again to skip it"
                in flat(app))
        await pilot.press("right_square_bracket")
        assert app.stepper.k == 8 and not app.study.asking  # net_h1 .. out_o2, all shown unasked
        assert "score 0 of 0 · 8 skipped" in flat(app) and "Skipped 8 values" in flat(app)

        await pilot.press("enter")
        assert app.stepper.k == 8 and "enter would show the rest of round 1 without asking" in flat(app)
        await pilot.press("space")  # another key: the skip is off, and space asks the next value
        assert app.stepper.k == 9 and app.study.asking and "E_o1 =" in flat(app)
        await pilot.press("space")  # the box is empty: space would show E_o1 unasked
        assert app.study.asking and "space would show E_o1 without asking" in flat(app)
        await answer(pilot, "0.274811083")
        assert "score 1 of 1 · 8 skipped" in flat(app)

        await pilot.press("enter", "enter")  # the rest of round 1, 37 values, on the second press
        assert app.stepper.round_done and app.study.score.skipped == 45
        assert "Round 1 quiz: 1 of 1 right, 45 skipped (error: 1 of 1)" in flat(app)
        await pilot.press("f")
        assert not isinstance(app.screen, FastForwardPrompt) and "f would show whole rounds" in flat(app)
        await pilot.press("f")
        assert isinstance(app.screen, FastForwardPrompt)


async def test_boxes_that_show_the_rounds_values_ask_for_a_second_press_in_quiz_mode():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        await answer(pilot, "0.3775")
        await pilot.press("g")  # the gradient check's table holds dE_total/dw5 .. before they are asked
        assert not isinstance(app.screen, GradcheckScreen)
        assert "g would show this round's gradients before the quiz asks it: press g again" in flat(app)
        await pilot.press("g")
        assert isinstance(app.screen, GradcheckScreen)
        await pilot.press("escape", "x")
        assert not isinstance(app.screen, ExportScreen) and "x would show the whole round, in a document" in flat(app)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)


async def test_while_a_value_is_asked_nothing_on_screen_gives_it_away():
    """Issue 19.6: the error panel showed `epoch 0 0.298371109` before E_total was asked."""
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        box = app.query_one(AnswerBox)
        for step in Stepper(load_scenario("mazur")).round_records(0):
            if step.index:
                await pilot.press("space")
            assert app.study.question.step.quantity == step.quantity
            text = screen_text(app)
            for written in {shown(step.value), num(step.value), f"{step.value:.6f}", f"{step.value:.4f}"}:
                assert written not in text, (step.quantity, written)
            if step.index < 10:  # E_total (0.298371109) is sub-step 11: the chart keeps it until then
                assert "0.298371109" not in text and "epoch 0  ?" in text, step.quantity
            box.set(num(step.value), True)
            await pilot.press("enter")
        assert "0.298371109" in screen_text(app) and "0.291027774" in screen_text(app)


async def test_a_wrong_answer_gets_its_slip_then_a_hint_the_screen_does_not_show():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        await answer(pilot, "0.3825")  # w3 = 0.25 where w2 belongs: 0.15*0.05 + 0.25*0.1 + 0.35
        text = flat(app)
        assert ("Not quite (2 tries left). That is what w3 gives; net_h1 uses w2. Hint: it comes to "
                "0.0075 + 0.02 + 0.35") in text
        await answer(pilot, "0.5")  # no slip explains it: just the next hint
        assert "Not quite (1 try left). Hint: it comes to 0.0275 + 0.35" in flat(app)


async def test_one_tolerance_in_the_app_and_in_the_help():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        await answer(pilot, "0.3775")
        await pilot.press("space")
        await answer(pilot, "0.5933")
        await pilot.press("space")  # net_h2 = 0.3925: 0.3924 is within 0.05%
        await answer(pilot, "0.3924")
        assert "✓ Right: net_h2 = 0.3925" in flat(app)
        await pilot.press("space")  # out_h2 = 0.596884378: so is 0.5970
        await answer(pilot, "0.5970")
        assert "✓ Right: out_h2 = 0.596884378" in flat(app) and "score 4 of 4" in flat(app)
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    console.print(help_text(help_keys(False), load_scenario("mazur"), help_keys(True)))
    assert ("an answer is right within 0.05% of the value: 4 significant digits, rounded, are always enough "
            "(0.3924 counts for 0.3925, 0.5970 for 0.596884378; 0.59 does not)") in " ".join(console.export_text().split())


async def test_quiz_mode_at_80x24_keeps_five_rows_of_quantities_beside_a_long_note():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        box = app.query_one(AnswerBox)
        while app.stepper.current.quantity != "dE_o2/dout_h1":  # the article's -0.019049119, with a long note
            box.set(num(app.stepper.current.value), True)
            await pilot.press("enter", "space")
        box.set("-0.019049119", True)
        await pilot.press("enter")
        assert "article prints -0.019049119" in flat(app)
        # The note folds inside the step panel (it scrolls there), never pushing the screen.
        step_panel = app.query_one("#formula")
        assert "Note: The article multiplied" in " ".join(row.text.strip() for row in step_panel.rows())
        assert step_panel.total_rows() > step_panel.size.height
        assert len(panel_rows(app, "#quantities")) >= 5 and app.query_one("#quiz").display
        assert not app.screen.show_vertical_scrollbar
