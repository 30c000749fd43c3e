"""The decision boundary in the error chart's place (b, and l for the hidden neurons' lines; issue
16.3): the picture follows the rounds and a fast-forward, and its outputs are run's."""

from __future__ import annotations

import json
import re

import pytest

from bp_tui import load_scenario, parse_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.fast_forward_boundary import BoundaryFastForward
from bp_tui.engine.records import value_text
from bp_tui.views import plane

from .helpers import SMALL, fast_forward, panel_rows, screen_text, wait_until
from .helpers import bp_tui_process as bp
from .scenario_factory import scenario_text
from .test_app_layout import assert_fits
from .test_app_why import view_text

SAMPLE = re.compile(r"^sample (\d+) at \(.*\):$")
OUTPUT = re.compile(r"^  out_\w+ (\S+) \(target .*\)$")


def outputs_on_screen(app: BackpropApp) -> dict[int, list[str]]:
    """Each sample's outputs as the boundary panel writes them under the picture."""
    found: dict[int, list[str]] = {}
    for row in view_text(app, "#boundary"):
        if match := SAMPLE.match(row):
            sample = found.setdefault(int(match.group(1)) - 1, [])
        elif match := OUTPUT.match(row):
            sample.append(match.group(1))
    return found


@pytest.mark.slow
async def test_the_outputs_at_the_samples_are_runs_outputs():
    for name, epochs in (("xor-online", "2000"), ("mazur", "300"), ("softmax-cross-entropy", "150")):
        run = json.loads(bp("run", name, "--epochs", epochs, "--json").stdout)
        app = BackpropApp(load_scenario(name))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("b")
            await fast_forward(pilot, epochs)
            assert f"decision boundary after {epochs} epochs" in screen_text(app)
            shown = outputs_on_screen(app)
            assert shown == {s: [value_text(o) for o in out] for s, out in enumerate(run["outputs"])}, name


async def test_the_picture_changes_with_the_round_not_with_each_key(monkeypatch):
    pictures = []
    outputs = plane.GridForward.outputs

    def counted(self, params):
        pictures.append(params)
        return outputs(self, params)

    monkeypatch.setattr(plane.GridForward, "outputs", counted)
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "space")  # (the first sub-step: the step panel leaves the welcome's height)
        await pilot.pause()
        before, drawn = outputs_on_screen(app), len(pictures)
        assert drawn and "decision boundary after 0 epochs" in screen_text(app)
        await pilot.press("space", "space", "right_square_bracket", "left")  # inside round 1
        await pilot.pause()
        assert len(pictures) == drawn and outputs_on_screen(app) == before
        await pilot.press("enter")
        await pilot.pause()
        assert len(pictures) > drawn and outputs_on_screen(app) != before
        assert "decision boundary after 1 epoch " in screen_text(app)


async def test_l_draws_the_hidden_neurons_lines_and_b_goes_back_to_the_chart():
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=(120, 40)) as pilot:
        await fast_forward(pilot, "2000")
        await pilot.press("b")
        assert "net input 0 on the lines" not in " ".join(view_text(app, "#boundary"))
        await pilot.press("l")
        rows = view_text(app, "#boundary")
        assert any("h1" in row and "─" in row for row in rows[1:-6])  # a line, named, in the picture
        assert "╱─╲ net input 0 on the lines named h1 h2" in rows
        await pilot.press("l")
        assert "net input 0 on the lines" not in " ".join(view_text(app, "#boundary"))
        await pilot.press("b")
        assert app.query_one("#chart").display and not app.query_one("#boundary").display
        assert "training error" in screen_text(app)
        await pilot.press("l", "escape")  # l shows the boundary with its lines; escape closes it
        assert app.query_one("#chart").display


async def test_at_80x24_the_boundary_fits_beside_the_quantities():
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("b", "l")
        await pilot.pause()
        assert_fits(app, "the boundary")
        rows = panel_rows(app, "#boundary")
        assert rows[0].split()[0] == "out_o1" and "i1 →" in " ".join(rows)
        assert any(set(row[6:20]) & set("░▒▓█") for row in rows[1:4])


async def test_a_network_without_two_inputs_says_in_one_line_why_there_is_none():
    app = BackpropApp(parse_scenario(scenario_text(layers=(3, 2, 1)), "three-inputs"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("b")
        await pilot.pause()
        said = " ".join(row.strip() for row in view_text(app, "#boundary"))  # (one sentence, folded)
        assert said == ("No decision boundary here: the decision boundary is drawn for networks with two inputs; "
                        "this one has 3.")
        assert "No decision boundary" in screen_text(app)
        await pilot.press("l")
        assert "No lines of hidden neurons to draw: the decision boundary is drawn" in screen_text(app)


async def test_a_network_without_a_hidden_layer_has_a_boundary_but_no_lines_to_draw():
    app = BackpropApp(parse_scenario(scenario_text(layers=(2, 1)), "no-hidden"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("b", "l")
        await pilot.pause()
        assert view_text(app, "#boundary")[0].split() == ["out_o1"]
        assert "No lines of hidden neurons to draw: the network has no hidden layer." in screen_text(app)


async def test_during_a_fast_forward_the_box_shows_the_boundary_as_it_moves():
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b", "f", *"1000000", "enter")
        assert isinstance(app.screen, BoundaryFastForward)
        seen = set()

        def moving() -> bool:
            found = app.screen.query("#ff-boundary")
            if found and found.first().border_title is not None:  # (untitled until the first stretch is done)
                seen.add(found.first().border_title)
            return len(seen) >= 2

        await wait_until(pilot, moving, "two titles of the moving boundary in the fast-forward box")
        await pilot.press("x")  # any key stops the run, keeping what is done
        await wait_until(pilot, lambda: not isinstance(app.screen, BoundaryFastForward), "the box to close after a key")
        await pilot.pause()
        reached = app.stepper.completed
        assert 0 < reached < 1_000_000
        assert f"decision boundary after {reached} epochs" in screen_text(app)
        assert all(re.fullmatch(r" decision boundary after \d+ epochs? ", title) for title in seen), seen


async def test_under_no_color_the_shades_and_marks_are_glyphs(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.no_color
        await fast_forward(pilot, "2000")
        await pilot.press("b")
        rows = view_text(app, "#boundary")
        picture = "".join(rows[1:-8])
        assert {"░", "█", "●", "○"} <= set(picture)
        assert "░<0.25 ▒<0.5 ▓<0.75 █≥0.75  ● target ≥0.5 ○ <0.5" in rows
