"""The learner's own state around the stepper: quiz mode with its score, the saved place, and the
edits made while learning.

No Textual here: the app asks this object what to do and shows what it says.

Quiz mode asks a sub-step's value when a single step forward (space or →) reaches it for the first
time; moves that reveal many steps at once (a phase, a round, a fast-forward) just show them. The
score counts a question as right when the first answer is right (bp_tui.quiz); a second score for
the round in progress gives the summary by phase at the round's end.

The place (round, sub-step, quiz score) is kept per scenario, by the hash of its file, in the state
folder (bp_tui.progress). A place that cannot be read or written costs a warning, never the app.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ..engine.records import num
from ..engine.stepper import Stepper
from ..study import progress
from ..study.quiz import MAX_TRIES, AnswerError, Question, Score

QUICK_RESUME_EPOCHS = 2000  # further than this, the app fast-forwards on screen (the learner can stop it)


LEARNING_RATE, MOMENTUM = "learning rate", "momentum"  # (the names of the settings the learner may edit)


class Note(NamedTuple):
    """A message for the status line."""

    text: str
    severity: str = "information"


class Study:
    def __init__(self, quiz: bool = False, remember: bool = False):
        self.quiz = quiz
        self.remember = remember  # load and save the place (off in tests that do not ask for it)
        self.edited: dict[str, float] = {}  # what the learner changed in this scenario (the network's title says it)
        self.start_over()

    def start_over(self) -> None:
        """A new start (r, or another scenario): no question, no score, nothing asked yet."""
        self.score = Score()
        self.question: Question | None = None
        self.feedback = ""  # what the quiz bar says about the last answer
        self._asked: set[tuple[int, int]] = set()  # (round, index) of every step asked this session
        self._round = Score()  # this round's questions only, for the summary at its end
        self._round_number: int | None = None
        self._summarised: set[int] = set()
        self.resuming: progress.Place | None = None  # a saved place the app is fast-forwarding back to

    @property
    def asking(self) -> bool:
        return self.question is not None

    # --- quiz --------------------------------------------------------------------------------

    def toggle_quiz(self) -> Note | None:
        """Quiz mode on (the quiz bar says what to do) or off (a note with the score so far)."""
        self.quiz = not self.quiz
        self.question, self.feedback = None, ""
        score = self.score
        return None if self.quiz else Note(f"Quiz mode off: values are shown again. Score {score.right} of {score.asked}.")

    def ask(self, stepper: Stepper) -> bool:
        """After one step forward: ask for the step just reached, unless it was asked before. A value
        that overflowed (training diverged) is not a question anyone can answer: it is shown, and
        with it the divergence."""
        step = stepper.current
        if not self.quiz or step is None or (step.epoch, step.index) in self._asked or not math.isfinite(step.value):
            return False
        self.question, self.feedback = Question(step), ""
        return True

    def answer(self, typed: str) -> bool:
        """Check an answer (raises quiz.AnswerError when it is not a number); True once the question
        is over (right, or shown after the last miss). The message is left in `feedback`."""
        question = self.question
        step = question.step
        right_before = self.score.right
        finished, message = question.answer(typed, self.score)
        if not finished:
            self.feedback = message
            return False
        if self._round_number != step.epoch:
            self._round, self._round_number = Score(), step.epoch
        self._round.record(step.phase, self.score.right > right_before)
        self._asked.add((step.epoch, step.index))
        self.question = None
        if question.misses >= MAX_TRIES:
            self.feedback = "✗ " + message
        elif question.misses:
            self.feedback = f"✓ {message} (on try {question.misses + 1}: only a first try scores)"
        else:
            self.feedback = "✓ " + message
        return True

    def check_answer(self, typed: str, stepper: Stepper) -> None:
        """An answer typed into the quiz bar: checked, and what to say about it left in `feedback`."""
        typed = typed.strip()
        if not self.asking:
            return
        try:
            finished = self.answer(typed) if typed else None
        except AnswerError as exc:
            self.feedback = f"{exc}: type digits with a point, e.g. 0.3775 (or 3.775e-1)."
            finished = False
        if finished is None:
            self.feedback = "Type the value first (the formula and its numbers are in the step panel)."
        elif finished:
            # At a round's end its summary replaces the last answer's message (the step panel shows
            # that value): it stays under the box, where the score is.
            self.feedback = self.round_summary(stepper) or self.feedback

    def round_summary(self, stepper: Stepper) -> str | None:
        """Once per round, when its last step is on screen: how the round's questions went, by phase."""
        number = stepper.epoch + 1
        if (not stepper.round_done or self.asking or self._round_number != number or not self._round.asked
                or number in self._summarised):
            return None
        self._summarised.add(number)
        return f"Round {number} quiz: {self._round.summary()}"

    # --- the saved place ---------------------------------------------------------------------

    def place(self, stepper: Stepper) -> progress.Place:
        """Where the learner is; a step still being asked is asked again next time."""
        if self.resuming is not None:  # quit or hung up before the stepper got back there: keep it
            return self.resuming
        score = self.score.as_dict() if self.score.asked else None
        return progress.Place(stepper.epoch, max(0, stepper.k - int(self.asking)), score)

    def save(self, stepper: Stepper) -> str | None:
        if not self.remember:
            return None
        scenario = stepper.scenario
        return progress.save(scenario.digest, self.place(stepper), scenario.display_title)

    def forget(self, stepper: Stepper) -> None:
        if self.remember:
            progress.forget(stepper.scenario.digest)

    def saved_place(self, stepper: Stepper) -> tuple[progress.Place | None, Note | None]:
        """The place saved for this scenario (None at the very start) and a warning if it was unreadable."""
        if not self.remember:
            return None, None
        place, warning = progress.load(stepper.scenario.digest)
        note = Note(f"Starting afresh: {warning}", "warning") if warning else None
        if place is None or (place.epoch, place.k) == (0, 0) and not place.score:
            return None, note
        return place, note

    def resumed(self, stepper: Stepper, place: progress.Place) -> Note:
        """Put the stepper where `place` says (as far as it can go) and restore the score."""
        stepper.goto_step(place.epoch, place.k)
        if place.score:
            self.score = Score.from_dict(place.score)
        where = f"round {stepper.epoch + 1}, step {stepper.k} of {stepper.count}"
        if (stepper.epoch, stepper.k) != (place.epoch, place.k):
            where += f" (the saved place, round {place.epoch + 1} step {place.k}, cannot be reached)"
        score = f" Quiz score {self.score.right} of {self.score.asked}." if self.score.asked else ""
        return Note(f"Resumed at {where}; r starts over.{score}")


def apply_edit(stepper: Stepper, name: str, value: float) -> str:
    """Change the learning rate, the momentum, a weight or a bias (ValueError with the reason when the
    stepper refuses); say what happened. A weight edited at the end of a round shows the next round,
    which starts from it."""
    if name in (LEARNING_RATE, MOMENTUM):
        old = getattr(stepper.scenario, name.replace(" ", "_"))
        start = stepper.edit(**{name.replace(" ", "_"): value})
        when = "this round's update" if start == stepper.epoch else f"round {start + 1}"
        return f"{name.capitalize()} {num(old)} → {num(value)}, from {when} on."
    done, again = stepper.round_done, " again" if stepper.k else ""
    start = stepper.edit(param=name, value=value)
    if done and stepper.can_enter(start):
        stepper.epoch, stepper.k = start, 0  # the next round begins from the new value: show it
    return f"{name} = {num(value)}: round {start + 1} starts{'' if done else again} from it."
