"""The chain rule written out in the Markdown and LaTeX exports (`export --derive`)."""

import shutil
import subprocess

import pytest

import bp_tui
from bp_tui.cli import main
from bp_tui.engine.scenario import builtin_names
from bp_tui.study.derive import derive
from bp_tui.study.export import export
from bp_tui.study.export.latex_math import latex_math

from .test_export import tex_balance_problems

HEADING = "*Why, by the chain rule:*"


@pytest.mark.parametrize("name", builtin_names())
def test_every_equation_of_every_derivation_is_latex(name):
    stepper = bp_tui.Stepper(bp_tui.load_scenario(name))
    for step in stepper.round_records(0):
        derivation = derive(step, stepper)
        for line in derivation.lines if derivation else ():
            if line.kind in ("math", "plus"):
                for side in filter(None, (line.lhs, line.rhs)):
                    assert not latex_math(side).startswith(r"\text{"), (step.quantity, side)


def test_markdown_puts_each_derivation_under_its_sub_step():
    md = export(bp_tui.load_scenario("mazur"), "md", derive=True)
    assert md.count(HEADING) == 24  # every derivative sub-step of round 1
    step = md.index("`dE_total/dout_o1`:")
    assert step < md.index(HEADING, step) < md.index("`dout_o1/dnet_o1`:")
    block = md[md.index(HEADING, step):md.index("`dout_o1/dnet_o1`:")]
    assert r"\frac{\partial E_{o1}}{\partial out_{o1}} &= 2 \cdot (\frac{1}{2}) \cdot (target_{o1} - out_{o1})" in block
    assert "&= -(0.01 - 0.75136507) \\\\\n&\\approx 0.741365070" in block
    assert "- sum of the paths = 0.036350306: they agree" in md
    assert HEADING not in export(bp_tui.load_scenario("mazur"), "md")  # only when asked for


def test_latex_derivations_are_balanced_for_every_built_in_scenario():
    for name in builtin_names():
        tex = export(bp_tui.load_scenario(name), "tex", derive=True)
        assert tex_balance_problems(tex) == [], name
        assert tex.count(r"\emph{Why, by the chain rule:}") > 0


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_with_derivations_compiles(tmp_path):
    (tmp_path / "d.tex").write_text(export(bp_tui.load_scenario("softmax-cross-entropy"), "tex", derive=True),
                                    encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


def test_cli_export_derive(capsys):
    assert main(["export", "mazur-article-summary", "--format", "md", "--derive"]) == 0
    out = capsys.readouterr().out
    assert "they differ" in out and "w5+, w7+" in out
    assert main(["export", "mazur", "--format", "csv", "--derive"]) == 2
    err = capsys.readouterr().err
    assert err == "bp-tui: --derive goes with --format md or tex, not csv\n"
