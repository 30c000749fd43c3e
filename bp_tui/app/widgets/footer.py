"""Textual's footer, recomposed only when the keys it would list change.

Textual's Footer rebuilds all its key widgets whenever its screen is covered or uncovered (a prompt,
the help, a fast-forward box opening or closing), although the stepper's keys are the same after as
before. Rebuilding means mounting a dozen widgets and a new layout of the screen: tens of
milliseconds, spent just when the screen under the closing box is being redrawn.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _listed: tuple | None = None  # what the footer was last composed from

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            listed = tuple((key, b.binding.action, b.binding.description, b.binding.show, b.enabled, b.tooltip)
                           for key, b in screen.active_bindings.items())
            if listed == self._listed:
                return
            self._listed = listed
        super().bindings_changed(screen)
