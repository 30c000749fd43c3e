"""The one piece of state the panels render: a stepper at a position.

The stepper screen makes a new Frame after every command and sets it as its reactive `frame`;
`data_bind` pushes it into every panel, and a panel redraws only when the frame differs from the one
it shows. The helpers here are the few facts more than one panel needs: the marks, how a value and a
phase title are written, scenario prose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from ..engine.records import Step, num, phase_label, value_text
from ..engine.stepper import Stepper

if TYPE_CHECKING:  # (the checker is loaded only when a page is checked)
    from ..study.check import PageCheck

# Marks that must survive NO_COLOR and monochrome terminals: a glyph plus reverse video.
CURRENT_MARK = "▶"
OK_MARK = "✓"
BAD_MARK = "✗"
HOT = "reverse bold"


class Frame(NamedTuple):
    """Where the stepper is. Equal frames draw the same screen."""

    stepper: Stepper
    epoch: int
    k: int
    count: int  # sub-steps in this round
    current: Step | None
    diverged_at: int | None
    round_done: bool
    completed: int
    # Quiz mode: the current sub-step is asked, so its value is not shown anywhere yet (its formula
    # and numbers are). Until it is answered the round counts as not done (the new error is hidden).
    masked: bool = False
    edits: int = 0  # how many edits the stepper has taken: an edit changes the values at one position
    edited: tuple[tuple[str, float], ...] = ()  # what the learner changed (name, new value), for titles
    quiz: bool = False  # quiz mode: what the round has not shown yet stays hidden (the error before it)
    figures: PageCheck | None = None  # the learner's own figures, checked, to mark in the quantities
    selected: str = ""  # the neuron, weight or bias whose story is open (s, tab, a click), or ""
    playing: str = ""  # while the sub-steps play on their own, the pace as the header says it, else ""

    @classmethod
    def of(cls, stepper: Stepper, masked: bool = False, edited: tuple[tuple[str, float], ...] = (),
           quiz: bool = False, figures: PageCheck | None = None, selected: str = "", playing: str = "") -> Frame:
        current = stepper.current
        masked = masked and current is not None
        round_done = stepper.round_done and not masked
        return cls(stepper, stepper.epoch, stepper.k, stepper.count, current, stepper.diverged_at, round_done,
                   stepper.epoch + int(round_done), masked, len(stepper.edits), edited, quiz, figures, selected,
                   playing)

    def predicted(self) -> Frame | None:
        """The frame one sub-step on, as space would show it: the next record of this round, its value
        shown. The panels draw it ahead while the learner reads this one. None at the end of a round
        (the next round is computed only when entered) and while a value is asked."""
        if self.masked or self.k >= self.count:
            return None
        k = self.k + 1
        done = k == self.count
        if done and len(self.stepper.errors) <= self.epoch + 1:
            return None  # (the round's new error is known only once it ends)
        return self._replace(k=k, current=self.window(k - 1, k)[0], round_done=done,
                             completed=self.epoch + int(done))

    def window(self, start: int, stop: int) -> list[Step]:
        """Sub-steps start .. stop - 1 of this round (read through the stepper, a part at a time)."""
        return self.stepper.window(start, stop)

    @property
    def shown_count(self) -> int:
        """How many sub-steps have their values on screen (a masked current one does not)."""
        return self.k - int(self.masked)

    @property
    def revealed(self) -> list[Step]:
        """The sub-steps whose values are on screen."""
        return self.window(0, self.shown_count)

    @property
    def samples(self) -> int:
        return len(self.stepper.scenario.inputs)


def paragraphs(text: str) -> str:
    """Scenario prose as the terminal should wrap it: the file's line breaks inside a paragraph go,
    blank lines between paragraphs stay."""
    blocks = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n".join(block for block in blocks if block)


def shown(x: float) -> str:
    """A computed value to 9 decimals; a huge one (a diverging run) in scientific form, not 40 digits."""
    return value_text(x) if abs(x) < 1e9 else num(x)


def phase_title(step: Step, samples: int) -> str:
    """'forward pass', or 'forward pass · sample 2 of 4' when there are several samples."""
    label = phase_label(step.phase)
    if samples == 1:
        return label
    if step.sample is None:
        return f"{label} · all samples"
    return f"{label} · sample {step.sample + 1} of {samples}"


def divergence_text(frame: Frame) -> str | None:
    """Said once the learner reaches the epoch where training diverged (they can go no further)."""
    if frame.diverged_at is None or frame.completed < frame.diverged_at:
        return None
    return f"diverged at epoch {frame.diverged_at} — press r to reset"
