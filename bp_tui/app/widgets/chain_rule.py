"""The chain rule written out for the sub-step on screen, in the step panel's place (key d).

For a derivative (an error's slope, a squash slope, a delta, a path into a hidden neuron and their
sum, a gradient, a batch mean, momentum's running gradient) it says how the value follows from the
values before it, with the numbers in, ending on the sub-step's value; for a hidden neuron it also
checks the sum of the paths by nudging the neuron's output. The text is `trace --derive`'s
(bp_tui.study.explain.derivation_lines).
"""

from __future__ import annotations

import re
import textwrap

from rich.text import Text

from ...engine.records import Step
from ...engine.stepper import Stepper
from ...study.explain import derivation_lines
from .worked import WorkedPanel, value_heading


class ChainRulePanel(WorkedPanel):
    what = "the chain rule"

    def work_out(self, step: Step, stepper: Stepper, width: int) -> list[str] | None:
        return derivation_lines(step, stepper)

    def present(self, step: Step, text: list[str], width: int) -> list[Text]:
        return [value_heading(step, ", by the chain rule:")] + [row for line in text for row in hanging(line, width)]

    def absent(self, step: Step) -> list[Text]:
        return [value_heading(step, " takes no derivative: there is no chain rule to write out here."),
                Text("The chain rule is written out for the sub-steps that take one: the error's slopes, "
                     "the squash slopes, the deltas, the paths into a hidden neuron and their sum, and the "
                     "gradients. The backward pass is made of them (] moves on a phase).", style="italic")]


EQUATION = re.compile(r"\s*(\S+ )?= ")  # `∂E_total/∂w5 = ...`, or its next line `             = ...`


def hanging(line: str, width: int) -> list[Text]:
    """A line too long for the panel, folded: an equation's next rows start under its right-hand side,
    a sentence's under its first word."""
    if len(line) <= width:
        return [Text(line)]
    equation = EQUATION.match(line)
    indent = equation.end() if equation and equation.end() <= width // 2 else len(line) - len(line.lstrip())
    return [Text(row) for row in textwrap.wrap(line, width, subsequent_indent=" " * indent)]
