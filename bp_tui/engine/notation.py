"""How numbers are written in formulas and results, as the article prints them."""

from __future__ import annotations

import math


def num(x: float) -> str:
    """A number as the article prints it: up to 9 decimals, no trailing zeros (0.15, 0.593269992)."""
    # The usual case first (num writes every number of every formula, and nearly all are in this
    # range); the test is false for nan, the infinities and 0, so the cases below still catch them.
    if 1e-4 <= abs(x) < 1e9:
        return f"{x:.9f}".rstrip("0").rstrip(".")
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    return f"{x:.9g}"


def term(x: float) -> str:
    """A number inside a larger expression: negatives in parentheses."""
    text = num(x)
    return f"({text})" if text.startswith("-") else text


def value_text(x: float) -> str:
    """A result to 9 decimals, with more significant digits when it is tiny, in e-notation when huge.

    Zero prints without a sign: -0.0 (a negative number times 0) is 0 to a reader."""
    if not math.isfinite(x):
        return num(x)
    if x == 0:
        return f"{0.0:.9f}"
    if abs(x) < 1e-4 or abs(x) >= 1e9:
        return f"{x:.9e}"
    return f"{x:.9f}"
