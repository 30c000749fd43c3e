"""The one piece of state the widgets render: a stepper at a position.

The app replaces its `frame` after every command; widgets bound to it compare what they would draw
with what they drew last and repaint only when it differs. The helpers here are the few facts more
than one widget needs: the marks, how a value and a phase title are written, scenario prose.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

from ..engine.records import Step, num, phase_label, value_text
from ..engine.stepper import Stepper

# Marks that must survive NO_COLOR and monochrome terminals: a glyph plus reverse video.
CURRENT_MARK = "▶"
OK_MARK = "✓"
BAD_MARK = "✗"
HOT = "reverse bold"


class Frame(NamedTuple):
    """Equal frames draw the same screen. (A NamedTuple rather than a dataclass: cheaper to define
    at start-up, issue 6.)"""

    stepper: Stepper
    epoch: int
    k: int
    diverged_at: int | None
    # Read from the stepper when the frame is made: widgets that redraw later (on a resize, say,
    # while a fast-forward worker is extending the stepper) use these, not the stepper's caches.
    records: Sequence[Step]  # the round, its records made as they are read (engine.rounds.Round)
    count: int  # how many sub-steps the round has
    current: Step | None
    round_done: bool
    completed: int
    # Quiz mode: the current sub-step is asked, so its value is not shown anywhere yet (its formula
    # and numbers are). Until it is answered the round counts as not done (the new error is hidden).
    masked: bool = False
    edits: int = 0  # how many edits the learner has made: an edit changes the values at the same position

    @classmethod
    def of(cls, stepper: Stepper, masked: bool = False) -> Frame:
        masked = masked and stepper.current is not None
        round_done = stepper.round_done and not masked
        return cls(stepper, stepper.epoch, stepper.k, stepper.diverged_at, stepper.records, stepper.count,
                   stepper.current, round_done, stepper.epoch + int(round_done), masked, len(stepper.edits))

    def predicted(self) -> Frame | None:
        """The frame the next sub-step will most likely show: the next record of this round, its value
        shown. Widgets draw it ahead while the learner reads this one; a wrong guess costs nothing
        but the time it took. None at the end of a round (the next one is not computed yet)."""
        if self.k >= self.count:
            return None
        k = self.k + 1
        done = k == self.count
        if done and len(self.stepper.errors) <= self.epoch + 1:
            return None  # the round's new error (its summary says it) is known only once it ends
        return self._replace(k=k, current=self.records[k - 1], round_done=done,
                             completed=self.epoch + int(done), masked=False)

    @property
    def revealed(self) -> list[Step]:
        """The sub-steps whose values are on screen (a masked current one is not)."""
        return self.records[: self.k - int(self.masked)]

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
