"""The network picture as a learner reads it: every weight once with its value, the current
sub-step's path lit exactly as its record says, sign and highlight in plain text, and the sizes
the app has room for."""

import re

import pytest

from bp_tui.engine.scenario import builtin_names, load_scenario, parse_scenario
from bp_tui.engine.stepper import Stepper
from bp_tui.views.picture import (PictureState, draw, fitting, fmt, lit, params_by_name, shape_of,
                                  state_of)
from bp_tui.views.picture_shape import E, N, S, W
from bp_tui.views.styled import plain

from .scenario_factory import scenario_text

AT_80 = ["mazur", "mazur-biases", "mazur-per-neuron-bias", "xor-online", "xor-batch", "momentum",
         "momentum-off", "relu", "tanh"]
AT_120 = ["deep", "softmax-cross-entropy"]
HEAVY = "━╍▶◀"  # what a lit lane shows right after its label
VALUE = r"(-?\d+(?:\.\d+)?(?:e[+-]\d+)?…?|·|nan|-?inf)"  # a value as the picture prints it


def picture(stepper, width=120, height=40, pending=frozenset()):
    scenario = stepper.scenario
    lines = draw(shape_of(scenario), state_of(stepper, pending), width, height)
    assert lines is not None, f"{scenario.origin} does not fit {width}x{height}"
    return lines


def name_pattern(name: str) -> str:
    """A weight or bias name as a word of its own (w1 is not in w10, b1 not in b1_x)."""
    return rf"(?<![\w+]){re.escape(name)}(?![\w])"


def label_at(lines, name):
    """(text of the row after the label, tags of the label) for the one label of weight or bias `name`."""
    found = []
    for line in lines:
        row = "".join(span.text for span in line)
        for match in re.finditer(name_pattern(name) + r"(\+?) " + VALUE, row):
            column, tags = 0, None
            for span in line:
                if column <= match.start() < column + len(span.text):
                    tags = span.tags
                column += len(span.text)
            found.append((match.group(2), row[match.end():], tags))
    if not found:  # a shared bias drawn as its name above its value
        rows = ["".join(span.text for span in line) for line in lines]
        for r, row in enumerate(rows[:-1]):
            for match in re.finditer(name_pattern(name) + r"(\+?)(?= |$)", row):
                below = re.match(VALUE, rows[r + 1][match.start():])
                tags = next(s.tags for s in lines[r] if name in s.text)
                found += [(below.group(1), rows[r][match.end():], tags)] if below else []
    assert len(found) == 1, f"{name} appears {len(found)} times"
    return found[0]


def lit_neurons(lines, names):
    return {word for line in lines for span in line if "hot" in span.tags
            for word in re.findall(r"\w+", span.text) if word in names}


# --- sizes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", AT_80)
def test_the_small_networks_fit_80_columns_in_9_rows(name):
    lines = picture(Stepper(load_scenario(name)), 80, 9)
    assert len(lines) <= 9
    assert max(len(row) for row in plain(lines).splitlines()) <= 80


@pytest.mark.parametrize("name", AT_120)
def test_the_larger_networks_fit_120_columns_in_16_rows(name):
    lines = picture(Stepper(load_scenario(name)), 120, 16)
    assert len(lines) <= 16
    assert max(len(row) for row in plain(lines).splitlines()) <= 120


def test_a_network_that_does_not_fit_gives_none():
    scenario = load_scenario("deep")
    assert draw(shape_of(scenario), state_of(Stepper(scenario)), 80, 24) is None
    assert draw(shape_of(scenario), state_of(Stepper(scenario)), 120, 8) is None


# --- every weight once ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", builtin_names())
def test_every_weight_and_bias_appears_once_with_its_value_at_the_start_and_after_the_update(name):
    stepper = Stepper(load_scenario(name))
    layout = stepper.layout
    names = layout.all_weight_names() + layout.bias_names()
    lines = picture(stepper)
    for param, value in params_by_name(layout, stepper.params).items():
        shown, _rest, _tags = label_at(lines, param)
        assert shown == fmt(value), param
    assert set(params_by_name(layout, stepper.params)) == set(names)
    stepper.finish_round()
    lines = picture(stepper)
    text = plain(lines)
    trained = layout.all_weight_names() + (layout.bias_names() if stepper.scenario.train_biases else [])
    for param, value in params_by_name(layout, stepper.params).items():
        shown, _rest, _tags = label_at(lines, param)
        assert shown == fmt(value), param
        assert re.search(name_pattern(param) + r"\+ ", text) if param in trained else True


def test_the_article_figures_are_on_the_picture():
    stepper = Stepper(load_scenario("mazur"))
    while stepper.current is None or stepper.current.quantity != "w4+":  # the backward pass's end
        stepper.next()
    text = plain(picture(stepper, 80, 9))
    for figure in ("w5+ 0.3589", "w1+ 0.1498", "net 0.3775", "out 0.5933", "out 0.7514", "out 0.7729"):
        assert figure in text


@pytest.mark.parametrize("quantity, shown, gone", [
    ("out_o1+", ["out 0.7421"], ["out 0.7514", "out 0.5933"]),
    ("E_total+", ["out 0.7421", "out 0.7753", "0.291"], ["0.2984", "net 1.1059"]),
])
def test_the_new_error_shows_the_new_outputs_not_those_of_the_old_weights(quantity, shown, gone):
    stepper = Stepper(load_scenario("mazur"))
    while stepper.current is None or stepper.current.quantity != quantity:
        stepper.next()
    text = plain(picture(stepper, 80, 9))
    assert all(figure in text for figure in shown) and not any(figure in text for figure in gone)


def test_a_step_reading_a_weight_whose_new_value_is_pending_shows_the_old_value_it_uses():
    """The article's hidden layer uses w5 = 0.4, though w5+ = 0.3589 is already worked out."""
    stepper = Stepper(load_scenario("mazur"))
    while stepper.next() and stepper.epoch == 0:
        step = stepper.current
        lines = picture(stepper, 80, 9, pending=stepper.pending())
        for param in stepper.pending():
            if param in step.params and step.quantity != f"{param}+":
                before = params_by_name(stepper.layout, stepper.params_before_round())[param]
                assert label_at(lines, param)[0] == fmt(before), (step.quantity, param)
                assert f"{param}+" not in plain(lines), step.quantity
    at = Stepper(load_scenario("mazur"))
    while at.current is None or at.current.quantity != "dE_o1/dout_h1":
        at.next()
    text = plain(picture(at, 80, 9, pending=at.pending()))
    assert "◀ w5 0.4 ━" in text and "w6+ 0.4087…" in text


def test_a_pending_weight_shows_its_new_value_marked_as_not_applied():
    stepper = Stepper(load_scenario("mazur"))
    while stepper.current is None or stepper.current.quantity != "w5+":
        stepper.next()
    lines = picture(stepper, 80, 9, pending=frozenset({"w5"}))
    assert "w5+ 0.3589…" in plain(lines)
    assert "pending" in label_at(lines, "w5")[2]


# --- the lit path --------------------------------------------------------------------------------

def expected_weights(layout, step):
    """The weights a record touches: those it names, and those joining its own neuron to another
    neuron it names (read from the record and the layout, not from the picture code)."""
    own, others = step.neurons[0], set(step.neurons[1:])
    found = {p for p in step.params if p in layout.all_weight_names()}
    for weight in layout.all_weight_names():
        ends = set(layout.weight_ends(weight))
        if own in ends and (ends - {own}) & others:
            found.add(weight)
    return found


@pytest.mark.parametrize("name", ["mazur", "deep", "mazur-per-neuron-bias", "xor-batch"])
def test_each_sub_step_of_round_1_lights_exactly_what_its_record_touches(name):
    stepper = Stepper(load_scenario(name))
    layout = stepper.layout
    neurons = {n for layer in layout.neuron_names for n in layer}
    shape = shape_of(stepper.scenario)
    checked = 0
    while stepper.next() and stepper.epoch == 0:
        step = stepper.current
        lines = picture(stepper)
        weights = expected_weights(layout, step)
        for weight in layout.all_weight_names():
            _value, rest, tags = label_at(lines, weight)
            on = bool({"hot", "focus"} & tags)
            assert on == (weight in weights), (step.quantity, weight)
            assert (rest[1:2] in HEAVY) == (weight in weights), (step.quantity, weight, rest)
        for bias in layout.bias_names():
            _value, _rest, tags = label_at(lines, bias)
            assert bool({"hot", "focus"} & tags) == (bias in step.params), (step.quantity, bias)
        assert lit_neurons(lines, neurons) == set(step.neurons), step.quantity
        geo = fitting(shape, 120, 40)
        bias_lines = {e for e in lit(geo, step).edges if ">" in e and not e.endswith(">E")}
        if stepper.scenario.bias == "shared":  # a shared bias b{l+1} feeds every neuron of layer l+1
            feeds = {layout.bias_name(l, 0): layout.neuron_names[l + 1] for l in range(len(layout.layers) - 1)}
            assert bias_lines == {f"{b}>{n}" for b in step.params if b in feeds
                                  for n in step.neurons if n in feeds[b]}, step.quantity
        checked += 1
    assert checked == len(stepper.round_records(0))


def test_the_path_points_forward_in_the_forward_pass_and_back_in_the_backward_pass():
    stepper = Stepper(load_scenario("mazur"))
    seen = {}
    while stepper.next() and stepper.epoch == 0:
        seen[stepper.current.quantity] = plain(picture(stepper, 80, 9))
    assert "▶" in seen["net_h1"] and "◀" not in seen["net_h1"]
    assert "◀" in seen["dE_total/dw5"] and "▶" not in seen["dE_total/dw5"]
    assert "◀" in seen["dE_total/dout_h1"]
    assert "▶" not in seen["w5+"] and "◀" not in seen["w5+"]  # an update: its line lit, no direction
    assert "━" in seen["w5+"]


# --- plain text keeps sign and highlight ------------------------------------------------------------

def test_plain_text_shows_a_weights_sign_and_whether_it_is_lit():
    stepper = Stepper(load_scenario("xor-online"))  # w1 = -0.55, w2 = 0.92
    lines = picture(stepper, 80, 9)
    assert label_at(lines, "w1")[0].startswith("-") and label_at(lines, "w1")[1][1] == "╌"
    assert not label_at(lines, "w2")[0].startswith("-") and label_at(lines, "w2")[1][1] == "─"
    assert {"neg"} <= label_at(lines, "w1")[2] and {"pos"} <= label_at(lines, "w2")[2]
    while stepper.current is None or stepper.current.quantity != "net_h1":
        stepper.next()
    lines = picture(stepper, 80, 9)
    assert label_at(lines, "w1")[1][1] == "╍" and label_at(lines, "w2")[1][1] == "━"
    assert label_at(lines, "w3")[1][1] == "╌" and label_at(lines, "w4")[1][1] == "─"


# --- the layout: labels clear of each other and of nodes, crossings never joins ----------------------

@pytest.mark.parametrize("name", builtin_names())
@pytest.mark.parametrize("width, height", [(80, 24), (120, 40)])
def test_labels_never_overlap_and_a_crossing_never_looks_like_a_join(name, width, height):
    geo = fitting(shape_of(load_scenario(name)), width, height)
    if geo is None:
        return
    taken = {}
    for slot in geo.slots:
        for col in range(slot.col, slot.col + slot.width):
            assert (slot.row, col) not in taken, f"{slot} overlaps {taken[slot.row, col]}"
            taken[slot.row, col] = slot
            arms = geo.arms.get((slot.row, col))
            if arms and any(arms):  # only a label's own lane runs under it
                assert slot.edge and {e for side in arms for e in side} == {slot.edge}, slot
    for cell, arms in geo.arms.items():
        if all(arms):  # four arms: two lines crossing, never one line branching both ways
            assert not set(arms[N] + arms[S]) & set(arms[E] + arms[W]), cell


def test_an_empty_state_draws_every_name_and_no_values():
    scenario = load_scenario("mazur")
    lines = draw(shape_of(scenario), PictureState({}, {}), 80, 9)
    text = plain(lines)
    for name in ("i1", "i2", "h1", "h2", "o1", "o2", "w1", "w8", "b1", "b2", "E_total"):
        assert re.search(name_pattern(name), text), name
    assert "0.15" not in text


@pytest.mark.parametrize("layers", [(1, 1), (3, 1), (1, 3, 1), (4, 4), (3, 2, 3, 2), (2, 4, 4, 2)])
@pytest.mark.parametrize("bias", ["shared", "per-neuron", "none"])
def test_other_shapes_draw_every_weight_once_without_overlaps(layers, bias):
    scenario = parse_scenario(scenario_text(layers=layers, bias=bias, samples=2), "generated.toml")
    stepper = Stepper(scenario)
    lines = picture(stepper, 250, 120)
    for param, value in params_by_name(stepper.layout, stepper.params).items():
        assert label_at(lines, param)[0] == fmt(value), param
    geo = fitting(shape_of(scenario), 250, 120)
    cells = [(slot.row, col) for slot in geo.slots for col in range(slot.col, slot.col + slot.width)]
    assert len(cells) == len(set(cells))
