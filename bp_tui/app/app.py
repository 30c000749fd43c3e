"""The app: the stepper's screen, the terminal's size, quitting, and where notifications go.

Everything a learner does happens on one screen (screens/stepper.py), which holds the stepper and the
study state and pushes the stepper's position into its panels; every other screen is a box over it
(screens/modal.py). The app holds no maths.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen

from ..engine.scenario import Scenario
from ..engine.stepper import Stepper
from . import hangup
from .screens.stepper import StepperScreen
from .served import Served
from .study import Note, Study

MIN_SIZE = (60, 20)  # below this the panels cannot be read; the too-small screen says so


class BackpropApp(App):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it too
    TITLE = "bp-tui"
    BINDINGS = [Binding("ctrl+c", "interrupt", show=False, priority=True)]  # quits, as ctrl+q and q do

    def __init__(self, scenario: Scenario, quiz: bool = False, remember: bool = False, fresh: bool = False,
                 served: Served | None = None):
        """`quiz` starts in quiz mode; `remember` resumes the saved place (unless `fresh`) and saves it;
        `served` (bp-tui serve) keeps the served mode's rules (app/served.py), and then no place is kept."""
        super().__init__()
        if served is None and os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver"):
            served = Served()  # published to a browser by another tool (textual serve): its rules all the same
        self.served = served
        remember = remember and served is None
        self.main = StepperScreen(Stepper(scenario), Study(quiz, remember), resume=remember and not fresh)

    @property
    def stepper(self) -> Stepper:
        return self.main.stepper

    @property
    def study(self) -> Study:
        return self.main.study

    def get_default_screen(self) -> Screen:
        return self.main

    def on_mount(self) -> None:
        self.check_size(self.size)

    def on_ready(self) -> None:
        # The first frame is on screen (run_app turned the collector off until then). What exists now
        # lives as long as the app: frozen, the collector never walks it again, so its passes during
        # key presses stay short.
        gc.freeze()
        gc.enable()

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size)  # self.size may not have caught up yet

    def check_size(self, size: Size) -> None:
        small = size.width < MIN_SIZE[0] or size.height < MIN_SIZE[1]
        if not small and f"{__package__}.screens.too_small" not in sys.modules:
            return  # never shown, so not showing: no need to import it (start-up)
        from .screens.too_small import TooSmallScreen

        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen(MIN_SIZE))
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def notify(self, message: str, *, title: str = "", severity: str = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification (ours and Textual's) goes to the status line, never over the screen."""
        if not self.main.is_mounted:  # (before the screen exists: Textual's own way)
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
            return
        self.main.say(Note(f"{title}: {message}" if title else message, severity), timeout)

    def save_place(self) -> str | None:
        """Save the learner's place now: round, sub-step and quiz score, under the scenario's hash in
        the state folder ($XDG_STATE_HOME/bp-tui). Called on quit, before opening another scenario,
        every minute, and by the hangup handler. Never raises: returns a one-line warning when the
        place cannot be written, None otherwise (also when the app was made without remember=True)."""
        return self.study.save(self.stepper)

    async def action_quit(self) -> None:
        if self.study.unsaved:  # edits not saved: ask first (the box's own keys, or ctrl+c again, go on)
            from .screens.unsaved import UnsavedEditsScreen, ask_before

            if not isinstance(self.screen, UnsavedEditsScreen):
                ask_before(self.main, "quit", "q", self.quit_now)
                return
        self.quit_now()

    def quit_now(self) -> None:
        self.exit(message=self.save_place())  # a warning, if any, is printed once the screen is gone

    async def action_interrupt(self) -> None:
        """ctrl+c quits in a terminal. In a browser it copies, as it does everywhere there: a student
        copying a figure must not end the session (q does that)."""
        if self.served is None:
            await self.action_quit()
            return
        selected = self.screen.get_selected_text()
        if selected:
            self.copy_to_clipboard(selected)
        else:
            self.notify("ctrl+c copies the text selected with the mouse; q ends this session.")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is self.main:  # (over a box or a running fast-forward, the stepper must not move)
            yield from self.main.system_commands()


def run_app(scenario: Scenario, quiz: bool = False, fresh: bool = False, served: Served | None = None) -> int:
    app = BackpropApp(scenario, quiz=quiz, remember=True, fresh=fresh, served=served)
    hangup.install(app)  # losing the terminal saves the place, then exits
    # Until the first frame (on_ready) nothing made is garbage: the cyclic collector would only walk
    # the widgets being built (start-up).
    gc.disable()
    app.run()
    return app.return_code or 0
