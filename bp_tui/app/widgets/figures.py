"""The learner's own page of figures on screen: which sub-step each figure belongs to, the mark the
quantities panel writes under it, and what the step panel says about it (for a wrong figure, the
slip that explains it, with the numbers: bp_tui.study.check_text).

Marks are glyphs as well as words (✓ right, ≈ right from rounded figures, ↳ follows from an earlier
wrong one, ✗ wrong), so they read the same without colour.
"""

from __future__ import annotations

from rich.text import Text

from ..frame import Frame
from .styles import styled_text


def verdict_for(frame: Frame, step):
    """The verdict on the learner's figure for this sub-step (bp_tui.study.check.Verdict), or None."""
    figures = frame.figures
    if figures is None or figures.round != step.epoch:
        return None
    return next((v for v in figures.verdicts if v.step.index == step.index), None)


def mark_text(frame: Frame, step, short: bool = True) -> str | None:
    """The learner's figure with its verdict: in short for the quantities panel ('✗ yours 0.666522 ·
    first wrong'), else in full ('✗ yours 0.666522 (line 4): WRONG: first wrong figure')."""
    verdict = verdict_for(frame, step)
    if verdict is None:
        return None
    from ...study.check import WRONG  # (loaded with the first page checked: start-up)
    from ...study.check_text import MARKS, SHORT_WORDS, verdict_words

    figure, mark = verdict.figure, MARKS[verdict.status]
    if short:
        first = verdict.status == WRONG and verdict is frame.figures.first_wrong
        return f"{mark} yours {figure.text} · " + ("first wrong" if first else SHORT_WORDS[verdict.status])
    return f"{mark} yours {figure.text} (line {figure.line}): {verdict_words(verdict, frame.figures)}"


def verdict_lines(frame: Frame, step) -> list[Text]:
    """For the step panel: the learner's figure and its verdict, then, when it is not right, why."""
    mark = mark_text(frame, step, short=False)
    if mark is None:
        return []
    from ...study.check_text import explained

    verdict = verdict_for(frame, step)
    lines = [Text(mark, style="bold" if verdict.right else "bold reverse")]
    if not verdict.right:
        for line in explained(verdict):
            text = styled_text(line)
            text.no_wrap, text.overflow = False, "fold"  # (sentences: the step panel folds them)
            lines.append(text)
    return lines
