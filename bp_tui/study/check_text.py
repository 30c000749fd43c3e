"""How a checked page of figures is put in words: a verdict in a few words, a wrong figure explained
with its numbers. `bp-tui check` prints them in its report; the app shows them beside the figures.
"""

from __future__ import annotations

from ..engine import records as rec
from ..views.styled import Line, span
from .check import CARRIED, RIGHT, ROUNDED, WRONG, PageCheck, Verdict
from .diagnose import MIN_SIGNIFICANT

# A glyph per verdict, so that the marks read the same without colour (NO_COLOR, a plain terminal).
MARKS = {RIGHT: "✓", ROUNDED: "≈", CARRIED: "↳", WRONG: "✗"}
SHORT_WORDS = {RIGHT: "right", ROUNDED: "rounded", CARRIED: "carried", WRONG: "wrong"}


def verdict_words(verdict: Verdict, result: PageCheck) -> str:
    """'right', 'right from your rounded out_h1', 'wrong, but follows from your out_h2',
    'WRONG: first wrong figure' or 'WRONG: a slip of its own'."""
    if verdict.status == RIGHT:
        if too_few_digits(verdict):
            digits = verdict.figure.significant
            return f"right to {digits} digit{'s' if digits > 1 else ''} only: too few to tell"
        return "right"
    if verdict.status == ROUNDED:
        return f"right from your rounded {', '.join(verdict.upstream)}"
    if verdict.status == CARRIED:
        return f"wrong, but follows from your {', '.join(verdict.upstream)}"
    return "WRONG" + (": first wrong figure" if verdict is result.first_wrong else ": a slip of its own")


def too_few_digits(verdict: Verdict) -> bool:
    """A figure right only because it has so few digits that many wrong workings round to it too
    (0.4 for w5+ = 0.35891648 is also w5 before its update)."""
    return verdict.figure.significant < MIN_SIGNIFICANT and verdict.figure.value != verdict.exact


def explained(verdict: Verdict) -> list[Line]:
    """A figure that is not right, explained: what the learner's own figures give, or the slip that
    gives their number (with the sub-steps worked with it), and the right working."""
    if verdict.status == CARRIED:
        return [(span(f"  {verdict.quantity}: you have {verdict.figure.text}, which is what your "
                      f"{', '.join(verdict.upstream)} give{'s' if len(verdict.upstream) == 1 else ''}; "
                      f"the right value is {rec.num(verdict.exact)}"),)]
    d = verdict.diagnosis
    lines: list[Line] = [(span(f"  {d.sentence}"),)]
    lines += [(span(f"      {line}", "dim"),) for line in d.working]
    if d.from_right_values:
        lines.append((span("  (worked from the exact earlier values, not from the figures on your page)"),))
    if d.slip is not None:
        also = f"; {', '.join(d.also)} would also give it" if d.also else ""
        lines.append((span(f"  The slip: {d.slip.title} ({d.slip.name}{also})."),))
    if verdict.source is not None:  # the learner copied the source's own figure: say where it came from
        lines.append((span(f"  The {verdict.source.text}: " + " ".join(verdict.source.note.split())),))
    lines.append((span(f"  Right: {d.right}"),))
    if rec.num(verdict.exact) not in d.right.rpartition(" = ")[2]:
        lines.append((span(f"  (from the right earlier values: {rec.num(verdict.exact)})"),))
    return lines


def summary(result: PageCheck) -> str:
    """'2 of 6 figures right; 1 wrong with a slip of its own; 3 wrong only because of earlier ones.'"""
    count = len(result.verdicts)
    right = sum(v.right for v in result.verdicts)
    slips = len(result.slips)
    carried = count - right - slips
    text = f"{right} of {count} figure{'s' if count != 1 else ''} right"
    if slips:
        text += f"; {slips} wrong with a slip of {'its' if slips == 1 else 'their'} own"
    if carried:
        text += f"; {carried} wrong only because of {'an earlier one' if carried == 1 else 'earlier ones'}"
    vague = sum(too_few_digits(v) for v in result.verdicts)
    if vague:
        text += (f"; {vague} right only to fewer than {MIN_SIGNIFICANT} digits: write more to tell a slip "
                 "from rounding")
    return text + "."
