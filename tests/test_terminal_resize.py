"""Resizing the terminal again and again, from 20x6 to 250x80, while stepping and while a fast-forward
runs: the app never crashes, and afterwards the screen reads right for its size (the "terminal too
small" message below the minimum, the panels above it)."""

from __future__ import annotations

import random
import time

import pytest

from bp_tui import load_scenario, parse_scenario
from bp_tui.app.app import MIN_SIZE, BackpropApp
from bp_tui.app.screens.fast_forward import FastForwardRun
from bp_tui.app.screens.too_small import TooSmallScreen

from .helpers import on_stepper, screen_text, wait_until
from .scenario_factory import long_run_text

pytestmark = pytest.mark.slow

SIZES = [(20, 6), (250, 80), (59, 20), (60, 19), (60, 20), (80, 24), (21, 79), (249, 7), (120, 40)]


def random_size(rng: random.Random) -> tuple[int, int]:
    return rng.choice(SIZES) if rng.random() < 0.5 else (rng.randint(20, 250), rng.randint(6, 80))


def too_small(size: tuple[int, int]) -> bool:
    return size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]


async def assert_reads_right(pilot, size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    await pilot.pause()
    text = screen_text(pilot.app)
    words = " ".join(text.split())  # the message wraps in a narrow terminal
    if too_small(size):
        assert "terminal too small" in text and f"have {size[0]}×{size[1]}" in words, text
    else:
        assert "terminal too small" not in text
        assert "network" in text and "training error" in text and "quantities" in text


async def test_resizing_while_stepping(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    rng = random.Random(7)
    app = BackpropApp(load_scenario("deep"))  # the largest diagram of the built-ins
    async with app.run_test(size=(80, 24)) as pilot:
        for i in range(25):
            size = random_size(rng)
            await pilot.resize_terminal(*size)
            await pilot.press(rng.choice(["space", "space", "right_square_bracket", "left", "enter"]))
            assert isinstance(app.screen, TooSmallScreen) == too_small(size), size
            if i % 6 == 0:
                await assert_reads_right(pilot, size)
        for size in ((20, 6), (250, 80), (59, 19), (100, 30)):
            await assert_reads_right(pilot, size)
        moved_to = (app.stepper.epoch, app.stepper.k)
        await pilot.press("space")  # the stepper still answers
        assert (app.stepper.epoch, app.stepper.k) != moved_to
        assert f"round {app.stepper.epoch + 1}" in screen_text(app)


def resting_between_epochs(stepper) -> None:
    """The stepper's runs rest a millisecond before each epoch: a fast-forward still runs, and changes
    what the screen reads, all through the resizes, without taking a core from the other tests."""
    extend_to = stepper.extend_to

    def resting(target: int, should_stop=None) -> int:
        def stop() -> bool:
            time.sleep(0.001)
            return should_stop is not None and should_stop()

        return extend_to(target, stop)

    stepper.extend_to = resting


async def test_resizing_while_fast_forwarding(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    rng = random.Random(11)
    app = BackpropApp(parse_scenario(long_run_text()))
    resting_between_epochs(app.stepper)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", *"000000", "enter")  # 0 epochs: refused
        assert "Choose between" in screen_text(app)
        await pilot.press(*["backspace"] * 12, *"1000000", "enter")
        assert isinstance(app.screen, FastForwardRun)
        for _ in range(20):
            size = random_size(rng)
            await pilot.resize_terminal(*size)
            await pilot.pause(0.02)  # let the progress redraw run at this size
            assert isinstance(app.screen, TooSmallScreen) == too_small(size), size
        await assert_reads_right(pilot, (20, 6))
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        if isinstance(app.screen, FastForwardRun):
            await pilot.press("space")  # any key stops it, keeping the epochs done
        await wait_until(pilot, lambda: on_stepper(app), "the run to stop after a key")
        reached = app.stepper.completed
        assert 0 < reached <= 1_000_000
        await assert_reads_right(pilot, (100, 30))
        assert f"round {reached} · done" in screen_text(app)
        for size in ((20, 6), (250, 80), (80, 24)):
            await assert_reads_right(pilot, size)


async def test_the_divergence_stays_on_screen_at_the_smallest_size():
    # Found by the soak (seed 684565): at 60 columns the header dropped "diverged" for the title.
    app = BackpropApp(load_scenario("too-fast"))
    async with app.run_test(size=MIN_SIZE) as pilot:
        await pilot.press("f", *["backspace"] * 4, *"100", "enter")
        await wait_until(pilot, lambda: on_stepper(app), "a run of 100 epochs to end")
        diverged = app.stepper.diverged_at
        assert diverged is not None
        for width in (MIN_SIZE[0], 66, 70, 80, 120):
            await pilot.resize_terminal(width, MIN_SIZE[1])
            await pilot.pause()
            assert f"diverged at epoch {diverged}" in screen_text(app).splitlines()[0], width
