"""Quiz mode's rules: is a typed answer right, what hint comes next, and the score by phase.

The learner types each sub-step's value before it is revealed. One rule for every value: an answer
is right when it is within TOLERANCE (0.05%) of the value, relative to it. Four significant digits,
rounded, are always close enough (0.5933 for 0.593269992), and so is any answer as close (0.3924
for 0.3925, 0.5970 for 0.596884378); 0.59 is not. A value of exactly zero wants zero.

A hint adds what the screen does not show yet: the formula's numbers worked one step further
(`0.15*0.05 + 0.2*0.1 + 0.35*1` becomes `0.0075 + 0.02 + 0.35`), then a step further again; where
the formula is a single operation, how the value begins.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from ..engine.expectations import FigureLabel
from ..engine.records import Step, num, phase_label

TOLERANCE = 5e-4
TOLERANCE_RULE = ("right within 0.05% of the value: 4 significant digits, rounded, are always enough "
                  "(0.3924 counts for 0.3925, 0.5970 for 0.596884378; 0.59 does not)")
MAX_TRIES = 3
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


class AnswerError(ValueError):
    """The text typed is not a number."""


def is_correct(typed: str, value: float) -> bool:
    """True when `typed` is within TOLERANCE of the value, relative to it (see the module's rule)."""
    text = typed.strip().replace(" ", "")
    if not _NUMBER.fullmatch(text):
        raise AnswerError(f"{typed.strip()!r} is not a number")
    answer = float(text)
    if not math.isfinite(value):
        return False
    return abs(answer - value) <= TOLERANCE * abs(value) or answer == value


def hints(step: Step) -> list[str]:
    """What each miss adds, in order: the formula's numbers worked a step further each time, then
    how the value begins (never the value itself)."""
    from . import expression  # (its parser is needed on a first miss only: the app's start-up)

    try:
        found = expression.partial_results(step.substituted)
    except (expression.FormulaError, ArithmeticError, ValueError):
        found = []
    return [f"it comes to {text}" for text in found] + [f"it begins {leading_digits(step.value)}…"]


def leading_digits(value: float, digits: int = 2) -> str:
    """The value to its first `digits` significant digits, cut (not rounded): 0.298371109 -> 0.29."""
    if value == 0 or not math.isfinite(value):
        return num(value)
    places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    # (cut in decimal, from the shortest text of the float: -0.58 is not -0.5799999...)
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)).lower()


def hint(step: Step, tries: int, label: FigureLabel | None = None, slip: str | None = None) -> str:
    """What to say after miss number `tries`: the slip that explains the answer when one does
    (bp_tui.study.check.explain_answer), then the next hint; after the last miss, the answer."""
    said = f"{slip[0].upper()}{slip[1:]}. " if slip else ""
    if tries < MAX_TRIES:
        left = MAX_TRIES - tries
        more = hints(step)
        tip = more[min(tries, len(more)) - 1]
        return f"Not quite ({left} {'try' if left == 1 else 'tries'} left). {said}Hint: {tip}"
    return f"{said}The answer: {shown_with_label(step, label)}"


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
    skipped: int = 0  # values shown without being asked (a skip confirmed by a second press)

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
        return f"{self.counts}" + (" (" + "; ".join(parts) + ")" if parts else "")

    @property
    def counts(self) -> str:
        """'3 of 4 right', and ', 42 skipped' when values were shown without being asked."""
        return f"{self.right} of {self.asked} right" + (f", {self.skipped} skipped" if self.skipped else "")

    def as_dict(self) -> dict:
        return {"right": self.right, "asked": self.asked, "by_phase": self.by_phase, "skipped": self.skipped}

    @classmethod
    def from_dict(cls, data: dict) -> "Score":
        try:
            by_phase = {str(k): [int(v[0]), int(v[1])] for k, v in dict(data.get("by_phase", {})).items()}
            return cls(int(data.get("right", 0)), int(data.get("asked", 0)), by_phase, int(data.get("skipped", 0)))
        except (TypeError, ValueError, IndexError, AttributeError):
            return cls()


@dataclass
class Question:
    """The sub-step being asked and how many misses so far; give `label` (ExpectResult.label from
    Stepper.expectation) and the messages that show the value show where its expected figure comes from."""

    step: Step
    misses: int = 0
    label: FigureLabel | None = None  # the label of the figure the scenario expects here, if any

    def answer(self, typed: str, score: Score, slip=None) -> tuple[bool, str]:
        """(finished, message). Raises AnswerError when the text is not a number. `slip(typed)` may
        name the slip behind a wrong answer (one sentence, or None); it is said before the hint."""
        if is_correct(typed, self.step.value):
            score.record(self.step.phase, self.misses == 0)
            return True, f"Right: {shown_with_label(self.step, self.label)}"
        self.misses += 1
        said = slip(typed) if slip is not None else None
        if self.misses >= MAX_TRIES:
            score.record(self.step.phase, False)
            return True, hint(self.step, self.misses, self.label, said)
        return False, hint(self.step, self.misses, slip=said)
