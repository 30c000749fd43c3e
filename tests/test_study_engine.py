"""Engine side of the study features: quiz rules, saved places, edits while learning, saving edits."""

import json
import math
import os
import stat

import pytest

import bp_tui
from bp_tui.study import progress
from bp_tui.study import quiz
from bp_tui.engine.scenario_toml import to_toml

from .scenario_factory import feature_grid, scenario_text


# --- quiz --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, ok", [
    ("0.593269992", True), ("0.5932699921", True), ("0.5933", True), ("0.5932", True),  # rounded or cut
    ("0.59327", True), (" 0.593269992 ", True), ("5.93269992e-1", True),
    ("0.5934", True), ("0.5931", True), ("0.593", True),  # within 0.05% of the value
    ("0.59", False), ("0.592", False), ("0.5940", False),  # further than 0.05%
    ("-0.593269992", False), ("0.6", False),
])
def test_answers_are_accepted_by_the_stated_rule(typed, ok):
    assert quiz.is_correct(typed, 0.5932699921071872) is ok


def test_one_tolerance_for_every_value():
    """Issue 19.6: 0.3924 was accepted for 0.3925 (a float cut short) while 0.5970 was refused for
    0.596884378 (not its digits). One rule now: within 0.05% of the value, relative to it."""
    net_h2, out_h2 = 0.39249999999999996, 0.596884378259767  # the engine's values
    assert quiz.is_correct("0.3924", net_h2) and quiz.is_correct("0.5970", out_h2)
    assert quiz.is_correct("0.3926", net_h2) and quiz.is_correct("0.5968", out_h2)
    assert not quiz.is_correct("0.3920", net_h2) and not quiz.is_correct("0.5975", out_h2)
    assert quiz.TOLERANCE == 5e-4 and "0.3924 counts for 0.3925, 0.5970 for 0.596884378" in quiz.TOLERANCE_RULE
    for value in (0.00043856773447434685, -0.019049118258278114, 1234.5678, 0.0):  # the same rule at any size
        assert quiz.is_correct(f"{value:.4g}", value) and not quiz.is_correct(f"{value * 1.001 + 1e-9:.6g}", value)


def test_tiny_and_negative_values():
    assert quiz.is_correct("0.000438568", 0.00043856773447434685)
    assert quiz.is_correct("-0.01905", -0.019049118258278114)
    assert not quiz.is_correct("-0.01904", -0.019049118258278114 * 1.001)


def test_not_a_number_is_an_answer_error():
    with pytest.raises(quiz.AnswerError):
        quiz.is_correct("abc", 1.0)


def test_question_hints_then_reveals_and_scores_by_phase():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    score = quiz.Score()
    first = quiz.Question(stepper.records[0])  # net_h1 = 0.3775
    done, message = first.answer("0.3775", score)
    assert done and "Right" in message
    second = quiz.Question(stepper.records[2])  # net_h2 = 0.3925 (after out_h1)
    done, message = second.answer("0.5", score)
    # A hint adds what the step panel does not show: its numbers (0.25*0.05 + 0.3*0.1 + 0.35*1) worked on.
    assert not done and message == "Not quite (2 tries left). Hint: it comes to 0.0125 + 0.03 + 0.35"
    done, message = second.answer("0.4", score)
    assert not done and message == "Not quite (1 try left). Hint: it comes to 0.0425 + 0.35"
    done, message = second.answer("0.1", score)
    assert done and "0.3925" in message
    assert score.summary() == "1 of 2 right (forward pass: 1 of 2)"
    assert quiz.Score.from_dict(json.loads(json.dumps(score.as_dict()))) == score
    assert quiz.Score.from_dict({"right": "x"}) == quiz.Score()


# --- saved places ------------------------------------------------------------------------


def test_place_round_trip_and_bad_states(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    digest = bp_tui.load_scenario("mazur").digest
    assert progress.load(digest) == (None, None)
    assert progress.save(digest, progress.Place(3, 17, {"right": 1, "asked": 2})) is None
    place, warning = progress.load(digest)
    assert place == progress.Place(3, 17, {"right": 1, "asked": 2}) and warning is None
    files = list((tmp_path / "bp-tui").iterdir())
    assert len(files) == 1 and not [f for f in files if f.name.endswith(".tmp")]
    files[0].write_text("{not json")
    place, warning = progress.load(digest)
    assert place is None and "ignored saved place" in warning
    files[0].write_text(json.dumps({"epoch": -4, "k": 2}))
    assert progress.load(digest)[0] is None


@pytest.mark.parametrize("saved", [
    {"epoch": 0, "k": 3, "score": None},  # written before places recorded their order
    {"order": 1, "epoch": 0, "k": 3, "score": None},  # the layer-by-layer order: k = 3 was out_h1, now net_h2
    {"order": 99, "epoch": 0, "k": 3, "score": None},  # from a bp-tui that orders rounds otherwise
])
def test_a_place_counted_in_another_order_starts_over_with_a_one_line_notice(tmp_path, monkeypatch, saved):
    from bp_tui.app.study import Study  # (no Textual: the study state is plain Python)

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    folder = tmp_path / "bp-tui"
    folder.mkdir()
    (folder / f"{stepper.scenario.digest[:40]}.json").write_text(json.dumps(saved), encoding="utf-8")
    place, warning = progress.load(stepper.scenario.digest)
    assert place is None and "counts sub-steps in an order this bp-tui does not use" in warning
    place, note = Study(remember=True).saved_place(stepper)
    assert place is None and note.text.startswith("Starting afresh: the saved place in ")
    assert "\n" not in note.text
    assert progress.save(stepper.scenario.digest, progress.Place(0, 3)) is None  # the next save repairs it
    assert progress.load(stepper.scenario.digest) == (progress.Place(0, 3), None)


def test_a_place_that_is_not_a_json_object_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    digest = bp_tui.load_scenario("mazur").digest
    assert progress.save(digest, progress.Place(0, 1)) is None
    next((tmp_path / "bp-tui").iterdir()).write_text("[1, 2]", encoding="utf-8")
    place, warning = progress.load(digest)
    assert place is None and warning.endswith(": ValueError")


def test_unwritable_state_folder_gives_a_warning_not_an_error(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        target = tmp_path / "file-not-folder"
        target.write_text("x")  # root ignores permissions: make the folder impossible instead
        monkeypatch.setenv("XDG_STATE_HOME", str(target))
    else:
        tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    warning = progress.save("abc123", progress.Place(1, 1))
    assert warning and warning.startswith("cannot save your place")


# --- edits -------------------------------------------------------------------------------


def test_learning_rate_edit_takes_effect_from_the_next_update():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    stepper.finish_round()  # round 1 done with eta = 0.5
    before = stepper.errors[1]
    assert stepper.edit(learning_rate=2.0) == 1  # round 1's update was shown: applies from round 2
    assert stepper.errors[1] == before
    stepper.finish_round()
    w5 = {s.quantity: s for s in stepper.records}["w5+"]
    assert w5.formula == "w5+ = w5 - eta*dE_total/dw5" and w5.substituted.split(" - ")[1].startswith("2*")
    stepper.goto_epoch(1)
    assert stepper.current.value == before  # history before the edit is kept


def test_weight_edit_mid_round_restarts_the_round_with_the_new_weight():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    for _ in range(5):
        stepper.next()
    stepper.edit(param="w1", value=0.9)
    assert (stepper.epoch, stepper.k) == (0, 0)
    stepper.next()
    assert stepper.current.substituted == "0.9*0.05 + 0.2*0.1 + 0.35*1"
    assert stepper.errors[0] != 0.2983711087600027
    stepper.edit(param="b2", value=0.0)
    assert stepper.params.biases == [0.35, 0.0]
    with pytest.raises(ValueError):
        stepper.edit(param="w99", value=1.0)
    with pytest.raises(ValueError):
        stepper.edit(momentum=1.5)


def test_saved_edits_validate_and_continue_from_the_same_point(tmp_path):
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    stepper.goto_epoch(5)
    stepper.edit(learning_rate=1.5, momentum=0.5)
    text = stepper.edited_toml()
    saved = bp_tui.parse_scenario(text, "saved.toml")
    assert saved.learning_rate == 1.5 and saved.momentum == 0.5
    assert [list(map(list, layer)) for layer in saved.weights] == stepper.params.weights
    assert "learning rate 0.5 -> 1.5" in saved.description
    path = tmp_path / "saved.toml"
    path.write_text(text)
    from bp_tui.cli import main

    assert main(["validate", str(path)]) == 0


@pytest.mark.parametrize("case_id, kwargs", feature_grid()[::7])
def test_to_toml_round_trips_every_feature(case_id, kwargs):
    sc = bp_tui.parse_scenario(scenario_text(**kwargs, title='odd "title" [bold]x[/] \\ end'))
    again = bp_tui.parse_scenario(to_toml(sc), "again.toml")
    for field in ("layers", "activations", "weights", "bias", "biases", "names", "inputs", "targets",
                  "learning_rate", "loss", "mode", "train_biases", "momentum", "hidden_deltas_use", "update",
                  "title"):
        assert getattr(again, field) == getattr(sc, field), field


def test_saving_an_edited_network_keeps_where_new_weights_are_written():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    stepper.finish_round()
    stepper.edit(learning_rate=0.25)
    text = stepper.edited_toml()
    assert 'update = "after-gradient"' in text.splitlines()
    assert bp_tui.parse_scenario(text, "saved.toml").update == "after-gradient"


def test_builtin_scenarios_round_trip():
    for name in bp_tui.engine.scenario.builtin_names():
        sc = bp_tui.load_scenario(name)
        again = bp_tui.parse_scenario(to_toml(sc), f"{name}-again.toml")
        assert (again.weights, again.biases, again.update) == (sc.weights, sc.biases, sc.update)
        assert [(e.quantity, e.epoch, e.value, e.note) for e in again.expects] == [
            (e.quantity, e.epoch, e.value, e.note) for e in sc.expects]


def test_the_quiz_does_not_ask_for_a_value_that_overflowed():
    from bp_tui.app.study import Study  # (no Textual: the study state is plain Python)

    stepper = bp_tui.Stepper(bp_tui.load_scenario("too-fast"))
    study = Study(quiz=True, remember=False)
    asked = skipped = 0
    while stepper.next():
        if study.ask(stepper):
            asked += 1
            study.question = None  # as if answered
        elif not math.isfinite(stepper.current.value):
            skipped += 1
    assert stepper.diverged_at is not None and asked > 0
    assert skipped > 0  # the overflowed values were shown, not asked (nobody can type inf or nan)


def test_the_stepper_goes_to_a_sub_step_of_a_round():
    stepper = bp_tui.Stepper(bp_tui.load_scenario("mazur"))
    assert stepper.goto_step(2, 5) and (stepper.epoch, stepper.k, stepper.completed) == (2, 5, 2)
    assert stepper.current.quantity == stepper.round_records(2)[4].quantity and len(stepper.errors) >= 3
    assert not stepper.goto_step(0, 99) and (stepper.epoch, stepper.k) == (0, 46)  # clipped to the round
    too_fast = bp_tui.Stepper(bp_tui.load_scenario("too-fast"))
    assert not too_fast.goto_step(10_000, 1)  # training diverges before round 10,001
    assert too_fast.epoch < 10_000
