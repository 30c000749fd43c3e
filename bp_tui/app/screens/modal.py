"""The base of every box over the stepper: help, open, fast-forward, export, save, edit, the gradient
check and the too-small message.

A modal is one bordered box in the middle of the dimmed stepper, its title on the border; escape
closes it with no result. A subclass yields what goes in the box (`compose_box`), names its title
(`box_title`) and, if the box may be taller than the screen, sets `scrolls`. Each modal keeps the
styles that are its own in its own module (its DEFAULT_CSS), with `#box` for the box.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

Result = TypeVar("Result")


class Modal(ModalScreen[Result]):
    DEFAULT_CSS = """
    Modal { align: center middle; }
    Modal > #box {
        width: 96%; max-width: 100; height: auto; max-height: 90%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    Modal OptionList { height: auto; max-height: 10; }
    Modal .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "cancel")]

    box_title = ""
    scrolls = False  # a box that may be taller than the screen scrolls (↑ ↓) instead

    def compose(self) -> ComposeResult:
        box = VerticalScroll(id="box") if self.scrolls else Vertical(id="box")
        box.border_title = self.box_title
        with box:
            yield from self.compose_box()

    def compose_box(self) -> ComposeResult:
        """The widgets inside the box."""
        yield from ()
