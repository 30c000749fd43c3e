"""Fast-forward in the app: a short run closes its box onto the result, a long one shows its
progress, keys stop a run (never edit it), and the question names the article's 10000 epochs only
for a scenario taken from the article."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, ProgressBar

from bp_tui import Stepper, load_scenario, parse_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens import fast_forward
from bp_tui.app.screens.fast_forward import FastForwardPrompt

from .helpers import SMALL, on_stepper, screen_text, wait_until
from .scenario_factory import long_run_text


async def test_a_short_run_closes_its_box_onto_the_result_without_a_progress_screen():
    mounted = []

    def hook(message) -> None:
        if isinstance(message, events.Mount) and isinstance(message._sender, ProgressBar):
            mounted.append(message._sender)

    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL, message_hook=hook) as pilot:
        await pilot.press("f", *["backspace"] * 4, *"2000", "enter")
        await wait_until(pilot, lambda: on_stepper(app), "the box to close onto the result")
        assert app.stepper.completed == 2000
        assert "round 2000 · done" in screen_text(app)
        assert mounted == []  # the progress bar never flashed past


async def test_a_long_run_shows_its_progress_and_any_key_stops_it_keeping_the_epochs_done():
    app = BackpropApp(parse_scenario(long_run_text()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f", *["backspace"] * 4, *"1000000", "enter")
        await wait_until(pilot, lambda: app.screen.query(ProgressBar) and " of 1000000" in screen_text(app),
                         "the run's progress on screen")
        text = screen_text(app)
        assert "fast-forwarding to epoch 1000000" in text and " of 1000000" in text
        await pilot.press("escape")  # a key like any other while running: stops, does not cancel
        await wait_until(pilot, lambda: on_stepper(app), "the run to stop after a key")
        reached = app.stepper.completed
        assert 0 < reached < 1_000_000
        assert f"round {reached} · done" in screen_text(app)


async def test_keys_typed_while_a_run_starts_stop_it_instead_of_editing_the_number():
    app = BackpropApp(parse_scenario(long_run_text()))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f", *["backspace"] * 4, *"1000000")
        box = app.screen.query_one(Input)
        await pilot.press("enter", "5")
        await wait_until(pilot, lambda: on_stepper(app), "the run to stop after a key")
        assert box.value == "1000000"
        assert isinstance(app.stepper.completed, int) and 0 < app.stepper.completed < 1_000_000


def test_the_time_left_is_guessed_from_the_pace_so_far(monkeypatch):
    stepper = Stepper(load_scenario("mazur"))
    run = FastForwardPrompt(stepper)
    run.target, run._began = 1000, 10.0  # as if 1000 epochs were asked for at time 10 s
    stepper.errors.extend([0.1] * 900)  # as the worker would: 900 of 1000 epochs done
    monkeypatch.setattr(fast_forward.time, "perf_counter", lambda: 10.45)
    assert abs(run.time_left() - 0.05) < 1e-9  # 100 more at 0.5 ms each: close to the end, no reveal


async def test_the_number_typed_is_the_number_run_and_enter_alone_runs_the_default():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        # Typed at once, with a backspace first, as a quick typist does: no digit may be lost.
        await pilot.press("f", "backspace", *"500", "enter")
        await wait_until(pilot, lambda: on_stepper(app), "a run of 500 epochs to finish")
        assert app.stepper.completed == 500
        await pilot.press("f", "enter")
        await wait_until(pilot, lambda: on_stepper(app), "a run of the default epochs to finish")
        assert app.stepper.completed == 500 + fast_forward.DEFAULT_EPOCHS


async def test_the_question_mentions_the_articles_10000_epochs_only_for_the_articles_scenarios():
    for name, mentioned in (("mazur", True), ("mazur-biases", True), ("xor-online", False), ("deep", False)):
        app = BackpropApp(load_scenario(name))
        async with app.run_test(size=SMALL) as pilot:
            await pilot.press("f")
            text = " ".join(screen_text(app).split())
            assert "Run how many more epochs? (now at epoch 0" in text, name
            assert ("the article runs" in text) == mentioned, name
