"""A learner's page as people write it: names, numbers, comments, rounds and samples, and bad lines."""

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from bp_tui.engine.notation import num
from bp_tui.engine.stepper import Stepper
from bp_tui.study.check import RIGHT, WRONG, check_page
from bp_tui.study.page import PageError, parse_page

from .helpers import builtin_scenario


def check(text, scenario="mazur", round_number=None):
    return check_page(Stepper(builtin_scenario(scenario)), parse_page(text, "page.txt"), round_number)


@pytest.mark.parametrize("written, quantity, value", [
    ("net_h1", "net_h1", "0.3775"), ("net h1", "net_h1", "0.3775"), ("NET_H1", "net_h1", "0.3775"),
    ("net_{h1}", "net_h1", "0.3775"), ("$net_{h1}$", "net_h1", "0.3775"),
    ("δ_o1", "delta_o1", "0.138498562"), ("delta o1", "delta_o1", "0.138498562"),
    ("dE_total/dnet_o1", "delta_o1", "0.138498562"), ("∂E_o1/∂net_o1", "delta_o1", "0.138498562"),
    ("dE_total/dw5", "dE_total/dw5", "0.082167041"), ("dE/dw5", "dE_total/dw5", "0.082167041"),
    ("∂E/∂w5", "dE_total/dw5", "0.082167041"), ("∂E_total/∂w_5", "dE_total/dw5", "0.082167041"),
    (r"\frac{\partial E_{total}}{\partial w_5}", "dE_total/dw5", "0.082167041"),
    ("∂out_o1/∂net_o1", "dout_o1/dnet_o1", "0.186815602"),
    ("w5+", "w5+", "0.35891648"), ("w5_new", "w5+", "0.35891648"), ("w5'", "w5+", "0.35891648"),
    ("w5⁺", "w5+", "0.35891648"), ("w_5^+", "w5+", "0.35891648"), ("new w5", "w5+", "0.35891648"),
    ("w5 new", "w5+", "0.35891648"), ("E", "E_total", "0.298371109"), ("E_total'", "E_total+", "0.291027774"),
    ("out_o1_new", "out_o1+", "0.742088111"),
])
def test_names_as_people_write_them(written, quantity, value):
    result = check(f"{written} = {value}\n")
    assert [(v.quantity, v.status) for v in result.verdicts] == [(quantity, RIGHT)], result.unchecked


@pytest.mark.parametrize("line", [
    "out_h1 = 0,593269992", "out_h1 = 0.593 269 992", "out_h1 = 5.93269992e-1", "out_h1 = 5,93269992E-1",
    "out_h1 = 5.93269992 × 10^-1", "out_h1 = 5.93269992·10⁻¹", "out_h1 = 0.593269992...", "out_h1 = 0.5933",
    "out_h1 = 0.5932", "out_h1 = 0.59", "out_h1: 0.593269992", "out_h1 ≈ 0.593269992", "out_h1 0.593269992",
    "out_h1 = 1/(1 + e^(-net_h1)) = 1/(1 + e^(-0.3775)) = 0.593269992", "out_h1 = 1/(1 + e^(-0.3775))",
    "  out_h1   =   0.593269992   # my comment", "out_h1 = +0.593269992",
    "out_h1 = 0.593269992;", "out_h1 = 0.593269992 ✓", "out_h1 = 0.593269992 (from the article)",
    "out_h1 = 0.5933 (rounded) ✓",
])
def test_numbers_as_people_write_them(line):
    result = check(line + "\n")
    assert [(v.quantity, v.status) for v in result.verdicts] == [("out_h1", RIGHT)]


def round_one(scenario="mazur"):
    stepper = Stepper(builtin_scenario(scenario))
    return {step.quantity: step.value for step in stepper.window(0, stepper.count)}


def test_a_calculation_from_the_givens_is_exact_not_rounded_to_its_result_s_digits():
    """0.2*0.05 + 0.3*0.1 + 0.35 is 0.39 exactly: w2 where net_h2 has w3, not 0.3925 rounded."""
    result = check("net_h2 = 0.2*0.05 + 0.3*0.1 + 0.35*1\n")
    (verdict,) = result.verdicts
    assert verdict.status == WRONG and verdict.diagnosis.slip.name == "other-weight"


def test_a_calculation_from_rounded_figures_is_good_to_their_digits():
    """Kevin's question: the hidden layer worked with the new w5, both figures as the article rounds them."""
    values = round_one()
    result = check(f"dE_o1/dout_h1 = {num(values['delta_o1'])} * {num(values['w5+'])}\n")
    (verdict,) = result.verdicts
    assert verdict.status == WRONG and verdict.diagnosis.slip.name == "updated-weights"
    right = check(f"dE_o1/dout_h1 = {num(values['delta_o1'])} * 0.4\n")
    assert right.all_right


@pytest.mark.parametrize("line", ["out_h1 = 0.5", "out_h1 = 0.5931", "out_h1 = −0.593269992"])
def test_wrong_to_the_digits_given(line):
    assert check(line + "\n").verdicts[0].status == WRONG


def test_any_order_blank_lines_and_comments():
    text = "# my page\n\n// round one\nE_total = 0.298371109\n% forward\nnet_h1 = 0.3775\n\n"
    result = check(text)
    assert [v.quantity for v in result.verdicts] == ["net_h1", "E_total"]  # the order of the calculation
    assert [v.figure.line for v in result.verdicts] == [6, 4]
    assert result.all_right and result.first_wrong is None


def test_unknown_names_are_listed_with_a_suggestion_and_do_not_stop_the_check():
    result = check("net_h1 = 0.3775\nnet_h9 = 1\nouth1 = 0.593269992\nnet_h1 = 0.4\nfoo = 2\n")
    assert [v.quantity for v in result.verdicts] == ["net_h1", "out_h1"] and result.all_right
    reasons = [(u.figure.line, u.reason) for u in result.unchecked]
    assert reasons[0][0] == 2 and "no such quantity in round 1" in reasons[0][1] and "did you mean" in reasons[0][1]
    assert reasons[1] == (4, "net_h1 again: line 1 is checked")
    assert reasons[2] == (5, "no such quantity in round 1")


def test_the_givens_on_a_page_are_named_as_givens_with_the_scenario_s_value():
    scenario = builtin_scenario("mazur")
    w5, b1, target = scenario.weights[1][0][0], scenario.biases[0], scenario.targets[0][0]
    result = check(f"w1 = {scenario.weights[0][0][0]}\nw5 = {num(w5 - 0.04)}\nb1 = {num(b1 + 0.3)}\n"
                   f"target_o1 = {target}\neta = {scenario.learning_rate}\nnet_h1 = 0.3775\n")
    assert [v.quantity for v in result.verdicts] == ["net_h1"]
    reasons = [u.reason for u in result.unchecked]
    assert reasons == [f"given by the scenario ({num(scenario.weights[0][0][0])}), not worked out",
                       f"the scenario gives w5 = {num(w5)}, not {num(w5 - 0.04)}; the new value is w5+",
                       f"the scenario gives b1 = {num(b1)}, not {num(b1 + 0.3)}",  # never trained here
                       f"given by the scenario ({num(target)}), not worked out",
                       f"given by the scenario ({num(scenario.learning_rate)}), not worked out"]


def test_another_round_from_the_page_or_the_caller():
    second = "round 2\nnet_h1 = 0.377445179\n"
    assert check(second).round == 2 and check(second).all_right
    assert check("net_h1 = 0.377445179\n", round_number=2).all_right
    assert not check("net_h1 = 0.377445179\n").all_right  # round 1 by default
    assert check("== round 2: forward pass ==\nnet_h1 = 0.377445179\n").all_right  # trace's own heading


def test_samples_by_line_by_suffix_and_by_trace_heading():
    stepper = Stepper(builtin_scenario("xor-batch"))
    stepper.next()
    net = {s.sample: s.value for s in stepper.window(0, stepper.count) if s.quantity == "net_h1"}
    text = (f"net_h1 = {net[0]:.9f}\nsample 2\nnet_h1 = {net[1]:.9f}\nnet_h1 (sample 3) = {net[2]:.9f}\n"
            f"== round 1: forward pass, sample 4 ==\nnet_h1 = {net[3]:.9f}\n")
    result = check(text, "xor-batch")
    assert [(v.step.sample, v.status) for v in result.verdicts] == [(0, RIGHT), (1, RIGHT), (2, RIGHT), (3, RIGHT)]
    unknown = check("sample 9\nnet_h1 = 1\n", "xor-batch").unchecked
    assert unknown[0].reason == "net_h1: there is no sample 9"


@pytest.mark.parametrize("text, message", [
    ("net_h1 = 0.3775\nnet_h2 = abc\n", "page.txt: line 2: net_h2: 'abc' is not a number"),
    ("net_h1 = \n", "page.txt: line 1: net_h1: '' is not a number"),
    ("= 0.3775\n", "page.txt: line 1: expected `name = value`, got '= 0.3775'"),
    ("net_h1 = inf\n", "page.txt: line 1: net_h1: 'inf' is not a number"),
    ("round 1\nround 2\n", "page.txt: line 2: round 2, but line 1 says round 1; check one round per page"),
    ("round 0\n", "page.txt: line 1: round 0 is out of range (1 to 1000000)"),
    (b"net_h1 = 0.3775\nnet_h2 = \xff\n", "page.txt: line 2: not UTF-8 text"),
    ("net_h1 = 0.3775\x1b[2J\n", "page.txt: line 1: a control character ('\\x1b') is not allowed"),
])
def test_a_line_that_cannot_be_read_is_named(text, message):
    with pytest.raises(PageError) as raised:
        parse_page(text, "page.txt")
    assert str(raised.value) == message


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted():
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page(b"\xef\xbb\xbfnet_h1 = 0.3775\r\nE = 0.298\r\n"))
    assert [v.status for v in result.verdicts] == [RIGHT, RIGHT]


# --- never a traceback ------------------------------------------------------------------------

def quantity_names(scenario):
    stepper = Stepper(builtin_scenario(scenario))
    stepper.next()
    return [step.quantity for step in stepper.window(0, stepper.count)]


MAZUR_NAMES = quantity_names("mazur")
NUMBERS = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0.0, 1e300, -1e308, 5e-324]))


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(MAZUR_NAMES), NUMBERS), min_size=1, max_size=6))
@example([("net_h1", 1.1125369292536007e-308)])  # 323 decimals: a unit of the last one is no float
def test_any_figures_give_verdicts_never_a_traceback(figures):
    result = check("".join(f"{name} = {value!r}\n" for name, value in figures))
    assert len(result.verdicts) + len(result.unchecked) == len(figures)
    for verdict in result.verdicts:
        assert verdict.right or verdict.status == "carried" or verdict.diagnosis is not None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_in_one_line(text):
    try:
        page = parse_page(text, "page.txt")
    except PageError as error:
        assert str(error).startswith("page.txt: ") and "\n" not in str(error)
    else:
        check_page(Stepper(builtin_scenario("mazur")), page)
