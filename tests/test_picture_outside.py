"""The network picture outside the app: `bp-tui show SCENARIO --picture` and the exports."""

import shutil
import subprocess

import pytest

from bp_tui.engine.scenario import load_scenario
from bp_tui.study.export import export

from .helpers import bp_tui_here as bp
from .scenario_factory import scenario_text


def test_show_picture_on_a_pipe_is_plain_text_with_every_weight():
    out = bp("show", "mazur", "--picture")
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout
    for label in ("w1 0.15", "w4 0.3", "w5 0.4", "w8 0.55", "b1 0.35", "b2 0.6", "target 0.99"):
        assert label in out.stdout
    picture = out.stdout.split("\n\n")[0]  # then the legend
    assert "━" not in picture and "▶" not in picture  # nothing is lit before the first sub-step
    assert "a weight's name and value" in out.stdout


def test_show_picture_at_a_sub_step_lights_its_path_backward():
    out = bp("show", "mazur", "--picture", "--step", "dE_total/dw5", "--width", "80")
    assert out.returncode == 0, out.stderr
    picture = out.stdout.split("\n\n")[0]
    assert max(map(len, picture.splitlines())) <= 80
    assert "◀ w5 0.4 ━" in picture and "▶" not in picture
    assert "dE_total/dw5 = delta_o1 * out_h1" in out.stdout
    assert "net 1.1059" in picture and "out 0.7514" in picture


def test_show_picture_reads_a_scenario_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(scenario_text(), encoding="utf-8")
    out = bp("show", str(path), "--picture")
    assert out.returncode == 0, out.stderr
    assert "w1 " in out.stdout


@pytest.mark.parametrize("args, words", [
    (("--picture", "--width", "40"), "needs at least"),
    (("--picture", "--step", "dE_total/dw99"), "--step"),
])
def test_show_picture_bad_input_is_one_line_and_exit_2(args, words):
    out = bp("show", "mazur", *args)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1 and words in out.stderr and "mazur" in out.stderr
    assert "Traceback" not in out.stderr


def test_markdown_export_draws_the_network_in_a_code_block():
    md = export(load_scenario("mazur"), "md")
    start = md.index("```text\n")
    block = md[start:md.index("\n```", start + 1)]
    for label in ("w1 0.15", "w5 0.4", "w8 0.55", "b1 0.35", "h1", "o2", "E_total"):
        assert label in block
    assert block.index("```text") < md.index("Weights at the start of round 1")


def test_latex_export_draws_the_network_with_tikz_and_the_same_labels():
    tex = export(load_scenario("xor-online"), "tex")
    picture = tex[tex.index(r"\begin{tikzpicture}"):tex.index(r"\end{tikzpicture}")]
    assert r"\usepackage{tikz}" in tex
    for label in ("{w1 -0.55}", "{w2 0.92}", r"{b\_h1 1}", "{h1}", r"{E\_total}"):
        assert label in picture
    assert "dashed" in picture  # w1 is negative


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="no pdflatex installed")
@pytest.mark.parametrize("name", ["deep", "softmax-cross-entropy", "mazur-biases"])
def test_latex_export_with_the_picture_compiles(tmp_path, name):
    (tmp_path / "doc.tex").write_text(export(load_scenario(name), "tex"), encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:]


def test_show_picture_of_a_network_too_tall_to_draw_says_so(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(scenario_text(layers=(2, 64, 64, 2), samples=1), encoding="utf-8")
    out = bp("show", str(path), "--picture", "--width", "400")
    assert out.returncode == 2 and out.stdout == ""
    assert "too large to draw" in out.stderr and len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["mazur", "relu", "xor-online", "softmax-cross-entropy", "symmetry"])
def test_the_legend_fits_80_columns_and_its_examples_are_in_the_picture(name):
    out = bp("show", name, "--picture", "--width", "80")
    assert out.returncode == 0, out.stderr
    picture, _blank, legend = out.stdout.partition("\n\n")
    rows = legend.strip("\n").splitlines()
    assert rows and max(len(row) for row in rows) <= 80
    weight = rows[0].split("  ")[0]  # the example weight, as the picture writes it (w5 0.4)
    assert weight in picture
    bias = [row.split("  ")[0] for row in rows if "a bias" in row]
    assert all(mark in picture for mark in bias)  # b1 0.35 (shared) or 1 b_h1 (one per neuron)


@pytest.mark.parametrize("written", ["dE_total/dw5", "∂E/∂w5", "dE/dw5"])
def test_show_picture_step_takes_a_page_s_spellings_and_prints_the_numbers(written):
    out = bp("show", "mazur", "--picture", "--step", written)
    assert out.returncode == 0, out.stderr
    assert "\ndE_total/dw5 = delta_o1 * out_h1 = 0.138498562*0.593269992 = 0.082167041\n" in out.stdout


def test_a_picture_wider_than_the_terminal_says_how_to_get_it():
    out = bp("show", "deep", "--picture", env={"COLUMNS": "80"})
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == ("bp-tui: deep: the picture needs at least 110 columns and the terminal has 80; "
                          "try --width 110 | less -S\n")


def test_a_width_that_is_no_size_is_refused_not_taken_for_the_terminal_s():
    out = bp("show", "mazur", "--picture", "--width", "0")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "bp-tui show: argument --width: must be between 20 and 2000, got 0 (see --help)\n"
