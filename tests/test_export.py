"""Worked-example export: the article's figures in every format, each format read back, hostile
scenario text shown literally, several rounds, and the CLI's file handling."""

import csv
import io
import json
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from markdown_it import MarkdownIt

import bp_tui
from bp_tui.study.export import (CSV_COLUMNS, FORMATS, export, export_records, export_round, latex_math,
                           markdown_escape, suggested_filename, tex_escape)
from bp_tui.engine.records import PHASES, Step, phase_kind
from bp_tui.engine.scenario import builtin_names

from .helpers import bp_tui_here

# Every figure the article prints for its first round, as it prints them.
ARTICLE_ROUND_1 = [
    "0.3775", "0.593269992", "0.596884378", "1.105905967", "0.75136507", "0.772928465", "0.274811083",
    "0.023560026", "0.298371109", "0.74136507", "0.186815602", "0.082167041", "0.35891648",
    "0.408666186", "0.511301270", "0.561370121", "0.055399425", "0.036350306", "0.241300709",
    "0.000438568", "0.149780716", "0.19956143", "0.24975114", "0.29950229",
]

HOSTILE_TITLE = "[bold]x[/] $a[L-1] 50% & more_ {b} ~^ #1 \\end{document} `code` <b>"
HOSTILE_DESCRIPTION = ("# not a heading\n- not a list\n1. not numbered\n> not a quote\n"
                       "<script>x</script> *a* |b|")


@pytest.fixture(scope="module")
def mazur():
    return bp_tui.load_scenario("mazur")


@pytest.fixture(scope="module")
def documents(mazur):
    return {fmt: export(mazur, fmt) for fmt in FORMATS}


def decimals(figure: str) -> int:
    return -Decimal(figure).as_tuple().exponent


def numbers_in(text: str) -> set[str]:
    return set(re.findall(r"-?\d+\.\d+", text))


def without_labels(text: str) -> str:
    """A document without the labels of expected figures and their notes (which quote figures)."""
    return re.sub(r"(?m)^(\*.*\*|\\emph\{.*\}|Note: .*)$", "", text)


@pytest.mark.parametrize("fmt", ["md", "tex"])
def test_text_formats_show_every_article_figure_of_round_1(documents, fmt):
    shown = numbers_in(without_labels(documents[fmt]))
    for figure in ARTICLE_ROUND_1:
        if decimals(figure) == 9:
            assert figure in shown, figure  # printed to 9 decimals: the same 9 decimals
        else:  # fewer decimals: one of our 9-decimal numbers rounds to the article's figure
            step = Decimal(1).scaleb(-decimals(figure))
            assert any(Decimal(n).quantize(step, ROUND_HALF_UP) == Decimal(figure) for n in shown), figure
    assert "0.751365070" in shown  # out_o1 to 9 decimals (the article stops at 8)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_record_formats_hold_every_article_figure_at_its_printed_digits(documents, fmt):
    if fmt == "csv":
        values = [float(row["value"]) for row in csv.DictReader(io.StringIO(documents[fmt]))]
    else:
        values = [step["value"] for step in json.loads(documents[fmt])["steps"]]
    for figure in ARTICLE_ROUND_1:
        half_unit = 0.5 * 10.0 ** -decimals(figure) * (1 + 1e-9)
        assert any(abs(v - float(figure)) <= half_unit for v in values), figure


def test_csv_reads_back_one_row_per_sub_step(documents, mazur):
    rows = list(csv.reader(io.StringIO(documents["csv"])))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = [dict(zip(CSV_COLUMNS, row)) for row in rows[1:]]
    assert len(body) == 46  # the article's round 1, sub-step by sub-step
    records = bp_tui.Stepper(mazur).round_records(0)
    for row, step in zip(body, records):
        assert row["epoch"] == "1" and row["sample"] == "1" and row["phase"] == step.phase
        assert phase_kind(row["phase"]) in PHASES
        assert (row["quantity"], row["formula"], row["substituted"]) == (step.quantity, step.formula,
                                                                         step.substituted)
        assert float(row["value"]) == step.value  # full precision, not 9 decimals
    assert body[0]["value"] == "0.3775" and body[-1]["quantity"] == "E_total+"


def test_json_reads_back_into_the_same_records(documents, mazur):
    data = json.loads(documents["json"])
    assert set(data) >= {"scenario", "steps"}
    assert data["scenario"]["title"] == mazur.title and data["scenario"]["layers"] == [2, 2, 2]
    assert data["start"]["weights"][1][0] == [0.4, 0.45]
    rebuilt = [Step(**{k: tuple(v) if isinstance(v, list) else v for k, v in step.items()})
               for step in data["steps"]]
    assert rebuilt == bp_tui.Stepper(mazur).round_records(0)


def tex_balance_problems(text: str) -> list[str]:
    """Unbalanced environments or braces in a LaTeX document (escaped braces do not count)."""
    problems, stack = [], []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", text):
        if kind == "begin":
            stack.append(name)
        elif not stack or stack.pop() != name:
            problems.append(f"\\end{{{name}}} without its \\begin")
    problems += [f"\\begin{{{name}}} never ended" for name in stack]
    depth = 0
    for match in re.finditer(r"\\[{}]|\\\\|[{}]", text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                problems.append(f"unmatched }} at {match.start()}")
                depth = 0
    if depth:
        problems.append(f"{depth} unclosed {{")
    return problems


def test_latex_is_one_balanced_standalone_document(documents):
    tex = documents["tex"]
    assert tex_balance_problems(tex) == []
    assert tex.count(r"\documentclass") == 1 and r"\usepackage{amsmath}" in tex
    assert tex.count(r"\begin{document}") == 1 and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{align*}") == 46


def tex_engine():
    return next((name for name in ("tectonic", "pdflatex") if shutil.which(name)), None)


@pytest.mark.skipif(tex_engine() is None, reason="no TeX engine installed (pdflatex or tectonic)")
def test_latex_compiles(tmp_path):
    scenario = hostile_scenario()
    (tmp_path / "example.tex").write_text(export(scenario, "tex"), encoding="utf-8")
    engine = tex_engine()
    command = [engine, "example.tex"] if engine == "tectonic" else [engine, "-interaction=nonstopmode",
                                                                     "-halt-on-error", "example.tex"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (tmp_path / "example.pdf").stat().st_size > 0


def test_markdown_follows_the_article_order(documents):
    tokens = MarkdownIt().parse(documents["md"])
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "Mazur's worked example: a 2-2-2 sigmoid network"  # the title said once
    start = headings.index("Round 1")
    assert headings[start:] == ["Round 1", "Forward pass", "Error", "Backward pass: output layer",
                                "Backward pass: hidden layer (`h1`, `h2`)", "New error"]  # w5+ with dE_total/dw5
    md = documents["md"]
    assert md.count("$$") == 2 * (46 + 1)  # each sub-step, and the loss in the network description
    assert "| `w5` | `h1` | `o1` | 0.4 |" in md  # which weight joins what
    assert r"net_{h1} &= w_1 \cdot i_1 + w_2 \cdot i_2 + b_1 \cdot 1" in md
    assert r"&= 0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.35 \cdot 1" in md
    assert r"\frac{\partial E_{total}}{\partial w_5} &= \delta_{o1} \cdot out_{h1}" in md
    assert "The net input of h1" in md  # the records' one-sentence explanations


def hostile_scenario(**overrides):
    text = (bp_tui.engine.scenario.builtin_dir() / "mazur.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?s)^title = .*?\nsource = [^\n]*\n', "", text)
    title = overrides.get("title", HOSTILE_TITLE)
    header = (f"title = '''{title}'''\n"
              f"description = '''{overrides.get('description', HOSTILE_DESCRIPTION)}'''\n"
              f"source = '''{overrides.get('source', 'x < y & z')}'''\n")
    return bp_tui.parse_scenario(header + text, "hostile.toml")


def test_hostile_titles_print_literally_in_markdown():
    md = export(hostile_scenario(), "md")
    tokens = MarkdownIt().parse(md)
    assert tokens[0].type == "heading_open" and tokens[1].children
    assert "".join(child.content for child in tokens[1].children) == HOSTILE_TITLE
    html = MarkdownIt().render(md)
    assert "<script>" not in html and "<b>" not in html
    assert html.count("<h1>") == 1 and "<blockquote>" not in html and "<ol>" not in html
    assert "# not a heading" in md.replace("\\#", "#")


def untex(text: str) -> str:
    """Undo tex_escape: what LaTeX prints for the escaped text."""
    for escaped, char in [(r"\textbackslash{}", "\\"), (r"\textasciicircum{}", "^"),
                          (r"\textasciitilde{}", "~"),
                          (r"\textless{}", "<"), (r"\textgreater{}", ">"), (r"\textbar{}", "|"),
                          (r"\textquotedbl{}", '"'), ("{[}", "["), ("{]}", "]")]:
        text = text.replace(escaped, char)
    text = re.sub(r"\\([{}$&#%_])", r"\1", text)
    return text.replace("{}", "")


def test_hostile_titles_print_literally_in_latex():
    tex = export(hostile_scenario(), "tex")
    assert tex_balance_problems(tex) == []
    assert tex.count(r"\end{document}") == 1 and tex.count(r"\begin{document}") == 1
    title_line = next(line for line in tex.splitlines() if line.startswith(r"{\LARGE"))
    inner = title_line[len(r"{\LARGE\bfseries "):-len(r"\par}")]
    assert untex(inner) == HOSTILE_TITLE
    assert untex(tex_escape("50% & more_ $a[L-1] ``x'' --")) == "50% & more_ $a[L-1] ``x'' --"


def test_escapers_leave_no_markup():
    assert markdown_escape("[bold]x[/]") == r"\[bold\]x\[/\]"
    assert markdown_escape("50% & more_") == r"50% \& more\_"
    assert tex_escape("$a[L-1]") == r"\$a{[}L-1{]}"
    assert tex_escape("50% & more_") == r"50\% \& more\_"


def test_non_latin_names_and_titles_are_set_up_for_pdflatex():
    tex = export(hostile_scenario(title="Réseau αβ"), "tex")
    assert r"\DeclareUnicodeCharacter{03B1}" in tex and r"\DeclareUnicodeCharacter{00E9}" not in tex


@pytest.mark.parametrize("ascii_text, latex", [
    ("net_h1", "net_{h1}"),
    ("dE_total/dw5", r"\frac{\partial E_{total}}{\partial w_5}"),
    ("delta_o1", r"\delta_{o1}"),
    ("eta", r"\eta"),
    ("w5+", "w_5^{+}"),
    ("w12", "w_{12}"),
    ("v_w5", "v_{w_5}"),
    ("b_h1", "b_{h1}"),
    ("0.4*0.5", r"0.4 \cdot 0.5"),
    ("1/(1 + e^(-x))", r"\frac{1}{1 + e^{-x}}"),
    ("1/(1 + e^(--0.3))", r"\frac{1}{1 + e^{-(-0.3)}}"),
    ("1/2*(target_o1 - out_o1)^2", r"\frac{1}{2} \cdot (target_{o1} - out_{o1})^{2}"),
    ("1 - -0.5^2", "1 - (-0.5)^{2}"),
    ("out_o1+", "out_{o1}^{+}"),
    ("0.3 + (-0.2)", "0.3 + (-0.2)"),
    ("1.5e-05", r"1.5 \times 10^{-5}"),
    ("max(0, net_h1)", r"\max(0, net_{h1})"),
    ("tanh(0.5)", r"\tanh(0.5)"),
    ("-target_o1*ln(out_o1)", r"-target_{o1} \cdot \ln(out_{o1})"),
    ("E_mean = (sum of E_total over the 3 samples)/3", r"E_{mean} = \frac{1}{3} \sum_{s=1}^{3} E_{total}"),
    ("1 if net_h1 > 0, else 0",
     r"\begin{cases} 1 & \text{if } net_{h1} > 0 \\ 0 & \text{otherwise} \end{cases}"),
    ("net_x_in", r"net_{\mathrm{x\_in}}"),
    ("what? {x}", r"\text{what? \{x\}}"),  # unreadable: shown as text, never broken LaTeX
])
def test_formula_converter(ascii_text, latex):
    assert latex_math(ascii_text) == latex


def test_every_formula_of_every_built_in_scenario_converts(tmp_path):
    for name in builtin_names():
        scenario = bp_tui.load_scenario(name)
        tex = export(scenario, "tex")
        assert tex_balance_problems(tex) == [], name
        assert r"&\text{" not in tex, name  # no formula fell back to plain text


def test_several_rounds(mazur):
    md = export(mazur, "md", epochs=3)
    assert [line for line in md.splitlines() if line.startswith("## Round")] == [
        "## Round 1", "## Round 2", "## Round 3"]
    assert "0.283547133" in md  # the error after round 2, as a reader listed it
    rows = list(csv.DictReader(io.StringIO(export(mazur, "csv", epochs=3))))
    assert len(rows) == 3 * 46 and {r["epoch"] for r in rows} == {"1", "2", "3"}


def test_the_app_can_export_the_round_on_screen(mazur):
    stepper = bp_tui.Stepper(mazur)
    stepper.goto_epoch(3)  # the end of round 3
    md = export_round(stepper, "md")
    assert "## Round 3" in md and "## Round 2" not in md
    weights = stepper.state_at(stepper.epoch).params.weights
    assert f"| `w1` | `i1` | `h1` | {bp_tui.engine.records.num(weights[0][0][0])} |" in md
    assert "Weights at the start of round 3" in md
    assert export_records(mazur, stepper.round_records(2), "csv") == export_round(stepper, "csv", 2)
    assert suggested_filename(mazur, "md", 3) == "mazur-round-3.md"
    assert suggested_filename(mazur, "tex", 1, 4) == "mazur-rounds-1-4.tex"


def test_a_diverging_run_ends_the_example_with_a_note():
    from .scenario_factory import scenario_text

    scenario = bp_tui.parse_scenario(scenario_text(activation="linear", learning_rate=900.0, samples=1),
                                     "fast.toml")
    stepper = bp_tui.Stepper(scenario)
    stepper.extend_to(40)
    assert stepper.diverged_at is not None and stepper.diverged_at < 40
    md = export(scenario, "md", epochs=40)
    assert "Training diverged in round" in md and f"## Round {stepper.diverged_at + 1}" not in md
    data = json.loads(export(scenario, "json", epochs=40))  # no NaN or Infinity in JSON
    assert data["steps"][-1]["epoch"] == stepper.diverged_at


def test_cli_export_to_stdout_and_epochs(capsys):
    code, out, err = bp_tui_here("export", "mazur", "--format", "csv", "--epochs", "2")
    assert code == 0 and err == ""
    assert len(list(csv.DictReader(io.StringIO(out)))) == 92


def test_cli_export_writes_a_file_and_never_overwrites_without_force(tmp_path, capsys):
    target = tmp_path / "example.md"
    code, out, _err = bp_tui_here("export", "mazur", "--format", "md", "-o", str(target))
    assert code == 0 and out == ""
    first = target.read_text(encoding="utf-8")
    assert first.startswith("# Mazur's worked example")
    code, out, err = bp_tui_here("export", "mazur", "--format", "json", "-o", str(target))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert str(target) in err and "--force" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == first  # untouched
    code, _out, _err = bp_tui_here("export", "mazur", "--format", "json", "-o", str(target), "--force")
    assert code == 0 and json.loads(target.read_text(encoding="utf-8"))["steps"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.md"]  # no temporary files left


@pytest.mark.parametrize("args, words", [
    (["export", "mazur", "--format", "pdf"], "invalid choice"),
    (["export", "mazur", "--format", "md", "--epochs", "0"], "1 to 1000"),
    (["export", "nosuch", "--format", "md"], "nosuch"),
    (["export", "mazur", "--format", "md", "-o", "/no/such/folder/x.md"], "does not exist"),
])
def test_cli_export_bad_input_is_one_line_and_exit_2(args, words, capsys):
    code, _out, err = bp_tui_here(*args)
    assert code == 2 and len(err.strip().splitlines()) == 1 and words in err
    assert "Traceback" not in err
