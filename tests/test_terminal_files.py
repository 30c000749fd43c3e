"""Files, from the app's side: a state folder that cannot be written leaves the app working and says
so once; an export to a place that cannot be written says why in one line; the hangup handler saves
through the app when it can and through bp_tui.study.progress when it cannot, and never raises.

We run as root, so permissions do not stop a write: the unwritable places are a path under a regular
file (mkdir fails: not a directory) and /proc (nothing can be created there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from bp_tui import Stepper
from bp_tui import load_scenario
from bp_tui.study import progress
from bp_tui.app import hangup
from bp_tui.app.app import BackpropApp
from bp_tui.app.widgets.status import StatusLine

from .helpers import SMALL, screen_text, wait_until


@pytest.fixture(params=["under a file", "in /proc"])
def unwritable_state(request, tmp_path, monkeypatch):
    if request.param == "under a file":
        blocker = tmp_path / "a-file"
        blocker.write_text("", encoding="utf-8")
        home = blocker / "state"
    else:
        home = "/proc/bp-tui-test-state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    assert progress.save("0" * 64, progress.Place(0, 1)) is not None  # really cannot be written
    return home


async def test_an_unwritable_state_folder_is_reported_once_and_the_app_works_on(unwritable_state, monkeypatch):
    monkeypatch.setattr("bp_tui.app.screens.stepper.AUTOSAVE_SECONDS", 0.05)  # save often: many failures
    attempts = []
    save = progress.save
    monkeypatch.setattr(progress, "save", lambda *args: attempts.append(args) or save(*args))
    notes: list = []
    app = BackpropApp(load_scenario("mazur"), remember=True)
    async with app.run_test(size=SMALL, message_hook=notes.append) as pilot:
        await pilot.press(*["space"] * 4)
        await wait_until(pilot, lambda: len(attempts) >= 4, "four saves to fail", state=lambda: attempts)
        await pilot.press("enter", "space")
        await wait_until(pilot, lambda: len(attempts) >= 8, "four more saves to fail", state=lambda: attempts)
        assert "round 2 · forward pass · step 1 of 46" in screen_text(app)
        warnings = [m.text for m in notes if isinstance(m, StatusLine.Said) and "cannot save" in m.text]
        assert len(warnings) == 1, warnings
        assert f"{unwritable_state}/bp-tui" in warnings[0]  # it says where
        await pilot.press("q")
    assert app.return_code == 0


async def test_an_export_to_an_unwritable_folder_says_why_in_one_line(tmp_path, monkeypatch):
    from textual.widgets import Input, Static

    monkeypatch.chdir(tmp_path)
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter", "x", "tab")
        app.screen.query_one("#file-name", Input).value = "/proc/round-1.md"  # a folder nothing is created in
        await pilot.press("enter")
        error = str(app.screen.query_one("#save-error", Static).content)
        assert error.startswith("✗ Not saved: /proc/round-1.md") and "\n" not in error
        assert "✗ Not saved:" in screen_text(app)
        assert not os.path.exists("/proc/round-1.md") and not list(tmp_path.iterdir())
        await pilot.press("escape", "space")  # the app goes on
        assert "round 2 · forward pass · step 1 of 46" in screen_text(app)


def test_hangup_saves_through_progress_when_the_app_has_no_save_of_its_own(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    mazur = load_scenario("mazur")
    stepper = Stepper(mazur)
    stepper.finish_round()
    stepper.next()
    assert hangup.save_place(SimpleNamespace(stepper=stepper)) is None
    saved = json.loads((tmp_path / "bp-tui" / f"{mazur.digest[:40]}.json").read_text(encoding="utf-8"))
    assert (saved["epoch"], saved["k"]) == (1, 1)


def test_hangup_save_never_raises(unwritable_state):
    stepper = Stepper(load_scenario("mazur"))
    assert hangup.save_place(SimpleNamespace(stepper=stepper)).startswith("cannot save your place")

    class Broken:
        def save_place(self):
            raise RuntimeError("disk on fire")

    assert hangup.save_place(Broken()) == "cannot save your place: disk on fire"


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGHUP")
def test_a_hangup_before_the_app_runs_saves_and_exits(tmp_path):
    """With no event loop to ask, the signal's own thread saves the place and ends the process with
    status 129 (in a child: the handler ends the process it runs in)."""
    code = ("import os, signal, time, types, bp_tui\n"
            "from bp_tui.app import hangup\n"
            "hangup.silence_terminal = lambda: None\n"
            "stepper = bp_tui.Stepper(bp_tui.load_scenario('mazur')); stepper.next()\n"
            "hangup.install(types.SimpleNamespace(stepper=stepper))\n"
            "os.kill(os.getpid(), signal.SIGHUP)\n"
            "time.sleep(30)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20,
                         env={**os.environ, "XDG_STATE_HOME": str(tmp_path)})
    assert out.returncode == hangup.HANGUP_STATUS, out.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_STATE_HOME", str(tmp_path))
        assert progress.load(load_scenario("mazur").digest)[0] == progress.Place(0, 1, None)


async def test_hanging_up_or_quitting_while_the_app_fast_forwards_back_keeps_the_saved_place(tmp_path, monkeypatch):
    # A place far enough away is reached by a fast-forward after the start. Saving in the meantime
    # (SIGHUP, ctrl+c) wrote the stepper's (0, 0) over it: the learner lost their place.
    from bp_tui.app.screens.fast_forward import FastForwardRun

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    mazur = load_scenario("mazur")
    far = progress.Place(900_000, 3, {"right": 1, "asked": 2})
    assert progress.save(mazur.digest, far) is None
    app = BackpropApp(mazur, remember=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FastForwardRun) and app.stepper.completed == 0
        hangup.save_place(app)  # what the SIGHUP handler does
        assert progress.load(mazur.digest)[0].epoch == far.epoch
        await pilot.press("ctrl+c")
    assert app.return_code == 0
    assert progress.load(mazur.digest)[0] == far
