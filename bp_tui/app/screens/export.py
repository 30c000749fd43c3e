"""Export the round on screen as a worked example (x): choose a format, then a file name.

The file name follows the format until the learner types one of their own. The document is the
one `bp-tui export` writes (bp_tui.export), for the round on screen, with the weights it started
from (edits included).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...study.export import FORMATS, export_round, suggested_filename
from ...engine.stepper import Stepper
from .save_file import SaveFileScreen, shown_path

FORMAT_WORDS = {
    "md": "Markdown with LaTeX maths: reads as a worked example",
    "tex": "a LaTeX document (pdflatex makes a PDF of it)",
    "csv": "one row per sub-step, for a spreadsheet",
    "json": "the step records, for a script",
}


class ExportScreen(SaveFileScreen):
    def __init__(self, stepper: Stepper):
        self.stepper, self.format = stepper, "md"
        self.round = stepper.epoch + 1
        super().__init__(f"export round {self.round}", self.suggestion("md"))

    def suggestion(self, fmt: str) -> str:
        return suggested_filename(self.stepper.scenario, fmt, self.round)

    def compose_choices(self) -> ComposeResult:
        yield Static("Format (↑ ↓ to choose, tab: the file name):", markup=False)
        yield OptionList(*(Option(f"{fmt:<5} {FORMAT_WORDS[fmt]}", id=fmt) for fmt in FORMATS), id="formats")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = self.query_one("#file-name", Input)
        if name.value.strip() == self.suggestion(self.format):  # not one the learner typed: follow the format
            name.value = self.suggestion(event.option.id)
        self.format = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.save()

    def kind(self) -> str:
        return self.format

    def document(self) -> str:
        return export_round(self.stepper, self.format)

    def saved(self, path) -> str:
        return f"Round {self.round} exported ({self.format}) to {shown_path(path)}"

    def delivered(self, name: str) -> str:
        return f"Round {self.round} exported ({self.format}): your browser downloads {name}"
