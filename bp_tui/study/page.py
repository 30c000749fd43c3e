"""A learner's page of figures: `name = value` lines, read as people write them.

    # round 1, by hand
    net_h1 = 0.3775
    out h1 = 0,593269992          spaces, a comma as the decimal mark
    δ_o1 = 0.138498562            δ for delta, ∂ for d, η for eta
    ∂E/∂w5 = 0.082167041          dE/dw5 and ∂E/∂w5 mean dE_total/dw5
    w5' = 0.35891648              w5+, w5_new, w5' and w5⁺ are the new w5
    net_h2 = w3*i1 + w4*i2 + b1 = 0.3925     working is allowed: the last number counts

Blank lines and comments (#, //, %) are skipped, in any order. `round N` sets the round to check,
`sample N` the sample for the lines after it (1-based, as `trace` prints; also `net_h1 (sample 2)`),
and `trace`'s own headings (`== round 1: forward pass, sample 2 ==`) do both. A line that has no
number to read stops the check with a `PageError` naming the line. Which names exist is only known
against a round: `canonical` turns a written name into the key the checker compares.
"""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

MAX_PAGE_BYTES = 1024 * 1024
MAX_ROUND = 1_000_000


class PageError(ValueError):
    """The page cannot be read; the message is one line naming the file and the line."""


class Figure(NamedTuple):
    """One figure as the learner wrote it."""

    line: int  # 1-based line of the page
    name: str  # the name as written (before any sample suffix)
    sample: int | None  # 0-based sample, None when the page does not say
    text: str  # the number as written, normalised (point as decimal mark, e-notation)
    value: float
    digits: int | None = None  # worked out from a calculation: the significant digits it is good to

    @property
    def places(self) -> int:
        """Decimal places the figure is given to (a negative count for whole tens, hundreds...)."""
        return _places(self.text, self.digits)

    @property
    def significant(self) -> int:
        return _significant(self.text, self.digits)


# The checker asks a figure for its places and digits once for every slip it tries (thousands of
# times); reading the text as a Decimal each time was a good part of the search, so the answers are kept.
@functools.lru_cache(maxsize=4096)
def _places(text: str, digits: int | None) -> int:
    if digits is not None:
        return digits - 1 - Decimal(text).adjusted()
    return -Decimal(text).as_tuple().exponent


@functools.lru_cache(maxsize=4096)
def _significant(text: str, digits: int | None) -> int:
    if digits is not None:
        return digits
    found = Decimal(text).as_tuple().digits
    return len("".join(map(str, found)).lstrip("0")) or 1


class Page(NamedTuple):
    label: str  # how the file is named in messages
    figures: tuple[Figure, ...]
    round: int | None  # from a `round N` line, if any
    round_line: int | None


_COMMENT = re.compile(r"\s(#|//|%)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ROUND = re.compile(r"^(?:round|epoch)\s*[:=]?\s*(\d+)$", re.IGNORECASE)
_SAMPLE = re.compile(r"^\[?sample\s*[:=]?\s*(\d+)\]?$", re.IGNORECASE)
_HEADING = re.compile(r"^==.*==$")
_SAMPLE_SUFFIX = re.compile(r"\s*[\[(,]\s*sample\s*(\d+)\s*[\])]?$", re.IGNORECASE)
_TIMES_TEN = re.compile(r"^(.*?)\s*(?:[x×*·]|\\times|\\cdot)\s*10\s*\^\s*\{?\s*([+-]?\d+)\s*\}?$")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")


_READ_ERRORS = ((IsADirectoryError, "is a folder, not a page of figures"),
                ((FileNotFoundError, NotADirectoryError), "no such file"),
                (PermissionError, "permission denied"))


def read_page(path: str) -> Page:
    """Read a page from a file, or from standard input for "-"; PageError when it cannot be read."""
    import sys

    from ..engine.scenario import printable

    label = "<stdin>" if path == "-" else printable(path)
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_PAGE_BYTES + 1)
        else:
            with open(path, "rb") as stream:  # one byte past the limit at most: /dev/zero never ends
                data = stream.read(MAX_PAGE_BYTES + 1)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = next((text for kinds, text in _READ_ERRORS if isinstance(exc, kinds)), None)
        raise PageError(f"{label}: {reason or 'cannot read: ' + printable(str(exc))}") from None
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"{label}: larger than the limit of {MAX_PAGE_BYTES} bytes")
    return parse_page(data, label)


def parse_page(data: bytes | str, label: str = "<page>") -> Page:
    if isinstance(data, bytes):
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raise PageError(f"{label}: line {number}: not UTF-8 text") from None
        data = data.decode("utf-8")
    figures, sample, round_number, round_line = [], None, None, None
    for number, line in enumerate(data.removeprefix("\ufeff").splitlines(), start=1):
        control = _CONTROL.search(line)
        if control:  # a terminal escape would reach the screen in messages
            raise PageError(f"{label}: line {number}: a control character ({control.group()!r}) is not allowed")
        text = _strip_comment(line)
        if not text:
            continue
        found_round, found_sample = _setting(text)
        if found_round is not None:
            if not 1 <= found_round <= MAX_ROUND:
                raise PageError(f"{label}: line {number}: round {found_round} is out of range (1 to {MAX_ROUND})")
            if round_number is not None and found_round != round_number:
                raise PageError(f"{label}: line {number}: round {found_round}, but line {round_line} says "
                                f"round {round_number}; check one round per page")
            round_number, round_line = found_round, number
        if found_sample is not None or _HEADING.match(text):
            sample = found_sample
        if found_round is not None or found_sample is not None or _HEADING.match(text):
            continue
        figures.append(_figure(text, number, sample, label))
    return Page(label, tuple(figures), round_number, round_line)


def _strip_comment(line: str) -> str:
    text = line.strip()
    if text.startswith(("#", "//", "%")):
        return ""
    match = _COMMENT.search(text)
    return (text[:match.start()] if match else text).strip()


def _setting(text: str) -> tuple[int | None, int | None]:
    """(round, sample) named by a `round N` / `sample N` line or a trace heading, else (None, None)."""
    if _HEADING.match(text):
        round_match = re.search(r"round (\d+)", text)
        sample_match = re.search(r"sample (\d+)", text)
        return (int(round_match.group(1)) if round_match else None,
                int(sample_match.group(1)) - 1 if sample_match else None)
    round_match = _ROUND.match(text)
    if round_match:
        return int(round_match.group(1)), None
    sample_match = _SAMPLE.match(text)
    if sample_match:
        return None, max(0, int(sample_match.group(1)) - 1)
    return None, None


def _figure(text: str, number: int, sample: int | None, label: str) -> Figure:
    parts = re.split(r"[=≈:]", text)
    if len(parts) > 1:  # working in between is allowed: the name comes first, the value last
        name, value = parts[0], parts[-1]
    else:
        name, _, value = text.rpartition(" ")
    name = name.strip()
    suffix = _SAMPLE_SUFFIX.search(name)
    if suffix:
        name, sample = name[:suffix.start()].strip(), max(0, int(suffix.group(1)) - 1)
    if not name:
        raise PageError(f"{label}: line {number}: expected `name = value`, got {text!r}")
    found = read_number(value)
    if found is None:
        raise PageError(f"{label}: line {number}: {name}: {value.strip()!r} is not a number")
    return Figure(number, name, sample, found[0], float(found[0]), found[1])


# What people leave after a number: a semicolon, a tick or cross, a remark in words in parentheses
_REMARK = re.compile(r"(?:\s*(?:[;✓✔✗✘]|\((?=[^()]*[^\W\d_])[^()]*\)))+\s*$")


def read_number(written: str) -> tuple[str, int | None] | None:
    """(the number normalised for Decimal and float, and for a calculation worked out here the
    significant digits its result is good to, else None), or None if it is not a number; a
    remark after it (`0.3775;`, `0.593269992 ✓`, `1.105905967 (rounded)`) is left out."""
    found = _read_number(written)
    if found is None and _REMARK.search(written):
        found = _read_number(_REMARK.sub("", written))
    return found


def _read_number(written: str) -> tuple[str, int | None] | None:
    text = written.strip().rstrip(".…").strip().replace("−", "-").replace("–", "-")
    text = re.sub(r"(?<=\d)[\s_'\u2009\u202f](?=\d)", "", text)  # 0.593 269 992
    text = re.sub("10([⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), text)
    times = _TIMES_TEN.match(text)
    if times:
        text = f"{times.group(1).strip()}e{times.group(2)}"
    if "," in text:
        text = text.replace(",", "") if "." in text and text.index(",") < text.index(".") else text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return _worked_out(text)
    if not value.is_finite() or not math.isfinite(float(value)):
        return None
    return text.lstrip("+"), None


EXACT_DIGITS = 12  # a calculation from exact givens only: its result is taken to this many digits
ROUNDED_LITERAL = 3  # a number of this many significant digits or more in a calculation was rounded


def _worked_out(text: str) -> tuple[str, int] | None:
    """The value of a calculation written with numbers only, and the digits it is good to.

    Short numbers (0.15*0.05 + 0.2*0.1 + 0.35) are the scenario's givens, exact: the result is
    exact too, so 0.39 here is not 0.3925 rounded but a slip. Longer numbers were rounded by the
    learner (0.138498562*0.35891648): the result is good to a digit fewer than the shortest of
    them, which leaves room for a slip worked from rounded figures to be recognised."""
    from . import expression

    try:
        value = expression.evaluate(expression.parse(text), _no_names)
        written = [token for kind, token in expression.tokens(text) if kind == "number"]
    except (expression.FormulaError, ArithmeticError, ValueError, TypeError, KeyError):
        return None
    if not math.isfinite(value):
        return None
    rounded = [n for n in map(_significant_digits, written) if n >= ROUNDED_LITERAL]
    digits = max(1, min(rounded) - 1) if rounded else EXACT_DIGITS
    return f"{value:.{digits}g}", digits


def _significant_digits(number: str) -> int:
    mantissa = re.split("[eE]", number)[0].replace(".", "").lstrip("0")
    return len(mantissa) or 1


def _no_names(name):
    raise KeyError(name)


# --- names ---------------------------------------------------------------------------------------

_LATEX_FRAC = re.compile(r"\\frac\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}")
_NEW_SUFFIX = re.compile(r"(\^\{?\+\}?|⁺|['’′]|_?new|\(new\)|\+)$", re.IGNORECASE)


def canonical(name: str) -> str:
    """The key a written name is compared by: δ_o1, delta o1 and Delta_{o1} all give "deltao1",
    ∂E/∂w5 and dE_total/dw5 "detotal/dw5", w5', w5_new and w5^+ "w5+"."""
    text = _LATEX_FRAC.sub(r"\1/\2", name.strip().strip("$").rstrip(":").strip())
    text = text.replace("\\partial", "d").replace("\\delta", "delta").replace("\\eta", "eta")
    text = text.replace("∂", "d").replace("δ", "delta").replace("Δ", "delta").replace("η", "eta")
    if text.lower().startswith("new "):
        text = text[4:] + "+"
    new = False
    while True:
        stripped = _NEW_SUFFIX.sub("", text.strip())
        if stripped == text.strip():
            break
        text, new = stripped, True
    text = re.sub(r"[\s_{}\\$]", "", text).lower()
    text = re.sub(r"^de/d", "detotal/d", text)
    text = "etotal" if text == "e" else text
    return text + ("+" if new else "")


def quantity_keys(quantities) -> dict[str, str]:
    """canonical key -> quantity for a round's quantity names, with the article's other names for
    a delta (dE_total/dnet_o1, dE_o1/dnet_o1); a key two quantities share is left out."""
    keys: dict[str, str | None] = {}

    def add(key, quantity, alias=False):
        if key in keys and keys[key] != quantity:
            if not alias:
                keys[key] = None
            return
        keys.setdefault(key, quantity)

    for quantity in quantities:
        add(canonical(quantity), quantity)
    for quantity in quantities:
        if quantity.startswith("delta_"):
            neuron = quantity[len("delta_"):]
            add(canonical(f"dE_total/dnet_{neuron}"), quantity, alias=True)
            add(canonical(f"dE_{neuron}/dnet_{neuron}"), quantity, alias=True)
    return {key: quantity for key, quantity in keys.items() if quantity is not None}
