"""Every slip of the checker's catalogue, recognised on the figure it spoils.

Each learner's figure here is made by the engine with the slip applied: a scenario or a weight
changed and run again (a misread bias, another weight, the updated weights in the hidden layer, a
learning rate of 1), or the round's own values combined the wrong way (a factor left out, a sign
flipped, net for out). Nothing is typed by hand, so the tests follow the engine if it changes.
Figures are named, never found by position: the order of a round's sub-steps is the records'.
"""

import pytest

from bp_tui.engine.stepper import Stepper
from bp_tui.study.check import CARRIED, ROUNDED, WRONG, check_page, explain_answer
from bp_tui.study.page import parse_page
from bp_tui.study.slips import CATALOGUE

from .helpers import builtin_scenario


class Round:
    """Round 1 of a scenario, run by the engine, possibly with settings or a parameter changed."""

    def __init__(self, name, edit=None, **changes):
        scenario = builtin_scenario(name)
        self.stepper = Stepper(scenario._replace(**changes) if changes else scenario)
        if edit:
            self.stepper.edit(param=edit[0], value=edit[1])
        self.stepper.next()
        steps = self.stepper.window(0, self.stepper.count)
        self.values = {(s.quantity, s.sample or 0): s.value for s in steps}
        self.steps = {(s.quantity, s.sample or 0): s for s in steps}
        params = self.stepper.params_before_round()
        layout = self.stepper.layout
        self.params = {name: params.weights[l][j][k] for l, layer in enumerate(layout.weight_names)
                       for j, row in enumerate(layer) for k, name in enumerate(row)}

    def __getitem__(self, quantity):
        return self.values[(quantity, 0)]


def diagnosis(scenario, quantity, value, page=""):
    """The first wrong figure's diagnosis for a page ending `quantity = value` (9 decimals)."""
    result = check_page(Stepper(builtin_scenario(scenario)), parse_page(f"{page}{quantity} = {value:.9f}\n"))
    first = result.first_wrong
    assert first is not None and first.quantity == quantity and first.status == WRONG
    return first.diagnosis


def with_sign_flipped_update(r, weight):
    return r.params[weight] + r.stepper.scenario.learning_rate * r[f"dE_total/d{weight}"]


# (scenario, slip, quantity, how the engine makes the learner's figure, words the diagnosis says)
MAZUR = [
    ("other-weight", "net_h1", lambda: Round("mazur", edit=("w2", 0.25))["net_h1"], "w3 = 0.25 in place of w2"),
    ("misread", "out_h2", lambda: Round("mazur", edit=("b1", 0.65))["out_h2"], "b1 = 0.65 instead of 0.35"),
    ("misread", "E_o1", lambda: Round("mazur", targets=((0.99, 0.99),))["E_o1"],
     "target_o2 = 0.99 in place of target_o1"),
    ("misread", "net_h1", lambda: Round("mazur", inputs=((0.05, 0.05),))["net_h1"], "i1 = 0.05 in place of i2"),
    ("updated-weights", "dE_o1/dout_h1", lambda: Round("mazur", hidden_deltas_use="updated")["dE_o1/dout_h1"],
     "updated w5+ in place of w5"),
    ("original-weights", "out_o1+", lambda: Round("mazur")["out_o1"], "net_o1 from before the update"),
    ("original-weights", "E_total+", lambda: Round("mazur")["E_total"], "from before the update"),
    ("missing-factor", "E_o1", lambda: 2 * Round("mazur")["E_o1"], "without the 1/2"),
    ("missing-factor", "w5+", lambda: Round("mazur", learning_rate=1.0)["w5+"], "without the learning rate"),
    ("missing-factor", "delta_o1", lambda: Round("mazur")["dE_total/dout_o1"], "without the squash's slope"),
    ("extra-factor", "dE_total/dout_o1", lambda: 2 * Round("mazur")["dE_total/dout_o1"], "extra factor 2"),
    ("extra-factor", "dE_total/dw5",
     lambda: (lambda r: r["dE_total/dw5"] * r["dout_o1/dnet_o1"])(Round("mazur")), "squash's slope"),
    ("net-for-out", "dE_total/dw5", lambda: (lambda r: r["delta_o1"] * r["net_h1"])(Round("mazur")),
     "net_h1 in place of out_h1"),
    ("net-for-out", "out_h2", lambda: Round("mazur")["net_h2"], "net_h2's value for out_h2"),
    ("net-for-out", "net_o1", lambda: Round("mazur")["out_o1"], "out_o1's value for net_o1"),
    ("sign", "dE_total/dout_o1", lambda: -Round("mazur")["dE_total/dout_o1"], "sign of the error derivative"),
    ("sign", "w5+", lambda: with_sign_flipped_update(Round("mazur"), "w5"), "sign of the update flipped"),
    ("activation-slope", "dout_h1/dnet_h1", lambda: 1 - Round("mazur")["out_h1"] ** 2, "tanh's slope"),
    ("mean-for-sum", "E_total", lambda: (lambda r: (r["E_o1"] + r["E_o2"]) / 2)(Round("mazur")),
     "mean of the 2 terms"),
]
DEEP = [
    ("other-weight", "net_h1_1", lambda: Round("deep", edit=("w2", 0.3))["net_h1_1"], "w4 = 0.3 in place of w2"),
    ("misread", "net_h2_2", lambda: Round("deep", edit=("b2", 0.54))["net_h2_2"], "b2 = 0.54 instead of 0.45"),
    ("misread", "E_o2", lambda: Round("deep", targets=((0.01, 0.01),))["E_o2"],
     "target_o1 = 0.01 in place of target_o2"),
    ("updated-weights", "dE_o2/dout_h2_3", lambda: Round("deep", hidden_deltas_use="updated")["dE_o2/dout_h2_3"],
     "updated w21+"),
    ("original-weights", "out_o2+", lambda: Round("deep")["out_o2"], "from before the update"),
    ("missing-factor", "w9+", lambda: Round("deep", learning_rate=1.0)["w9+"], "without the learning rate"),
    ("missing-factor", "delta_h2_1", lambda: Round("deep")["dE_total/dout_h2_1"], "without the squash's slope"),
    ("extra-factor", "dE_total/dout_o2", lambda: 2 * Round("deep")["dE_total/dout_o2"], "extra factor 2"),
    ("net-for-out", "dE_total/dw16", lambda: (lambda r: r["delta_o1"] * r["net_h2_1"])(Round("deep")),
     "net_h2_1 in place of out_h2_1"),
    ("sign", "w16+", lambda: with_sign_flipped_update(Round("deep"), "w16"), "sign of the update flipped"),
    ("activation-slope", "dout_h2_2/dnet_h2_2", lambda: 1 - Round("deep")["out_h2_2"] ** 2, "tanh's slope"),
    ("mean-for-sum", "dE_total/dout_h1_1",
     lambda: (lambda r: r["dE_total/dout_h1_1"] / 3)(Round("deep")), "mean of the 3 terms"),
]
SOFTMAX = [
    ("sign", "delta_o1", lambda: -Round("softmax-cross-entropy")["delta_o1"], "sign flipped in delta_o1"),
    ("misread", "net_h1", lambda: Round("softmax-cross-entropy", edit=("b_h1", 0.7))["net_h1"],
     "b_h1 = 0.7 instead of 0.1"),
    ("misread", "net_h1", lambda: Round("softmax-cross-entropy", edit=("w1", 0.7))["net_h1"],
     "w1 = 0.7 instead of 0.2"),
]


@pytest.mark.parametrize("slip, quantity, make, words", MAZUR, ids=[f"{c[0]}:{c[1]}" for c in MAZUR])
def test_each_slip_on_the_article(slip, quantity, make, words):
    found = diagnosis("mazur", quantity, make())
    assert found.slip is not None and found.slip.name == slip, found.sentence
    assert words in found.sentence


@pytest.mark.parametrize("slip, quantity, make, words", DEEP, ids=[f"{c[0]}:{c[1]}" for c in DEEP])
def test_each_slip_with_two_hidden_layers(slip, quantity, make, words):
    found = diagnosis("deep", quantity, make())
    assert found.slip is not None and found.slip.name == slip, found.sentence
    assert words in found.sentence


@pytest.mark.parametrize("slip, quantity, make, words", SOFTMAX, ids=[f"{c[0]}:{c[1]}" for c in SOFTMAX])
def test_slips_with_softmax_and_per_neuron_biases(slip, quantity, make, words):
    found = diagnosis("softmax-cross-entropy", quantity, make())
    assert found.slip is not None and found.slip.name == slip, found.sentence
    assert words in found.sentence


def test_the_sum_over_the_samples_for_their_mean_in_batch_training():
    r = Round("xor-batch")
    samples = len(r.stepper.scenario.inputs)
    page = "".join(f"sample {s + 1}\ndE_total/dw1 = {r.values[('dE_total/dw1', s)]:.9f}\n" for s in range(samples))
    total = sum(r.values[("dE_total/dw1", s)] for s in range(samples))
    found = diagnosis("xor-batch", "dE_mean/dw1", total, page)
    assert found.slip.name == "sum-for-mean" and "sum over the samples" in found.sentence


def test_rounded_intermediates_the_article_way():
    """The article's own -0.019049119: delta_o2 rounded to 9 decimals, then times w7."""
    r = Round("mazur")
    rounded = round(r["delta_o2"], 9) * r.params["w7"]
    found = diagnosis("mazur", "dE_o2/dout_h1", rounded)
    assert found.slip.name == "rounded-intermediates"
    assert f"{rounded:.9f}" == "-0.019049119" and found.agrees_to == 8
    assert "right to 8 decimals" in found.sentence and "delta_o2 = -0.038098237" in found.sentence


def test_rounded_intermediates_in_a_deeper_network():
    r = Round("deep")
    found = []
    for (quantity, _sample), step in r.steps.items():
        factors = step.formula.split(" = ")[1].split(" * ")
        if len(factors) == 2 and factors[0].startswith("delta_") and factors[1] in r.params:  # delta_o1 * w16
            rounded = round(r[factors[0]], 9) * r.params[factors[1]]
            if f"{rounded:.9f}" != f"{step.value:.9f}":
                found.append((quantity, rounded))
    assert found, "no figure of deep's round 1 moves when its delta is rounded"
    for quantity, rounded in found:
        assert diagnosis("deep", quantity, rounded).slip.name == "rounded-intermediates"


def test_every_slip_of_the_catalogue_is_tested_here():
    tested = {case[0] for case in MAZUR + DEEP + SOFTMAX} | {"sum-for-mean", "rounded-intermediates"}
    assert tested == {slip.name for slip in CATALOGUE}


def test_a_figure_no_slip_explains_gets_the_formula_with_the_right_numbers():
    found = diagnosis("mazur", "net_h1", 0.123456789)
    assert found.slip is None
    assert found.sentence == "net_h1: you have 0.123456789; no slip in the catalogue explains it"
    assert found.right == "net_h1 = w1*i1 + w2*i2 + b1*1 = 0.15*0.05 + 0.2*0.1 + 0.35*1 = 0.3775"


def test_the_readers_own_figure_from_the_comments():
    """'I got 0.666522 for h_2 because i did: activation_function(0.25 * 0.05 + 0.3 * 0.1 + 0.65 * 1)'."""
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page("out_h2 = 0.666522\n"))
    found = result.first_wrong.diagnosis
    assert found.sentence == ("out_h2: you have 0.666522; with b1 = 0.65 instead of 0.35 the formula "
                              "gives 0.666522833")
    assert found.working == ("net_h2 = w3*i1 + w4*i2 + b1*1 = 0.25*0.05 + 0.3*0.1 + 0.65*1 = 0.6925",
                             "out_h2 = 1/(1 + e^(-net_h2)) = 1/(1 + e^(-0.6925)) = 0.666522833")


# --- carrying a slip forward --------------------------------------------------------------


def test_figures_after_a_slip_are_checked_against_the_learners_own_numbers():
    slipped = Round("mazur", edit=("b1", 0.65))  # b1 read as 0.65 throughout
    page = "".join(f"{q} = {slipped[q]:.9f}\n" for q in ("net_h1", "net_h2", "out_h2", "net_o1", "E_total"))
    page += f"w5+ = {with_sign_flipped_update(slipped, 'w5'):.9f}\n"  # and a second slip, made with them
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page(page))
    status = {v.quantity: v.status for v in result.verdicts}
    assert status == {"net_h1": WRONG, "net_h2": WRONG, "out_h2": CARRIED, "net_o1": CARRIED, "E_total": CARRIED,
                      "w5+": WRONG}
    assert result.first_wrong.quantity == "net_h1" and result.first_wrong.diagnosis.slip.name == "misread"
    by_name = {v.quantity: v for v in result.verdicts}
    assert by_name["out_h2"].upstream == ("net_h2",) and by_name["net_o1"].upstream == ("net_h1", "out_h2")
    assert by_name["E_total"].upstream == ("net_h1", "out_h2", "net_o1")  # through out_h1, net_o2 (not given)
    assert by_name["w5+"].diagnosis.slip.name == "sign"  # found from the learner's own (carried) values
    assert [v.quantity for v in result.slips] == ["net_h1", "net_h2", "w5+"]


def test_a_figure_from_the_learners_rounded_figures_counts_as_right():
    r = Round("mazur")
    page = f"delta_o2 = {r['delta_o2']:.9f}\ndE_o2/dout_h1 = {round(r['delta_o2'], 9) * r.params['w7']:.9f}\n"
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page(page))
    assert [v.status for v in result.verdicts] == ["right", ROUNDED]
    assert result.verdicts[1].upstream == ("delta_o2",) and result.all_right


# --- the quiz -------------------------------------------------------------------------------


def test_a_wrong_quiz_answer_gets_the_slip_in_one_sentence():
    stepper = Stepper(builtin_scenario("mazur"))
    stepper.next()
    steps = {s.quantity: s for s in stepper.window(0, stepper.count)}
    slipped = Round("mazur", edit=("w2", 0.25))
    assert explain_answer(stepper, steps["net_h1"], f"{slipped['net_h1']}") == "that is what w3 gives; net_h1 uses w2"
    assert explain_answer(stepper, steps["net_h1"], "0.3775") is None  # right: nothing to explain
    assert explain_answer(stepper, steps["net_h1"], "0,123456") is None  # no slip gives it
    updated = Round("mazur", hidden_deltas_use="updated")["dE_o1/dout_h1"]
    assert "updated w5+" in explain_answer(stepper, steps["dE_o1/dout_h1"], f"{updated:.9f}")
    # a calculation typed as the answer is as exact as its numbers: 0.39 is w2 in place of w3
    right, scenario = Round("mazur"), stepper.scenario
    typed = " + ".join(f"{w}*{i}" for w, i in zip((right.params["w2"], right.params["w4"]), scenario.inputs[0]))
    typed += f" + {scenario.biases[0]}"
    assert explain_answer(stepper, steps["net_h2"], typed) == "that is what w2 gives; net_h2 uses w3"


def test_a_slip_worked_from_the_right_values_after_a_miscopied_figure():
    """out_h1 miscopied as net_h1, but dE_total/dw5 worked from the right out_h1, with a slip of its own."""
    r = Round("mazur")
    page = f"out_h1 = {r['net_h1']:.9f}\ndE_total/dw5 = {2 * r['dE_total/dw5']:.9f}\n"
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page(page))
    slips = {v.quantity: v.diagnosis for v in result.slips}
    assert slips["out_h1"].slip.name == "net-for-out"
    assert slips["dE_total/dw5"].slip.name == "extra-factor" and slips["dE_total/dw5"].from_right_values


def test_a_slip_worked_with_every_digit_under_an_earlier_figure_written_rounded():
    """out_o2 written to 4 digits, but delta_o2 worked from all of them with o1's target (a reader's
    slip in the comments): the rounded figure on the page must not hide the slip."""
    r = Round("mazur")
    slipped = Round("mazur", targets=((0.01, 0.01),))["delta_o2"]
    page = f"out_o2 = {r['out_o2']:.4f}\ndelta_o2 = {slipped:.9f}\n"
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page(page))
    (slip,) = result.slips
    assert slip.diagnosis.slip.name == "misread" and slip.diagnosis.from_right_values
    assert "target_o1 = 0.01 in place of target_o2" in slip.diagnosis.detail


def test_the_article_s_rounded_figure_after_a_wrong_earlier_one_is_named_as_rounding():
    """delta_o2 copied from delta_o1's line, then the article's own -0.019049119 (from delta_o2
    rounded to 9 decimals)."""
    r = Round("mazur")
    article = round(round(r["delta_o2"], 9) * r.params["w7"], 9)
    page = f"delta_o2 = {r['delta_o1']:.9f}\ndE_o2/dout_h1 = {article:.9f}\n"
    result = check_page(Stepper(builtin_scenario("mazur")), parse_page(page))
    verdict = next(v for v in result.verdicts if v.quantity == "dE_o2/dout_h1")
    assert verdict.diagnosis.slip.name == "rounded-intermediates" and verdict.diagnosis.from_right_values
