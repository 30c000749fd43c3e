"""The app at bp-tui's limits (issue 20): a scenario of millions of sub-steps a round opens, steps and
finishes rounds with its memory bounded, the header says what a sub-step is at that scale, and a
long computation runs in a worker thread with a progress line that any key stops."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from bp_tui import Stepper, load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.widgets.network_table import fmt
from bp_tui.app.widgets.quantities import LISTED
from bp_tui.app.widgets.status import StatusLine
from bp_tui.engine.records import num
from bp_tui.study import progress

from .helpers import screen_text, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from limit_scenarios import AT_LIMIT, ISSUE  # noqa: E402
from limits_bench import HeldMemory  # noqa: E402

pytestmark = pytest.mark.slow  # (each opens a scenario at the limits: seconds)

MB = 2**20
WIDE = (120, 40)


def written(tmp_path: Path, name: str, text: str):
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


async def settled(pilot, *keys: str) -> None:
    """Press the keys one by one, each once the move before it has finished computing."""
    for key in keys:
        await pilot.press(key)
        await wait_until(pilot, lambda: not pilot.app.main.moves.busy, f"the move of {key} to end", seconds=60)
        await pilot.pause()


async def test_the_issue_network_opens_steps_and_finishes_rounds_in_bounded_memory(tmp_path):
    app = BackpropApp(written(tmp_path, "issue", ISSUE[1]()))
    async with app.run_test(size=WIDE) as pilot:
        stepper = app.stepper
        each = stepper.plan(0).blocks[0].size  # the sub-steps of one sample's pass
        text = screen_text(app)
        assert f"not started · sub-step 0 of {stepper.count:,} ({each:,} a sample)" in text
        assert "A sub-step is one value" in text  # (the step panel says what a step is at this scale)
        with HeldMemory() as held:  # (resident pages, not tracemalloc: that slows the round 2-3 times)
            await settled(pilot, "space")
            text = screen_text(app)
            assert "net_h1_1 = w1*i1 + w2*i2" in text and f"sub-step 1 of {stepper.count:,}" in text
            network = panel_text(app, "#network")  # (the panel has scrolled to h1_1: its first line is above)
            assert network.startswith("61,440 weights: only those into the current neuron are listed")
            assert "i64→h1_1" in network and "i1→h1_2" not in network  # the weights into h1_1, no others

            await settled(pilot, "right_square_bracket", "enter")
            assert (stepper.epoch, stepper.k) == (0, stepper.count)
            text = screen_text(app)
            assert f"done, space: next round · sub-step {stepper.count:,} of {stepper.count:,}" in text
            quantities = app.main.query_one("#quantities")  # the last few sub-steps, under a line saying so
            assert row_text(quantities, 0).strip() == f"… {stepper.count - LISTED:,} sub-steps before these"
            assert quantities.total_rows() < 200
            assert f"epoch 1  {stepper.errors[1]:.9f}" in text

            await settled(pilot, "enter", "left_square_bracket", "left", "left", "space", "r", "space")
            assert (stepper.epoch, stepper.k) == (0, 1)
            for key, done in (("x", "exported"), ("y", "checked against a page")):
                await settled(pilot, key)  # a whole round would be gigabytes: the status line says where to go
                assert app.screen is app.main
                assert app.main.query_one(StatusLine).message.startswith(
                    f"This round has {stepper.count:,} sub-steps: too many to be {done} here. `bp-tui export ")
        assert held.peak < 200 * MB, f"{held.peak / MB:.0f} MB taken while stepping"


async def test_the_network_panel_of_a_long_round_shows_the_weights_its_sample_uses_then_the_new_ones(tmp_path):
    """The scenario at the written-out kernel's limit (960 weights, 3,494 samples a round): the weights
    into the current neuron, as its sample computes with them, and after the round its new values."""
    app = BackpropApp(written(tmp_path, "work", AT_LIMIT["work"][1]()))
    async with app.run_test(size=WIDE) as pilot:
        stepper = app.stepper
        await settled(pilot, "space", "space")
        assert stepper.current.quantity == "out_h1_1"
        first = stepper.params_before_round().weights[0][0][0]
        assert num(first) in line_with(panel_text(app, "#network"), " i1→h1_1 ")
        await settled(pilot, "enter")
        after = dict(zip(stepper.layout.all_weight_names(), stepper.params.flat()))
        shown = re.findall(r"(w\d+)\+ +\S+→\S+ +(\S+)", panel_text(app, "#network"))
        assert shown and all(value == fmt(after[name], 9) for name, value in shown)
        assert after["w1"] != first


def panel_text(app, selector: str) -> str:
    """Every line of a panel's text, scrolled out of view or not."""
    panel = app.main.query_one(selector)
    return "\n".join(line.plain for line in panel.lines_for(app.main.frame, panel.content_width))


def row_text(panel, index: int) -> str:
    return "".join(segment.text for segment in panel.row_at(index))


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


async def test_a_key_stops_a_long_computation_and_keeps_what_was_done(tmp_path, monkeypatch):
    """Resuming deep inside round 4 of the scenario at the samples limit replays thousands of samples
    (seconds): it runs in a worker with a progress line, and a key stops it."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    scenario = written(tmp_path, "samples", AT_LIMIT["samples"][1]())
    middle = Stepper(scenario).count // 2
    assert progress.save(scenario.digest, progress.Place(3, middle)) is None
    said: list[str] = []

    def hook(message) -> None:
        if isinstance(message, StatusLine.Said):
            said.append(message.text)

    app = BackpropApp(scenario, remember=True)
    async with app.run_test(size=WIDE, message_hook=hook) as pilot:
        await wait_until(pilot, lambda: any(text.startswith("Any key stops · computing ") for text in said),
                         "the progress line", seconds=30)
        assert app.main.moves.busy
        await pilot.press("x")  # (a key with an action of its own: it only stops the computation)
        await wait_until(pilot, lambda: not app.main.moves.busy, "the computation to stop", seconds=10)
        await pilot.pause()
        stepper = app.stepper
        assert (stepper.epoch, stepper.k) != (3, middle), said
        assert said[-1].startswith("Stopped ") and "kept" in said[-1]
        assert app.screen is app.main  # the export box did not open
