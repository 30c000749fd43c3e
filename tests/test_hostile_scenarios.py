"""Scenario loading under attack: whatever a file holds, only a one-line ScenarioError comes out.

Hypothesis feeds the loader (and `bp-tui validate`) random TOML, valid scenarios with fields
changed, removed, retyped or wrongly nested, corrupted bytes, and arbitrary text and binary. The
property is the one a learner relies on: a clear one-line message naming the file and the field
(or the file alone when the text is not TOML), never a traceback, never a hang. Fixed examples
pin the extreme cases (huge and tiny numbers, deep nesting, BOM, CRLF, size limits) by message.
"""

from __future__ import annotations

import copy
import os
import re
import resource
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bp_tui.engine import scenario as scenario_module
from bp_tui.engine.scenario import (MAX_FILE_BYTES, ScenarioError, builtin_dir, load_scenario, parse_scenario,
                             printable)

from .helpers import bp_tui_here, bp_tui_process
from .scenario_factory import feature_grid, scenario_text

LABEL = "hostile.toml"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- what every error message must look like ---------------------------------------------------

PARSE_LEVEL = ("not valid TOML: ", "is not UTF-8 text", "is a binary file", "file is ", "no such file",
               "is a folder", "permission denied", "cannot read: ")
_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*")'
FIELD_PATH = re.compile(rf"{_KEY}(?:\[\d+\])*(?:\.{_KEY}(?:\[\d+\])*)*")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def field_path_of(message: str, label: str = LABEL) -> str | None:
    """The field a message names (None for a file-level message); asserts the message's shape."""
    assert "\n" not in message and "\r" not in message, f"not one line: {message!r}"
    assert not CONTROL.search(message), f"control character in message: {message!r}"
    prefix = printable(label) + ": "
    assert message.startswith(prefix), f"does not name the file first: {message!r}"
    rest = message[len(prefix):]
    if rest.startswith(PARSE_LEVEL) or re.match(r"\d+ bytes; the limit is", rest):
        return None
    match = FIELD_PATH.match(rest)
    assert match and rest[match.end():match.end() + 2] == ": " and len(rest) > match.end() + 2, (
        f"names no field: {message!r}")
    return match.group()


def split_path(path: str) -> list:
    """`network.weights[1][0]` -> ["network", "weights", 1, 0] (quoted keys stay as written)."""
    parts = []
    for key, index in re.findall(rf"({_KEY})|\[(\d+)\]", path):
        parts.append(int(index) if index else key)
    return parts


def resolves(document: dict, path: str) -> bool:
    """Whether the field a message names is in the document, or is a required key missing from a
    table that is (`training.learning_rate: is required`)."""
    node = document
    parts = split_path(path)
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return False
            node = node[part]
            continue
        if not isinstance(node, dict):
            return False
        matches = [k for k in node if scenario_module._key_text(k) == part
                   or (part.endswith('..."') and scenario_module._key_text(k).startswith(part[:-4]))]
        if not matches:
            return last
        node = node[matches[0]]
    return True


def check_text(data: bytes | str, document: dict | None = None, label: str = LABEL):
    """Parse; only ScenarioError may come out, and it must name the file and a real field."""
    try:
        return parse_scenario(data, label)
    except ScenarioError as exc:
        path = field_path_of(str(exc), label)
        if path is not None and document is not None:
            assert resolves(document, path), f"names a field that is not there: {exc}"
        return exc


# --- writing TOML from Python values (any value, so wrongly typed ones too) ---------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
# What a basic string cannot hold as itself: a quote, a backslash and the control characters. Only
# they are replaced, by one pass of the regular expression engine rather than a Python loop over
# every character (the strategies below write tens of thousands of strings).
_TO_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def toml_string(text: str) -> str:
    return '"' + _TO_ESCAPE.sub(_escape, text) + '"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return toml_string(str(value))  # dates and times: as strings


def toml_document(doc: dict, sections: bool = True) -> str:
    """Tables as [sections] and arrays of tables as [[entries]] (as people write them), else inline."""
    lines, tables = [], []
    for key, value in doc.items():
        if sections and isinstance(value, dict):
            tables.append((key, value))
        elif sections and isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append((key, value))
        else:
            lines.append(f"{toml_string(key)} = {toml_value(value)}")
    for key, value in tables:
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            lines.append(f"[[{toml_string(key)}]]" if isinstance(value, list) else f"[{toml_string(key)}]")
            lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in entry.items()]
    return "\n".join(lines) + "\n"


# --- strategies ---------------------------------------------------------------------------------

KNOWN_KEYS = sorted(scenario_module._TOP_KEYS | scenario_module._NETWORK_KEYS | scenario_module._TRAINING_KEYS
                    | scenario_module._EXPECT_KEYS | {"seed", "scale"})
KNOWN_WORDS = sorted(set(scenario_module.ACTIVATIONS + scenario_module.LOSSES + scenario_module.MODES
                         + scenario_module.BIAS_MODES + scenario_module.HIDDEN_DELTAS))
EXTREME_NUMBERS = [10**400, -(10**400), 2**63, -(2**63) - 1, 2**64, 1e308, -1e308, 1.7976931348623157e308,
                   5e-324, -5e-324, 2.2250738585072014e-308, -0.0, 0.0, 0, 1, -1, 64, 65, 100_000_000,
                   10_000, 10_001, 1000.0, 1000.0000000001, 1e-300, float("nan"), float("inf"),
                   float("-inf")]

keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=12))
scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),  # nan and infinities included
    st.sampled_from(EXTREME_NUMBERS),
    st.sampled_from(KNOWN_WORDS),
    st.text(max_size=40),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=8,
)
tables = st.dictionaries(keys, values, max_size=6)
documents = st.fixed_dictionaries(
    {},
    optional={"title": values, "network": st.one_of(tables, values), "training": st.one_of(tables, values),
              "expect": st.lists(tables, max_size=3)},
).flatmap(lambda doc: st.dictionaries(keys, values, max_size=3).map(lambda extra: {**extra, **doc}))


def _valid_documents() -> list[dict]:
    docs = [tomllib.loads(scenario_text(**kwargs)) for _id, kwargs in feature_grid()[::9]]
    for path in sorted(builtin_dir().glob("*.toml")):  # explicit weights, names, [[expect]], descriptions
        docs.append(tomllib.loads(path.read_text(encoding="utf-8")))
    return docs


VALID_DOCUMENTS = _valid_documents()


def places(node, path=()):
    """Every (container, key) in a document, for a mutation to pick from."""
    found = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        found.append((node, key))
        found += places(child, (*path, key))
    return found


def mutate(draw, where: list) -> str:
    """Apply one random edit a careless or hostile author could make at one of `where`, the places
    of a document; return what was done."""
    container, key = draw(st.sampled_from(where))
    old = container[key]
    kind = draw(st.sampled_from(["remove", "replace", "retype", "wrap", "unwrap", "extreme", "grow",
                                 "shrink", "unknown key", "deep"]))
    if kind == "remove":
        del container[key]
    elif kind == "replace":
        container[key] = draw(values)
    elif kind == "retype":
        container[key] = draw(st.sampled_from([str(old), [old], {"value": old}, True, 1, 1.5, "sigmoid"]))
    elif kind == "wrap":
        container[key] = [old]
    elif kind == "unwrap":
        container[key] = old[0] if isinstance(old, list) and old else old
    elif kind == "extreme":
        container[key] = draw(st.sampled_from(EXTREME_NUMBERS))
    elif kind == "grow" and isinstance(old, list):
        old.extend(draw(st.lists(values, min_size=1, max_size=3)) if not old else [copy.deepcopy(old[-1])])
    elif kind == "shrink" and isinstance(old, list) and old:
        old.pop(draw(st.integers(0, len(old) - 1)))
    elif kind == "unknown key" and isinstance(old, dict):
        old[draw(keys)] = draw(values)
    elif kind == "deep":
        container[key] = [[[[old]]]]
    return f"{kind} at {key!r}"


@st.composite
def mutated_scenarios(draw):
    doc = copy.deepcopy(draw(st.sampled_from(VALID_DOCUMENTS)))
    for _ in range(draw(st.integers(1, 3))):
        where = places(doc)  # (listed once for the check and the edit: a built-in has hundreds)
        if where:
            mutate(draw, where)
    return doc, draw(st.booleans())


@st.composite
def corrupted_bytes(draw):
    """A valid scenario's bytes with some bytes flipped, inserted or cut, and odd encodings."""
    doc = draw(st.sampled_from(VALID_DOCUMENTS))
    data = bytearray(toml_document(doc).encode("utf-8"))
    if draw(st.booleans()):
        data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
    if draw(st.booleans()):
        data[:0] = b"\xef\xbb\xbf"  # UTF-8 byte order mark
    for _ in range(draw(st.integers(0, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "cut"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(
                [b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\r", b"[", b"]", b"{", b'"', b"'''",
                 b"=", b"\n[network]\n", b"\x1b[31m", b"\\u001b", b"1e400", b"nan", b"\xef\xbb\xbf"]))
        elif action == "cut":
            del data[position:position + draw(st.integers(1, 40))]
        elif position < len(data):
            data[position] = draw(st.integers(0, 255))
    return bytes(data)


# --- properties ---------------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=250, **SETTINGS)
@given(documents, st.booleans())
def test_random_toml_documents_give_a_scenario_or_a_one_line_error_naming_the_field(doc, sections):
    check_text(toml_document(doc, sections), doc)


@pytest.mark.slow
@settings(max_examples=500, **SETTINGS)
@given(mutated_scenarios())
def test_mutated_valid_scenarios_give_a_scenario_or_a_one_line_error_naming_the_field(case):
    doc, sections = case
    found = check_text(toml_document(doc, sections), doc)
    if not isinstance(found, ScenarioError):
        assert found.layers == tuple(doc["network"]["layers"])  # what was accepted is what was written


@pytest.mark.slow
@settings(max_examples=250, **SETTINGS)
@given(corrupted_bytes())
def test_corrupted_bytes_give_a_scenario_or_a_one_line_error(data):
    check_text(data)


@settings(max_examples=150, **SETTINGS)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300),
                 st.text(alphabet="[]{}=\"'.,#\n\r\t 0123456789aeinfl-_+", max_size=200)))
def test_arbitrary_text_and_bytes_give_a_one_line_error(data):
    assert isinstance(check_text(data), ScenarioError)


@settings(max_examples=60, **SETTINGS)
@given(st.text(max_size=80))
def test_any_label_appears_escaped_on_one_line(label):
    error = check_text("this is not = = toml", label=label)
    assert isinstance(error, ScenarioError)
    assert str(error).startswith(printable(label) + ": not valid TOML")


_FILES = tempfile.TemporaryDirectory(prefix="bp-tui-hostile-")


@settings(max_examples=150, **SETTINGS)
@given(st.one_of(mutated_scenarios().map(lambda case: toml_document(case[0], case[1]).encode("utf-8")),
                 corrupted_bytes()))
@pytest.mark.slow
def test_validate_prints_ok_or_one_line_naming_file_and_field(data):
    path = Path(_FILES.name) / "scenario.toml"
    path.write_bytes(data)
    status, out, err = bp_tui_here("validate", str(path))
    if status == 0:
        assert err == "" and re.fullmatch(rf"{re.escape(str(path))}: ok \(\d+(-\d+)+, \d+ sample\(s\)\)\n", out)
    else:
        assert status == 2 and out == ""
        assert err.endswith("\n") and err.startswith("bp-tui: ")
        field_path_of(err[len("bp-tui: "):-1], str(path))


@settings(max_examples=100, **SETTINGS)
@given(st.text(max_size=60))
def test_any_path_given_to_load_scenario_gives_a_scenario_or_a_one_line_error(name):
    path = os.path.join(_FILES.name, "missing", name)  # nothing under it exists: no device, no fifo
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    field_path_of(str(caught.value), path)


# --- fixed examples: the extremes, by message ---------------------------------------------------

BASE = scenario_text(layers=(2, 2), samples=1)


def error_of(text: str | bytes) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, LABEL)
    message = str(caught.value)
    field_path_of(message)
    return message


@pytest.mark.parametrize("literal, shown", [
    (str(10**400), "a whole number of 401 digits"),
    (str(-(10**400)), "-a whole number of 401 digits"),
    ("1e400", "inf"),
    ("nan", "nan"),
    ("-inf", "-inf"),
])
def test_numbers_too_large_for_a_float_are_not_finite(literal, shown):
    text = BASE.replace("learning_rate = 0.5", f"learning_rate = {literal}")
    assert error_of(text) == f"{LABEL}: training.learning_rate: must be a finite number, got {shown}"


def test_a_whole_number_of_thousands_of_digits_is_refused_by_the_parser():
    text = BASE.replace("learning_rate = 0.5", "learning_rate = " + "9" * 5000)
    assert error_of(text) == f"{LABEL}: not valid TOML: a number has too many digits"


@pytest.mark.parametrize("value, accepted", [("5e-324", True), ("-0.0", False), ("0.0", False),
                                             ("1000.0", True), ("1000.0000000001", False)])
def test_learning_rate_bounds_at_the_edges(value, accepted):
    text = BASE.replace("learning_rate = 0.5", f"learning_rate = {value}")
    if accepted:
        assert parse_scenario(text, LABEL).learning_rate == float(value)
    else:
        assert "training.learning_rate: must be" in error_of(text)


def test_extreme_but_finite_weights_load_exactly():
    text = scenario_text(layers=(2, 2), samples=1).replace("init = { seed = 1, scale = 0.8 }",
                                                           "weights = [[[1e308, -5e-324], [-0.0, 2.2250738585072014e-308]]]\n"
                                                           "biases = [-1.7976931348623157e308]")
    scenario = parse_scenario(text, LABEL)
    assert scenario.weights == ((( 1e308, -5e-324), (-0.0, 2.2250738585072014e-308)),)
    assert str(scenario.weights[0][1][0]) == "-0.0"
    assert scenario.biases == (-1.7976931348623157e308,)


@pytest.mark.parametrize("depth", [100, 3000, 100_000])
def test_deeply_nested_arrays_and_tables_are_refused(depth):
    assert error_of("title = " + "[" * depth + "]" * depth + "\n").startswith(f"{LABEL}: ")
    assert error_of("x = " + "{a = " * depth + "1" + "}" * depth + "\n").startswith(f"{LABEL}: ")
    nested_weights = BASE.replace("init = { seed = 1, scale = 0.8 }",
                                  "biases = [0.1]\nweights = " + "[" * min(depth, 500) + "]" * min(depth, 500))
    message = error_of(nested_weights)
    assert message.startswith(f"{LABEL}: network.weights") or "nested too deeply" in message


def test_long_strings_are_refused_by_length_with_the_field():
    assert error_of(BASE.replace('title = "generated"', f'title = "{"x" * 201}"')) == (
        f"{LABEL}: title: is 201 characters; the limit is 200")
    assert error_of(BASE.replace('mode = "online"', f'mode = "{"x" * 500_000}"')) == (
        f"{LABEL}: training.mode: must be one of online, batch; got a string 'xxxxxxxxxxxxxxxxx...'")


def test_a_long_unknown_key_is_shortened_and_escaped():
    message = error_of(BASE.replace("[network]", f'"{"k" * 300}\\u001b" = 1\n[network]'))
    assert message == (f'{LABEL}: "{"k" * 37}...": unknown key (allowed: description, expect, network, '
                       "source, source_short, title, training)")
    message = error_of(BASE.replace("[training]", '[training]\n"two\\nlines" = 1'))
    assert message.startswith(f'{LABEL}: training."two\\nlines": unknown key (allowed: ')


def test_a_byte_order_mark_and_crlf_line_ends_are_accepted():
    plain = parse_scenario(BASE, LABEL)

    def same_but_bytes(data) -> bool:  # the file's bytes differ, and with them its digest only
        parsed = parse_scenario(data, LABEL)
        return parsed.digest != plain.digest and parsed._replace(digest=plain.digest) == plain

    assert same_but_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert same_but_bytes("\ufeff" + BASE)
    assert same_but_bytes(BASE.replace("\n", "\r\n"))
    text = BASE.replace('title = "generated"', 'description = """\nfirst line\nsecond line\n"""')
    assert parse_scenario(text.replace("\n", "\r\n"), LABEL).description == "first line\nsecond line\n"


def test_a_bare_carriage_return_or_a_second_bom_is_not_toml():
    assert error_of(BASE.replace("\n", "\r")).startswith(f"{LABEL}: not valid TOML: ")
    assert error_of("\ufeff\ufeff" + BASE).startswith(f"{LABEL}: not valid TOML: ")


@pytest.mark.parametrize("data, message", [
    (b"title = 'caf\xc3'\n", "is not UTF-8 text (a binary file?)"),
    (b"title = '\xed\xa0\x80'\n", "is not UTF-8 text (a binary file?)"),  # an encoded surrogate
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file, not TOML text"),
    ("title = '\udcff'\n", "is not UTF-8 text (a binary file?)"),
])
def test_binary_and_invalid_utf8_are_named_as_such(data, message):
    assert error_of(data) == f"{LABEL}: {message}"


# --- size limits, checked before anything is allocated --------------------------------------------


@pytest.fixture
def counted_numbers(monkeypatch):
    """Counts the numbers the validator converts: a size error must come before any of them."""
    calls = []
    original = scenario_module._Validator.number

    def number(self, value, where, *args, **kwargs):
        calls.append(where)
        return original(self, value, where, *args, **kwargs)

    monkeypatch.setattr(scenario_module._Validator, "number", number)
    return calls


def test_absurd_layer_sizes_fail_on_layers_before_weights_are_read(counted_numbers, monkeypatch):
    monkeypatch.setattr(scenario_module, "random_parameters",
                        lambda *a: pytest.fail("random_parameters called for an absurd network"))
    huge = BASE.replace("layers = [2, 2]", "layers = [2, 100000000, 2]")
    assert error_of(huge) == f"{LABEL}: network.layers[1]: must be between 1 and 64, got 100000000"
    with_weights = huge.replace("init = { seed = 1, scale = 0.8 }", "weights = [[[0.1, 0.2]], [[0.3]]]")
    assert error_of(with_weights) == f"{LABEL}: network.layers[1]: must be between 1 and 64, got 100000000"
    many = BASE.replace("layers = [2, 2]", "layers = [" + ", ".join(["2"] * 17) + "]")
    assert error_of(many) == f"{LABEL}: network.layers: has 17 entries; the limit is 16"
    assert counted_numbers == []


@pytest.mark.slow
def test_oversized_arrays_fail_on_their_length_before_any_entry_is_read(counted_numbers):
    tall = BASE.replace("init = { seed = 1, scale = 0.8 }",
                        "biases = [0.1]\nweights = [[" + "[1,2]," * 100_000 + "]]")
    assert error_of(tall) == f"{LABEL}: network.weights[0]: expected 2 entries, got 100000"
    wide = BASE.replace("init = { seed = 1, scale = 0.8 }",
                        "biases = [0.1]\nweights = [[[" + ", ".join(["0.5"] * 200_000) + "], [0.1, 0.2]]]")
    assert error_of(wide) == f"{LABEL}: network.weights[0][0]: expected 2 entries, got 200000"
    samples = BASE.replace("inputs = [", "inputs = [" + "[0.1, 0.2], " * 10_001, 1)
    assert error_of(samples) == f"{LABEL}: training.inputs: has 10002 entries; the limit is 10000"
    assert counted_numbers == ["network.init.scale"]  # the only number before the samples


def test_text_over_one_mebibyte_is_refused_by_size_before_parsing(monkeypatch):
    monkeypatch.setattr(tomllib, "loads", lambda *a: pytest.fail("parsed a file over the limit"))
    data = BASE + "#" * (MAX_FILE_BYTES + 1 - len(BASE))
    assert error_of(data) == f"{LABEL}: {MAX_FILE_BYTES + 1} bytes; the limit is {MAX_FILE_BYTES}"


def test_files_over_one_mebibyte_are_refused_by_their_size_without_reading(tmp_path, monkeypatch):
    exact = tmp_path / "exact.toml"
    exact.write_text(BASE + "#" * (MAX_FILE_BYTES - len(BASE)))
    assert exact.stat().st_size == MAX_FILE_BYTES
    assert load_scenario(exact).layers == (2, 2)
    sparse = tmp_path / "ten-gigabytes.toml"  # a 10,000 x 10,000 weights array would be about this big
    with open(sparse, "wb") as stream:
        stream.truncate(10**10)
    monkeypatch.setattr(scenario_module, "parse_scenario", lambda *a: pytest.fail("read past the size check"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(sparse)
    assert str(caught.value) == f"{sparse}: file is 10000000000 bytes; the limit is {MAX_FILE_BYTES}"


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def bp_subprocess(*args, env=None):
    """The command in a child process that cannot take more than 2 GiB, its output as bytes."""
    return bp_tui_process(*args, text=False, timeout=60, preexec_fn=_limit_memory, env=env)


def test_endless_devices_are_refused_after_reading_just_past_the_limit():
    out = bp_subprocess("validate", "/dev/zero", "/dev/urandom")
    assert out.returncode == 2
    assert out.stderr.decode().splitlines() == [
        f"bp-tui: /dev/zero: file is larger than the limit of {MAX_FILE_BYTES} bytes",
        f"bp-tui: /dev/urandom: file is larger than the limit of {MAX_FILE_BYTES} bytes",
    ]


# --- bp-tui validate, for real ------------------------------------------------------------------


def test_validate_reports_every_bad_file_on_its_own_line_in_order(tmp_path):
    files = {
        "good.toml": BASE,
        "shape.toml": BASE.replace("inputs = [[", "inputs = [[1.0, "),
        "nan.toml": BASE.replace("learning_rate = 0.5", "learning_rate = nan"),
        "deep.toml": "x = " + "[" * 5000 + "]" * 5000,
        "key.toml": BASE.replace("[training]", '[training]\n"a\\u001b[2Jb" = 1'),
        "binary.toml": b"\x00\xff" * 100,
        "bom.toml": b"\xef\xbb\xbf" + BASE.encode(),
    }
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        paths.append(str(path))
    # In this process (a child cost about 0.25 s of CPU for the same lines and status); the command's
    # own process, its exit status and its encoding of what it prints, is the next test's.
    out = bp_tui_here("validate", *paths, str(tmp_path), str(tmp_path / "missing.toml"))
    assert out.returncode == 2
    assert out.stdout.splitlines() == [f"{tmp_path}/good.toml: ok (2-2, 1 sample(s))",
                                       f"{tmp_path}/bom.toml: ok (2-2, 1 sample(s))"]
    assert out.stderr.splitlines() == [
        f"bp-tui: {tmp_path}/shape.toml: training.inputs[0]: expected 2 entries, got 3",
        f"bp-tui: {tmp_path}/nan.toml: training.learning_rate: must be a finite number, got nan",
        f"bp-tui: {tmp_path}/deep.toml: not valid TOML: nested too deeply",
        f'bp-tui: {tmp_path}/key.toml: training."a\\x1b[2Jb": unknown key (allowed: hidden_deltas_use, '
        "inputs, learning_rate, loss, mode, momentum, targets, train_biases, update)",
        f"bp-tui: {tmp_path}/binary.toml: is a binary file, not TOML text",
        f"bp-tui: {tmp_path}: is a folder, not a scenario file",
        f"bp-tui: {tmp_path}/missing.toml: no such file",
    ]


def test_file_names_with_escapes_or_invalid_utf8_are_printed_escaped(tmp_path):
    good = os.path.join(os.fsencode(tmp_path), b"\xff\x1b[31mred.toml")
    bad = os.path.join(os.fsencode(tmp_path), b"bad\nline.toml")
    with open(good, "w") as stream:
        stream.write(BASE)
    with open(bad, "w") as stream:
        stream.write("not toml")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # strict: a raw surrogate would crash the print
    out = bp_subprocess("validate", good, bad, env=env)
    assert out.returncode == 2
    assert out.stdout.decode() == f"{tmp_path}/\\udcff\\x1b[31mred.toml: ok (2-2, 1 sample(s))\n"
    assert out.stderr.decode().startswith(f"bp-tui: {tmp_path}/bad\\nline.toml: not valid TOML: ")
    assert out.stderr.decode().count("\n") == 1 and b"\x1b" not in out.stdout + out.stderr


@pytest.mark.parametrize("name, message", [
    ("~no_such_user_bp_tui/x.toml", "~no_such_user_bp_tui/x.toml: no such file"),
    ("x" * 5000 + ".toml", "x" * 5000 + ".toml: cannot read: File name too long"),
    ("nul\x00.toml", "nul\\x00.toml: no such file (that is not a possible file name)"),
])
def test_impossible_paths_are_scenario_errors(name, message):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name)
    assert str(caught.value) == message
