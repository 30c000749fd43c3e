"""Open another scenario: pick a built-in one, or type the path of a TOML file.

A scenario that fails to load keeps this screen open with the loader's one-line message (it names
the file and the field), and the scenario already on screen stays as it was.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.scenario import Scenario, ScenarioError, builtin_names, load_scenario
from .modal import Modal


def builtin_options() -> list[Option]:
    names = builtin_names()
    width = max(map(len, names), default=0)
    options = []
    for name in names:
        try:
            title = load_scenario(name).display_title
        except ScenarioError as exc:  # a broken built-in is listed with its problem, not hidden
            title = f"(cannot load: {exc})"
        options.append(Option(Content.assemble((name.ljust(width), "bold"), "  ", title), id=name))
    return options


class OpenScreen(Modal[Scenario | None]):
    """Dismissed with the scenario loaded, or None when cancelled."""

    DEFAULT_CSS = """
    OpenScreen > #box { max-width: 110; }
    #builtins { height: auto; max-height: 35vh; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    box_title = "open a scenario"

    def compose_box(self) -> ComposeResult:
        yield Static("Built-in scenarios (↑ ↓ to choose, enter to open):", markup=False)
        yield OptionList(*builtin_options(), id="builtins")
        yield Static("Or the path of a scenario file (tab moves here, enter opens):", markup=False)
        yield Input(placeholder="e.g. my-network.toml", id="path")
        yield Static("", markup=False, id="open-error")
        yield Static("escape: keep the current scenario", markup=False, classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.try_open(event.option.id or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.try_open(event.value.strip())

    def try_open(self, name_or_path: str) -> None:
        message = self.query_one("#open-error", Static)
        if not name_or_path:
            message.update(Text("Type a path first (or pick a built-in above).", style="bold"))
            return
        try:
            scenario = load_scenario(name_or_path)
        except ScenarioError as exc:
            message.update(Text.assemble(("✗ Not opened:", "bold reverse"), " ", str(exc),
                                         "\nThe current scenario is still loaded."))
            return
        self.dismiss(scenario)
