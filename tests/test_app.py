"""The app driven by its keys, checked by what the screen shows (the text a learner would read)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from bp_tui import load_scenario, parse_scenario
from bp_tui.app.app import MIN_SIZE, BackpropApp
from bp_tui.app.screens.fast_forward import FastForwardRun, parse_epochs
from bp_tui.app.screens.help import HelpScreen
from bp_tui.app.screens.open import OpenScreen
from bp_tui.app.screens.too_small import TooSmallScreen
from bp_tui.engine.records import phase_label
from bp_tui.engine.scenario import builtin_dir, builtin_names

from .helpers import SMALL, fast_forward, on_stepper, panel_rows, screen_text, step_on, wait_until
from .scenario_factory import long_run_text


async def test_first_sub_step_shows_net_h1():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        assert "not started" in screen_text(app)
        await pilot.press("space")
        text = screen_text(app)
        assert "net_h1 = w1*i1 + w2*i2 + b1*1" in text
        assert "= 0.15*0.05 + 0.2*0.1 + 0.35*1" in text
        assert "0.377500000" in text and "0.3775" in text
        assert "step 1 of 46" in text
        # Beside the picture (7 rows), the step panel keeps 6 lines (most steps' text), the quantities their rows.
        assert app.query_one("#network").size.height == 7 and "w8 0.55" in text
        assert app.query_one("#formula").size.height == 6 and app.query_one("#quantities").size.height >= 5


async def test_enter_finishes_round_one_and_shows_its_error():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter")
        text = screen_text(app)
        assert "0.291027774" in text
        assert "round 1 · done" in text
        assert "w5+ 0.3589" in text  # the picture shows the updated weights
        assert "from 0.298371109 to 0.291027774" in text


async def test_stepping_back_restores_earlier_values():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space", "space", "space")
        after_three = screen_text(app)
        assert "net_h2 = w3*i1 + w4*i2 + b1*1" in after_three
        await pilot.press("space", "space", "left", "backspace")
        assert screen_text(app) == after_three

        await pilot.press("enter")
        round_one_done = screen_text(app)
        await pilot.press("space")
        assert "round 2 · forward pass · step 1 of 46" in screen_text(app)
        assert "0.149780716*0.05" in screen_text(app)  # round 2 starts from the updated w1
        await pilot.press("left")  # back across rounds
        assert screen_text(app) == round_one_done
        await pilot.press("left", "left", "left")  # back past the new error, to the update of w4
        text = screen_text(app)
        assert "round 1 · backward pass · hidden layer · step 43 of 46" in text
        assert "w4+ = w4 - eta*dE_total/dw4" in text and "0.299502287" in text
        await pilot.press("r")
        assert "not started" in screen_text(app)
        assert "w5 0.4 " in screen_text(app)


async def test_phase_keys_jump_whole_phases():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("right_square_bracket")
        assert "round 1 · forward pass · step 8 of 46" in screen_text(app)
        await pilot.press("right_square_bracket")
        assert "round 1 · error · step 11 of 46" in screen_text(app)
        await pilot.press("left_square_bracket")  # back to the start of the error phase
        assert "round 1 · error · step 9 of 46" in screen_text(app)


async def test_fast_forward_10000_epochs_shows_the_article_figures():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await fast_forward(pilot, "10000")
        text = screen_text(app)
        assert "round 10000 · done" in text
        assert "epoch 10000  3.510187783e-05" in text  # the error after 10,000 updates
        # The article's 0.0000351085 is the error of round 10,000's forward pass (9,999 updates).
        assert "from 3.510854812e-05 to 3.510187783e-05" in text
        assert app.stepper.completed == 10_000


@pytest.mark.slow
async def test_any_key_stops_a_fast_forward_and_keeps_what_was_done():
    app = BackpropApp(parse_scenario(long_run_text()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f")
        assert "▊  1000 " in screen_text(app)  # the default epochs, replaced by what is typed
        await pilot.press(*"1000000", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FastForwardRun) and app.stepper.computed > 0,
                         "the run to start")
        await pilot.press("x")
        await wait_until(pilot, lambda: on_stepper(app), "the run to stop after a key")
        reached = app.stepper.completed
        assert 0 < reached < 1_000_000
        assert f"round {reached} · done" in screen_text(app)


def test_epoch_counts_are_read_generously():
    assert parse_epochs("10000") == parse_epochs("10,000") == parse_epochs("10_000") == 10_000
    assert isinstance(parse_epochs(""), str) and isinstance(parse_epochs("0"), str)


async def test_help_opens_and_explains_the_weight_names():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Keys" in text and "fast-forward" in text and "This scenario" in text
        box = app.screen.query_one("#box")
        # (Scrolled before its first layout, the box would have nowhere to go: a loaded machine.)
        await wait_until(pilot, lambda: box.max_scroll_y > 0, "the help's box to be laid out")
        box.scroll_end(animate=False)
        await wait_until(pilot, lambda: "w3 for the weight from i2 into h1" in screen_text(app),
                         "the end of the help, which names the weights")
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)


async def test_a_broken_scenario_is_refused_and_the_current_one_kept(tmp_path: Path):
    broken = tmp_path / "broken.toml"
    mazur = (builtin_dir() / "mazur.toml").read_text(encoding="utf-8")
    broken.write_text(mazur.replace("layers = [2, 2, 2]", 'layers = [2, "x", 2]'), encoding="utf-8")
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        before = app.stepper
        await pilot.press("o")
        assert isinstance(app.screen, OpenScreen)
        await pilot.press("tab", *"/tm")  # typing works; the rest of the long path is pasted
        path = app.screen.query_one("#path", Input)
        path.value = str(broken)
        await pilot.press("enter")
        text = screen_text(app)
        assert "Not opened" in text and "network.layers" in text
        await pilot.press("escape")
        assert app.stepper is before
        assert "Mazur's worked example" in screen_text(app)
        assert "step 1 of 46" in screen_text(app)


async def test_opening_a_built_in_scenario_replaces_the_stepper():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        options = app.screen.query_one("#builtins")
        options.highlighted = [o.id for o in options.options].index("xor-online")
        await pilot.press("enter")
        await pilot.pause()
        assert app.stepper.scenario.title == load_scenario("xor-online").title
        assert "sample 1 of 4" not in screen_text(app)
        await pilot.press("space")
        assert "sample 1 of 4" in screen_text(app)


async def test_scenario_text_is_shown_literally_never_as_markup():
    title = "x[i] with [W] and [bold]not bold[/bold]"
    about = "Weights W[L-1] feed a[L]; [red]this is not red[/red]."
    odd = load_scenario("mazur")._replace(title=title, description=about)
    app = BackpropApp(odd)
    async with app.run_test(size=(120, 40)) as pilot:
        assert title in screen_text(app)  # the header
        assert about in screen_text(app)  # the welcome, before the first step
        await pilot.press("question_mark")
        assert about in screen_text(app)  # the help


async def test_divergence_is_announced():
    app = BackpropApp(load_scenario("too-fast"))
    async with app.run_test(size=SMALL) as pilot:
        await fast_forward(pilot, "1000")
        text = screen_text(app)
        diverged = app.stepper.diverged_at
        assert diverged is not None
        assert f"diverged at epoch {diverged}" in text and "press r to reset" in text
        await pilot.press("space")  # cannot go on: the app says why instead of moving
        assert app.stepper.completed == diverged
        await pilot.press("r")
        assert "not started" in screen_text(app)


async def test_too_small_terminal_says_so_and_recovers():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert f"need {MIN_SIZE[0]}×{MIN_SIZE[1]}, have 50×15" in screen_text(app)
        await pilot.press("space")  # the stepper does not move behind the message
        assert app.stepper.k == 0
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)
        assert "not started" in screen_text(app)


@pytest.mark.slow
async def test_resizing_in_every_state_never_crashes():
    sizes = [(20, 5), (200, 60), (1, 1), (60, 19), (59, 20), (120, 40), (60, 20), (80, 24)]
    states = [(), ("space",) * 5, ("right_square_bracket",) * 3, ("enter",), ("question_mark",)]
    for name in ("mazur", "deep"):  # the article's network, and one drawn as per-layer tables
        app = BackpropApp(load_scenario(name))
        async with app.run_test(size=SMALL) as pilot:
            for i, keys in enumerate(states):
                await pilot.press(*keys)
                for size in (sizes[i], sizes[i + 3]):
                    await pilot.resize_terminal(*size)
                    await pilot.pause()
                assert screen_text(app).strip()
            await pilot.press("question_mark", "space")  # help closed, the stepper still answers
            assert app.stepper.epoch >= 1


async def test_every_command_is_in_the_palette():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL):
        titles = [command.title for command in app.get_system_commands(app.screen)]
    for wanted in ("Next sub-step", "Fast-forward", "Open another scenario", "Quit", "Back to the start"):
        assert any(title.startswith(wanted) for title in titles), wanted


async def test_the_palette_cannot_move_the_stepper_from_over_another_screen():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert "Quit" in titles and "Next sub-step" not in titles


async def test_palette_command_moves_the_stepper():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        next_step = next(c for c in app.get_system_commands(app.screen) if c.title == "Next sub-step")
        next_step.callback()
        await pilot.pause()
        assert "net_h1" in screen_text(app)


async def test_light_theme_renders():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        app.theme = "textual-light"
        await pilot.press("space")
        assert "net_h1" in screen_text(app)


async def test_quit_key_exits():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("q")
        await asyncio.sleep(0)
    assert app.return_code == 0


async def test_every_built_in_scenario_can_be_walked():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        for name in builtin_names():
            app.main.opened(load_scenario(name))
            await pilot.press("enter", "left")  # the whole round drawn, then its last update
            text = screen_text(app)
            assert "round 1 ·" in text or app.stepper.diverged_at == 0, name
            assert "Traceback" not in text


@pytest.mark.slow
async def test_a_fast_forward_that_ends_under_the_too_small_message_still_lands():
    app = BackpropApp(load_scenario("mazur"))
    # The run waits to start until the message covers it, so that it always ends under the message
    # (rather than a run long enough to be usually still running then: 700,000 epochs, 2 s of CPU).
    covered, extend_to = threading.Event(), app.stepper.extend_to

    def once_covered(target: int, should_stop=None) -> int:
        covered.wait(20)
        return extend_to(target, should_stop)

    app.stepper.extend_to = once_covered
    async with app.run_test(size=SMALL) as pilot:
        target = 2_000
        app.push_screen(FastForwardRun(app.stepper, target), app.main.fast_forward_done)
        await pilot.resize_terminal(40, 10)
        await wait_until(pilot, lambda: isinstance(app.screen, TooSmallScreen), "the too-small message")
        assert app.stepper.computed < target  # (still running: held until now)
        covered.set()
        await wait_until(pilot, lambda: app.stepper.computed == target, f"the run to reach epoch {target}")
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(*SMALL)
        await wait_until(pilot, lambda: on_stepper(app), "the stepper's screen back on top")
        assert not isinstance(app.screen, (TooSmallScreen, FastForwardRun))
        assert f"round {target} · done" in screen_text(app)


@pytest.mark.slow
async def test_quantities_show_the_current_one_under_as_many_rows_above_it_as_fit():
    # Every position of round 1, whatever the step order: the current quantity is on screen, the rows
    # above it fill the panel as far as they exist, and a scrollbar shows only when they do not all fit.
    for name in ("mazur", "deep"):
        app = BackpropApp(load_scenario(name))
        async with app.run_test(size=SMALL) as pilot:
            panel = app.query_one("#quantities")
            await pilot.press("space")
            for k in range(app.stepper.count):
                if k:
                    step_on(app)  # (each sub-step's rows and scrolling are the panel's own: no repaint needed)
                rows = panel_rows(app, "#quantities")
                assert len(rows) >= 5, (name, app.stepper.k, rows)
                marked = [y for y, row in enumerate(rows) if row.startswith(f"▶ {app.stepper.current.quantity} ")]
                assert marked, (name, app.stepper.k, rows)
                assert all(row.strip() for row in rows[:marked[0]]), (name, app.stepper.k, rows)
                if not all(row.strip() for row in rows):  # room to spare: the whole list, from its start
                    first_heading = phase_label(app.stepper.window(0, 1)[0].phase)
                    assert rows[0].strip() == first_heading and not panel.show_vertical_scrollbar, rows
