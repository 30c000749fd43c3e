"""Shown instead of the stepper while the terminal is below the smallest size it can be read at.

Textual would otherwise squeeze the panels until they overlap or vanish without a word. The app
pushes this screen on a resize below the minimum and pops it once the terminal is large enough.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from .modal import Modal


class TooSmallScreen(Modal[None], inherit_bindings=False):
    # Opaque, no border: nothing of the squeezed stepper shows through. Escape does not close it.
    DEFAULT_CSS = """
    TooSmallScreen { background: $background; }
    TooSmallScreen > #box {
        width: auto;
        max-width: 100%;  /* wrap inside a very narrow terminal instead of cropping both sides */
        border: none; padding: 0; background: $background;
    }
    #too-small { width: auto; max-width: 100%; color: $foreground; text-align: center; }
    """
    BINDINGS = [Binding("q", "app.quit", "quit")]

    def __init__(self, need: tuple[int, int]):
        super().__init__()
        self.need = need

    def compose_box(self) -> ComposeResult:
        yield Static(markup=False, id="too-small")

    def on_mount(self) -> None:
        self.show_size()

    def on_resize(self, event) -> None:
        self.show_size(event.size)

    def show_size(self, have=None) -> None:
        width, height = self.need
        have = have or self.app.size
        self.query_one("#too-small", Static).update(Text.assemble(
            ("terminal too small", "bold reverse"),
            f"\n\nneed {width}×{height}, have {have.width}×{have.height}",
            "\nenlarge the window (or press q to quit)",
            justify="center",
        ))
