"""`bp-tui check` as a learner meets it: a page typed from the article, the report, the exit status."""

import pytest

from .helpers import bp_tui_here as bp

# Round 1 as a learner types it from the article, in the article's own notation, with one slip: the
# hidden layer worked with the new w5 (Kevin's question in the comments), carried through to w1+.
ARTICLE_PAGE = """\
# A Step by Step Backpropagation Example, round 1 by hand
net_h1 = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 * 1 = 0.3775
out_h1 = 0.593269992
out_h2 = 0.596884378
net_o1 = 1.105905967
out_o1 = 0.75136507
out_o2 = 0.772928465
E_o1 = 0.274811083
E_o2 = 0.023560026
E_total = 0.298371109

∂E_total/∂out_o1 = 0.74136507
∂out_o1/∂net_o1 = 0.186815602
δ_o1 = 0.138498562
∂E_total/∂w5 = 0.082167041
w5+ = 0.35891648
w6+ = 0.408666186
w7+ = 0.511301270
w8+ = 0.561370121

# hidden layer: the new w5 is at hand, so I use it
∂E_o1/∂out_h1 = 0.138498562 * 0.35891648 = 0.049709416
∂E_o2/∂out_h1 = -0.019049119
∂E_total/∂out_h1 = 0.030660297
∂out_h1/∂net_h1 = 0.241300709
∂E_total/∂w1 = 0.000369918
w1+ = 0.149815041
"""


def test_a_page_typed_from_the_article_with_one_slip(tmp_path):
    page = tmp_path / "round1.txt"
    page.write_text(ARTICLE_PAGE, encoding="utf-8")
    out = bp("check", "mazur", str(page))
    assert out.returncode == 1 and out.stderr == ""
    text = out.stdout
    assert "First wrong figure: dE_o1/dout_h1 (line 22)" in text
    assert ("dE_o1/dout_h1: you have 0.049709416; with the updated w5+ in place of w5 the formula gives "
            "0.049709416") in text
    assert "The slip: the updated weights where the original ones belong (updated-weights)." in text
    assert "Right: dE_o1/dout_h1 = delta_o1*w5 = 0.138498562*0.4 = 0.055399425" in text
    rows = {line.split()[1]: line for line in text.splitlines() if line[:6].strip().isdigit()}
    assert rows["w5+"].endswith("right") and rows["E_total"].endswith("right")
    assert rows["dE_total/dout_h1"].endswith("wrong, but follows from your dE_o1/dout_h1, dE_o2/dout_h1")
    assert rows["dE_total/dw1"].endswith("wrong, but follows from your dE_total/dout_h1")
    assert rows["w1+"].endswith("wrong, but follows from your dE_total/dw1")
    # the article's own -0.019049119 is the one other figure with a slip of its own: a rounded delta_o2
    assert ("dE_o2/dout_h1: you have -0.019049119; it is right to 8 decimals: with the sub-steps before it "
            "rounded to 9 decimals (delta_o2 = -0.038098237) the formula gives -0.019049119") in text
    assert text.rstrip().endswith("18 of 23 figures right; 2 wrong with a slip of their own; "
                                  "3 wrong only because of earlier ones.")


def test_every_figure_right_exits_0_and_reads_standard_input():
    out = bp("check", "mazur", "-", input="net_h1 = 0.3775\nE_total = 0.298371109\n")
    assert out.returncode == 0
    assert out.stdout.rstrip().endswith("2 of 2 figures right.")


def test_a_figure_with_too_few_digits_to_tell_is_right_but_says_so():
    # 0.4 rounds w5+ = 0.35891648 to one digit, and it is also w5 before its update
    out = bp("check", "mazur", "-", input="w5+ = 0.4\nnet_h1 = 0.3775\n")
    assert out.returncode == 0
    rows = {line.split()[1]: line for line in out.stdout.splitlines() if line[:6].strip().isdigit()}
    assert rows["w5+"].endswith("right to 1 digit only: too few to tell")
    assert rows["net_h1"].endswith("right")  # exactly the value: as many digits as it has
    assert out.stdout.rstrip().endswith("2 of 2 figures right; 1 right only to fewer than 3 digits: write more "
                                        "to tell a slip from rounding.")


def test_plain_output_has_no_escapes():
    out = bp("check", "mazur", "-", "--plain", input="net_h1 = 0.41\n")
    assert out.returncode == 1 and "\x1b" not in out.stdout


@pytest.mark.parametrize("args, stdin, message", [
    (("mazur", "{tmp}/missing.txt"), None, "bp-tui: {tmp}/missing.txt: no such file"),
    (("mazur", "{tmp}"), None, "bp-tui: {tmp}: is a folder, not a page of figures"),
    (("mazur", "-"), "net_h1 = 0.3775\nout_h1 = x\n", "bp-tui: <stdin>: line 2: out_h1: 'x' is not a number"),
    (("mazur", "-", "--round", "2"), "round 3\n", "bp-tui: <stdin>: line 1: round 3, but --round 2 was given"),
    (("mazur", "-"), "# nothing yet\n", "bp-tui: <stdin>: no figure to check (write one `name = value` a line, "
                                        "with the names `bp-tui trace mazur` prints)"),
    (("too-fast", "-", "--round", "500"), "net_h1 = 1\n", "bp-tui: round 500 cannot be computed: training "
                                                          "diverged at epoch"),
    (("no-such-scenario", "-"), "net_h1 = 1\n", "bp-tui: no-such-scenario: no such file, and no built-in"),
])
def test_a_page_that_cannot_be_checked_exits_2_with_one_line(tmp_path, args, stdin, message):
    out = bp("check", *(a.format(tmp=tmp_path) for a in args), input=stdin)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and out.stderr.startswith(message.format(tmp=tmp_path))
    assert "Traceback" not in out.stderr


def test_the_command_is_listed_in_the_help():
    assert "check" in bp("--help").stdout
    out = bp("check", "--help")
    assert out.returncode == 0 and "exit status 0 when every figure is right" in " ".join(out.stdout.lower().split())


def test_the_readme_example_is_what_the_command_prints(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ cat mine.txt\n", 1)[1].split("\n```", 1)[0]
    page, printed = example.split("$ bp-tui check mazur mine.txt\n")
    (tmp_path / "mine.txt").write_text(page, encoding="utf-8")
    out = bp("check", "mazur", str(tmp_path / "mine.txt"))
    assert out.returncode == 1 and out.stdout.rstrip() == printed


def test_on_an_80_column_terminal_the_sentences_fold_with_every_word_kept():
    from bp_tui.cli.check import folded, report
    from bp_tui.engine.scenario import load_scenario
    from bp_tui.engine.stepper import Stepper
    from bp_tui.study.check import check_page
    from bp_tui.study.page import parse_page
    from bp_tui.views.styled import plain

    scenario = load_scenario("mazur")
    lines = report(check_page(Stepper(scenario), parse_page(ARTICLE_PAGE)), scenario)
    wide, narrow = plain(lines), plain(folded(lines, 80))
    assert max(len(line) for line in wide.splitlines()) > 80
    assert max(len(line) for line in narrow.splitlines()) <= 80
    assert narrow.split() == wide.split()
    assert "\n      formula gives 0.049709416\n" in narrow  # a sentence goes on indented
    assert "  wrong, but follows from\n" + " " * 54 + "your dE_o1/dout_h1," in narrow  # a verdict under itself


@pytest.mark.parametrize("quantity", ["E_total+", "dE_o2/dout_h1"])
def test_a_figure_copied_from_the_article_where_it_differs_gets_the_article_s_note(quantity):
    from bp_tui.engine.scenario import load_scenario

    expect = next(e for e in load_scenario("mazur").expects
                  if e.quantity == quantity and e.epoch == 1 and not e.printed_agrees)
    out = bp("check", "mazur", "-", input=f"{quantity} = {expect.printed}\n")
    assert out.returncode == 1
    said = " ".join(out.stdout.split())
    assert f"The article prints {expect.printed}: {' '.join(expect.note.split())}" in said
