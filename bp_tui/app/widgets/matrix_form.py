"""The sub-step's whole layer in matrix form, in the step panel's place (key m).

The same step as the per-neuron formula, for every neuron of the layer at once (and, in batch mode,
every sample, one a row), with the matrices and vectors filled in and their shapes written: the
text of `trace --matrix` (bp_tui.study.explain.matrix_lines), laid out for the panel's width. A
matrix wider than the panel is cut at its edge with …, and the first line says how many columns it
needs: widening the terminal shows it whole.
"""

from __future__ import annotations

from rich.text import Text

from ...engine.records import Step
from ...engine.stepper import Stepper
from ...study.explain import matrix_lines
from .worked import WorkedPanel, value_heading


class MatrixPanel(WorkedPanel):
    what = "the matrix form"
    width_matters = True  # the matrices are set side by side or one under another to fit

    def work_out(self, step: Step, stepper: Stepper, width: int) -> list[str] | None:
        return matrix_lines(step, stepper, max(1, width))

    def present(self, step: Step, text: list[str], width: int) -> list[Text]:
        lines = [value_heading(step, " is one element of its layer's step:")]
        needed = max(map(len, text), default=0)
        if needed > width:
            lines.append(Text(f"These matrices need {needed} columns and the panel has {width}: rows are cut at "
                              "… (a wider terminal shows them whole).", style="bold"))
        return lines + [cut(line, width) for line in text]

    def absent(self, step: Step) -> list[Text]:
        return [value_heading(step, " has no matrix form: it is not part of a layer's step.")]


def cut(line: str, width: int) -> Text:
    """A line of a matrix as one row: never wrapped (a wrapped matrix row reads as two), cut with …"""
    text = Text(line, no_wrap=True)
    if len(line) > width:
        text.truncate(width, overflow="ellipsis")
    return text
