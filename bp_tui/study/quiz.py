"""Quiz mode's rules: is a typed answer right, what hint comes next, and the score by phase.

The learner types each sub-step's value before it is revealed. An answer is accepted when it is
within 1e-6 of the value (relative), or when every digit typed is correct and at least 4
significant digits were typed (so 0.5933 is right for 0.593269992, and 0.59 is not enough).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..engine.expectations import FigureLabel
from ..engine.records import Step, num, phase_label

RELATIVE_TOLERANCE = 1e-6
MIN_SIGNIFICANT = 4
MAX_TRIES = 3
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class AnswerError(ValueError):
    """The text typed is not a number."""


def significant_digits(text: str) -> int:
    mantissa = text.lstrip("+-").split("e")[0].split("E")[0].replace(".", "")
    return len(mantissa.lstrip("0")) or 1


def is_correct(typed: str, value: float) -> bool:
    """True when `typed` is the value to 1e-6 relative, or correct in every digit typed (>= 4 of them)."""
    text = typed.strip().replace(" ", "")
    if not _NUMBER.fullmatch(text):
        raise AnswerError(f"{typed.strip()!r} is not a number")
    answer = float(text)
    if not math.isfinite(value):
        return False
    if math.isclose(answer, value, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12):
        return True
    if significant_digits(text) < MIN_SIGNIFICANT:
        return False
    try:
        exponent = Decimal(text).as_tuple().exponent
    except InvalidOperation:
        return False
    step = 10.0 ** exponent
    # every digit typed is right when the value, cut (not rounded) or rounded to those digits, matches
    truncated = math.trunc(value / step) * step
    return abs(answer - truncated) < step / 2 or abs(answer - value) <= step / 2


def hint(step: Step, tries: int, label: FigureLabel | None = None) -> str:
    """What to show after a miss: the formula with the known numbers, then (third miss) the answer."""
    if tries < MAX_TRIES:
        left = MAX_TRIES - tries
        return (f"Not quite ({left} {'try' if left == 1 else 'tries'} left). Hint: {step.formula}, "
                f"with the numbers: {step.substituted}")
    return f"The answer: {shown_with_label(step, label)}"


def shown_with_label(step: Step, label: FigureLabel | None) -> str:
    """`quantity = value`, and where the scenario expects a figure, its label (bp_tui.engine.expectations):
    `out_h1 = 0.593269992 (✓ article 0.593269992)`, `E_total+ = 0.291027774 (article prints 0.291027924)`."""
    text = f"{step.quantity} = {num(step.value)}"
    return text if label is None else f"{text} ({label.text})"


@dataclass
class Score:
    """Right and asked, overall and per phase (a question counts as right on its first try only)."""

    right: int = 0
    asked: int = 0
    by_phase: dict = field(default_factory=dict)  # phase -> [right, asked]

    def record(self, phase: str, correct: bool) -> None:
        self.asked += 1
        self.right += int(correct)
        entry = self.by_phase.setdefault(phase, [0, 0])
        entry[0] += int(correct)
        entry[1] += 1

    def summary(self) -> str:
        """'42 of 46 right (forward pass: 8 of 8; ...; backward pass: output layer 12 of 14, hidden
        layer 16 of 18; ...)': the sections of one phase ("backward pass · output layer") share its name."""
        groups: dict[str, list[str]] = {}
        for phase, (right, asked) in self.by_phase.items():
            name, _, section = phase_label(phase).partition(" · ")
            groups.setdefault(name, []).append(f"{section} {right} of {asked}".strip())
        parts = [f"{name}: {', '.join(counts)}" for name, counts in groups.items()]
        return f"{self.right} of {self.asked} right" + (" (" + "; ".join(parts) + ")" if parts else "")

    def as_dict(self) -> dict:
        return {"right": self.right, "asked": self.asked, "by_phase": self.by_phase}

    @classmethod
    def from_dict(cls, data: dict) -> "Score":
        try:
            by_phase = {str(k): [int(v[0]), int(v[1])] for k, v in dict(data.get("by_phase", {})).items()}
            return cls(int(data.get("right", 0)), int(data.get("asked", 0)), by_phase)
        except (TypeError, ValueError, IndexError, AttributeError):
            return cls()


@dataclass
class Question:
    """The sub-step being asked and how many misses so far; give `label` (ExpectResult.label from
    Stepper.expectation) and the messages that show the value show where its expected figure comes from."""

    step: Step
    misses: int = 0
    label: FigureLabel | None = None  # the label of the figure the scenario expects here, if any

    def answer(self, typed: str, score: Score) -> tuple[bool, str]:
        """(finished, message). Raises AnswerError when the text is not a number."""
        if is_correct(typed, self.step.value):
            score.record(self.step.phase, self.misses == 0)
            return True, f"Right: {shown_with_label(self.step, self.label)}"
        self.misses += 1
        if self.misses >= MAX_TRIES:
            score.record(self.step.phase, False)
            return True, hint(self.step, self.misses, self.label)
        return False, hint(self.step, self.misses)
