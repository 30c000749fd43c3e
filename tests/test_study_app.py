"""The study features in the app (quiz, export, gradient check, resume, edits), driven by their keys
and checked by what the screen shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from bp_tui import load_scenario
from bp_tui.study import progress
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.edit import EditScreen
from bp_tui.app.screens.export import ExportScreen
from bp_tui.app.screens.gradcheck import GradcheckScreen
from bp_tui.app.screens.save_scenario import SaveScenarioScreen
from bp_tui.app.widgets.quiz import AnswerBox
from bp_tui.app.widgets.status import StatusLine
from bp_tui.cli import main
from bp_tui.engine.records import num

from .helpers import SMALL, screen_text, wait_until
from .helpers import flat_text as flat


class Notes(list):
    """Records the app's messages (run_test(message_hook=...)); `texts` are what the status line said."""

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self if isinstance(m, StatusLine.Said)]


def run(app: BackpropApp, notes: Notes | None = None):
    """run_test at 80x24, recording the app's messages in `notes`."""
    return app.run_test(size=SMALL, message_hook=None if notes is None else notes.append)


async def answer(pilot, typed: str) -> None:
    await pilot.press(*typed, "enter")


# --- quiz --------------------------------------------------------------------------------------


async def test_quiz_masks_accepts_hints_and_reveals():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        # The first value is asked at once (issue 13.3): no space needed.
        text = screen_text(app)
        assert "net_h1 = w1*i1 + w2*i2 + b1*1" in text and "= 0.15*0.05 + 0.2*0.1 + 0.35*1" in text
        assert "= ?" in text and "0.3775" not in text  # masked in the step, the quantities and the diagram
        await pilot.press("0", "right_square_bracket", "f", "enter")  # with text in the box, typed into it
        assert app.stepper.k == 1 and "'0]f' is not a number" in flat(app)
        await answer(pilot, "0.3775")
        text = screen_text(app)
        assert "✓ Right: net_h1 = 0.3775 (✓ article 0.3775)" in text and "0.377500000" in text
        assert "score 1 of 1" in text

        await pilot.press("space")  # out_h1 = 0.593269992 (neuron by neuron: h1's output comes next)
        await answer(pilot, "0.5")
        text = flat(app)
        # The hint is not the formula the step panel shows: its numbers worked one step further.
        assert "Not quite (2 tries left). Hint: it comes to 1/(1 + 0.685573202)" in text
        assert "0.593269992" not in text
        await answer(pilot, "abc")  # not a number: said, and not a try
        assert "'abc' is not a number" in flat(app)
        await answer(pilot, "0.4")
        assert "Not quite (1 try left). Hint: it comes to 1/1.685573202" in flat(app)
        await answer(pilot, "0.59")
        text = screen_text(app)
        assert "✗ The answer: out_h1 = 0.593269992 (✓ article 0.593269992)" in text and "score 1 of 2" in text
        assert app.study.score.summary() == "1 of 2 right (forward pass: 1 of 2)"

        await pilot.press("space")  # net_h2: asked; k with the box empty leaves quiz mode
        assert "= ?" in screen_text(app)
        await pilot.press("k")
        text = screen_text(app)
        assert "0.392500000" in text and "quiz mode" not in text and not app.study.quiz
        await pilot.press("space")  # not asked any more
        assert "0.596884378" in screen_text(app)
        await pilot.press("q")  # nothing is being typed: q quits
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


async def test_quiz_mode_turned_on_later_asks_at_once():
    app = BackpropApp(load_scenario("mazur"))  # the quiz bar's rows are made only now
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        assert "quiz mode" not in flat(app) and "0.377500000" in screen_text(app)
        await pilot.press("k")  # net_h1 was shown before: the next value, out_h1, is asked at once
        assert app.stepper.k == 2 and "out_h1 =" in flat(app)
        assert "= ?" in screen_text(app) and "type the value" in flat(app)
        await answer(pilot, "0.5933")
        assert "✓" in flat(app) and "score 1 of 1" in flat(app)


@pytest.mark.slow
async def test_quiz_scores_round_one_by_phase():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with run(app) as pilot:
        box = app.query_one(AnswerBox)
        records = app.stepper.records
        for step in records:
            if step.index:  # (the first value is asked at once)
                await pilot.press("space")
            # Every delta of the backward pass is answered wrong once (right on the second try).
            if step.quantity.startswith("delta_"):
                box.set("1234", True)
                await pilot.press("enter")
            box.set(num(step.value), True)  # as if typed (typing is tested above)
            await pilot.press("enter")
        assert app.stepper.round_done and not app.study.asking
        text = flat(app)
        assert "score 42 of 46" in text
        summary = ("Round 1 quiz: 42 of 46 right (forward pass: 8 of 8; error: 3 of 3; backward pass: "
                   "output layer 12 of 14, hidden layer 16 of 18; new error: 3 of 3)")
        assert summary in text  # under the answer box
        assert "0.291027774" in text  # the new error, now that it is answered


# --- export ------------------------------------------------------------------------------------


async def test_export_writes_the_round_and_never_overwrites_unasked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notes = Notes()
    app = BackpropApp(load_scenario("mazur"))
    async with run(app, notes) as pilot:
        await pilot.press("space", "x")
        assert isinstance(app.screen, ExportScreen)
        assert "mazur-round-1.md" in screen_text(app)
        await pilot.press("enter")  # md is the default format
        assert not isinstance(app.screen, ExportScreen)
        written = tmp_path / "mazur-round-1.md"
        text = written.read_text(encoding="utf-8")
        for figure in ("0.3775", "0.593269992", "0.751365070", "0.298371109", "0.082167041", "0.358916480",
                       "0.291027774"):
            assert figure in text
        await pilot.pause()
        assert "Round 1 exported (md) to" in screen_text(app)
        assert notes.texts == ["Round 1 exported (md) to mazur-round-1.md"]  # (relative: it is in the folder bp-tui runs in)

        # Again: the file exists, so nothing is written until a second enter confirms.
        written.write_text("mine", encoding="utf-8")
        await pilot.press("x", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert "Already exists" in screen_text(app) and written.read_text(encoding="utf-8") == "mine"
        await pilot.press("enter")
        assert not isinstance(app.screen, ExportScreen) and "0.3775" in written.read_text(encoding="utf-8")

        # Another format: the name follows it.
        await pilot.press("x", "down", "down")
        assert "mazur-round-1.csv" in screen_text(app)
        await pilot.press("enter")
        rows = (tmp_path / "mazur-round-1.csv").read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("epoch,sample,phase,quantity,formula,substituted,value,") and len(rows) == 47


@pytest.mark.parametrize("name, why", [
    ("nowhere/round.md", "does not exist"),
    # Path.expanduser raises for "~name" when no such user exists (found by the soak: it ended the app).
    ("~nosuchuser1/round.md", "~nosuchuser1/round.md: no user named 'nosuchuser1' here"),
])
async def test_an_export_name_that_cannot_be_saved_says_why_in_one_line(tmp_path, monkeypatch, name, why):
    monkeypatch.chdir(tmp_path)
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("x", "tab")
        app.screen.query_one("#file-name", Input).value = name
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen)
        assert "✗ Not saved:" in screen_text(app) and why in flat(app)
        assert not list(tmp_path.iterdir())


# --- gradient check -----------------------------------------------------------------------------


async def test_gradient_check_passes_for_the_article():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("g")
        assert isinstance(app.screen, GradcheckScreen)
        await wait_until(pilot, lambda: not app.screen.query_one("#grad-status").display,
                         "the gradient check to finish")
        text = screen_text(app)
        assert "PASS: all 8 gradients agree" in text
        assert "w5" in text and "h1 -> o1" in text and "8.216704056e-02" in text  # dE_total/dw5
        await pilot.press("g")
        assert not isinstance(app.screen, GradcheckScreen)


# --- resume -------------------------------------------------------------------------------------


@pytest.fixture
def state_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "bp-tui"


async def test_resume_where_the_learner_quit(state_home):
    mazur = load_scenario("mazur")
    app = BackpropApp(mazur, quiz=True, remember=True)
    async with app.run_test(size=SMALL) as pilot:
        await answer(pilot, "0.3775")  # (asked at once)
        await pilot.press("space", "q")  # quits while out_h1 is asked: it is asked again next time
    saved = json.loads((state_home / f"{mazur.digest[:40]}.json").read_text(encoding="utf-8"))
    assert (saved["epoch"], saved["k"], saved["score"]["right"]) == (0, 1, 1)

    notes = Notes()
    app = BackpropApp(mazur, remember=True)
    async with run(app, notes) as pilot:
        await pilot.pause()
        assert "round 1 · forward pass · step 1 of 46" in screen_text(app)
        assert "Resumed at round 1, step 1" in screen_text(app)  # the notification
        assert "Resumed at round 1, step 1 of 46; r starts over. Quiz score 1 of 1." in notes.texts
        await pilot.press("enter", "space", "q")  # to round 2

    app = BackpropApp(mazur, remember=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "round 2 · forward pass · step 1 of 46" in screen_text(app)
        await pilot.press("r")  # start over, and forget
        assert "not started" in screen_text(app)
        assert not (state_home / f"{mazur.digest[:40]}.json").exists()


async def test_a_corrupt_state_file_starts_afresh_with_a_warning(state_home):
    mazur = load_scenario("mazur")
    state_home.mkdir(parents=True)
    (state_home / f"{mazur.digest[:40]}.json").write_text("{not json", encoding="utf-8")
    notes = Notes()
    app = BackpropApp(mazur, remember=True)
    async with run(app, notes) as pilot:
        await pilot.pause()
        assert "not started" in screen_text(app) and "Starting afresh" in screen_text(app)
        assert any(n.startswith("Starting afresh: ignored saved place") for n in notes.texts)
        await pilot.press("space", "q")
    assert progress.load(mazur.digest)[0] == progress.Place(0, 1, None)  # the next save repairs it


async def test_fresh_ignores_the_saved_place(state_home, monkeypatch):
    mazur = load_scenario("mazur")
    assert progress.save(mazur.digest, progress.Place(0, 5)) is None
    app = BackpropApp(mazur, remember=True, fresh=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert "not started" in screen_text(app)
    chosen = {}
    monkeypatch.setattr("bp_tui.app.app.run_app", lambda scenario, **flags: chosen.update(flags) or 0)
    assert main(["--quiz", "--fresh", "mazur"]) == 0
    assert chosen == {"quiz": True, "fresh": True, "served": None}


async def test_an_unwritable_state_folder_never_stops_the_app(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))  # a file where the folder should be
    app = BackpropApp(load_scenario("mazur"), remember=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        assert app.save_place().startswith("cannot save your place")


# --- edit while learning ------------------------------------------------------------------------


async def test_edit_the_learning_rate_and_w5_then_save_the_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notes = Notes()
    app = BackpropApp(load_scenario("mazur"))
    async with run(app, notes) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, EditScreen)
        await pilot.press("enter", *"-1", "enter")  # the learning rate is listed first
        assert "Not changed: the learning rate must be > 0" in flat(app)
        await pilot.press("ctrl+u", *"abc", "enter")
        assert "'abc' is not a number" in flat(app)
        await pilot.press("ctrl+u", "1", "enter")
        assert not isinstance(app.screen, EditScreen)
        await pilot.pause()
        assert "Learning rate 0.5 → 1" in screen_text(app)
        assert "Learning rate 0.5 → 1, from this round's update on." in notes.texts

        await pilot.press("e", *["down"] * 6, "enter")  # learning rate, momentum, w1 .. w4, w5
        assert "New value for w5 (now 0.4)" in screen_text(app)
        await pilot.press(*"0.1", "enter")
        text = screen_text(app)
        assert "edited: learning rate 1, w5 0.1" in text and "w5 0.1 " in text
        await pilot.press("enter")  # round 1 with both: w5+ = 0.1 - 1*dE_total/dw5
        w5 = next(s for s in app.stepper.records if s.quantity == "w5+")
        assert w5.substituted.startswith("0.1 - 1*")

        await pilot.press("w")
        assert isinstance(app.screen, SaveScenarioScreen) and "mazur-edited.toml" in screen_text(app)
        await pilot.press("enter")
        assert not isinstance(app.screen, SaveScenarioScreen)
    saved = load_scenario(tmp_path / "mazur-edited.toml")
    assert saved.learning_rate == 1
    assert saved.weights[1][0][0] == w5.value  # the network as it stands: after round 1's update


async def test_a_weight_edited_at_the_end_of_a_round_starts_the_next_one():
    notes = Notes()
    app = BackpropApp(load_scenario("mazur"))
    async with run(app, notes) as pilot:
        await pilot.press("enter", "e", *["down"] * 6, "enter", *"0.1", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "round 2 · not started" in text and "w5 0.1 " in text
        assert "w5 = 0.1: round 2 starts from it." in text
