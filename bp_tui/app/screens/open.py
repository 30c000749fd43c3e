"""Open another scenario: pick a built-in one, or type the path of a TOML file.

A scenario that fails to load keeps this screen open with the loader's one-line message (it names
the file and the field), and the scenario already on screen stays as it was.

Served (bp-tui serve) there is no path to type: the list holds the built-in scenarios and the files
of the folder the teacher offers (app/served.py), and only those can be opened.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.scenario import Scenario, ScenarioError, builtin_names, load_scenario
from ..served import offered_files
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


def folder_options(files: list[Path]) -> list[Option]:
    """The teacher's files, by name only (where they are on the server is none of the page's business)."""
    width = max((len(path.name) for path in files), default=0)
    options = []
    for number, path in enumerate(files):
        try:
            title = load_scenario(path).display_title
        except ScenarioError:
            continue  # (the teacher was told when the server started; a student can do nothing about it)
        options.append(Option(Content.assemble((path.name.ljust(width), "bold"), "  ", title), id=f"file:{number}"))
    return options


class OpenScreen(Modal[Scenario | None]):
    """Dismissed with the scenario loaded, or None when cancelled."""

    DEFAULT_CSS = """
    OpenScreen > #box { max-width: 110; }
    #builtins { height: auto; max-height: 35vh; text-wrap: nowrap; text-overflow: ellipsis; }
    """
    box_title = "open a scenario"

    def __init__(self):
        super().__init__()
        self.files: list[Path] = []  # served: the teacher's files, by their place in the list

    def compose_box(self) -> ComposeResult:
        served = getattr(self.app, "served", None)
        if served is not None:
            yield from self.compose_served(served.scenarios)
            return
        yield Static("Built-in scenarios (↑ ↓ to choose, enter to open):", markup=False)
        yield OptionList(*builtin_options(), id="builtins")
        yield Static("Or the path of a scenario file (tab moves here, enter opens):", markup=False)
        yield Input(placeholder="e.g. my-network.toml", id="path")
        yield Static("", markup=False, id="open-error")
        yield Static("escape: keep the current scenario", markup=False, classes="hint")

    def compose_served(self, folder: Path | None) -> ComposeResult:
        self.files = offered_files(folder)
        options = builtin_options()
        offered = folder_options(self.files)
        if offered:
            options += [None, *offered]  # (None: a line between the built-in scenarios and the teacher's)
        yield Static("Scenarios (↑ ↓ to choose, enter to open):", markup=False)
        yield OptionList(*options, id="builtins")
        yield Static("", markup=False, id="open-error")
        yield Static("escape: keep the current scenario", markup=False, classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id or ""
        if chosen.startswith("file:"):
            self.open_offered(self.files[int(chosen[5:])])
        else:
            self.try_open(chosen)

    def open_offered(self, path: Path) -> None:
        """One of the teacher's files, if it is still offered; a message names it without its folder."""
        if path not in offered_files(self.app.served.scenarios):
            self.not_opened(f"{path.name} is no longer offered")
            return
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            self.not_opened(str(exc).replace(str(path), path.name))
            return
        self.dismiss(scenario)

    def not_opened(self, why: str) -> None:
        self.query_one("#open-error", Static).update(Text.assemble(("✗ Not opened:", "bold reverse"), " ", why,
                                                                   "\nThe current scenario is still loaded."))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.try_open(event.value.strip())

    def try_open(self, name_or_path: str) -> None:
        message = self.query_one("#open-error", Static)
        if not name_or_path:
            message.update(Text("Type a path first (or pick a built-in above).", style="bold"))
            return
        if getattr(self.app, "served", None) is not None and name_or_path not in builtin_names():
            self.not_opened("served, only the scenarios listed can be opened")  # (no path reaches the server)
            return
        try:
            scenario = load_scenario(name_or_path)
        except ScenarioError as exc:
            self.not_opened(str(exc))
            return
        self.dismiss(scenario)
