"""Where an expected figure comes from: the [[expect]] fields, the one label function, and the label
on every surface outside the app (trace, the four export formats, the quiz), edits included."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

import bp_tui
from bp_tui import cli
from bp_tui.engine.expectations import Expect, figure_label
from bp_tui.engine.scenario import ScenarioError, builtin_dir, builtin_names, parse_scenario
from bp_tui.engine.scenario_toml import to_toml
from bp_tui.study.export import export, export_round
from bp_tui.study.quiz import Question, Score

from .helpers import bp_tui_on_a_terminal

# The article's network, its source named "article", and no expected figures yet.
HEAD = (builtin_dir() / "mazur.toml").read_text(encoding="utf-8").split("[[expect]]")[0]
DIFFERS_NOTE = "The article's 0.291027924 came from an earlier version of its author's code"


def with_expects(*entries: str, head: str = HEAD) -> bp_tui.Scenario:
    return parse_scenario(head + "".join(f"\n[[expect]]\n{entry}\n" for entry in entries), "x.toml")


def error(*entries: str, head: str = HEAD) -> str:
    with pytest.raises(ScenarioError) as caught:
        with_expects(*entries, head=head)
    return str(caught.value)


@pytest.fixture(scope="module")
def mazur():
    return bp_tui.load_scenario("mazur")


def label_of(stepper, epoch: int, quantity: str, sample: int = 0):
    step = next(s for s in stepper.round_records(epoch - 1) if s.quantity == quantity and (s.sample or 0) == sample)
    return stepper.expectation(step).label


# --- the fields ------------------------------------------------------------------------------------


def test_a_printed_figure_alone_is_checked_at_its_printed_digits():
    sc = with_expects('quantity = "w7+"\nepoch = 1\nprinted = "0.511301270"')
    expect = sc.expects[0]
    assert sc.source_short == "article"
    assert (expect.value, expect.decimals, expect.printed, expect.check, expect.source) == (
        0.51130127, 9, "0.511301270", "", "article")  # the trailing 0 counts as a printed digit


def test_a_printed_figure_next_to_the_exact_value_keeps_both():
    sc = with_expects(f'quantity = "E_total+"\nepoch = 1\nvalue = 0.291027774\nprinted = "0.291027924"\n'
                      f'note = "{DIFFERS_NOTE}"')
    expect = sc.expects[0]
    assert (expect.value, expect.decimals, expect.printed, expect.printed_agrees) == (
        0.291027774, 9, "0.291027924", False)


def test_a_check_names_where_its_figure_comes_from():
    expect = with_expects('quantity = "E_total+"\nepoch = 2\nvalue = 0.283547133\ncheck = "reader\'s comment"').expects[0]
    assert (expect.from_source, expect.check, expect.figure) == (False, "reader's comment", "0.283547133")


@pytest.mark.parametrize("entry, message", [
    ('printed = 0.3775', 'expect[0].printed: expected the figure as text, e.g. "0.291027924" (text keeps every '
                         'digit as printed), got a number'),
    ('printed = "0.37x5"', "expect[0].printed: '0.37x5' is not a number as printed (digits, a point, a sign)"),
    ('printed = "1e999"', "expect[0].printed: must be a finite number, got '1e999'"),
    ('printed = "0.3775"\ncheck = "reference run"',
     "expect[0].check: a figure is either the source's (printed) or a check of the computation (check), not both"),
    ('value = 0.3776\nprinted = "0.3775"',
     "expect[0].note: is required when the printed figure (0.3775) is not the exact value (0.3776): say why "
     "the source differs"),
    ('sample = 1', "expect[0].value: is required (or printed, the figure as the source printed it)"),
    ('value = 0.3775\ncheck = 7', "expect[0].check: expected a string, got a whole number"),
    ('value = 0.3775\ncheck = "' + "c" * 61 + '"', "expect[0].check: is 61 characters; the limit is 60"),
])
def test_bad_expect_fields_are_one_line_naming_the_field(entry, message):
    assert error(f'quantity = "net_h1"\nepoch = 1\n{entry}') == f"x.toml: {message}"


@pytest.mark.parametrize("value, message", [
    ('"' + "a" * 25 + '"', "source_short: is 25 characters; the limit is 24"),
    ('"two\\nlines"', "source_short: must be one line (a line break at position 4)"),
    ("1", "source_short: expected a string, got a whole number"),
])
def test_a_bad_source_short_is_refused_naming_the_field(value, message):
    head = HEAD.replace('source_short = "article"', f"source_short = {value}")
    assert error(head=head) == f"x.toml: {message}"


def test_the_new_fields_survive_being_written_back(mazur):
    again = parse_scenario(to_toml(mazur), "again.toml")
    assert again.source_short == "article"
    assert [e[:9] for e in again.expects] == [e[:9] for e in mazur.expects]


# --- the label function ------------------------------------------------------------------------


def test_the_article_figure_that_agrees_is_ticked(mazur):
    label = label_of(bp_tui.Stepper(mazur), 1, "out_h1")
    assert (label.kind, label.text, label.printed, label.note) == ("source", "✓ article 0.593269992",
                                                                   "0.593269992", "")


@pytest.mark.parametrize("quantity, printed", [("E_total+", "0.291027924"), ("dE_o2/dout_h1", "-0.019049119")])
def test_a_figure_the_article_prints_differently_is_never_ticked(mazur, quantity, printed):
    label = label_of(bp_tui.Stepper(mazur), 1, quantity)
    assert (label.kind, label.text, label.printed) == ("source-differs", f"article prints {printed}", printed)
    assert "✓" not in label.text and label.note


def test_a_readers_figure_is_a_check_not_the_article(mazur):
    label = label_of(bp_tui.Stepper(mazur), 2, "E_total+")
    assert (label.kind, label.text, label.printed) == ("check", "✓ check (reader's comment) 0.283547133", "")


def test_a_value_that_misses_the_figure_is_crossed_with_what_was_expected():
    source = Expect("out_h1", 1, 0.3775, 4, printed="0.3775", source="article")
    differs = Expect("E_total+", 1, 0.291027774, 9, printed="0.291027924", source="article", note="why")
    check = Expect("E_total+", 2, 0.283547133, 9, check="reader's comment")
    assert figure_label(source, 0.5).text == "✗ article prints 0.3775"
    assert figure_label(differs, 0.5).text == "✗ expected 0.291027774 (article prints 0.291027924)"
    assert figure_label(check, 0.5).text == "✗ check (reader's comment) expects 0.283547133"
    assert figure_label(check, None).text == "✗ not computed; check (reader's comment) expects 0.283547133"
    assert figure_label(check, float("nan")).kind == "mismatch"
    assert figure_label(Expect("E", 1, 0.5, 1), 0.5).text == "✓ check 0.5"  # a check that says no more
    assert figure_label(Expect("E", 1, 0.5, 1, printed="0.5"), 0.5).text == "✓ source 0.5"  # no source_short


@pytest.mark.parametrize("name", builtin_names())
def test_built_in_figures_say_truly_where_they_come_from(name):
    labels = [r.label for r in bp_tui.Stepper(bp_tui.load_scenario(name)).check_expects()]
    assert labels and all(label.ok for label in labels), [label.text for label in labels if not label.ok]
    from_article = [label for label in labels if label.kind in ("source", "source-differs")]
    if name in ("mazur", "mazur-article-summary"):
        assert from_article and all("article" in label.text for label in from_article)
    else:  # computed with the reference implementation: checks, never the article's figures
        assert not from_article and all(label.text.startswith("✓ check (reference run) ") for label in labels)


# --- edits make the file's figures inapplicable ---------------------------------------------------


def test_after_an_edit_the_files_figures_are_from_the_unedited_scenario(mazur):
    stepper = bp_tui.Stepper(mazur)
    stepper.edit(param="w1", value=0.25)
    label = label_of(stepper, 1, "out_h1")
    assert (label.kind, label.text) == ("unedited", "article 0.593269992 (from the unedited scenario)")
    differs = label_of(stepper, 1, "E_total+")
    assert differs.text == "article prints 0.291027924 (from the unedited scenario)" and not differs.ok
    assert all(r.edited and r.label.kind == "unedited" for r in stepper.check_expects())


def test_rounds_before_an_edit_keep_their_figures(mazur):
    stepper = bp_tui.Stepper(mazur)
    stepper.finish_round()
    stepper.edit(learning_rate=0.1)  # applies from round 2
    assert not stepper.round_is_edited(1) and stepper.round_is_edited(2)
    assert label_of(stepper, 1, "out_h1").text == "✓ article 0.593269992"
    assert label_of(stepper, 2, "E_total+").kind == "unedited"


# --- trace ----------------------------------------------------------------------------------------


def trace(capsys, *args) -> str:
    assert cli.main(["trace", *args]) == 0
    return capsys.readouterr().out


def test_trace_plain_labels_each_figure_and_prints_its_note_under_it(capsys):
    text = trace(capsys, "mazur", "--plain", "--epochs", "2")
    assert "    = 0.593269992  ✓ article 0.593269992\nnet_h2" in text
    assert "    = -0.019049118  article prints -0.019049119\n    note: The article multiplied the rounded" in text
    assert f"    = 0.291027774  article prints 0.291027924\n    note: {DIFFERS_NOTE}" in text
    assert "    = 0.283547133  ✓ check (reader's comment) 0.283547133\n    note: A reader listed" in text
    assert "article: ok" not in text and "✓ article 0.291027924" not in text


def test_trace_of_a_scenario_not_from_the_article_never_says_article(capsys):
    text = trace(capsys, "xor-online", "--plain")
    assert "✓ check (reference run) 0.0703996709" in text and "article" not in text


def on_a_terminal(*args, env=None) -> str:
    """bp-tui's output when its stdout is a terminal (a pseudo-terminal here)."""
    status, output = bp_tui_on_a_terminal(*args, env=env)
    assert status == 0, output
    return output.replace("\r\n", "\n")


@pytest.mark.pty
def test_trace_on_a_terminal_has_colour_and_rules_unlike_plain():
    text = on_a_terminal("trace", "mazur")
    assert "\x1b[1mround 1: forward pass\x1b[0m\n\x1b[2m─────────────────────\x1b[0m\n" in text
    assert "  \x1b[32m✓ article 0.593269992\x1b[0m" in text and "== round" not in text
    plain = on_a_terminal("trace", "mazur", "--plain")
    assert "\x1b" not in plain and "─" not in plain and "== round 1: forward pass ==" in plain
    no_colour = on_a_terminal("trace", "mazur", env={"NO_COLOR": "1"})
    assert "\x1b" not in no_colour and "round 1: forward pass\n─────" in no_colour


# --- export ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_rounds(mazur):
    return {fmt: export(mazur, fmt, epochs=2) for fmt in ("md", "tex", "csv", "json")}


def test_markdown_puts_each_label_and_note_under_its_figure(two_rounds):
    md = two_rounds["md"]
    assert "\n&\\approx 0.593269992\n\\end{aligned}\n$$\n\n*✓ article 0.593269992*\n\n`net_h2`" in md
    assert f"*article prints 0.291027924*\n\nNote: {DIFFERS_NOTE}" in md
    assert "*✓ check (reader's comment) 0.283547133*\n\nNote: A reader listed" in md
    assert "A figure the article prints is named after it" in md  # how to read the labels


def test_latex_puts_each_label_and_note_under_its_figure(two_rounds):
    tex = two_rounds["tex"]
    assert "\\emph{\\ensuremath{\\checkmark} article 0.593269992}" in tex
    assert f"\\emph{{article prints 0.291027924}}\n\nNote: {DIFFERS_NOTE}" in tex
    assert "\\emph{\\ensuremath{\\checkmark} check (reader's comment) 0.283547133}" in tex
    assert "\\usepackage{amssymb}" in tex and "✓" not in tex


def test_csv_has_columns_for_the_label_kind_printed_figure_and_note(two_rounds):
    rows = {(row["epoch"], row["quantity"]): row for row in csv.DictReader(io.StringIO(two_rounds["csv"]))}
    assert {k: rows[("1", "out_h1")][k] for k in ("label_kind", "label", "printed", "expected", "note")} == {
        "label_kind": "source", "label": "✓ article 0.593269992", "printed": "0.593269992",
        "expected": "0.593269992", "note": ""}
    differs = rows[("1", "E_total+")]
    assert (differs["label_kind"], differs["printed"], differs["expected"]) == (
        "source-differs", "0.291027924", "0.291027774") and differs["note"].startswith(DIFFERS_NOTE)
    assert (rows[("2", "E_total+")]["label_kind"], rows[("2", "E_total+")]["printed"]) == ("check", "")
    assert rows[("1", "net_h2")]["label_kind"] == rows[("1", "net_h2")]["label"] == ""


def test_json_lists_the_labels_by_step_and_keeps_steps_rebuildable(two_rounds):
    data = json.loads(two_rounds["json"])
    by_quantity = {(data["steps"][entry["step"]]["epoch"], data["steps"][entry["step"]]["quantity"]): entry
                   for entry in data["labels"]}
    assert by_quantity[(1, "out_h1")] == {"step": 1, "kind": "source", "text": "✓ article 0.593269992",
                                          "printed": "0.593269992", "expected": "0.593269992", "note": ""}
    assert by_quantity[(1, "dE_o2/dout_h1")]["kind"] == "source-differs"
    assert by_quantity[(2, "E_total+")]["text"] == "✓ check (reader's comment) 0.283547133"
    assert data["scenario"]["source_short"] == "article"
    bp_tui.Step(**data["steps"][0])  # a step still has only a Step's fields


def test_an_exported_round_after_an_edit_says_its_figures_are_from_the_unedited_scenario(mazur):
    stepper = bp_tui.Stepper(mazur)
    stepper.edit(param="w5", value=0.1)
    md = export_round(stepper, "md")
    assert "*article 0.593269992 (from the unedited scenario)*" in md and "✓" not in md
    assert "no longer applies: the network was edited" in md
    rows = list(csv.DictReader(io.StringIO(export_round(stepper, "csv"))))
    assert {row["label_kind"] for row in rows} == {"", "unedited"}


@pytest.mark.parametrize("name", builtin_names())
def test_documents_say_their_title_once_and_mention_no_screen(name):
    sc = bp_tui.load_scenario(name)
    md, tex = export(sc, "md"), export(sc, "tex")
    lines = re.sub(r"\\(.)", r"\1", md).splitlines()  # Markdown's escapes undone
    assert lines[0] == f"# {sc.title}" and lines[2].startswith("A worked example of backpropagation")
    title = next(line for line in tex.splitlines() if line.startswith(r"{\LARGE"))
    assert "Worked example:" not in title  # no prefix before the title
    for text in (md, tex):
        assert "quantities panel" not in text and "note under the figure" not in text


# --- the quiz -------------------------------------------------------------------------------------


def test_the_quizs_messages_show_where_the_figure_comes_from(mazur):
    stepper = bp_tui.Stepper(mazur)
    steps = {s.quantity: s for s in stepper.round_records(0)}
    right = Question(steps["out_h1"], label=stepper.expectation(steps["out_h1"]).label)
    assert right.answer("0.5933", Score()) == (True, "Right: out_h1 = 0.593269992 (✓ article 0.593269992)")
    missed = Question(steps["E_total+"], label=stepper.expectation(steps["E_total+"]).label)
    for _ in range(2):
        assert missed.answer("1", Score())[0] is False
    assert missed.answer("1", Score()) == (True, "The answer: E_total+ = 0.291027774 (article prints 0.291027924)")
    assert Question(steps["net_h2"]).answer("0.3925", Score()) == (True, "Right: net_h2 = 0.3925")
