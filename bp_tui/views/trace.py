"""A round as text, sub-step after sub-step: `bp-tui trace`'s output, as styled lines.

Each sub-step takes three lines (the formula, the same with the numbers in it, the value); a figure
the scenario expects gets its label after the value (`figure_label`: ✓ article 0.593269992, article
prints 0.291027924, ✓ check (reference run) ...) and the scenario's note under it, as the app shows
them. Plain text marks each phase with `== round 1: forward pass ==`; on a terminal a heading is
underlined with a rule and the tags add colour.
"""

from __future__ import annotations

import textwrap
from typing import Callable, Iterable, Iterator

from ..engine import records as rec
from ..engine.expectations import CHECK, MISMATCH, SOURCE, UNEDITED_KIND
from ..engine.stepper import Stepper
from .styled import Line, span

NOTE_INDENT = "    note: "
LABEL_TAGS = {SOURCE: ("ok",), CHECK: ("ok",), MISMATCH: ("bad",), UNEDITED_KIND: ("dim",)}


def round_lines(stepper: Stepper, epoch: int, rules: bool = False, width: int = 100,
                extras: Callable[[rec.Step], list[str]] | None = None,
                steps: Iterable[rec.Step] | None = None) -> Iterator[Line]:
    """Round epoch + 1 as lines, made as they are read: a heading per phase (and sample), then each
    sub-step (a round of millions of sub-steps streams in constant memory).

    `rules` underlines headings with a rule (for a terminal) instead of `== ... ==` (plain text);
    notes are wrapped to `width` columns. `extras(step)` gives more lines of plain text to print
    under a sub-step, indented (trace --derive and --matrix). `steps` are the round's records as the
    caller reads them (by default `stepper.steps(epoch)`).
    """
    several = len(stepper.scenario.inputs) > 1
    heading = None
    for step in stepper.steps(epoch) if steps is None else steps:
        label = rec.phase_label(step.phase)
        if (label, step.sample) != heading:
            heading = (label, step.sample)
            sample = f", sample {step.sample + 1}" if step.sample is not None and several else ""
            title = f"round {step.epoch}: {label}{sample}"
            yield ()
            if rules:
                yield from [(span(title, "title"),), (span("─" * len(title), "axis"),)]
            else:
                yield (span(f"== {title} =="),)
        yield from step_lines(stepper, step, width)
        yield from [(span(f"    {text}".rstrip()),) for text in (extras(step) if extras else ())]


def step_lines(stepper: Stepper, step: rec.Step, width: int = 100) -> list[Line]:
    """One sub-step: formula, numbers, value with the label of its expected figure, then the note."""
    name, _, rest = step.formula.partition(" = ")
    value: Line = (span("    = "), span(rec.value_text(step.value)))
    lines: list[Line] = [(span(name, "title"), span(f" = {rest}")), (span(f"    = {step.substituted}"),), value]
    check = stepper.expectation(step)
    if check is None:
        return lines
    label = check.label
    lines[-1] = value + (span("  "), span(label.text, *LABEL_TAGS.get(label.kind, ())))
    lines += [(span(text, "dim"),) for text in note_lines(label.note, width)]
    return lines


def note_lines(note: str, width: int = 100) -> list[str]:
    """A note under its figure: `    note: ...`, wrapped to `width`, each paragraph of it kept apart."""
    out: list[str] = []
    for paragraph in note.strip().splitlines():
        if paragraph.strip():
            out += textwrap.wrap(paragraph.strip(), max(40, width), break_on_hyphens=False,
                                 initial_indent=NOTE_INDENT if not out else " " * len(NOTE_INDENT),
                                 subsequent_indent=" " * len(NOTE_INDENT))
    return out
