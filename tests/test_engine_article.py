"""Every figure of the article, reproduced by the engine at the digits the article prints.

Round numbering: round 1 starts from the article's weights. "E_total" of round N is computed in
that round's forward pass (after N-1 updates); "E_total+" is the error after round N's update.
"""

import pytest

import bp_tui
from bp_tui.engine.records import num


@pytest.fixture(scope="module")
def mazur():
    return bp_tui.load_scenario("mazur")


@pytest.fixture(scope="module")
def round1(mazur):
    stepper = bp_tui.Stepper(mazur)
    return {step.quantity: step for step in stepper.round_records(0)}


# (quantity, figure as printed in the article) -- all from its worked round 1.
ARTICLE_ROUND_1 = [
    ("net_h1", "0.3775"),
    ("out_h1", "0.593269992"),
    ("out_h2", "0.596884378"),
    ("net_o1", "1.105905967"),
    ("out_o1", "0.75136507"),
    ("out_o2", "0.772928465"),
    ("E_o1", "0.274811083"),
    ("E_o2", "0.023560026"),
    ("E_total", "0.298371109"),
    ("dE_total/dout_o1", "0.74136507"),
    ("dout_o1/dnet_o1", "0.186815602"),
    ("dE_total/dw5", "0.082167041"),
    ("delta_o1", "0.138498562"),  # the article's dE_o1/dnet_o1
    ("w5+", "0.35891648"),
    ("w6+", "0.408666186"),
    ("w7+", "0.511301270"),
    ("w8+", "0.561370121"),
    ("dE_o1/dout_h1", "0.055399425"),
    ("dE_total/dout_h1", "0.036350306"),
    ("dout_h1/dnet_h1", "0.241300709"),
    ("dE_total/dw1", "0.000438568"),
    ("w1+", "0.149780716"),
    ("w2+", "0.19956143"),
    ("w3+", "0.24975114"),
    ("w4+", "0.29950229"),
]


def decimals(printed: str) -> int:
    return len(printed.split(".")[1])


@pytest.mark.parametrize("quantity, printed", ARTICLE_ROUND_1)
def test_round_one_figure_matches_the_article(round1, quantity, printed):
    value = round1[quantity].value
    assert f"{value:.{decimals(printed)}f}" == printed


def test_article_substitutions_read_like_the_article(round1):
    assert round1["net_h1"].formula == "net_h1 = w1*i1 + w2*i2 + b1*1"
    assert round1["net_h1"].substituted == "0.15*0.05 + 0.2*0.1 + 0.35*1"
    assert round1["net_o1"].substituted == "0.4*0.593269992 + 0.45*0.596884378 + 0.6*1"
    assert round1["w5+"].substituted == "0.4 - 0.5*0.082167041"
    assert round1["dE_total/dout_h1"].substituted == "0.055399425 + (-0.019049118)"


def test_article_rounded_intermediate_differs_in_the_last_digit(round1):
    # The article prints -0.019049119: it multiplied the *rounded* delta_o2 (-0.038098237) by
    # w7 = 0.5, giving -0.0190491185, which rounds away from zero. The exact value ends in ...118.
    value = round1["dE_o2/dout_h1"].value
    assert f"{value:.9f}" == "-0.019049118"
    assert f"{round(round1['delta_o2'].value, 9) * 0.5:.10f}" == "-0.0190491185"


def test_error_after_round_one_is_the_exact_value_not_the_articles(mazur, round1):
    # The article's 0.291027924 comes from the "updated" code path (see the next test).
    assert f"{round1['E_total+'].value:.9f}" == "0.291027774"
    assert f"{bp_tui.train(mazur, 1).errors[1]:.9f}" == "0.291027774"


def test_article_summary_figures_come_from_the_updated_code_path():
    summary = bp_tui.load_scenario("mazur-article-summary")
    result = bp_tui.train(summary, 10_000)
    assert f"{result.errors[1]:.9f}" == "0.291027924"
    assert [f"{o:.9f}" for o in result.outputs[0]] == ["0.015912196", "0.984065734"]


def test_ten_thousand_rounds(mazur):
    result = bp_tui.train(mazur, 10_000)
    assert len(result.errors) == 10_001
    assert f"{result.errors[0]:.9f}" == "0.298371109"
    # The article's "0.0000351085 after 10,000 rounds" is the error seen in round 10,000's forward
    # pass, i.e. after 9,999 updates; after all 10,000 updates it is 0.0000351019.
    assert f"{result.errors[9_999]:.10f}" == "0.0000351085"
    assert f"{result.errors[10_000]:.10f}" == "0.0000351019"
    # The exact outputs after 10,000 rounds (the article prints the "updated" path's 0.015912196
    # and 0.984065734).
    assert [f"{o:.9f}" for o in result.outputs[0]] == ["0.015913620", "0.984064274"]


def test_readers_figures_from_the_comments(mazur):
    # A reader's per-round errors and another's final weights, both from the article's comments.
    result = bp_tui.train(mazur, 10_000)
    assert [f"{e:.9f}" for e in result.errors[1:4]] == ["0.291027774", "0.283547133", "0.275943289"]
    flat = [w for layer in result.weights for row in layer for w in row]
    posted = [0.378509988350132, 0.657019976700263, 0.477300705684786, 0.754601411369569,
              -3.892977198865724, -3.868416687703616, 2.861810948620059, 2.925688966771616]
    assert flat == pytest.approx(posted, abs=1e-14)
    assert result.biases == [0.35, 0.6]  # not trained, as in the article


def test_every_expect_figure_in_the_article_scenarios_holds():
    for name in ("mazur", "mazur-article-summary"):
        results = bp_tui.Stepper(bp_tui.load_scenario(name)).check_expects()
        assert results and all(r.ok for r in results), [
            (r.expect.quantity, r.expect.epoch, r.expect.value, r.actual) for r in results if not r.ok]


def test_weight_names_follow_the_forward_pass(mazur):
    layout = mazur.layout
    assert layout.weight_ends("w2") == ("i2", "h1")  # net_h1 = w1*i1 + w2*i2 + b1
    assert layout.weight_ends("w3") == ("i1", "h2")
    assert layout.weight_ends("w7") == ("h1", "o2")


def test_number_format_matches_the_article():
    assert [num(v) for v in (0.15, 0.2, 0.3775, 1.0, -0.019049118258)] == [
        "0.15", "0.2", "0.3775", "1", "-0.019049118"]
