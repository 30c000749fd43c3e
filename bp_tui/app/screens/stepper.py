"""The stepper's screen: the panels, the commands that move the stepper, and the one state they share.

`frame` (a Frame: the stepper at a position) is the single source of truth the panels render. A
command asks the stepper to move, then calls `show()`, which sets `frame`; every panel is bound to it
with `data_bind`, so setting it sets theirs and each redraws what changed. The panels never move the
stepper and the screen never draws.

From top to bottom: header, network, this step, the quiz bar (in quiz mode), quantities beside the
error chart, the status line, the footer. `fit_panels` gives the network and the step panel the rows
their text asks for, within the terminal's height (app/heights.py), so the screen never scrolls as a
whole: a long text scrolls inside its own panel, and the quantities keep their rows.

The study commands (quiz, export, gradient check, edit, save, a page of the learner's own figures)
open their boxes from here too; the boxes report back through their results, which the status line
says. In quiz mode the moves that would show values without asking them go through `skip_move`: the
first press says what it would skip, the second does it. The views of why (the chain rule, the
matrix form, the decision boundary, a comparison: screens/why.py) take the step panel's or the error
chart's place on their keys.
"""

from __future__ import annotations

import asyncio
from typing import Iterable

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.reactive import var
from textual.screen import Screen

from ...engine.scenario import Scenario
from ...engine.stepper import Stepper
from ..commands import COMMANDS, KEY_ACTIONS, bindings, help_keys, palette_title, shown_key
from ..frame import LARGE_ROUND, Frame
from ..heights import FIXED_ROWS, QUIZ_ROWS, STEP_LINES, picture_rows, share_rows
from ..moves import BackgroundMoves
from ..study import QUICK_RESUME_EPOCHS, Note, Study, apply_edit, position
from ..widgets.diagram import Diagram
from ..widgets.error_chart import ErrorChart
from ..widgets.formula import FormulaPanel
from ..widgets.header import StatusHeader
from ..widgets.keys import KeyLine
from ..widgets.quantities import QuantitiesPanel
from ..widgets.status import StatusLine
from .play import AutoPlay
from .point import Pointing
from .why import WhyViews

# Moves and changes that would alter a question while it is asked: keys go to the answer box then, and
# these stay out of the command palette. (The moves that skip it ask for a second press instead.)
BLOCKED_WHILE_ASKING = frozenset({"back", "prev_phase", "edit", "check_figures"})
AUTOSAVE_SECONDS = 60
AHEAD_DELAY = 0.02  # seconds after a frame is shown before the next one is drawn ahead


class StepperScreen(Pointing, AutoPlay, WhyViews, Screen):
    BINDINGS = bindings()

    frame: var[Frame | None] = var(None)  # what every panel shows; set by show() alone

    def __init__(self, stepper: Stepper, study: Study, resume: bool = False):
        """`resume`: go back to the place saved for this scenario once the screen is up."""
        super().__init__()
        self.stepper, self.study, self.resume = stepper, study, resume
        self.quiz_bar = None  # made when quiz mode is first turned on (most sessions never do)
        self._ahead: asyncio.TimerHandle | None = None  # the pending call of draw_ahead
        self._autosave_warned = False
        self.moves = BackgroundMoves(self)  # a move on a round of millions of sub-steps runs in a worker

    def compose(self) -> ComposeResult:
        yield StatusHeader(id="header").data_bind(StepperScreen.frame)
        yield Diagram(id="network").data_bind(StepperScreen.frame)
        step = FormulaPanel(id="formula").data_bind(StepperScreen.frame)
        step.border_title = " this step "
        yield step
        if self.study.quiz:
            yield self.new_quiz_bar()
        with Horizontal(id="lower"):
            yield QuantitiesPanel(id="quantities").data_bind(StepperScreen.frame)
            chart = ErrorChart(id="chart").data_bind(StepperScreen.frame)
            chart.border_title = " training error "
            yield chart
        yield StatusLine(id="status")
        yield KeyLine(id="keys")  # ctrl+p still opens the command palette; the help says so

    def on_mount(self) -> None:
        self.show(ahead=False)
        # (The first frame ahead waits until the first screen is out: drawn before, it delays start-up.)
        self.call_after_refresh(self.draw_ahead_later)
        if self.resume:
            self.resume_place()
        else:
            self.ask_at_once()
        if self.study.remember:
            self.set_interval(AUTOSAVE_SECONDS, self.autosave)

    # --- showing ---------------------------------------------------------------------------------

    def show(self, ahead: bool = True) -> None:
        """Push the stepper's position to every panel, then size them for it; then, unless `ahead` is
        False, have the panels draw the likely next frame once this one is out."""
        study = self.study
        self.frame = Frame.of(self.stepper, masked=study.asking, edited=tuple(study.edited.items()),
                              quiz=study.quiz, figures=study.figures, selected=self.selected,
                              playing=self.playing_text())
        if self.quiz_bar is None and self.study.quiz:
            self.mount(self.new_quiz_bar(), after="#formula")
        if self.quiz_bar is not None:
            self.quiz_bar.show_study(self.study)
        self.fit_panels()
        if ahead:
            self.draw_ahead_later()

    def draw_ahead_later(self) -> None:
        """Once this frame is out, have the panels draw the likely next one (space) into their caches,
        so that the key which shows it costs lookups. After a short delay rather than at once: the
        terminal's writer thread needs the interpreter to send this frame out. (A plain event-loop
        call: a Textual timer per key costs more than the drawing it delays.)"""
        if self._ahead is not None:
            self._ahead.cancel()
        self._ahead = asyncio.get_running_loop().call_later(AHEAD_DELAY, self.draw_ahead)

    def draw_ahead(self) -> None:
        self._ahead = None
        frame = self.frame.predicted() if self.frame is not None else None
        if frame is None or not self.is_attached or self.app.screen is not self or self.moves.busy:
            return  # (nothing to guess, or the app has closed, or a box is open, or a move computes)
        for panel in self.query("StatusHeader, LinePanel"):
            panel.prepare(frame)

    def new_quiz_bar(self):
        from ..widgets.quiz import QuizBar  # (imported only when quiz mode is first used: start-up)

        self.quiz_bar = QuizBar(id="quiz")
        return self.quiz_bar

    def fit_panels(self) -> None:
        """Give the network and step panels the heights their text asks for, within the terminal."""
        width, height = self.size
        if not width or not height:
            return
        network, step = self.query_one(Diagram), self.step_panel()
        content = width - network.styles.gutter.width - 1  # (less the panels' padding and scrollbar)
        quiz = QUIZ_ROWS if self.quiz_bar is not None and self.study.quiz else 0
        rows = height - FIXED_ROWS - quiz
        network.offer(*picture_rows(rows))
        step_lines = max(STEP_LINES, step.wanted_height(content))
        # (Setting a height the panel already has costs nothing: Textual lays out only on a change.)
        network.styles.height, step.styles.height = share_rows(
            rows, *self.panel_asks(rows, 1 + network.wanted_height(content), 1 + step_lines),
            squeeze=network.squeezed(content))

    def on_resize(self) -> None:
        self.fit_panels()

    def on_unmount(self) -> None:
        self.stop_playing(redraw=False)

    def say(self, note: Note | str | None, timeout: float | None = None) -> None:
        """A line of news in the status line (a Note carries its severity)."""
        if note is not None:
            note = Note(note) if isinstance(note, str) else note
            self.query_one(StatusLine).say(note.text, note.severity, timeout)

    # --- moving ----------------------------------------------------------------------------------

    def moved(self, moved: bool) -> None:
        if moved:
            self.show()
            self.quiz_summary()
        elif self.stepper.diverged_at is not None:
            self.say(Note(f"Training diverged at epoch {self.stepper.diverged_at}: press r to reset.", "warning"))
        else:
            self.app.bell()
            self.say("Already at the very start." if self.stepper.k == 0 else "Nothing further this way.")

    def action_next(self) -> None:
        if self.study.asking:  # (space with the box empty: show this value unasked, on a second press)
            self.skip_move("next", lambda: True)
            return

        def then(moved: bool) -> None:
            if moved:
                self.study.ask(self.stepper)  # in quiz mode, the value waits for the learner's answer
            self.moved(moved)

        self.moves.run(self.stepper.next, then)

    def action_back(self) -> None:
        self.moves.run(self.stepper.back, self.moved)

    def action_next_phase(self) -> None:
        self.skip_move("next_phase", self.stepper.next_phase)

    def action_prev_phase(self) -> None:
        self.moves.run(self.stepper.prev_phase, self.moved)

    def action_finish(self) -> None:
        self.skip_move("finish", self.stepper.finish_round)

    def warned(self, action: str) -> bool:
        """In quiz mode, the first press of a move that would show values unasked: say what it would
        skip (under the answer box, where the learner looks) and do nothing; True then."""
        warning = self.study.skip_warning(action, shown_key(action), self.stepper)
        if warning is None:
            return False
        self.study.feedback = warning
        self.quiz_bar.show_study(self.study)
        return True

    def skip_move(self, action: str, move) -> None:
        """A move that shows values without asking them: in quiz mode on its second press only, and
        what it shows counts as skipped."""
        if self.warned(action):
            return
        before, asking = position(self.stepper), self.study.asking

        def then(moved: bool) -> None:
            if self.study.quiz and (moved or asking):
                self.study.skipped(self.stepper, before)
            self.moved(moved or asking)

        self.moves.run(move, then)

    def action_toggle_network(self) -> None:
        self.say(self.query_one(Diagram).toggle())
        self.fit_panels()

    def action_reset(self) -> None:
        self.stepper.reset()
        self.study.start_over()
        self.study.forget(self.stepper)
        self.show()
        if self.study.remember:
            self.say("Started over: the saved place and quiz score are forgotten.")

    def allowed(self, action: str) -> bool:
        """Whether a command may run now: not one that skips a question while it is asked. (Not
        check_action: the footer's keys would change with every question.)"""
        return not (self.study.asking and action in BLOCKED_WHILE_ASKING)

    def system_commands(self) -> Iterable[SystemCommand]:
        """The command palette's entries for the commands of the table (the app adds its own)."""
        for command in COMMANDS:
            if command.action != "quit" and self.allowed(command.action):  # Textual lists its own Quit
                yield SystemCommand(palette_title(command), f"key: {command.shown}",
                                    getattr(self, f"action_{command.action}"))

    # --- quiz ------------------------------------------------------------------------------------

    def action_quiz(self) -> None:
        self.say(self.study.toggle_quiz(self.stepper))
        self.show()
        self.ask_at_once()

    def ask_at_once(self) -> None:
        """In quiz mode, when nothing is asked: step on to the next value and ask it."""
        if self.study.quiz and not self.study.asking and self.stepper.next():
            self.study.ask(self.stepper)
            self.show()

    def on_key(self, event: events.Key) -> None:
        """While a value is asked, keys are typed into the answer box before any binding sees them.
        Any key but a skip's own ends the wait for its second press, and any but the play keys stops
        playing. While a move computes, any key stops it and does nothing else."""
        if self.moves.busy:
            self.moves.stop()
            event.prevent_default()
            event.stop()
            return
        self.key_stops_playing(event)
        if self.study.armed is not None and KEY_ACTIONS.get(event.key) != self.study.armed:
            self.study.armed = None
        if self.study.asking and self.quiz_bar.type_key(event):
            event.prevent_default()
            event.stop()  # (it never reaches the app, whose handler runs the bindings)

    def on_quiz_bar_answered(self, message) -> None:
        self.study.check_answer(message.typed, self.stepper)
        self.show()

    def quiz_summary(self) -> None:
        """After a move that ends a round in quiz mode (], enter): the round's summary, once."""
        summary = self.study.round_summary(self.stepper) if self.study.quiz else None
        if summary:
            self.study.feedback = summary
            self.quiz_bar.show_study(self.study)

    # --- the other boxes -------------------------------------------------------------------------

    def action_fast_forward(self) -> None:
        if self.warned("fast_forward"):
            return
        before = position(self.stepper)
        # (boxes are imported when first opened: start-up)
        self.app.push_screen(self.fast_forward_box(), lambda reached: self.fast_forward_done(reached, before))

    def fast_forward_done(self, reached: int | None, before: int | None = None) -> None:
        if reached is None:
            return  # cancelled
        reached = self.stepper.goto_epoch(reached)
        if self.study.quiz and before is not None:
            self.study.skipped(self.stepper, before)
        self.show()
        if self.stepper.diverged_at is not None and reached >= self.stepper.diverged_at:
            self.say(Note(f"Stopped: training diverged at epoch {self.stepper.diverged_at}.", "warning"))

    def action_open(self) -> None:
        from .open import OpenScreen
        from .unsaved import ask_before

        ask_before(self, "open another scenario", "o", lambda: self.app.push_screen(OpenScreen(), self.opened))

    def opened(self, scenario: Scenario | None) -> None:
        if scenario is not None:
            self.stop_playing()
            self.forget_selection()
            self.app.save_place()
            self.stepper = Stepper(scenario)
            self.study.start_over()
            self.study.edited.clear()
            self.study.unsaved, self.study.figures = False, None
            self.show()
            self.say(f"Opened {scenario.display_title}")
            self.resume_place()

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(help_keys(False), self.stepper.scenario, help_keys(True)))

    def action_export(self) -> None:
        from .export import ExportScreen

        if self.warned("export"):  # (in quiz mode: the document holds values not asked yet)
            return
        if self.too_large("exported"):
            return
        self.app.push_screen(ExportScreen(self.stepper), self.say)

    def too_large(self, done: str, export: bool = True) -> bool:
        """A whole round of millions of sub-steps cannot be read here (a Markdown sub-step takes about
        0.4 ms to write, and the document would hold gigabytes): say so, and where a round can be
        written (`export`); True then."""
        count = self.stepper.count
        if count < LARGE_ROUND:
            return False
        where = (f" `bp-tui export {self.stepper.scenario.origin} --format csv -o FILE` writes one with a "
                 "progress bar.") if export else ""
        self.say(Note(f"This round has {count:,} sub-steps: too many to be {done} here.{where}", "warning"),
                 timeout=15)
        return True

    def action_gradcheck(self) -> None:
        from .gradcheck import GradcheckScreen

        if self.warned("gradcheck"):  # (in quiz mode: the table holds gradients not asked yet)
            return
        stepper = self.stepper
        where = f"after {stepper.completed} round(s)" if stepper.completed else "at the starting weights"
        self.app.push_screen(GradcheckScreen(stepper.net, stepper.params, where))

    def action_edit(self) -> None:
        from .edit import EditScreen

        self.app.push_screen(EditScreen(self.stepper, self.apply_edit), self.say)

    def apply_edit(self, name: str, value: float) -> str:
        """Change one thing (ValueError with the reason when the stepper refuses); say what happened."""
        message = apply_edit(self.stepper, name, value)
        self.study.edited[name] = value
        # (A page checked before the edit was checked against other numbers: its marks go.)
        self.study.unsaved, self.study.figures = True, None
        self.show()
        return message

    def action_save_scenario(self, then=None) -> None:
        """Save the network as a scenario file; `then` runs once it is saved (not when cancelled)."""
        from .save_scenario import SaveScenarioScreen

        def saved(message: str | None) -> None:
            self.say(message)
            if message is not None:
                self.study.unsaved = False
                if then is not None:
                    then()

        self.app.push_screen(SaveScenarioScreen(self.stepper), saved)

    def action_check_figures(self) -> None:
        from .figures import FiguresScreen, show_figures

        if self.too_large("checked against a page"):
            return
        self.app.push_screen(FiguresScreen(self.stepper, self.study), lambda result: show_figures(self, result))

    # --- the saved place -------------------------------------------------------------------------

    def resume_place(self) -> None:
        """Go where the learner stopped on this scenario, if they did (the status line says so)."""
        place, warning = self.study.saved_place(self.stepper)
        self.say(warning, timeout=10)
        if place is None:
            self.ask_at_once()
            return
        if place.epoch <= QUICK_RESUME_EPOCHS:
            def then(_reached: bool) -> None:  # (computed by then: resumed's own goto_step is quick)
                self.say(self.study.resumed(self.stepper, place), timeout=10)
                self.show()
                self.ask_at_once()

            # (Deep inside a round of millions of sub-steps the place takes seconds to recompute.)
            self.moves.run(lambda: self.stepper.goto_step(place.epoch, place.k), then)
            return
        from .fast_forward import FastForwardRun

        def reached(epochs: int) -> None:  # a key stops the run: resume as far as it got
            self.study.resuming = None
            target = place if epochs >= place.epoch else place._replace(epoch=epochs, k=0)
            self.say(self.study.resumed(self.stepper, target), timeout=10)
            self.show()
            self.ask_at_once()

        self.study.resuming = place
        self.app.push_screen(FastForwardRun(self.stepper, place.epoch), reached)

    def autosave(self) -> None:
        warning = self.study.save(self.stepper)
        if warning and not self._autosave_warned:  # once: the next save will likely fail the same way
            self._autosave_warned = True
            self.say(Note(warning, "warning"), timeout=10)
