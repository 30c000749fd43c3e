"""Saturated and dead neurons (engine/stuck.py) and the story of a selected name (study/story.py),
checked by the figures and sentences a learner reads."""

from __future__ import annotations

import pytest

from bp_tui import Stepper, load_scenario
from bp_tui.engine.network import Params
from bp_tui.engine.stuck import DEAD_MARK, SATURATED_MARK, SLOPE_THRESHOLD, flat_slope, stuck_neurons
from bp_tui.study.story import history_epochs, parameter_values, selectables, story


def text_of(lines) -> str:
    return "\n".join(line.text for line in lines)


def test_the_saturated_scenario_starts_with_both_outputs_saturated_and_its_hidden_neurons_not():
    stepper = Stepper(load_scenario("saturated"))
    stuck = stuck_neurons(stepper.net, Params.from_scenario(stepper.scenario))
    assert sorted(stuck) == ["o1", "o2"]
    assert stuck["o1"].kind == "saturated" and stuck["o1"].mark == SATURATED_MARK
    assert stuck["o1"].slope == pytest.approx(0.00545345647, rel=1e-8)  # the scenario's dout_o1/dnet_o1
    assert "its slope is 0.0055 at most (below 0.01): the error barely reaches the weights into it" \
        in stuck["o1"].sentence()


def test_the_article_network_has_no_stuck_neuron():
    stepper = Stepper(load_scenario("mazur"))
    assert stuck_neurons(stepper.net, Params.from_scenario(stepper.scenario)) == {}


def test_relu_h3_is_alive_at_the_start_and_dead_once_sample_1_is_applied_in_round_1():
    stepper = Stepper(load_scenario("relu"))
    assert stuck_neurons(stepper.net, Params.from_scenario(stepper.scenario)) == {}
    records = stepper.round_records(0)
    applied = next(s.index for s in records if s.quantity == "b_h3+") + 1  # b_h3 = -0.546 from here on
    lines = story(stepper, applied, "h3", 0)
    marks = [line.text for line in lines if line.kind == "mark"]
    assert marks == [f"{DEAD_MARK} h3 is dead: its net input is at most -0.3709 for every sample, so its slope is "
                     "0: no error reaches the weights into it, and they never move again."]
    stepper.goto_epoch(99)  # still dead in round 100
    dead = stuck_neurons(stepper.net, stepper.state_at(99).params)
    assert list(dead) == ["h3"] and dead["h3"].kind == "dead" and dead["h3"].slope == 0.0


@pytest.mark.parametrize("quantity, value, activation, mark", [
    ("dout_o1/dnet_o1", 0.0054, "sigmoid", SATURATED_MARK), ("dout_o1/dnet_o1", 0.0054, "tanh", SATURATED_MARK),
    ("dout_h3/dnet_h3", 0.0, "relu", DEAD_MARK), ("dout_h1/dnet_h1", 0.24, "sigmoid", ""),
    ("dout_o1/dnet_o1", 1.0, "linear", ""), ("delta_o1", 0.001, "sigmoid", ""),
    ("dout_o1/dnet_o1", SLOPE_THRESHOLD, "sigmoid", ""),
])
def test_a_slope_below_the_threshold_is_marked_in_the_quantities(quantity, value, activation, mark):
    assert flat_slope(quantity, value, activation) == mark


def test_names_are_selected_in_the_picture_s_reading_order():
    assert selectables(load_scenario("mazur").layout) == (
        "w1", "w2", "w3", "w4", "b1", "h1", "h2", "w5", "w6", "w7", "w8", "b2", "o1", "o2")
    relu = selectables(load_scenario("relu").layout)
    assert relu[:3] == ("w1", "w2", "b_h1") and relu[-1] == "o1" and "h3" in relu


def test_the_story_of_w5_after_its_update_has_its_chain_and_its_new_value():
    stepper = Stepper(load_scenario("mazur"))
    records = stepper.round_records(0)
    shown = next(s.index for s in records if s.quantity == "w5+") + 1
    text = text_of(story(stepper, shown, "w5", 0))
    assert text.startswith("w5: the weight from h1 into o1\nw5 = 0.400000000 at the start of round 1; "
                           "w5+ = 0.358916480 now")
    assert "∂E_total/∂w5 = ∂E_total/∂net_o1·∂net_o1/∂w5" in text
    assert "= δ_o1·out_h1\n" in text and "= 0.138498562·0.593269992\n" in text and "= 0.082167041\n" in text
    assert "w5+ = w5 − η·∂E_total/∂w5" in text and "= 0.4 − 0.5·0.082167041" in text
    before = text_of(story(stepper, shown - 2, "w5", 0))  # before its gradient: only the net input it feeds
    assert "net_o1 = w5·out_h1" in before and "0.082167041" not in before and "w5+" not in before


def test_the_story_of_a_hidden_neuron_says_where_its_delta_came_from():
    stepper = Stepper(load_scenario("mazur"))
    records = stepper.round_records(0)
    shown = next(s.index for s in records if s.quantity == "delta_h1") + 1
    text = text_of(story(stepper, shown, "h1", 0))
    assert "out_h1 = 0.593269992 this sample" in text
    assert "The error reaches h1 from o1, o2, back along w5, w7." in text
    assert "δ_h1 = ∂E_total/∂out_h1 · ∂out_h1/∂net_h1" in text and "= 0.008771355" in text


def test_the_history_samples_the_rounds_and_agrees_with_the_stepper():
    assert history_epochs(0) == [0] and history_epochs(3) == [0, 1, 2, 3]
    spread = history_epochs(10000)
    assert len(spread) == 8 and spread[0] == 0 and spread[-1] == 10000
    stepper = Stepper(load_scenario("mazur"))
    stepper.goto_epoch(3)  # the end of round 3
    assert stepper.epoch == 2
    lines = story(stepper, stepper.k, "w5", 0)
    history = [line.text for line in lines if line.kind == "history"]
    assert history[0] == "History of w5 at the start of each round: 1: 0.4 · 2: 0.358916 · 3: 0.317354"
    assert parameter_values(stepper, 1)["w5"] == pytest.approx(0.35891648, abs=1e-8)
    assert history[1].strip().startswith("█") and history[1].endswith("from 0.4 to 0.317354")


def test_the_picture_of_saturated_marks_its_outputs_and_the_legend_says_what_the_marks_mean():
    from bp_tui.views.picture import draw, legend, shape_of, state_of
    from bp_tui.views.styled import plain

    scenario = load_scenario("saturated")
    picture = plain(draw(shape_of(scenario), state_of(Stepper(scenario)), 80, 20))
    assert "o1 ≈" in picture and "o2 ≈" in picture and "h1 ≈" not in picture
    assert any(row.startswith("≈ ⊘") and "a saturated, a dead neuron" in row for row in legend(scenario))
