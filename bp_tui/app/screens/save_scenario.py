"""Save the network as it stands as a scenario file (w): the settings in force, the weights after the
rounds shown, edits included. `bp-tui validate` accepts the file and `bp-tui FILE` opens it."""

from __future__ import annotations

from pathlib import Path

from ...engine.stepper import Stepper
from ...study.export import suggested_filename
from .save_file import SaveFileScreen, shown_path


class SaveScenarioScreen(SaveFileScreen):
    def __init__(self, stepper: Stepper):
        self.stepper = stepper
        stem = Path(suggested_filename(stepper.scenario, "json")).stem.rsplit("-round-", 1)[0]
        super().__init__("save the network as a scenario file", f"{stem}-edited.toml")

    def document(self) -> str:
        return self.stepper.edited_toml()

    def saved(self, path: Path) -> str:
        shown = shown_path(path)
        return f"Network saved to {shown}; bp-tui {shown} opens it"

    def delivered(self, name: str) -> str:
        return f"Network saved: your browser downloads {name}; bp-tui {name} opens it"
