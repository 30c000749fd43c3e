"""The learner's own state around the stepper: quiz mode with its score, the saved place, the edits
made while learning, and the learner's own page of figures checked.

No Textual here: the app asks this object what to do and shows what it says.

Quiz mode asks a sub-step's value when a single step forward (space or →) reaches it for the first
time, and asks the next one as soon as it is turned on. Keys that would show values without asking
(space while a value is asked, `]`, enter, `f`) say first what they would skip, and skip it only when
pressed again: the values so shown count as skipped, not as right. The score counts a question as
right when the first answer is right (bp_tui.study.quiz); a second score for the round in progress
gives the summary by phase at the round's end. How far quiz mode has shown values (`seen`, a position
counted in sub-steps from the very start) tells a skip what it skipped.

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
from .frame import phase_title

QUICK_RESUME_EPOCHS = 2000  # further than this, the app fast-forwards on screen (the learner can stop it)
SKIPS = frozenset({"next", "next_phase", "finish", "fast_forward"})  # moves that can show values unasked
# Boxes that show the round's values without moving: the gradient check's table, an export's document.
SHOWS = {"gradcheck": "this round's gradients", "export": "the whole round, in a document"}


LEARNING_RATE, MOMENTUM = "learning rate", "momentum"  # (the names of the settings the learner may edit)


class Note(NamedTuple):
    """A message for the status line."""

    text: str
    severity: str = "information"


def position(stepper: Stepper) -> int:
    """Where the stepper is, in sub-steps from the very start (every round has as many)."""
    return stepper.epoch * stepper.count + stepper.k


class Study:
    def __init__(self, quiz: bool = False, remember: bool = False):
        self.quiz = quiz
        self.remember = remember  # load and save the place (off in tests that do not ask for it)
        self.edited: dict[str, float] = {}  # what the learner changed in this scenario (the network's title says it)
        self.unsaved = False  # edits made since the network was last saved (w): quitting or opening asks first
        self.figures = None  # the learner's page of figures, checked (bp_tui.study.check.PageCheck), or None
        self.page_text = ""  # the page as last pasted (the box shows it again)
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
        self.seen = 0  # quiz mode has shown the values up to this position (see position)
        self.armed: str | None = None  # a skip pressed once: pressed again, it is done

    @property
    def asking(self) -> bool:
        return self.question is not None

    # --- quiz --------------------------------------------------------------------------------

    def toggle_quiz(self, stepper: Stepper) -> Note | None:
        """Quiz mode on (the quiz bar says what to do) or off (a note with the score so far)."""
        self.quiz = not self.quiz
        self.question, self.feedback, self.armed = None, "", None
        self.seen = position(stepper)  # (what is on screen now was shown before quiz mode)
        return None if self.quiz else Note(f"Quiz mode off: values are shown again. Score {self.score.counts}.")

    def ask(self, stepper: Stepper) -> bool:
        """After one step forward: ask for the step just reached, unless it was asked before. A value
        that overflowed (training diverged) is not a question anyone can answer: it is shown, and
        with it the divergence."""
        step = stepper.current
        if not self.quiz:
            return False
        self.seen = max(self.seen, position(stepper))
        if step is None or (step.epoch, step.index) in self._asked or not math.isfinite(step.value):
            return False
        found = stepper.expectation(step)
        self.question = Question(step, label=None if found is None else found.label)
        self.feedback, self.armed = "", None
        return True

    def tally(self, number: int) -> Score:
        """The score of round `number` alone (a new one when the round changes)."""
        if self._round_number != number:
            self._round, self._round_number = Score(), number
        return self._round

    def answer(self, typed: str, stepper: Stepper | None = None) -> bool:
        """Check an answer (raises quiz.AnswerError when it is not a number); True once the question
        is over (right, or shown after the last miss). The message is left in `feedback`. With the
        stepper, a wrong answer is explained by the slip that gives it, where one does."""
        question = self.question
        step = question.step
        right_before = self.score.right
        slip = None if stepper is None else (lambda wrong: explained(stepper, step, wrong))
        finished, message = question.answer(typed, self.score, slip)
        if not finished:
            self.feedback = message
            return False
        self.tally(step.epoch).record(step.phase, self.score.right > right_before)
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
        typed, self.armed = typed.strip(), None
        if not self.asking:
            return
        try:
            finished = self.answer(typed, stepper) if typed else None
        except AnswerError as exc:
            self.feedback = f"{exc}: type digits with a point, e.g. 0.3775 (or 3.775e-1)."
            finished = False
        if finished is None:
            self.feedback = ("Type the value first (the formula and its numbers are in the step panel), "
                             "or press space twice to skip it.")
        elif finished:
            # At a round's end its summary replaces the last answer's message (the step panel shows
            # that value): it stays under the box, where the score is.
            self.feedback = self.round_summary(stepper) or self.feedback

    def skip_warning(self, action: str, key: str, stepper: Stepper) -> str | None:
        """In quiz mode, the first press of a key that would show values without asking them: what it
        would skip, in one line (the second press in a row does it). None: go ahead."""
        if not self.quiz or action not in SKIPS | SHOWS.keys() or action == "next" and not self.asking:
            return None  # (space between questions asks the next one)
        if self.armed == action:
            self.armed = None
            return None
        self.armed = action
        if action in SHOWS:
            return f"{key} would show {SHOWS[action]} before the quiz asks it: press {key} again to see it."
        what = skipped_by(action, stepper, self.question)
        return (f"{key} would show {what} without asking: press {key} again to skip it (what is skipped "
                "counts as skipped, not as right).")

    def skipped(self, stepper: Stepper, before: int) -> None:
        """After a skip from position `before`: every value on screen now that quiz mode had not shown,
        the one asked included, counts as skipped."""
        count = 0
        if self.question is not None:
            step = self.question.step
            self._asked.add((step.epoch, step.index))
            self.question, count = None, 1
        now = position(stepper)
        count += max(0, now - max(self.seen, before))
        self.seen = max(self.seen, now)
        self.score.skipped += count
        self.tally(stepper.epoch + 1).skipped += min(count, stepper.k)
        self.feedback = f"Skipped {count} value{'s' if count != 1 else ''}: space asks the next one."

    def round_summary(self, stepper: Stepper) -> str | None:
        """Once per round, when its last step is on screen: how the round's questions went, by phase."""
        number = stepper.epoch + 1
        tally = self._round
        if (not stepper.round_done or self.asking or self._round_number != number
                or not (tally.asked or tally.skipped) or number in self._summarised):
            return None
        self._summarised.add(number)
        return f"Round {number} quiz: {tally.summary()}"

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
        self.seen = position(stepper)
        if place.score:
            self.score = Score.from_dict(place.score)
        where = f"round {stepper.epoch + 1}, step {stepper.k} of {stepper.count}"
        if (stepper.epoch, stepper.k) != (place.epoch, place.k):
            where += f" (the saved place, round {place.epoch + 1} step {place.k}, cannot be reached)"
        score = f" Quiz score {self.score.right} of {self.score.asked}." if self.score.asked else ""
        return Note(f"Resumed at {where}; r starts over.{score}")


def skipped_by(action: str, stepper: Stepper, question: Question | None) -> str:
    """What a skip would show: 'the rest of the forward pass', 'the whole of round 2', 'net_h1'."""
    k, count, number = stepper.k, stepper.count, stepper.epoch + 1
    if action == "next":
        return question.step.quantity if question is not None else "the next value"
    if action == "fast_forward":
        return "whole rounds"
    if action == "finish":
        return f"the rest of round {number}" if k < count or question else f"the whole of round {number + 1}"
    samples = len(stepper.scenario.inputs)
    here = stepper.window(k - 1, k)[0] if k else None
    following = next(iter(stepper.window(k, k + 1)), None)
    if here is not None and (question is not None or following is not None
                             and (here.phase, here.sample) == (following.phase, following.sample)):
        return f"the rest of the {phase_title(here, samples)}"
    if following is None:
        return f"the first phase of round {number + 1}"
    return f"the {phase_title(following, samples)}"


def explained(stepper: Stepper, step, typed: str) -> str | None:
    """The slip behind a wrong quiz answer (bp_tui.study.check), or None; never an error."""
    from ..study.check import explain_answer  # (the checker is loaded on a first wrong answer: start-up)

    try:
        return explain_answer(stepper, step, typed)
    except (ValueError, ArithmeticError):
        return None


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
