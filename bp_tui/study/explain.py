"""The derivations and matrix forms as lines of text: for `trace --derive` / `--matrix`, and the app.

In trace, the derivation of a derivative sub-step goes under that sub-step. A matrix form covers a
whole layer (and in batch mode every sample), so several sub-steps share one: it goes once, under
the last of the sub-steps it covers, when all its numbers have been shown. The app shows the one of
the sub-step on screen (`derivation_lines`, `matrix_lines`); the lines are plain text, never markup.
"""

from __future__ import annotations

from typing import Callable

from ..engine.records import Step
from ..engine.stepper import Stepper
from .derive import derive
from .derive_text import neuron_names, text_lines as derivation_text
from .matrix import matrix_form
from .matrix_text import text_lines as matrix_text


def extra_lines(stepper: Stepper, records: list[Step], derivations: bool, matrices: bool,
                width: int = 96) -> Callable[[Step], list[str]]:
    """A function from each of `records` (one round) to the lines to print under it."""
    keep = neuron_names(stepper)
    last: dict[tuple, int] = {}
    forms = {}
    if matrices:
        for step in records:
            form = matrix_form(step, stepper)
            if form is not None:
                forms[step.index] = form
                last[form.key] = step.index

    def lines(step: Step) -> list[str]:
        found = []
        derivation = derive(step, stepper) if derivations else None
        if derivation is not None:
            found += ["-- the chain rule, step by step --"] + derivation_text(derivation, keep)
        form = forms.get(step.index)
        if form is not None and last[form.key] == step.index:
            found += ["-- the whole layer in matrix form --"] + matrix_text(form, width)
        return found

    return lines


# --- for the app: the current sub-step's derivation or matrix form, as lines --------------------


def derivation_lines(step: Step, stepper: Stepper) -> list[str] | None:
    """The chain rule written out for this sub-step, or None when it takes no derivative."""
    derivation = derive(step, stepper)
    return None if derivation is None else derivation_text(derivation, neuron_names(stepper))


def matrix_lines(step: Step, stepper: Stepper, width: int = 78) -> list[str] | None:
    """This sub-step's layer in matrix form, drawn to fit `width` columns, or None."""
    form = matrix_form(step, stepper)
    return None if form is None else matrix_text(form, width)
