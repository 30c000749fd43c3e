"""Edit while learning (e): change the learning rate, the momentum, a weight or a bias.

The edit box lists the learning rate, the momentum, then every weight (with what it joins) and bias,
each with its value now; the learner picks one and types a new value. The app applies it through
the stepper, which takes it from the next update not yet shown. A value the stepper refuses keeps
the box open with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.records import num
from ...engine.stepper import Stepper
from ...study.gradcheck import connections
from ..study import LEARNING_RATE, MOMENTUM
from .modal import Modal


def editable(stepper: Stepper) -> list[tuple[str, str, float]]:
    """(name, what it is, value now) of everything the learner can change, in the article's order."""
    scenario, params, layout = stepper.scenario, stepper.params, stepper.layout
    joins = connections(scenario)
    found = [(LEARNING_RATE, "eta: the size of each update's step", scenario.learning_rate),
             (MOMENTUM, "share of the previous step added again", scenario.momentum)]
    for names, layer in zip(layout.weight_names, params.weights):
        for name_row, row in zip(names, layer):
            found += [(name, joins[name].replace(" -> ", "→"), w) for name, w in zip(name_row, row)]
    for l, biases in enumerate(params.biases or ()):
        for j, b in enumerate(biases if isinstance(biases, (list, tuple)) else [biases]):
            name = layout.bias_name(l, j)
            found.append((name, joins.get(name, "bias (fixed: not trained)"), b))
    return found


class EditScreen(Modal[str | None]):
    """Dismissed with what `apply` said about the change, or None when cancelled."""

    DEFAULT_CSS = "EditScreen > #box { max-width: 90; max-height: 96%; }"
    box_title = "change a setting, a weight or a bias"

    def __init__(self, stepper: Stepper, apply: Callable[[str, float], str]):
        super().__init__()
        self.choices = {name: (what, value) for name, what, value in editable(stepper)}
        self.apply = apply
        self.chosen = LEARNING_RATE

    def compose_box(self) -> ComposeResult:
        width = max(map(len, self.choices))
        yield Static("What to change (↑ ↓, enter):", markup=False)
        yield OptionList(*(Option(Text.assemble((name.ljust(width), "bold"), f"  {num(value):<11} {what}"), id=name)
                           for name, (what, value) in self.choices.items()), id="targets")
        yield Static("", markup=False, id="edit-label")
        yield Input(id="value")
        yield Static("", markup=False, id="edit-error")
        yield Static("enter: apply · escape: cancel. It applies from the next update not yet shown; a "
                     "weight or bias changed before this round's update restarts the round.",
                     markup=False, classes="hint")

    def on_mount(self) -> None:
        self.choose(LEARNING_RATE)

    def choose(self, name: str) -> None:
        self.chosen = name
        value = self.choices[name][1]
        self.query_one("#edit-label", Static).update(Text(f"New value for {name} (now {num(value)}):"))
        self.query_one("#value", Input).value = num(value)
        self.query_one("#edit-error", Static).update("")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.choose(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self.query_one("#edit-error", Static)
        try:
            value = float(event.value.strip())
        except ValueError:
            error.update(Text(f"✗ {event.value.strip()!r} is not a number (e.g. 0.5, -1.2, 1e-3).", style="bold"))
            return
        try:
            message = self.apply(self.chosen, value)
        except ValueError as exc:  # the stepper's reason, written for the learner
            error.update(Text(f"✗ Not changed: {exc}.", style="bold"))
            return
        self.dismiss(message)
