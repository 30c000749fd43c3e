"""Two runs compared in the error chart's place (c; issue 16.4): a second scenario opened through the
open box, its curve over this one's as far as this run goes, and the threshold epochs of both."""

from __future__ import annotations

from pathlib import Path

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.open import OpenScreen
from bp_tui.app.widgets.comparison import run_label
from bp_tui.engine.scenario import builtin_dir

from .helpers import SMALL, fast_forward, panel_rows, screen_text, wait_until
from .test_app_layout import assert_fits
from .test_app_why import view_text
from .test_compare import first_epoch_below, run_errors


async def open_comparison(pilot, name_or_path: str) -> None:
    await pilot.press("c")
    assert isinstance(pilot.app.screen, OpenScreen)
    assert "compare with a second scenario" in screen_text(pilot.app)
    await pilot.press("tab", *name_or_path, "enter")
    await pilot.pause()


def caught_up(app: BackpropApp) -> bool:
    """The second run has been trained as far as this one shows, and the panel says so (no line
    "training NAME: epoch N of M…" left from the worker's last redraw)."""
    panel = app.query_one("#comparison")
    trained = panel.other.computed >= app.stepper.completed or panel.other.diverged_at is not None
    return trained and not any(row.startswith("training ") for row in view_text(app, "#comparison"))


def threshold_rows(app: BackpropApp) -> dict[str, list[str]]:
    """The threshold table under the chart: the run's name -> its three cells."""
    found = {}
    for row in view_text(app, "#comparison"):
        if row[:2] in ("● ", "○ ") and not row.startswith(("● ○", "○ ●")) and "◉ both" not in row:
            *name, ten, one, tenth = row[2:].split()
            found[" ".join(name)] = [ten, one, tenth]
    return found


@pytest.mark.slow
async def test_the_threshold_epochs_are_those_of_run_json():
    epochs = 1500
    app = BackpropApp(load_scenario("momentum"))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_comparison(pilot, "momentum-off")
        await fast_forward(pilot, str(epochs))
        await wait_until(pilot, lambda: caught_up(app), "the second run trained as far as this one")
        shown = threshold_rows(app)
    for name in ("momentum", "momentum-off"):
        errors = run_errors(name, epochs)
        expected = [str(first_epoch_below(errors, f)) if first_epoch_below(errors, f) is not None else "—"
                    for f in (0.1, 0.01, 0.001)]
        assert shown[name] == expected, (name, shown)
    assert shown["momentum"][:2] == ["37", "200"] and shown["momentum-off"][0] == "374"


async def test_the_second_curve_follows_this_runs_length_and_c_closes_it():
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=SMALL) as pilot:
        await open_comparison(pilot, "xor-batch")
        assert app.query_one("#comparison").display and not app.query_one("#chart").display
        rows = " ".join(view_text(app, "#comparison"))
        assert "Both curves start after round 1" in rows
        await pilot.press("enter")
        await wait_until(pilot, lambda: caught_up(app), "the second run trained as far as this one")
        rows = view_text(app, "#comparison")
        assert rows[0].startswith("● xor-online  ○ xor-batch  ◉ both")
        axis = rows[rows.index(next(row for row in rows if row.startswith("first below"))) - 1]
        assert axis.split()[0] == "0" and axis.split()[-1] == "1", axis  # the x axis: epochs 0 to 1
        await fast_forward(pilot, "300")
        await wait_until(pilot, lambda: caught_up(app), "the second run trained as far as this one")
        assert app.query_one("#comparison").other.computed == 301
        rows = view_text(app, "#comparison")
        axis = rows[rows.index(next(row for row in rows if row.startswith("first below"))) - 1]
        assert axis.split()[-1] == "301", axis
        assert_fits(app, "the comparison")
        await pilot.press("c")
        assert app.query_one("#chart").display and not app.query_one("#comparison").display
        assert "training error" in screen_text(app) and "Comparison closed." in screen_text(app)


@pytest.mark.slow
async def test_a_scenario_file_can_be_compared_and_a_broken_one_is_refused(tmp_path: Path, monkeypatch):
    # The files are typed as paths relative to the working folder, through a folder (the label is the
    # file's name alone): every character is a key press, and a temporary folder's whole path would
    # be some 160 of them.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()
    good = Path("runs", "slower.toml")
    good.write_text((builtin_dir() / "momentum-off.toml").read_text(encoding="utf-8"), encoding="utf-8")
    broken = Path("runs", "broken.toml")
    broken.write_text("[network]\nlayers = [2, 2]\n")
    app = BackpropApp(load_scenario("momentum"))
    async with app.run_test(size=SMALL) as pilot:
        await open_comparison(pilot, str(broken))
        assert isinstance(app.screen, OpenScreen) and "Not opened" in screen_text(app)
        await pilot.press("escape")
        assert app.query_one("#chart").display  # nothing changed
        await pilot.press("c")
        await pilot.press("tab", *str(good), "enter")
        await pilot.pause()
        assert app.query_one("#comparison").label == "slower.toml"
        assert "○ slower.toml" in " ".join(panel_rows(app, "#comparison"))


def test_a_run_is_named_by_its_built_in_name_or_its_file():
    assert run_label(load_scenario("momentum")) == "momentum"
    assert run_label(load_scenario(str(builtin_dir() / "momentum-off.toml"))) == "momentum-off.toml"
