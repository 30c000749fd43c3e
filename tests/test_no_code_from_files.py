"""No code from files: nothing a user supplies is evaluated, and scenario text is shown literally.

bp-tui reads scenarios with tomllib only. The single `exec` in the package compiles the training
kernel, whose source is written from layer sizes and fixed option names (never from file text).
Titles and descriptions that look like markup, templates, shell or Python print exactly as
written; control characters and terminal escapes in them are refused when the file is loaded.
"""

from __future__ import annotations

import ast
import json
import re
import tempfile
from pathlib import Path

import pytest

import bp_tui
from bp_tui.cli import scenarios as cli_scenarios
from bp_tui.engine import kernel
from bp_tui.engine import scenario as scenario_module
from bp_tui.engine.network import Network
from bp_tui.engine.scenario import ScenarioError, parse_scenario, printable

from .helpers import bp_tui_here

PACKAGE = Path(bp_tui.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
KERNEL_EXEC = 'exec(compile(self.source, "<bp_tui kernel>", "exec"), namespace)'

# --- the source: no way to run code from data ---------------------------------------------------

RAW_PATTERNS = ("eval(", "exec(", "pickle", "yaml", "marshal", "__import__", "subprocess", "os.system",
                "os.popen", "shelve", "runpy")
DANGEROUS_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "breakpoint"}
DANGEROUS_MODULES = {"pickle", "cPickle", "_pickle", "dill", "jsonpickle", "marshal", "shelve", "yaml",
                     "ruamel", "subprocess", "runpy", "importlib", "ctypes", "code", "codeop"}
DANGEROUS_OS = re.compile(r"system|popen|exec\w*|spawn\w*|posix_spawn\w*|fork\w*")


def test_sources_were_found():
    names = {path.relative_to(PACKAGE).as_posix() for path in SOURCES}
    assert {"engine/scenario.py", "engine/kernel.py", "cli/__init__.py", "engine/network.py"} <= names


def test_no_source_mentions_eval_exec_pickle_yaml_or_subprocess_except_the_kernel():
    found = []
    for path in SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern in RAW_PATTERNS:
                if pattern in line:
                    found.append((path.relative_to(PACKAGE).as_posix(), line.strip(), pattern))
    assert [(where, pattern) for where, _line, pattern in found] == [("engine/kernel.py", "exec(")], found
    assert found[0][1].startswith(KERNEL_EXEC)


def dangerous_uses(path: Path) -> list[str]:
    """Calls of eval/exec/compile/__import__, imports of unpicklers and process runners, os.system..."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DANGEROUS_CALLS:
            found.append(f"{node.func.id}() at line {node.lineno}")
        elif isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in DANGEROUS_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in DANGEROUS_MODULES:
            found.append(f"from {node.module} import")
        elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os"
              and DANGEROUS_OS.fullmatch(node.attr)):
            found.append(f"os.{node.attr} at line {node.lineno}")
    return found


def test_the_only_dynamic_code_is_the_kernel_compiled_from_its_own_source():
    uses = {path.relative_to(PACKAGE).as_posix(): dangerous_uses(path) for path in SOURCES}
    uses = {where: found for where, found in uses.items() if found}
    exec_line = next(n for n, line in enumerate((PACKAGE / "engine" / "kernel.py").read_text().splitlines(), 1)
                     if KERNEL_EXEC in line)
    assert uses == {"engine/kernel.py": [f"exec() at line {exec_line}", f"compile() at line {exec_line}"]}


def test_the_kernel_exec_is_documented_in_its_module_docstring():
    doc = " ".join(kernel.__doc__.split())
    assert "compile it once" in doc
    assert "no text from the scenario file ever enters it" in doc


def test_the_kernel_source_is_the_same_whatever_the_file_says():
    """Only layer sizes and option names shape the kernel: titles, names and numbers do not."""
    plain = parse_scenario(literal_scenario("plain"), "a.toml")
    hostile = parse_scenario(literal_scenario(
        "__import__('os').system('x')", names='[["__import__", "os"], ["system", "exec"], ["eval", "pickle"]]',
        weights="[[[1e300, -5e-324], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]", learning_rate=999.5),
        "b.toml")
    first, second = kernel.Kernel(Network(plain)), kernel.Kernel(Network(hostile))
    assert first.source == second.source
    assert "__import__" not in first.source and "1e300" not in first.source and "999.5" not in first.source
    other_shape = parse_scenario(literal_scenario("plain", layers="[2, 3, 2]",
                                                  weights="[[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], "
                                                          "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]]"), "c.toml")
    assert kernel.Kernel(Network(other_shape)).source != first.source  # the comparison can tell


# --- scenario text is shown literally -----------------------------------------------------------

MARKER = Path(tempfile.gettempdir()) / "bp-tui-pwned"  # a payload that ran would create it (one name: xdist workers must collect the same tests)
PAYLOADS = [
    "[bold]x[/]",
    "[link=https://example.com]y[/link]",
    "$a[L-1]",
    f"__import__('os').system('touch {MARKER}')",
    "{{7*7}}",
    "${7*7} #{7*7} <%= 7*7 %> %(x)s {0}",
    "<script>alert(1)</script> **bold** `code`",
    "50% & $x_1$ # ~ ^ _ \\ \\x1b[31m",  # a backslash, then the letters x1b: not an escape
    "\\u001b \"quoted\" 'single'",
]


def literal_scenario(title: str, description: str = "", names: str | None = None, weights: str | None = None,
                     learning_rate: float = 0.5, layers: str = "[2, 2, 2]") -> str:
    def basic(text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    return "\n".join([
        f"title = {basic(title)}",
        f"description = {basic(description)}",
        f"source = {basic(title)}",
        "[network]",
        f"layers = {layers}",
        f"weights = {weights or '[[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]'}",
        "biases = [0.35, 0.6]",
        *([f"names = {names}"] if names else []),
        "[training]",
        "inputs = [[0.05, 0.1]]",
        "targets = [[0.01, 0.99]]",
        f"learning_rate = {learning_rate}",
        "", "[[expect]]", 'quantity = "E_total"', "epoch = 1", "value = 0.298371109",
        f"note = {basic(title)}",
    ]) + "\n"


@pytest.fixture
def hostile_file(tmp_path):
    def write(title: str, name: str = "hostile.toml", **kwargs) -> Path:
        path = tmp_path / name
        path.write_text(literal_scenario(title, **kwargs), encoding="utf-8")
        return path

    yield write
    assert not MARKER.exists(), "a payload from a scenario file was run"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_titles_that_look_like_code_or_markup_load_and_print_exactly(payload, hostile_file, capsys):
    path = hostile_file(payload, description=f"first line {payload}\n{payload}\tlast")
    title = payload
    scenario = parse_scenario(path.read_bytes(), str(path))
    assert (scenario.title, scenario.source, scenario.expects[0].note) == (title, title, title)
    assert scenario.description == f"first line {title}\n{title}\tlast"

    status, out, err = bp_tui_here("run", str(path), "--epochs", "1")
    assert (status, err) == (0, "")
    assert out.splitlines()[0] == title

    status, out, err = bp_tui_here("validate", str(path))
    assert (status, out, err) == (0, f"{path}: ok (2-2-2, 1 sample(s))\n", "")


def test_list_prints_titles_exactly(hostile_file, capsys, monkeypatch):
    folder = hostile_file(PAYLOADS[0], name="a-markup.toml").parent
    for n, payload in enumerate(PAYLOADS[1:], 1):
        hostile_file(payload, name=f"{chr(ord('a') + n)}-payload.toml")
    monkeypatch.setattr(scenario_module, "builtin_dir", lambda: folder)
    monkeypatch.setattr(cli_scenarios, "builtin_dir", lambda: folder)
    status, out, err = bp_tui_here("list")
    assert (status, err) == (0, "")
    titles = [line.split(None, 1)[1] for line in out.splitlines()]  # "name   title"
    assert titles == PAYLOADS


def test_trace_is_not_changed_by_what_the_title_says(hostile_file, capsys):
    plain = hostile_file("plain title", name="plain.toml")
    status, expected, _err = bp_tui_here("trace", str(plain), "--plain")
    assert status == 0 and "net_h1 = w1*i1 + w2*i2 + b1*1" in expected
    assert "\n    note: plain title\n" in expected  # the expectation's note (the title here), under E_total
    for payload in PAYLOADS:
        path = hostile_file(payload)
        status, out, err = bp_tui_here("trace", str(path), "--plain")
        assert (status, err, out) == (0, "", expected.replace("note: plain title", f"note: {payload}"))


def test_neuron_names_that_look_like_code_print_as_names(hostile_file, capsys):
    path = hostile_file("names", names='[["__import__", "eval"], ["exec", "system"], ["os", "pickle"]]')
    status, out, err = bp_tui_here("trace", str(path), "--plain")
    assert (status, err) == (0, "")
    assert "net_exec = w1*__import__ + w2*eval + b1*1" in out
    assert "out_pickle = 1/(1 + e^(-net_pickle))" in out


def test_export_keeps_scenario_text_literal(hostile_file, capsys):
    title = " ".join(PAYLOADS[:3] + PAYLOADS[4:])
    path = hostile_file(title, description="[red]r[/red] $x$ {{7*7}}\n- not a list\n# not a heading")
    outputs = {}
    for fmt in ("json", "md", "tex"):
        status, outputs[fmt], err = bp_tui_here("export", str(path), "--format", fmt)
        assert (status, err) == (0, "")
    document = json.loads(outputs["json"])
    assert document["scenario"]["title"] == title
    assert document["scenario"]["description"] == "[red]r[/red] $x$ {{7*7}}\n- not a list\n# not a heading"
    # Markdown: every special character backslash-escaped, so it renders as the text itself
    unescaped = re.sub(r"\\(.)", r"\1", outputs["md"])
    assert f"# {title}\n" in unescaped
    assert "\n- not a list" not in outputs["md"] and "\n# not a heading" not in outputs["md"]
    # LaTeX: no dollar or brace from the title reaches TeX unescaped
    heading = next(line for line in outputs["tex"].splitlines() if line.startswith(r"{\LARGE"))
    assert "\\$a" in heading and re.search(r"(?<!\\)\$", heading) is None
    assert r"\{\{7*7\}\}" in heading and "{{7*7}}" not in heading


# --- control characters: refused at load time, with the field and the character named -------------

CONTROLS = {
    "ANSI colour": ("\\u001b[31mred", "'\\x1b' at position 1"),
    "CSI as one byte": ("a\\u009b31mb", "'\\x9b' at position 2"),
    "bell": ("ding\\u0007", "'\\x07' at position 5"),
    "NUL": ("a\\u0000b", "'\\x00' at position 2"),
    "carriage return": ("over\\rwrite", "'\\r' at position 5"),
    "backspace": ("ab\\bc", "'\\x08' at position 3"),
    "DEL": ("a\\u007f", "'\\x7f' at position 2"),
    "right-to-left override": ("abc\\u202edef", "'\\u202e' at position 4"),
    "line separator": ("a\\u2028b", "'\\u2028' at position 2"),
}


@pytest.mark.parametrize("field", ["title", "description", "source", "expect[0].note"])
@pytest.mark.parametrize("kind", list(CONTROLS))
def test_control_characters_in_text_are_refused_naming_field_and_character(field, kind):
    escaped, where = CONTROLS[kind]
    text = literal_scenario("ok", description="ok")
    key = field.split(".")[-1]
    text = re.sub(rf'^{key} = "ok"$', lambda _match: f'{key} = "{escaped}"', text, count=1, flags=re.M)
    assert f'"{escaped}"' in text
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "x.toml")
    assert str(caught.value) == (f"x.toml: {field}: contains the control character {where} "
                                 "(text may hold tab and newline only)")


REFUSED_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_the_text_check_refuses_exactly_its_characters_though_it_looks_only_at_unprintable_text():
    # The loader looks for refused characters only in text that str.isprintable() rejects: every
    # refused character must be unprintable, and unprintable ones it allows must still load.
    allowed_unprintable = ["\xa0", "\xad", "\u200b", "\u2060", "\ue000", "\u0378", "\U000e0001"]
    refused = [chr(code) for code in range(0x10000) if REFUSED_IN_TEXT.match(chr(code))]
    assert len(refused) == 74
    for char in refused + allowed_unprintable:
        assert not char.isprintable()
        text = literal_scenario("ok").replace('title = "ok"', f'title = "a\\U{ord(char):08x}b"', 1)
        if char in refused:
            with pytest.raises(ScenarioError, match="contains the control character"):
                parse_scenario(text, "x.toml")
        else:
            assert parse_scenario(text, "x.toml").title == f"a{char}b"


def test_printable_escapes_exactly_its_characters_across_the_basic_multilingual_plane():
    escaped = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
    for code in range(0x10000):
        char = chr(code)
        assert (printable(char) != char) == bool(escaped.match(char)), hex(code)
    assert printable("a\tb\u202ec\udcff") == "a\\tb\\u202ec\\udcff"


def test_tabs_are_allowed_everywhere_and_newlines_only_in_description_and_notes():
    text = literal_scenario("a\tb", description="one\ntwo\tthree")
    scenario = parse_scenario(text, "x.toml")
    assert (scenario.title, scenario.description) == ("a\tb", "one\ntwo\tthree")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(literal_scenario("one\ntwo"), "x.toml")
    assert str(caught.value) == "x.toml: title: must be one line (a line break at position 4)"


def test_bp_tui_run_refuses_an_escape_in_a_title_before_printing_anything(hostile_file, capsys, tmp_path):
    path = tmp_path / "ansi.toml"
    path.write_text(literal_scenario("ok").replace('title = "ok"', 'title = "\\u001b]0;pwned\\u0007x"'))
    status, out, err = bp_tui_here("run", str(path))
    assert (status, out) == (2, "")
    assert err == (f"bp-tui: {path}: title: contains the control character '\\x1b' at position 1 "
                   "(text may hold tab and newline only)\n")
