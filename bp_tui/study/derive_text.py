"""A derivation as lines of text for a terminal: the records' formula language made readable.

``dE_o1/dout_o1 = 2*(1/2)*(target_o1 - out_o1)*(-1)`` becomes ``∂E_o1/∂out_o1 = 2·½·(target_o1 − out_o1)·(−1)``;
an equation's later lines line up under its first =, and the nudge check is indented.
"""

from __future__ import annotations

import re

from ..engine.stepper import Stepper
from .derive import Derivation

_TOKEN = re.compile(r"(?P<deriv>\bd(?P<top>[^\W\d]\w*\+?)/d(?P<bottom>[^\W\d]\w*\+?))|(?P<half>(?<![\w.])1/2\*|\(1/2\))"
                    r"|(?P<square>\^2(?![\d.]))|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(?P<ident>[^\W\d]\w*)"
                    r"|(?P<op>[*-])")
_SYMBOLS = {"eta": "η", "mu": "μ", "eps": "ε"}


def pretty(text: str, keep: frozenset[str] = frozenset()) -> str:
    """A formula of the records' language for a terminal: ∂E/∂w, ·, −, ½, ², δ_o1, η, μ.

    Names in `keep` (the scenario's neurons, which may be called eta or mu) are left as written.
    """
    def ident(name: str) -> str:
        if name in keep:
            return name
        if name.startswith("delta_"):
            return "δ_" + name[6:]
        return _SYMBOLS.get(name, name)

    def one(match: re.Match) -> str:
        if match.group("deriv"):
            return f"∂{ident(match.group('top'))}/∂{ident(match.group('bottom'))}"
        if match.group("half"):
            return "½" if match.group("half").startswith("(") else "½·"
        if match.group("ident"):
            return ident(match.group("ident"))
        if match.group("square"):
            return "²"
        if match.group("num"):
            return match.group("num")
        return {"*": "·", "-": "−"}[match.group("op")]

    return _TOKEN.sub(one, text)


def text_lines(derivation: Derivation, keep: frozenset[str] = frozenset()) -> list[str]:
    """The derivation as lines of text; an equation's later lines line up under its first =."""
    lines, indent = [], 0
    for line in derivation.lines:
        if line.kind == "math":
            if line.lhs:
                lhs = pretty(line.lhs, keep)
                indent = len(lhs)
                lines.append(f"{lhs} = {pretty(line.rhs, keep)}")
            else:
                lines.append(f"{' ' * indent} = {pretty(line.rhs, keep)}")
        elif line.kind == "plus":
            lines.append(f"{' ' * indent}   + {pretty(line.rhs, keep)}")
        elif line.kind == "say":
            parts = line.text.split("`")
            lines.append("".join(pretty(part, keep) if i % 2 else part for i, part in enumerate(parts)))
        else:
            lines.append(f"  {line.text}")
    return lines


def neuron_names(stepper: Stepper) -> frozenset[str]:
    return frozenset(name for layer in stepper.layout.neuron_names for name in layer)


