"""The app's study commands: quiz mode (k), export (x), gradient check (g), edit (e), save the
network (w), and resuming where the learner stopped.

A mixin of BackpropApp, kept apart so the app class stays short: these methods use the app's
`stepper`, `study` (app/study.py), `show()` and `quiz_bar`. The state and its rules live in
app/study.py and the engine; the screens in screens/; here is only what goes between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from ..study.quiz import AnswerError
from ..engine.records import num
from .study import QUICK_RESUME_EPOCHS, Note

if TYPE_CHECKING:
    from .widgets.quiz import QuizBar

# Moves and changes that would skip or alter a question while it is asked. Keys (and clicks on the
# footer, which arrive as keys) go to the answer box then; this keeps them out of the command palette.
BLOCKED_WHILE_ASKING = frozenset({"next", "back", "next_phase", "prev_phase", "finish", "fast_forward", "edit"})
AUTOSAVE_SECONDS = 60


class StudyActions:
    def tell(self, note: Note | None, timeout: float = 6) -> None:
        if note is not None:
            self.notify(note.text, severity=note.severity, markup=False, timeout=timeout)

    def allowed(self, action: str) -> bool:
        """Whether the command palette may offer a command now (not one that skips a question).

        Not check_action: that would change the footer's keys with every question, and redrawing
        the footer costs more than the rest of a key press.
        """
        return not (self.study.asking and action in BLOCKED_WHILE_ASKING)

    # --- quiz ------------------------------------------------------------------------------------

    def action_quiz(self) -> None:
        self.tell(self.study.toggle_quiz())
        self.show()

    def on_key(self, event: events.Key) -> None:
        """While a value is asked, keys are typed into the answer box before any binding sees them."""
        if self.study.asking and self.screen is self.screen_stack[0] and self.quiz_bar.type_key(event):
            event.prevent_default()  # App's own handler, the one that runs the bindings, is skipped
            event.stop()

    def on_quiz_bar_answered(self, message: QuizBar.Answered) -> None:
        study, typed = self.study, message.typed.strip()
        if not study.asking:
            return
        try:
            finished = study.answer(typed) if typed else None
        except AnswerError as exc:
            study.feedback = f"{exc}: type digits with a point, e.g. 0.3775 (or 3.775e-1)."
            finished = False
        if finished is None:
            study.feedback = "Type the value first (the formula and its numbers are in the step panel)."
        elif finished:
            # At a round's end its summary replaces the last answer's message (the step panel shows
            # that value): it stays under the box, where a notification would hide the score.
            study.feedback = study.round_summary(self.stepper) or study.feedback
        self.show()

    def quiz_summary(self) -> None:
        """After a move that ends a round in quiz mode (], enter): the round's summary, once."""
        summary = self.study.round_summary(self.stepper) if self.study.quiz else None
        if summary:
            self.study.feedback = summary
            self.quiz_bar.show_study(self.study)

    # --- export, gradient check ------------------------------------------------------------------

    def action_export(self) -> None:
        from .screens.export import ExportScreen

        self.push_screen(ExportScreen(self.stepper), self.file_saved)

    def file_saved(self, message: str | None) -> None:
        self.tell(Note(message) if message else None, timeout=10)

    def action_gradcheck(self) -> None:
        from .screens.gradcheck import GradcheckScreen

        stepper = self.stepper
        where = f"after {stepper.completed} round(s)" if stepper.completed else "at the starting weights"
        self.push_screen(GradcheckScreen(stepper.net, stepper.params, where))

    # --- edit while learning ---------------------------------------------------------------------

    def action_edit(self) -> None:
        from .screens.edit import EditScreen  # screens are imported when first opened (start-up, issue 6)

        self.push_screen(EditScreen(self.stepper, self.apply_edit), self.file_saved)

    def apply_edit(self, name: str, value: float) -> str:
        """Change one thing (ValueError with the reason when the stepper refuses); say what happened."""
        from .screens.edit import LEARNING_RATE, MOMENTUM

        stepper = self.stepper
        if name in (LEARNING_RATE, MOMENTUM):
            old = getattr(stepper.scenario, name.replace(" ", "_"))
            start = stepper.edit(**{name.replace(" ", "_"): value})
            when = "this round's update" if start == stepper.epoch else f"round {start + 1}"
            message = f"{name.capitalize()} {num(old)} → {num(value)}, from {when} on."
        else:
            done, again = stepper.round_done, " again" if stepper.k else ""
            start = stepper.edit(param=name, value=value)
            if done and stepper.can_enter(start):
                stepper.epoch, stepper.k = start, 0  # the next round begins from the new value: show it
            message = f"{name} = {num(value)}: round {start + 1} starts{'' if done else again} from it."
        self.edited[name] = value
        self.query_one("#network").border_title = " network · edited: " + ", ".join(
            f"{n} {num(v)}" for n, v in self.edited.items()) + " "
        self.show()
        return message

    def action_save_scenario(self) -> None:
        from .screens.edit import SaveScenarioScreen

        self.push_screen(SaveScenarioScreen(self.stepper), self.file_saved)

    # --- the saved place -------------------------------------------------------------------------

    def resume_place(self) -> None:
        """Go where the learner stopped on this scenario, if they did (the notification says so)."""
        place, warning = self.study.saved_place(self.stepper)
        self.tell(warning, timeout=10)
        if place is None:
            return
        if place.epoch <= QUICK_RESUME_EPOCHS:
            self.tell(self.study.resumed(self.stepper, place), timeout=10)
            self.show()
            return
        from .screens.fast_forward import FastForwardRun

        def reached(epochs: int) -> None:  # a key stops the run: resume as far as it got
            self.study.resuming = None
            target = place if epochs >= place.epoch else place._replace(epoch=epochs, k=0)
            self.tell(self.study.resumed(self.stepper, target), timeout=10)
            self.show()

        self.study.resuming = place
        self.push_screen(FastForwardRun(self.stepper, place.epoch), reached)

    def autosave(self) -> None:
        warning = self.save_place()
        if warning and not self._autosave_warned:  # once: the next save will likely fail the same way
            self._autosave_warned = True
            self.tell(Note(warning, "warning"), timeout=10)

    def start_remembering(self) -> None:
        self._autosave_warned = False
        if self.study.remember:
            self.set_interval(AUTOSAVE_SECONDS, self.autosave)
