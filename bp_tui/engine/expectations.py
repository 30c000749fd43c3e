"""Expected figures: what a scenario says a quantity should be, where that figure comes from, and
the one label every surface prints for it (`trace`, the exports, the quiz, the app).

An [[expect]] entry of a scenario file is one of two kinds:

- the **source's figure**: `printed` holds the figure exactly as the scenario's source printed it
  (its digits, as text). `value`, when given, is the exact figure the computation is checked
  against; when the two differ at the printed digits, the source printed something else than the
  exact computation gives, and the entry's note says why.
- a **check** of the computation: only `value`, and `check` says where that figure comes from (a
  reader's comment, a reference run). It is never presented as the source's figure.

`figure_label` turns an expectation and the value the run gave into a `FigureLabel`: a kind for
programs, one line of text for people, and the note that goes under the figure.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import NamedTuple

OK_MARK = "✓"
BAD_MARK = "✗"
UNEDITED = "from the unedited scenario"

# FigureLabel.kind, as the CSV and JSON exports write it
SOURCE = "source"  # the source's figure, and the computation agrees with it at its printed digits
SOURCE_DIFFERS = "source-differs"  # the source printed another figure than the exact computation gives
CHECK = "check"  # a check of the computation (a reader's comment, a reference run), which agrees
MISMATCH = "mismatch"  # the computation does not give the expected figure: a failure
UNEDITED_KIND = "unedited"  # the learner edited the network: the figure was for the file as written
LABEL_KINDS = (SOURCE, SOURCE_DIFFERS, CHECK, MISMATCH, UNEDITED_KIND)


def printed_decimals(value: float) -> int:
    """How many decimals a figure was written with (its shortest form): 0.75136507 -> 8."""
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def text_decimals(text: str) -> int:
    """How many decimals a figure written as text has, trailing zeros included: "0.511301270" -> 9."""
    exponent = Decimal(text).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def within(actual: float, figure: float, decimals: int) -> bool:
    """True when `actual` rounds to `figure` at `decimals` places (half a unit of the last digit)."""
    if not math.isfinite(actual):
        return False
    return abs(actual - figure) <= 0.5 * 10.0 ** (-decimals) * (1 + 1e-9)


def unsigned_zero(text: str) -> str:
    """A number's text without its minus sign when every digit is 0 ("-0.000" -> "0.000")."""
    if text.startswith("-") and not any(c in "123456789" for c in text.split("e")[0].split("E")[0]):
        return text[1:]
    return text


class Expect(NamedTuple):
    """A figure to check the run against: `quantity` in round `epoch` (1-based), to `decimals` places."""

    quantity: str
    epoch: int
    value: float  # the exact figure the computation is checked against
    decimals: int
    sample: int = 0  # 0-based; files say sample = 1 for the first
    note: str = ""
    printed: str = ""  # the figure as the scenario's source printed it; "" for a check
    check: str = ""  # for a check: where its figure comes from ("reader's comment"), may be ""
    source: str = ""  # the scenario's source in a word, for labels ("article"); "" says "source"

    @property
    def from_source(self) -> bool:
        """Whether the figure is the scenario's source's, rather than a check of the computation."""
        return bool(self.printed)

    @property
    def figure(self) -> str:
        """The exact figure as written to its decimals (the value the run is checked against)."""
        return unsigned_zero(f"{self.value:.{self.decimals}f}")

    @property
    def printed_agrees(self) -> bool:
        """Whether the source's printed figure is the exact figure at the printed digits."""
        return self.from_source and within(self.value, float(self.printed), text_decimals(self.printed))

    def holds(self, actual: float) -> bool:
        """True when `actual` agrees with the exact figure to the digits it is written with."""
        return within(actual, self.value, self.decimals)


class FigureLabel(NamedTuple):
    """What to print next to a figure the scenario expects."""

    kind: str  # one of LABEL_KINDS
    text: str  # one line: "✓ article 0.593269992", "article prints 0.291027924", ...
    printed: str  # the source's figure as printed ("" for a check)
    expected: str  # the exact figure the run is checked against, as written
    note: str  # the scenario's note on this figure, to print under it ("" when none)

    @property
    def ok(self) -> bool:
        """Whether the label vouches for the value (agreement, or an explained difference)."""
        return self.kind in (SOURCE, SOURCE_DIFFERS, CHECK)


def figure_label(expect: Expect, actual: float | None, edited: bool = False) -> FigureLabel:
    """The label of a figure the scenario expects, given the value the run gave (None: not computed).

    - the source printed it and the value agrees at its printed digits: ``✓ article 0.593269992``;
    - the source printed something else: ``article prints 0.291027924`` (never a ✓: the value shown
      is the exact one, and the note says why the source differs);
    - a check of the computation: ``✓ check (reader's comment) 0.283547133``;
    - the run does not give the expected figure: ``✗ ...`` with what was expected;
    - after the learner edited the network, the figure belongs to the file as written: ``article
      0.593269992 (from the unedited scenario)``, with no mark either way.
    """
    word = expect.source or "source"
    who = f"check ({expect.check})" if expect.check else "check"
    note = expect.note
    if expect.from_source:
        claim = f"{word} {expect.printed}" if expect.printed_agrees else f"{word} prints {expect.printed}"
    else:
        claim = f"{who} {expect.figure}"
    if edited:
        return FigureLabel(UNEDITED_KIND, f"{claim} ({UNEDITED})", expect.printed, expect.figure, note)
    if actual is None or not expect.holds(actual):
        if not expect.from_source:
            wanted = f"{who} expects {expect.figure}"
        elif expect.printed_agrees:
            wanted = f"{word} prints {expect.printed}"
        else:
            wanted = f"expected {expect.figure} ({word} prints {expect.printed})"
        missing = "not computed; " if actual is None else ""
        return FigureLabel(MISMATCH, f"{BAD_MARK} {missing}{wanted}", expect.printed, expect.figure, note)
    if expect.from_source:
        # The value agrees with the exact figure; does it also agree with what the source printed?
        if within(actual, float(expect.printed), text_decimals(expect.printed)):
            return FigureLabel(SOURCE, f"{OK_MARK} {word} {expect.printed}", expect.printed, expect.figure, note)
        return FigureLabel(SOURCE_DIFFERS, f"{word} prints {expect.printed}", expect.printed, expect.figure,
                           note)
    return FigureLabel(CHECK, f"{OK_MARK} {who} {expect.figure}", "", expect.figure, note)


class ExpectResult(NamedTuple):
    """A figure the scenario expects, with the value the run gave for it."""

    expect: Expect
    actual: float | None  # None when the quantity was not found in that round
    edited: bool = False  # the round ran on settings or weights the learner edited

    @property
    def ok(self) -> bool:
        """Whether the run gave the exact figure (whatever the source printed)."""
        return self.actual is not None and self.expect.holds(self.actual)

    @property
    def applies(self) -> bool:
        """False after an edit: the scenario's figures describe the file as written, not this run."""
        return not self.edited

    @property
    def label(self) -> FigureLabel:
        return figure_label(self.expect, self.actual, self.edited)
