"""Auto-play (p, n, + and -) and point and ask (s, tab, a click) in the app, checked by what the
screen shows: the sub-step reached, the header's pace, the story's figures, the marks of stuck neurons."""

from __future__ import annotations

import pytest

from bp_tui import Stepper, load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens import play
from bp_tui.app.widgets.status import StatusLine

from .helpers import SMALL, screen_text, wait_until


@pytest.fixture
def quick(monkeypatch):
    """Paces a test need not wait for (the same timer, ticking faster)."""
    monkeypatch.setattr(play, "PACES", (20.0, 40.0, 80.0, 160.0, 320.0))  # (starts at the third: 80 a second)


async def wait_until_stopped(pilot, seconds: float = 30.0) -> None:
    await wait_until(pilot, lambda: not pilot.app.main.playing, "play to stop on its own", seconds)


def index_of(name: str, quantity: str) -> int:
    return next(s.index for s in Stepper(load_scenario(name)).round_records(0) if s.quantity == quantity)


async def test_play_runs_the_round_to_its_end_on_its_own_and_stops_there(quick):
    app = BackpropApp(load_scenario("mazur"))
    said = []
    async with app.run_test(size=SMALL, message_hook=lambda m: said.append(m.text)
                            if isinstance(m, StatusLine.Said) else None) as pilot:
        await pilot.press("p")
        await wait_until_stopped(pilot)
        assert app.stepper.k == app.stepper.count == 46 and app.stepper.epoch == 0
        text = screen_text(app)
        assert "steps/s" not in text.splitlines()[0] and "Round 1: the error went down" in text
        assert said[0].startswith("Playing to the end of the round")
        assert said[-1].startswith("End of round 1: p plays the next one")
        assert app.main.play_timer is None


async def test_n_plays_on_into_the_next_round_and_any_other_key_stops_it(quick):
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("n")
        assert "▶▶ " in screen_text(app).splitlines()[0]
        await wait_until(pilot, lambda: app.stepper.epoch >= 1, "play to reach round 2", 30)
        assert app.stepper.epoch >= 1 and app.main.playing  # past the end of round 1, still going
        await pilot.press("t")  # any other key: stops, then does what it does (the table)
        assert not app.main.playing
        k = app.stepper.k
        await pilot.pause(0.3)
        assert app.stepper.k == k and "steps/s" not in screen_text(app).splitlines()[0]
        assert "table (t: picture)" in screen_text(app)


async def test_plus_and_minus_change_the_pace_the_header_shows():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("p")
        assert "▶ 2 steps/s" in screen_text(app).splitlines()[0]
        await pilot.press("plus")
        assert "▶ 4 steps/s" in screen_text(app).splitlines()[0]
        await pilot.press("minus", "minus", "minus")
        assert "▶ 0.5 steps/s" in screen_text(app).splitlines()[0]
        await pilot.press("p")
        assert not app.main.playing and "steps/s" not in screen_text(app).splitlines()[0]


async def test_play_stops_at_a_quiz_question(quick):
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.study.asking and app.stepper.k == 1  # net_h1 is asked at once (p would be typed)
        await pilot.press(*"0.3775", "enter")
        await pilot.pause()
        k = app.stepper.k
        await pilot.press("p")
        await wait_until_stopped(pilot)
        assert app.study.asking and app.stepper.k == k + 1  # one sub-step on: the next question
        assert "?" in screen_text(app)


async def test_a_tick_that_comes_after_a_pause_moves_nothing(quick):
    """Textual's timer, when running late, calls back once more after stop(): that call must not
    step on (it once stepped past the quiz question play had just stopped at)."""
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("p")
        timer = app.main.play_timer
        await wait_until(pilot, lambda: app.stepper.k >= 3, "play to reach the third sub-step")
        await pilot.press("p")
        k = app.stepper.k
        timer.tick()  # the late call
        await pilot.pause()
        assert app.stepper.k == k and not app.main.playing


async def test_a_late_tick_of_the_status_lines_old_timer_keeps_the_new_message():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        status = app.main.query_one(StatusLine)
        status.say("first", timeout=1)
        old = status._timer
        status.say("second")
        old.tick()  # the first message's timer, due just as the second replaced it
        await pilot.pause()
        assert "second" in screen_text(app)


async def test_selecting_w5_by_keyboard_shows_its_gradient_chain_and_new_value():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press(*["space"] * (index_of("mazur", "w5+") + 1))
        await pilot.press("s")  # the current sub-step (w5+) is about w5
        assert app.main.selected == "w5"
        text = screen_text(app)
        assert "▸w5+ 0.3589…◂" in text  # marked in the picture
        assert "w5+ = 0.358916480 now" in text
        assert "∂E_total/∂w5 = ∂E_total/∂net_o1·∂net_o1/∂w5" in text and "= 0.082167041" in text
        await pilot.press("s")  # s again: back to stepping
        assert app.main.selected == "" and "delta_o1" in screen_text(app)


async def test_tab_moves_the_selection_in_reading_order_and_escape_closes_it():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("s")
        assert app.main.selected == "w1"
        await pilot.press(*["tab"] * 7)
        assert app.main.selected == "w5" and "w5: the weight from h1 into o1" in screen_text(app)
        await pilot.press("shift+tab")
        assert app.main.selected == "h2"
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.selected == "" and "▸" not in screen_text(app)


def find(text: str, word: str) -> tuple[int, int]:
    for y, line in enumerate(text.splitlines()):
        x = line.find(word)
        if x >= 0:
            return x, y
    raise AssertionError(f"{word!r} not on screen")


async def test_a_click_on_w5_in_the_picture_and_in_the_table_selects_it():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press(*["space"] * (index_of("mazur", "dE_total/dw5") + 1))
        await pilot.click(offset=find(screen_text(app), "w5 0.4"))
        await pilot.pause()
        assert app.main.selected == "w5"
        text = screen_text(app)
        assert "= 0.082167041" in text and "∂E_total/∂w5" in text
        await pilot.press("escape", "t")  # the table: click where it names w6
        await pilot.pause()
        x, y = find(screen_text(app), "w6 ")
        await pilot.click(offset=(x + 1, y))
        await pilot.pause()
        assert app.main.selected == "w6" and "w6◂" in screen_text(app)


async def test_relu_marks_its_dead_neuron_from_round_1_and_says_why():
    app = BackpropApp(load_scenario("relu"))
    async with app.run_test(size=SMALL) as pilot:
        assert "h3 ⊘" not in screen_text(app)
        await pilot.press(*["space"] * (index_of("relu", "b_h3+") + 1))
        assert "h3 ⊘" in screen_text(app) and app.stepper.epoch == 0
        await pilot.press("t")
        assert "h3 ⊘" in screen_text(app)  # in the table too
        await pilot.press("t", *["space"] * 10)  # sample 2: its slope is 0, marked in the quantities
        await pilot.press("s", *["tab"] * 20)
        while app.main.selected != "h3":
            await pilot.press("tab")
        assert "⊘ h3 is dead: its net input is at most -0.3709 for every sample" in screen_text(app)


async def test_saturated_marks_both_outputs_and_says_why():
    app = BackpropApp(load_scenario("saturated"))
    async with app.run_test(size=(80, 40)) as pilot:
        text = screen_text(app)
        assert "o1 ≈" in text and "o2 ≈" in text and "h1 ≈" not in text
        await pilot.press(*["space"] * (index_of("saturated", "dout_o1/dnet_o1") + 1))
        assert "0.005453456 ≈" in screen_text(app)  # the slope itself, in the quantities
        await pilot.press("s")  # about o1
        assert "o1 is saturated: its slope is 0.0055 at most (below 0.01)" in screen_text(app)


async def test_the_help_lists_the_play_and_point_keys_under_study():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "play the sub-steps on their own to the end of the round" in text
        assert "select a neuron, weight or bias (or click one) to read its story" in text
