"""The look shared by the study screens (export, save, edit, gradient check): one bordered box in the
middle of the dimmed stepper. Their compose puts everything in a container of class "box"."""

from __future__ import annotations

from textual.screen import ModalScreen


class BoxScreen(ModalScreen):
    DEFAULT_CSS = """
    BoxScreen { align: center middle; }
    BoxScreen > .box {
        width: 96%; max-width: 100; height: auto; max-height: 90%;
        border: round $primary; padding: 0 1; background: $surface;
    }
    BoxScreen OptionList { height: auto; max-height: 10; }
    """
