"""The app: one stepper, the keys that move it, and the `frame` every panel shows.

Each command asks the stepper to move, then hands the new frame to the panels; they compare what
they would draw with what they show and repaint only what changed. The app holds no maths.

The frame is handed over by plain calls, not a reactive `var` with `data_bind`: Textual's reactive
machinery walks every reactive of every bound widget on each set, about half a millisecond per key,
a sixth of what a key may cost (issue 6). The panels still only render what they are given.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Iterable

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.screen import Screen

from ..engine.scenario import Scenario
from ..engine.stepper import Stepper
from . import hangup
from .commands import COMMANDS, STUDY_ACTIONS, palette_title
from .compositor import StepScreen
from .frame import Frame
from .study import Study
from .study_actions import StudyActions
from .widgets.diagram import Diagram, NetworkPanel
from .widgets.error_chart import ErrorChart
from .widgets.footer import Footer
from .widgets.formula import FormulaPanel
from .widgets.header import StatusHeader
from .widgets.lines import DrawsAhead
from .widgets.quantities import QuantitiesPanel

MIN_SIZE = (60, 20)  # below this the panels cannot be read; the too-small screen says so


class BackpropApp(StudyActions, App):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute, so subclasses elsewhere find it too
    TITLE = "bp-tui"
    BINDINGS = [Binding(c.keys, c.action, c.label, show=c.in_footer, key_display=c.shown.split()[0])
                for c in COMMANDS] + [Binding("ctrl+c", "quit", show=False, priority=True)]  # ctrl+c quits too

    frame: Frame | None = None  # what the panels show (see show)

    def __init__(self, scenario: Scenario, quiz: bool = False, remember: bool = False, fresh: bool = False):
        """`quiz` starts in quiz mode; `remember` resumes the saved place (unless `fresh`) and saves it."""
        super().__init__()
        self.stepper = Stepper(scenario)
        self.study = Study(quiz, remember)
        self.fresh = fresh
        self.edited: dict[str, float] = {}  # what the learner changed, for the network panel's title

    def get_default_screen(self) -> Screen:
        return StepScreen(id="_default")  # repaints only the rows a key changes

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header")
        with NetworkPanel(id="network") as network:
            network.border_title = " network "
            yield Diagram()
        formula = FormulaPanel(id="formula")
        formula.border_title = " this step "
        yield formula
        if self.study.quiz:  # (otherwise the quiz bar is made when quiz mode is first turned on: see show)
            yield self.new_quiz_bar()
        with Horizontal(id="lower"):
            yield QuantitiesPanel(id="quantities")
            chart = ErrorChart(id="chart")
            chart.border_title = " training error "
            yield chart
        yield Footer(compact=True, show_command_palette=False)  # ctrl+p still works; the help says so

    def on_mount(self) -> None:
        self.panels = [self.query_one(kind) for kind in (StatusHeader, Diagram, FormulaPanel, QuantitiesPanel,
                                                         ErrorChart)]
        self.show()
        if not self.fresh:
            self.resume_place()
        self.start_remembering()
        self.check_size(self.size)

    first_frame_drawn = False  # until then the panels do not draw the next sub-step ahead

    def on_ready(self) -> None:
        gc.enable()  # the first frame is on screen (run_app turned the collector off until then)
        self.first_frame_drawn = True
        for panel in self.panels:
            if isinstance(panel, DrawsAhead):
                panel.draw_ahead(panel.frame)

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size)  # self.size may not have caught up yet

    def check_size(self, size: Size) -> None:
        small = size.width < MIN_SIZE[0] or size.height < MIN_SIZE[1]
        if not small and f"{__package__}.screens.too_small" not in sys.modules:
            return  # never shown, so not showing: no need to import it (start-up, issue 6)
        from .screens.too_small import TooSmallScreen

        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen(MIN_SIZE))
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()

    def show(self) -> None:
        frame = Frame.of(self.stepper, masked=self.study.asking)
        if frame != self.frame:  # (an equal frame shows the same: nothing to repaint)
            self.frame = frame
            for panel in self.panels:
                panel.update_frame(frame)
        if self.quiz_bar is None and self.study.quiz:
            step_panel = self.screen_stack[0].query_one(FormulaPanel)  # (a box may be open on top)
            step_panel.parent.mount(self.new_quiz_bar(), after=step_panel)
        if self.quiz_bar is not None:
            self.quiz_bar.show_study(self.study)

    quiz_bar = None  # under the step panel, from the first time quiz mode is on

    def new_quiz_bar(self):
        """Most sessions never turn quiz mode on: its bar and module are not made or imported until
        it is (start-up, issue 6)."""
        from .widgets.quiz import QuizBar

        self.quiz_bar = QuizBar(id="quiz")
        return self.quiz_bar

    def moved(self, moved: bool) -> None:
        if moved:
            self.show()
            self.quiz_summary()
        elif self.stepper.diverged_at is not None:
            self.notify(f"Training diverged at epoch {self.stepper.diverged_at}: press r to reset.",
                        severity="warning", markup=False)
        else:
            self.bell()

    # --- moving ------------------------------------------------------------------------------

    def action_next(self) -> None:
        moved = self.stepper.next()
        if moved:
            self.study.ask(self.stepper)  # in quiz mode, the value waits for the learner's answer
        self.moved(moved)

    def action_back(self) -> None:
        self.moved(self.stepper.back())

    def action_next_phase(self) -> None:
        self.moved(self.stepper.next_phase())

    def action_prev_phase(self) -> None:
        self.moved(self.stepper.prev_phase())

    def action_finish(self) -> None:
        self.moved(self.stepper.finish_round())

    def action_reset(self) -> None:
        self.stepper.reset()
        self.study.start_over()
        self.study.forget(self.stepper)
        self.show()
        if self.study.remember:
            self.notify("Started over: the saved place and quiz score are forgotten.", markup=False)

    # --- screens -----------------------------------------------------------------------------

    def action_fast_forward(self) -> None:
        from .screens.fast_forward import FastForwardPrompt

        self.push_screen(FastForwardPrompt(self.stepper), self.fast_forward_done)

    def fast_forward_done(self, reached: int | None) -> None:
        if reached is None:
            return  # cancelled
        reached = self.stepper.goto_epoch(reached)
        self.show()
        # The panels' sizes change with the jump: lay the screen out before its next paint, which the
        # box's closing has already asked for (else one frame shows the new numbers in the old places).
        self.screen.refresh(layout=True)
        if self.stepper.diverged_at is not None and reached >= self.stepper.diverged_at:
            self.notify(f"Stopped: training diverged at epoch {self.stepper.diverged_at}.", severity="warning",
                        markup=False)

    def action_open(self) -> None:
        from .screens.open import OpenScreen

        self.push_screen(OpenScreen(), self.opened)

    def opened(self, scenario: Scenario | None) -> None:
        if scenario is not None:
            self.save_place()
            self.stepper = Stepper(scenario)
            self.study.start_over()
            self.edited.clear()
            self.query_one("#network").border_title = " network "
            self.show()
            self.notify(f"Opened {scenario.display_title}", markup=False)
            self.resume_place()

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        keys = {study: [(c.shown, c.description) for c in COMMANDS if (c.action in STUDY_ACTIONS) == study]
                for study in (False, True)}
        self.push_screen(HelpScreen(keys[False], self.stepper.scenario, keys[True]))

    def save_place(self) -> str | None:
        """Save the learner's place now: round, sub-step and quiz score, under the scenario's hash in
        the state folder ($XDG_STATE_HOME/bp-tui). Called on quit, before opening another scenario,
        every minute, and by the hangup handler. Never raises: returns a one-line warning when the
        place cannot be written, None otherwise (also when the app was made without remember=True)."""
        return self.study.save(self.stepper)

    async def action_quit(self) -> None:
        self.exit(message=self.save_place())  # a warning, if any, is printed once the screen is gone

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return  # over help, a prompt or a running fast-forward, the stepper must not move
        for command in COMMANDS:
            if command.action != "quit" and self.allowed(command.action):  # Textual lists its own Quit
                yield SystemCommand(palette_title(command), f"key: {command.shown}",
                                    getattr(self, f"action_{command.action}"))


def run_app(scenario: Scenario, quiz: bool = False, fresh: bool = False) -> int:
    app = BackpropApp(scenario, quiz=quiz, remember=True, fresh=fresh)
    hangup.install(app)  # losing the terminal (SIGHUP) or SIGTERM saves the place, then exits
    # Until the first frame (on_ready) nothing made is garbage: the cyclic collector would only walk
    # the widgets being built (start-up, issue 6).
    gc.disable()
    app.run()
    status = app.return_code or 0
    hangup.leave(app, status)  # a worker thread still computing must not keep the process alive
    return status
