"""The chain rule written out (study.derive), as Markdown and as LaTeX, under its sub-step.

A derivation is sentences of ours, equations in the records' formula language (printed as LaTeX by
`latex_math`, like the steps themselves) and, for a hidden neuron's sum of paths, the lines of the
numerical check. Consecutive equations share one aligned block.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

from ...engine.records import value_text
from ..derive import Derivation
from .escape import markdown_escape, prose_md, prose_tex, tex_escape
from .latex_math import latex_math

HEADING = "Why, by the chain rule:"


def _parts(derivation: Derivation):
    """The derivation as ("say", text), ("math", [latex lines]) and ("check", [text lines]) parts."""
    parts: list[tuple] = []
    for line in derivation.lines:
        kind = line.kind
        if kind == "check":  # written again in ASCII (eps, -), which every LaTeX engine prints
            if not parts or parts[-1][0] != "check":
                parts.append(("check", derivation.check.lines(ascii=True)))
            continue
        if kind == "plus":  # more terms of the sum above: an indented line of the same block
            kind, item = "math", rf"&\quad + {latex_math(line.rhs)}"
        elif kind == "math":
            lhs = latex_math(line.lhs) + " " if line.lhs else ""
            item = f"{lhs}&{_equals(line, derivation.value)} {latex_math(line.rhs)}"
        else:
            item = line.text
        if kind == "math" and parts and parts[-1][0] == "math":
            parts[-1][1].append(item)
        else:
            parts.append((kind, [item] if kind == "math" else item))
    return parts


def _equals(line, value: float) -> str:
    """≈ before the value when its 9 decimals cut digits off, as the steps write it; else =."""
    if line.rhs != value_text(value) or not math.isfinite(value):
        return "="
    return "=" if abs(float(line.rhs) - value) <= 1e-12 * max(1.0, abs(value)) else r"\approx"


class _Style(NamedTuple):
    """How one format writes each part of a derivation."""

    heading: Callable[[str], str]
    say: Callable[[str], str]  # our sentences, with `code`
    math: Callable[[list[str]], str]  # aligned lines
    text: Callable[[str], str]  # plain text, escaped
    items: Callable[[list[str]], str]  # a list of plain-text lines


MARKDOWN = _Style(
    heading=lambda text: f"*{text}*", say=prose_md, text=markdown_escape,
    math=lambda lines: "$$\n\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}\n$$",
    items=lambda lines: "\n".join(f"- {markdown_escape(line)}" for line in lines))
LATEX = _Style(
    heading=lambda text: rf"\emph{{{tex_escape(text)}}}", say=prose_tex, text=tex_escape,
    math=lambda lines: "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}",
    items=lambda lines: "\n".join([r"\begin{itemize}"] + [rf"  \item {tex_escape(line)}" for line in lines]
                                  + [r"\end{itemize}"]))


def render(derivation: Derivation, style: _Style) -> str:
    out = [style.heading(HEADING)]
    for kind, body in _parts(derivation):
        if kind == "say":
            out.append(style.say(body))
        elif kind == "math":
            out.append(style.math(body))
        else:  # the check: its sentence, then its numbers
            out += [style.text(body[0]), style.items(body[1:])]
    return "\n\n".join(out)


def derivation_markdown(derivation: Derivation) -> str:
    return render(derivation, MARKDOWN)


def derivation_latex(derivation: Derivation) -> str:
    return render(derivation, LATEX)
