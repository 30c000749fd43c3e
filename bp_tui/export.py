"""Worked-example export: the records of one or more rounds as Markdown, LaTeX, CSV or JSON.

Markdown and LaTeX read as a complete hand calculation a learner can give a teacher: what the
network is, then every sub-step in the order a calculation by hand follows (forward pass, error,
backward pass through the output layer and then the hidden layers, update, new error), each with
its formula, the same formula with the numbers in it, the result, and one sentence saying why.
CSV and JSON carry the same records for spreadsheets and scripts.

Everything taken from a scenario file (title, description, source, neuron names) is escaped so
that it prints literally: a title such as ``50% & $x_1$`` must not break either document.

The ASCII formulas of the records (``net_h1 = w1*i1 + w2*i2 + b1*1``) become LaTeX through a small
parser (`latex_math`); anything it cannot read is shown verbatim as text rather than guessed at.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
from dataclasses import dataclass
from typing import Sequence

from .network import Params
from .records import PHASE_LABELS, Step, num, value_text
from .scenario import Scenario
from .stepper import Stepper

FORMATS = ("md", "tex", "csv", "json")
CSV_COLUMNS = ("epoch", "sample", "phase", "quantity", "formula", "substituted", "value")
TERMS_PER_LINE = 4  # a long sum is broken over several lines after this many terms

__all__ = ["CSV_COLUMNS", "FORMATS", "export", "export_records", "export_round", "latex_math",
           "markdown_escape", "suggested_filename", "tex_escape"]


# --- public functions ---------------------------------------------------------------------------


def export(scenario: Scenario, fmt: str, epochs: int = 1) -> str:
    """The first `epochs` rounds of a scenario as one document in format `fmt` (md, tex, csv, json).

    Rounds after a divergence cannot be computed; the document ends before them and says so.
    """
    _check_format(fmt)
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    stepper = Stepper(scenario)
    records: list[Step] = []
    for epoch in range(epochs):
        if not stepper.can_enter(epoch):
            break
        records.extend(stepper.round_records(epoch))
    return _render(_Document(scenario, records, stepper.state_at(0).params, epochs, stepper.diverged_at), fmt)


def export_records(scenario: Scenario, records: Sequence[Step], fmt: str, start: Params | None = None) -> str:
    """Given records (e.g. the round on screen) as a document in format `fmt`.

    `start` is the parameters before the first of those records' rounds, for the network table;
    without it they are recomputed from the scenario (right unless the learner edited them).
    """
    _check_format(fmt)
    records = list(records)
    if start is None:
        first = records[0].epoch if records else 1
        start = Stepper(scenario).state_at(first - 1).params
    return _render(_Document(scenario, records, start), fmt)


def export_round(stepper: Stepper, fmt: str, epoch: int | None = None) -> str:
    """One round of a stepper (by default the one on screen) as a document: the app's `x` key."""
    epoch = stepper.epoch if epoch is None else epoch
    return export_records(stepper.scenario, stepper.round_records(epoch), fmt, stepper.state_at(epoch).params)


def suggested_filename(scenario: Scenario, fmt: str, first: int = 1, last: int | None = None) -> str:
    """A file name for an export of rounds first..last, e.g. ``mazur-round-1.md``."""
    _check_format(fmt)
    last = first if last is None else last
    match = re.fullmatch(r"built-in '(.+)'", scenario.origin)
    if match:
        stem = match.group(1)
    else:
        stem = re.sub(r"\.toml$", "", scenario.origin.replace("\\", "/").split("/")[-1])
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.ASCII).strip("-.") or "scenario"
    rounds = f"round-{first}" if first == last else f"rounds-{first}-{last}"
    return f"{stem}-{rounds}.{fmt}"


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")


@dataclass
class _Document:
    scenario: Scenario
    records: list[Step]
    start: Params  # parameters before the first round shown
    requested: int | None = None  # rounds asked for (export); None for a given list of records
    diverged_at: int | None = None

    @property
    def first_round(self) -> int:
        return self.records[0].epoch if self.records else 1

    @property
    def rounds(self) -> list[int]:
        return sorted({step.epoch for step in self.records})

    @property
    def cut_short(self) -> bool:
        return self.requested is not None and len(self.rounds) < self.requested


def _render(doc: _Document, fmt: str) -> str:
    return {"md": _markdown, "tex": _latex, "csv": _csv, "json": _json}[fmt](doc)


# --- CSV and JSON --------------------------------------------------------------------------------


def _csv(doc: _Document) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for step in doc.records:
        sample = "" if step.sample is None else step.sample + 1
        writer.writerow([step.epoch, sample, step.phase, step.quantity, step.formula, step.substituted,
                         repr(float(step.value))])
    return out.getvalue()


def _json(doc: _Document) -> str:
    sc = doc.scenario
    scenario = {
        "title": sc.title, "description": sc.description, "source": sc.source, "origin": sc.origin,
        "digest": sc.digest, "layers": list(sc.layers), "activations": list(sc.activations),
        "names": [list(row) for row in sc.names], "bias": sc.bias, "weights": sc.weights,
        "biases": sc.biases, "inputs": sc.inputs, "targets": sc.targets, "learning_rate": sc.learning_rate,
        "loss": sc.loss, "mode": sc.mode, "train_biases": sc.train_biases, "momentum": sc.momentum,
        "hidden_deltas_use": sc.hidden_deltas_use,
    }
    data = {
        "scenario": scenario,
        "start": {"round": doc.first_round, "weights": doc.start.weights, "biases": doc.start.biases},
        "steps": [dataclasses.asdict(step) for step in doc.records],
    }
    return json.dumps(_finite_or_null(data), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _finite_or_null(value):
    """JSON has no NaN or infinity: a diverged value is written as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite_or_null(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_null(item) for item in value]
    return value


# --- escaping -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<$&~^])")


def _clean(text: str) -> str:
    """Control characters (which TOML escapes allow) become spaces; tabs become spaces too."""
    return _CONTROL.sub(" ", text.replace("\t", " "))


def markdown_escape(text: str) -> str:
    """Text that Markdown prints literally: every character with a meaning gets a backslash.

    Line starts are also made harmless (no headings, lists, quotes or code blocks), so a
    multi-line description stays plain paragraphs.
    """
    return "\n".join(_md_line_start(_md_inline(line.strip())) for line in _clean(text).split("\n"))


def _md_inline(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _clean(text))


def _md_line_start(line: str) -> str:
    line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)  # "1." would start a numbered list
    return re.sub(r"^([-+=:>])", r"\\\1", line)  # a list item, a quote, "===" making a heading


_TEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
}


def tex_escape(text: str) -> str:
    """Text that LaTeX prints literally (in text mode, or inside \\text{} in maths).

    Blank lines are kept as paragraph breaks; ligatures that would change what is printed
    (-- into a dash, `` and '' into curly quotes) are broken apart.
    """
    paragraphs = re.split(r"\n\s*\n", _clean(text).strip())
    return "\n\n".join(_tex_inline(" ".join(p.split())) for p in paragraphs if p.strip())


def _tex_inline(text: str) -> str:
    escaped = "".join(_TEX_SPECIAL.get(c, c) for c in _clean(text))
    escaped = re.sub(r"([-`',!?])(?=[-`',])", r"\1{}", escaped)
    return escaped.replace("[", "{[}").replace("]", "{]}")  # never read as an optional argument


def _prose_md(text: str, line_start: bool = True) -> str:
    """Our own sentences, where `...` marks code (a name or formula): Markdown."""
    parts = text.split("`")
    out = "".join(f"`{part}`" if i % 2 else _md_inline(part) for i, part in enumerate(parts))
    return _md_line_start(out) if line_start else out


def _prose_tex(text: str) -> str:
    """Our own sentences, where `...` marks code (a name or formula): LaTeX."""
    parts = text.split("`")
    return "".join(rf"\texttt{{{_tex_inline(part)}}}" if i % 2 else _tex_inline(part)
                   for i, part in enumerate(parts))


# --- ASCII formulas to LaTeX --------------------------------------------------------------------

_IDENT = r"[^\W\d]\w*"
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<sumof>\(sum of (?P<body>.+?) over the (?:\d+ )?samples\))"
    rf"|(?P<deriv>\bd(?P<top>{_IDENT})/d(?P<bottom>{_IDENT}))"
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)"
    rf"|(?P<ident>{_IDENT}(?:\+(?![\w(]))?)"
    r"|(?P<op>[-+*/^(),=>])"
    r")"
)
_WORDS = {"eta": r"\eta", "mu": r"\mu", "e": "e", "nan": r"\mathrm{NaN}", "inf": r"\infty"}
_FUNCTIONS = {"ln": r"\ln", "tanh": r"\tanh", "max": r"\max"}
_PREFIXES = {"net": "net", "out": "out", "target": "target", "delta": r"\delta", "E": "E", "b": "b"}


class _Unreadable(ValueError):
    """A formula the converter does not understand (shown verbatim instead)."""


def _tokens(text: str) -> list[tuple[str, object]]:
    found, pos, text = [], 0, text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise _Unreadable(text[pos:])
        pos = match.end()
        if match.group("sumof"):
            found.append(("sumof", match.group("body")))
        elif match.group("deriv"):
            found.append(("deriv", (match.group("top"), match.group("bottom"))))
        else:
            kind = next(k for k in ("num", "ident", "op") if match.group(k))
            found.append((kind, match.group(kind)))
    return found


class _Parser:
    """Recursive descent over the records' formula language; builds a small tree of tuples.

    equation := cases ('=' cases)* ; cases := sum ['if' sum '>' sum ',' 'else' sum]
    sum := product (('+'|'-') product)* ; product := unary (('*'|'/') unary)*
    unary := '-' unary | power ; power := atom ['^' unary] ; atom := number | name | call | (sum)
    A minus sign directly before a number belongs to the number: substituted formulas put values,
    some of them negative, where the names were (1 - -0.3^2 means 1 - (-0.3)^2).
    """

    def __init__(self, text: str):
        self.items = _tokens(text)
        self.pos = 0

    def peek(self, offset: int = 0):
        index = self.pos + offset
        return self.items[index] if index < len(self.items) else (None, None)

    def take(self, kind=None, value=None):
        item = self.peek()
        if item[0] is None or (kind and item[0] != kind) or (value is not None and item[1] != value):
            raise _Unreadable(f"expected {value or kind}, found {item[1]!r}")
        self.pos += 1
        return item

    def at(self, kind, value=None) -> bool:
        item = self.peek()
        return item[0] == kind and (value is None or item[1] == value)

    def equation(self) -> list:
        sides = [self.cases()]
        while self.at("op", "="):
            self.take()
            sides.append(self.cases())
        if self.pos != len(self.items):
            raise _Unreadable(f"unexpected {self.peek()[1]!r}")
        return sides

    def cases(self):
        value = self.sum()
        if not self.at("ident", "if"):
            return value
        self.take()
        left = self.sum()
        self.take("op", ">")
        right = self.sum()
        self.take("op", ",")
        self.take("ident", "else")
        return ("cases", value, left, right, self.sum())

    def sum(self):
        terms = [("", self.product())]
        while self.at("op", "+") or self.at("op", "-"):
            sign = self.take()[1]
            terms.append((sign, self.product()))
        return terms[0][1] if len(terms) == 1 else ("sum", terms)

    def product(self):
        node = self.unary()
        while self.at("op", "*") or self.at("op", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.at("op", "-"):
            self.take()
            if self.at("num"):
                return self.power(("num", "-" + self.take()[1]))
            return ("neg", self.unary())
        return self.power(self.atom())

    def power(self, base):
        if self.at("op", "^"):
            self.take()
            return ("pow", base, self.unary())
        return base

    def atom(self):
        kind, value = self.peek()
        if kind == "num":
            self.take()
            return ("num", value)
        if kind == "deriv":
            self.take()
            return ("deriv", *value)
        if kind == "sumof":
            self.take()
            return ("sumof", _Parser(value).whole())
        if kind == "ident" and value in _FUNCTIONS and self.peek(1) == ("op", "("):
            self.take()
            self.take("op", "(")
            args = [self.sum()]
            while self.at("op", ","):
                self.take()
                args.append(self.sum())
            self.take("op", ")")
            return ("call", value, args)
        if kind == "ident" and value not in ("if", "else"):
            self.take()
            return ("ident", value)
        if kind == "op" and value == "(":
            self.take()
            inner = self.sum()
            self.take("op", ")")
            return ("paren", inner)
        raise _Unreadable(f"unexpected {value!r}")

    def whole(self):
        node = self.cases()
        if self.pos != len(self.items):
            raise _Unreadable(f"unexpected {self.peek()[1]!r}")
        return node


def _sub(text: str) -> str:
    """A subscript: bare when one character (w_5), in braces otherwise (net_{h1})."""
    return f"_{text}" if len(text) == 1 else f"_{{{text}}}"


def _name_part(name: str) -> str:
    """A neuron name in maths: as written when letters and digits, upright when it has _, and as
    text when it has other letters (which only text mode can print under pdfLaTeX)."""
    if re.fullmatch(r"[A-Za-z0-9]+", name):
        return name
    if re.fullmatch(r"\w+", name, flags=re.ASCII):
        escaped = name.replace("_", r"\_")
        return rf"\mathrm{{{escaped}}}"
    return rf"\text{{{tex_escape(name)}}}"


def _neuron(name: str) -> str:
    """A neuron name standing alone (an input in a formula): i1 -> i_1, as the article writes it."""
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
    if match:
        return match.group(1) + _sub(match.group(2))
    return _name_part(name)


def _ident(name: str) -> str:
    mark = name.endswith("+")
    base = name[:-1] if mark else name
    if base in _WORDS:
        text = _WORDS[base]
    elif re.fullmatch(r"[wb]\d+", base):
        text = base[0] + _sub(base[1:])
    else:
        head, _, rest = base.partition("_")
        if rest and head == "v":  # a running gradient: v_w5 -> v_{w_5}
            text = f"v_{{{_ident(rest)}}}"
        elif rest and head in _PREFIXES:
            text = _PREFIXES[head] + _sub(_name_part(rest))
        else:
            text = _neuron(base)
    return text + "^{+}" if mark else text


def _number(text: str) -> str:
    match = re.fullmatch(r"(-?[\d.]+)[eE]([+-]?\d+)", text)
    if match:
        return rf"{match.group(1)} \times 10^{{{int(match.group(2))}}}"
    return text


def _strip(node):
    return node[1] if node[0] == "paren" else node


def _tex(node) -> str:
    kind = node[0]
    if kind == "num":
        return _number(node[1])
    if kind == "ident":
        return _ident(node[1])
    if kind == "deriv":
        return rf"\frac{{\partial {_ident(node[1])}}}{{\partial {_ident(node[2])}}}"
    if kind == "paren":
        return f"({_tex(node[1])})"
    if kind == "neg":
        inner = _tex(node[1])
        return f"-({inner})" if inner.startswith("-") else f"-{inner}"
    if kind == "call":
        return f"{_FUNCTIONS[node[1]]}(" + ", ".join(_tex(a) for a in node[2]) + ")"
    if kind == "pow":
        base = _tex(node[1])
        if node[1][0] in ("pow", "neg", "sum", "bin") or (node[1][0] == "num" and (
                base.startswith("-") or "times" in base)):
            base = f"({base})"
        elif "^" in base and node[1][0] != "paren":
            base = f"{{{base}}}"
        return f"{base}^{{{_tex(_strip(node[2]))}}}"
    if kind == "bin":
        _, op, left, right = node
        if op == "*":
            return f"{_tex(left)} \\cdot {_wrap_negative(_tex(right))}"
        if left[0] == "sumof":
            count = _tex(_strip(right))
            return rf"\frac{{1}}{{{count}}} \sum_{{s=1}}^{{{count}}} {_tex(left[1])}"
        return rf"\frac{{{_tex(_strip(left))}}}{{{_tex(_strip(right))}}}"
    if kind == "sum":
        return _join_terms(node[1])
    if kind == "sumof":
        return rf"\sum_{{s}} {_tex(node[1])}"
    if kind == "cases":
        _, value, left, right, other = node
        return (rf"\begin{{cases}} {_tex(value)} & \text{{if }} {_tex(left)} > {_tex(right)} \\ "
                rf"{_tex(other)} & \text{{otherwise}} \end{{cases}}")
    raise _Unreadable(kind)


def _wrap_negative(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _join_terms(terms) -> str:
    parts = []
    for sign, term in terms:
        text = _tex(term)
        parts.append(text if not sign else f"{sign} {_wrap_negative(text)}")
    return " ".join(parts)


def _side_lines(node, per_line: int) -> list[str]:
    """One side of an equation as lines: a long sum is cut after every `per_line` terms."""
    if node[0] != "sum" or len(node[1]) <= per_line:
        return [_tex(node)]
    terms = node[1]
    return [_join_terms(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]


def latex_math(text: str) -> str:
    r"""An ASCII formula or equation of the records in LaTeX maths.

    For example dE_total/dw5 = delta_o1 * out_h1 becomes
    \frac{\partial E_{total}}{\partial w_5} = \delta_{o1} \cdot out_{h1}.
    A formula it cannot read comes back as escaped text, never as broken LaTeX.
    """
    try:
        return " = ".join(_tex(side) for side in _Parser(text).equation())
    except (_Unreadable, RecursionError):
        return rf"\text{{{tex_escape(text)}}}"


def _step_lines(step: Step, per_line: int = TERMS_PER_LINE) -> list[str]:
    """The aligned lines of a step: name = symbols, = numbers, = result (with & before each =)."""
    try:
        sides = _Parser(step.formula).equation()
        substituted = _Parser(step.substituted).whole()
    except (_Unreadable, RecursionError):
        return [rf"&\text{{{tex_escape(step.formula)}}}", rf"&\text{{{tex_escape('= ' + step.substituted)}}}",
                f"&= {_result(step.value)}"]
    lines = []
    lhs, rhs = sides[0], sides[-1]
    for index, part in enumerate(_side_lines(rhs, per_line)):
        lines.append((f"{_tex(lhs)} &= " if index == 0 else r"&\quad ") + part)
    for index, part in enumerate(_side_lines(substituted, per_line)):
        lines.append(("&= " if index == 0 else r"&\quad ") + part)
    lines.append(f"&{_equals(step.value)} {_result(step.value)}")
    return lines


def _shown(value: float) -> str:
    """A result as the records show it (9 decimals), in scientific notation when it is huge."""
    if math.isfinite(value) and abs(value) >= 1e9:
        return f"{value:.9e}"
    return value_text(value)


def _result(value: float) -> str:
    if math.isnan(value):
        return _WORDS["nan"]
    if math.isinf(value):
        return _WORDS["inf"] if value > 0 else "-" + _WORDS["inf"]
    return _number(_shown(value))


def _equals(value: float) -> str:
    """= when the 9-decimal result is the value, approximately equal when digits were cut off.

    A difference in the last bits of a float (0.3925 computed as 0.39250000000000007) is not a cut.
    """
    if not math.isfinite(value):
        return "="
    shown = float(_shown(value))
    return "=" if abs(shown - value) <= 1e-12 * max(1.0, abs(value)) else r"\approx"


def _aligned(step: Step, environment: str) -> str:
    return f"\\begin{{{environment}}}\n" + " \\\\\n".join(_step_lines(step)) + f"\n\\end{{{environment}}}"


# --- what a worked example says (shared by Markdown and LaTeX) ----------------------------------
#
# Our own sentences use `...` to mark code (a name or a formula). Text from the scenario file is
# never parsed as markup: it is escaped whole.

ACTIVATION_WORDS = {
    "sigmoid": "the logistic function `1/(1 + e^(-x))`",
    "tanh": "`tanh(x)`",
    "relu": "ReLU, `max(0, x)`",
    "linear": "linear (the output is the net input)",
    "softmax": "softmax (outputs that add up to 1)",
}
LOSS_WORDS = {
    "half-sse": "half the sum of the squared gaps between targets and outputs",
    "mse": "the mean over the outputs of the squared gaps",
    "cross-entropy": "cross-entropy of the softmax outputs",
}
LOSS_MATH = {
    "half-sse": r"E = \sum_{k} \frac{1}{2}(target_{k} - out_{k})^{2}",
    "mse": r"E = \frac{1}{n} \sum_{k} (target_{k} - out_{k})^{2}",
    "cross-entropy": r"E = -\sum_{k} target_{k} \cdot \ln(out_{k})",
}
PHASE_INTROS = {
    "forward": "Each neuron adds up its incoming values, each multiplied by the weight of its connection "
               "(plus the bias): that is its net input. The activation function turns the net input into "
               "the neuron's output, and the outputs of one layer are the inputs of the next.",
    "error": "The outputs are compared with the targets. Each output neuron has its own error term, and "
             "the terms add up to the error of the sample.",
    "error-set": "With several samples, the error of the whole training set is the mean of the samples' "
                 "errors; a batch update follows the gradient of that mean.",
    "backward-output": "Now the error is traced back. For an output neuron the chain rule splits the effect "
                       "of its net input on the error into two factors: how the error changes with the "
                       "neuron's output, and how the output changes with the net input. Their product is "
                       "the neuron's delta. A weight's gradient is the delta of the neuron it feeds times "
                       "the value it carries.",
    "backward-hidden": "A hidden neuron has no target, so its effect on the error is gathered from every "
                       "neuron it feeds: each one passes back its delta times the connecting weight. The "
                       "sum, times the slope of the hidden neuron's activation, is its delta, and the "
                       "gradients of its incoming weights follow as before.",
    "update": "Every trained parameter now moves a small step against its gradient; the learning rate "
              "`eta` sets the size of the step. A name ending in `+` is the value after the update.",
    "evaluate": "The sample goes forward once more, with the new parameters. Comparing this error with the "
                "one before the update shows what the round achieved.",
    "evaluate-set": "The mean of the samples' new errors is the error of the training set after this round.",
}
READING_GUIDE = (
    "Each round is laid out in the order of a calculation by hand: the forward pass, the error, the "
    "backward pass (first through the output layer, then back through the hidden layers), the update of "
    "the parameters, and finally the error again with the updated parameters. Every sub-step gives its "
    "formula, the same formula with the numbers put in, and the result to 9 decimals. The calculation "
    "itself keeps every digit, so redoing a step from the rounded numbers shown can differ in the last "
    "decimal."
)
NAMING_GUIDE = (
    "Weights are numbered `w1`, `w2`, ... layer by layer. Inside a layer, the weights into the first "
    "receiving neuron come first, in the order of the neurons they come from, so that "
    "`net_h1 = w1*i1 + w2*i2 + b1*1`. A neuron's delta is the rate at which the error grows with its net "
    "input; `dE_total/dw5` is the rate at which it grows with `w5` (the gradient); `eta` is the learning "
    "rate."
)


def _code(name: str) -> str:
    return f"`{name}`"


def _describe_layers(sc: Scenario) -> list[str]:
    """One line per layer: its role, its neurons and its activation."""
    lines = []
    last = len(sc.layers) - 1
    for index, names in enumerate(sc.names):
        if index == 0:
            role = "Input layer"
        elif index == last:
            role = "Output layer"
        else:
            role = "Hidden layer" if last == 2 else f"Hidden layer {index}"
        line = f"{role}: {len(names)} neuron{'s' if len(names) != 1 else ''} ({', '.join(map(_code, names))})"
        if index:
            line += f", activation {ACTIVATION_WORDS[sc.activations[index - 1]]}"
        lines.append(line)
    return lines


def _settings(sc: Scenario) -> list[str]:
    items = [f"Error of one sample (`{sc.loss}`): {LOSS_WORDS[sc.loss]}",
             f"Learning rate `eta = {num(sc.learning_rate)}`"]
    if sc.momentum:
        items.append(f"Momentum `mu = {num(sc.momentum)}`: each parameter keeps a running gradient "
                     "`v = mu*v + gradient` and steps along it")
    samples = len(sc.inputs)
    if samples > 1:
        items.append(f"{samples} training samples, " + (
            "one update after each sample, in order (online)" if sc.mode == "online"
            else "one update per round from the mean error over all of them (batch)"))
    bias_words = {"shared": "one bias per layer, shared by its neurons",
                  "per-neuron": "one bias for each neuron", "none": "none"}[sc.bias]
    if sc.bias != "none":
        bias_words += ", trained like the weights" if sc.train_biases else ", kept fixed (not trained)"
    items.append(f"Biases: {bias_words}")
    if sc.hidden_deltas_use == "updated":
        items.append("The hidden deltas use the output-side weights after their update (the order of the "
                     "article's summary code). The usual rule takes every gradient of a round at the same "
                     "point, before any update")
    return items


def _tables(doc: _Document) -> list[tuple]:
    """(title, header, alignment, rows) of the weights, biases and samples; cells are prose."""
    sc, layout, start = doc.scenario, doc.scenario.layout, doc.start
    weights = [(_code(name), _code(layout.neuron_names[l][k]), _code(layout.neuron_names[l + 1][j]),
                num(start.weights[l][j][k]))
               for l, layer in enumerate(layout.weight_names)
               for j, row in enumerate(layer) for k, name in enumerate(row)]
    tables = [(f"Weights at the start of round {doc.first_round}", ("weight", "from", "to", "value"), "lllr",
               weights)]
    if start.biases is not None:
        biases = []
        for l in range(len(sc.layers) - 1):
            if sc.bias == "shared":
                biases.append((_code(layout.bias_name(l, 0)), ", ".join(map(_code, sc.names[l + 1])),
                               num(start.biases[l])))
            else:
                biases += [(_code(layout.bias_name(l, j)), _code(name), num(start.biases[l][j]))
                           for j, name in enumerate(sc.names[l + 1])]
        title = f"Biases at the start of round {doc.first_round}" + ("" if sc.train_biases else " (fixed)")
        tables.append((title, ("bias", "added to", "value"), "llr", biases))
    samples = [(str(s + 1), _assignments(sc.names[0], x), _assignments(sc.names[-1], t))
               for s, (x, t) in enumerate(zip(sc.inputs, sc.targets))]
    tables.append(("Training samples", ("sample", "inputs", "targets"), "lll", samples))
    return tables


def _assignments(names, values) -> str:
    return ", ".join(f"`{n} = {num(v)}`" for n, v in zip(names, values))


@dataclass
class _Group:
    """A run of records under one heading: one phase of one sample (and one layer when backward)."""

    epoch: int
    key: tuple
    title: str  # prose
    intro: str  # prose
    steps: list[Step]


def _groups(doc: _Document) -> list[_Group]:
    sc = doc.scenario
    top = len(sc.layers) - 1
    several = len(sc.inputs) > 1
    groups: list[_Group] = []
    for step in doc.records:
        key = (step.epoch, step.sample, step.phase) + ((step.layer,) if step.phase == "backward" else ())
        if groups and groups[-1].key == key:
            groups[-1].steps.append(step)
            continue
        title, intro = _group_heading(sc, step, top)
        if several and step.sample is not None:
            title += f", sample {step.sample + 1}"
        elif several and step.phase == "update":
            title += ", from all samples"
        groups.append(_Group(step.epoch, key, title, intro, [step]))
    return groups


def _group_heading(sc: Scenario, step: Step, top: int) -> tuple[str, str]:
    label = PHASE_LABELS[step.phase]
    title = label[:1].upper() + label[1:]
    if step.phase == "backward":
        if step.layer == top:
            return f"{title}: output layer", PHASE_INTROS["backward-output"]
        which = "hidden layer" if top == 2 else f"hidden layer {step.layer}"
        return (f"{title}: {which} ({', '.join(map(_code, sc.names[step.layer]))})",
                PHASE_INTROS["backward-hidden"])
    if step.phase == "error" and step.sample is None:
        return "Error of the training set", PHASE_INTROS["error-set"]
    if step.phase == "evaluate" and step.sample is None:
        return "New error of the training set", PHASE_INTROS["evaluate-set"]
    return title, PHASE_INTROS[step.phase]


def _round_summary(steps: list[Step]) -> str | None:
    """The training-set error before and after a round, as far as the records tell it."""
    after = [s for s in steps if s.quantity in ("E_total+", "E_mean+")]
    before = [s for s in steps if s.quantity == "E_mean"] or [s for s in steps if s.quantity == "E_total"]
    if not after:
        return None
    end = after[-1].value
    if len(before) == 1:
        start = before[0].value
        change = "fell" if end < start else "rose" if end > start else "stayed the same"
        return (f"Round {steps[0].epoch} in short: the error of the training set {change}, from "
                f"{_shown(start)} to {_shown(end)}.")
    return f"After round {steps[0].epoch} the error of the training set is {_shown(end)}."


def _blocks(doc: _Document) -> list[tuple]:
    """The worked example as a list of blocks, for the Markdown and LaTeX writers to render.

    ("title", raw) ("raw", raw) ("heading", level, prose) ("para", prose) ("list", [prose])
    ("math", latex) ("table", title, header, alignment, rows) ("step", Step)
    raw: text from the scenario, escaped whole; prose: our sentences, with `code`.
    """
    sc = doc.scenario
    blocks: list[tuple] = [("title", f"Worked example: {sc.display_title}")]
    if sc.description.strip():
        blocks.append(("raw", sc.description))
    if sc.source.strip():
        blocks.append(("raw", f"Source: {sc.source.strip()}"))
    blocks.append(("raw", f"Scenario: {sc.origin}" + (f" (sha256 {sc.digest[:12]})" if sc.digest else "")))
    blocks += [("heading", 2, "How to read this"), ("para", READING_GUIDE), ("para", NAMING_GUIDE)]
    blocks += [("heading", 2, "The network"), ("list", _describe_layers(sc) + _settings(sc)),
               ("para", "The error of one sample:"), ("math", LOSS_MATH[sc.loss])]
    blocks += [("table", *table) for table in _tables(doc)]
    rounds: dict[int, list[_Group]] = {}
    for group in _groups(doc):
        rounds.setdefault(group.epoch, []).append(group)
    for epoch, groups in rounds.items():
        blocks.append(("heading", 2, f"Round {epoch}"))
        for group in groups:
            blocks += [("heading", 3, group.title), ("para", group.intro)]
            first = group.steps[0]
            if first.phase == "forward" and first.sample is not None:
                x, t = sc.inputs[first.sample], sc.targets[first.sample]
                blocks.append(("para", f"Inputs {_assignments(sc.names[0], x)}; "
                                       f"targets {_assignments(sc.names[-1], t)}."))
            blocks += [("step", step) for step in group.steps]
        summary = _round_summary([s for g in groups for s in g.steps])
        if summary:
            blocks.append(("para", summary))
    if doc.cut_short and doc.diverged_at is not None:
        blocks.append(("para", f"Training diverged in round {doc.diverged_at} (a value became infinite or "
                               "not a number), so the rounds after it cannot be computed and this example "
                               "stops there. A smaller learning rate usually helps."))
    return blocks


def _sentence(text: str) -> str:
    """A record's explanation as a sentence (it starts with a name, so its case is kept)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


# --- Markdown and LaTeX writers ----------------------------------------------------------------


class _Writer:
    """Renders the blocks of `_blocks`: one method per kind of block, named after it."""

    def render(self, doc: _Document) -> list[str]:
        return [getattr(self, kind)(*rest) for kind, *rest in _blocks(doc)]


class _MarkdownWriter(_Writer):
    def title(self, text):
        return f"# {markdown_escape(' '.join(text.split()))}"  # a heading is one line

    def raw(self, text):
        return markdown_escape(text.strip())

    def heading(self, level, text):
        return f"{'#' * level} {_prose_md(text)}"

    def para(self, text):
        return _prose_md(text)

    def list(self, items):
        return "\n".join(f"- {_prose_md(item)}" for item in items)

    def math(self, latex):
        return f"$$\n{latex}\n$$"

    def table(self, title, header, align, rows):
        lines = [f"{_prose_md(title)}:", "", "| " + " | ".join(header) + " |",
                 "| " + " | ".join("---:" if a == "r" else "---" for a in align) + " |"]
        lines += ["| " + " | ".join(_prose_md(cell, line_start=False) for cell in row) + " |" for row in rows]
        return "\n".join(lines)

    def step(self, step):
        return (f"`{step.quantity}`: {markdown_escape(_sentence(step.explanation))}\n\n"
                f"$$\n{_aligned(step, 'aligned')}\n$$")


def _markdown(doc: _Document) -> str:
    return "\n\n".join(_MarkdownWriter().render(doc)) + "\n"


class _LatexWriter(_Writer):
    def title(self, text):
        return rf"{{\LARGE\bfseries {tex_escape(text)}\par}}"

    def raw(self, text):
        return tex_escape(text)

    def heading(self, level, text):
        return rf"\{'sub' * (level - 2)}section*{{{_prose_tex(text)}}}"

    def para(self, text):
        return _prose_tex(text)

    def list(self, items):
        lines = [rf"  \item {_prose_tex(item)}" for item in items]
        return "\n".join([r"\begin{itemize}", *lines, r"\end{itemize}"])

    def math(self, latex):
        return f"\\[\n{latex}\n\\]"

    def table(self, title, header, align, rows):
        lines = [rf"\begin{{longtable}}{{{align}}}",
                 rf"\multicolumn{{{len(header)}}}{{l}}{{{_prose_tex(title)}:}} \\",
                 r"\hline", " & ".join(header) + r" \\", r"\hline", r"\endhead"]
        lines += [" & ".join(_prose_tex(cell) for cell in row) + r" \\" for row in rows]
        return "\n".join(lines + [r"\hline", r"\end{longtable}"])

    def step(self, step):
        return (rf"\texttt{{{_tex_inline(step.quantity)}}}: {tex_escape(_sentence(step.explanation))}"
                + "\n" + _aligned(step, "align*"))


# Characters that pdfLaTeX's default set-up (T1 fonts, UTF-8 input) prints; others get a fallback.
_PDFTEX_KNOWN = re.compile(r"[\x00-\x7f\xa0-\u017e\u2013\u2014\u2018\u2019\u201c\u201d\u2026]")


def _unicode_fallbacks(text: str) -> list[str]:
    """Under pdfLaTeX, a character it has no set-up for is an error: print its code point instead.

    XeLaTeX and LuaLaTeX read Unicode themselves, so these lines are for pdfLaTeX only.
    """
    unknown = sorted(c for c in set(text) if not _PDFTEX_KNOWN.match(c))
    return [rf"  \DeclareUnicodeCharacter{{{ord(c):04X}}}{{[U+{ord(c):04X}]}}" for c in unknown]


def _latex(doc: _Document) -> str:
    body = "\n\n".join(_LatexWriter().render(doc))
    preamble = [
        "% A worked example of backpropagation, written by bp-tui.",
        "% It compiles with pdflatex, xelatex or lualatex.",
        r"\documentclass[11pt]{article}",
        r"\ifdefined\XeTeXversion\else\ifdefined\directlua\else",
        r"  \usepackage[utf8]{inputenc}",
        r"  \usepackage[T1]{fontenc}",
        *_unicode_fallbacks(body),
        r"\fi\fi",
        r"\usepackage{amsmath}",
        r"\usepackage{longtable}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\allowdisplaybreaks",
        r"\setlength{\parindent}{0pt}",
        r"\setlength{\parskip}{0.6em}",
        r"\begin{document}",
    ]
    return "\n".join(preamble) + "\n\n" + body + "\n\n\\end{document}\n"
