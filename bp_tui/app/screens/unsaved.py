"""Before quitting or opening another scenario with edits that are not saved: ask first.

The box names the edits and takes one key to go on without them (enter, or the same key again), one
to save them first (w: the save box, then on), and escape to stay. Without unsaved edits nothing is
asked.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...engine.records import num
from .modal import Modal

GO, SAVE = "go", "save"


class UnsavedEditsScreen(Modal[str | None]):
    """Dismissed with GO, SAVE, or None (stay)."""

    DEFAULT_CSS = "UnsavedEditsScreen > #box { max-width: 76; }"
    BINDINGS = [Binding("enter", f"dismiss('{GO}')", "go on"), Binding("w", f"dismiss('{SAVE}')", "save first")]
    box_title = "unsaved edits"

    def __init__(self, doing: str, key: str, edits: dict[str, float]):
        super().__init__()
        self.doing, self.key, self.edits = doing, key, edits

    def compose_box(self) -> ComposeResult:
        changed = ", ".join(f"{name} {num(value)}" for name, value in self.edits.items())
        yield Static(f"The network has edits that are not saved ({changed}). They are not remembered: "
                     f"to {self.doing} now loses them.", markup=False)
        yield Static(f"enter or {self.key}: {self.doing} without saving · w: save them first · escape: stay",
                     markup=False, classes="hint")

    def on_key(self, event) -> None:
        if event.key == self.key:  # (the key that asked, pressed again: go on)
            event.stop()
            self.dismiss(GO)


def ask_before(screen, doing: str, key: str, then: Callable[[], object]) -> None:
    """Run `then` now, or, with unsaved edits, once the learner has said to go on (or saved them)."""
    study = screen.study
    if not study.unsaved:
        then()
        return

    def answered(choice: str | None) -> None:
        if choice == GO:
            then()
        elif choice == SAVE:
            screen.action_save_scenario(then=then)

    screen.app.push_screen(UnsavedEditsScreen(doing, key, dict(study.edited)), answered)
