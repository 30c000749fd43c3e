"""The records' ASCII formulas in LaTeX maths, and a whole step as an aligned block of equations.

``net_h1 = w1*i1 + w2*i2 + b1*1`` is read by the parser in `formula` and printed here; anything
the parser cannot read is shown verbatim as text rather than guessed at.
"""

from __future__ import annotations

import math
import re

from ...engine.records import Step, value_text
from .escape import tex_escape
from .formula import FUNCTIONS, Parser, Unreadable

TERMS_PER_LINE = 4  # a long sum is broken over several lines after this many terms

_WORDS = {"eta": r"\eta", "mu": r"\mu", "e": "e", "nan": r"\mathrm{NaN}", "inf": r"\infty"}
_PREFIXES = {"net": "net", "out": "out", "target": "target", "delta": r"\delta", "E": "E", "b": "b"}


def latex_math(text: str) -> str:
    r"""An ASCII formula or equation of the records in LaTeX maths.

    For example dE_total/dw5 = delta_o1 * out_h1 becomes
    \frac{\partial E_{total}}{\partial w_5} = \delta_{o1} \cdot out_{h1}.
    A formula it cannot read comes back as escaped text, never as broken LaTeX.
    """
    try:
        return " = ".join(_tex(side) for side in Parser(text).equation())
    except (Unreadable, RecursionError):
        return rf"\text{{{tex_escape(text)}}}"


def aligned(step: Step, environment: str) -> str:
    """A step as equations aligned at =, in `environment` (aligned in Markdown, align* in LaTeX)."""
    return f"\\begin{{{environment}}}\n" + " \\\\\n".join(_step_lines(step)) + f"\n\\end{{{environment}}}"


def shown(value: float) -> str:
    """A result as the records show it (9 decimals), in scientific notation when it is huge."""
    if math.isfinite(value) and abs(value) >= 1e9:
        return f"{value:.9e}"
    return value_text(value)


# --- names and numbers --------------------------------------------------------------------------


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


# --- the tree of a formula ----------------------------------------------------------------------


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
        return f"{FUNCTIONS[node[1]]}(" + ", ".join(_tex(a) for a in node[2]) + ")"
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
    raise Unreadable(kind)


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


# --- a step: name = symbols = numbers = result --------------------------------------------------


def _step_lines(step: Step, per_line: int = TERMS_PER_LINE) -> list[str]:
    """The aligned lines of a step: name = symbols, = numbers, = result (with & before each =)."""
    try:
        sides = Parser(step.formula).equation()
        substituted = Parser(step.substituted).whole()
    except (Unreadable, RecursionError):
        return [rf"&\text{{{tex_escape(step.formula)}}}", rf"&\text{{{tex_escape('= ' + step.substituted)}}}",
                f"&= {_result(step.value)}"]
    lhs, rhs = sides[0], sides[-1]
    return (_continued(f"{_tex(lhs)} &= ", _side_lines(rhs, per_line))
            + _continued("&= ", _side_lines(substituted, per_line))
            + [f"&{_equals(step.value)} {_result(step.value)}"])


def _continued(first: str, parts: list[str]) -> list[str]:
    """Lines of one side: the first after `first`, the rest indented as its continuation."""
    return [(first if index == 0 else r"&\quad ") + part for index, part in enumerate(parts)]


def _result(value: float) -> str:
    if math.isnan(value):
        return _WORDS["nan"]
    if math.isinf(value):
        return _WORDS["inf"] if value > 0 else "-" + _WORDS["inf"]
    return _number(shown(value))


def _equals(value: float) -> str:
    """= when the 9-decimal result is the value, approximately equal when digits were cut off.

    A difference in the last bits of a float (0.3925 computed as 0.39250000000000007) is not a cut.
    """
    if not math.isfinite(value):
        return "="
    rounded = float(shown(value))
    return "=" if abs(rounded - value) <= 1e-12 * max(1.0, abs(value)) else r"\approx"
