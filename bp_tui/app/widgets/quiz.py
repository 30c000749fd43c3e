"""The quiz bar, under the step panel while quiz mode is on: the question with its answer box, the
score, and what the last answer earned (right, a hint, or the value after the last miss).

While a value is asked, the app hands every key to the answer box (`type_key`) before its key
bindings see it: the letters and digits are typed, backspace deletes, ctrl+u clears and enter checks
the answer. With the box empty, k still leaves quiz mode, q quits and ? opens the help, and the keys
that move on (space, →, ], f) reach the screen, which asks for a second press before it shows the
value unasked.

The box takes no focus on purpose: a change of focus changes the keys the footer lists, and
redrawing the footer costs more than the rest of a key press. The bar keeps one size while quiz
mode is on, so asking and answering redraw it without a new layout of the screen. Hints hold
formulas: every text here is a rich Text, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from ...study.quiz import MAX_TRIES
from ..study import Study

RULE = (f"Type the value, then enter: within 0.05% is right (4 digits, rounded), {MAX_TRIES} tries. "
        "Box empty: space twice skips it, k leaves quiz mode, q quits.")
IDLE = "Each space asks the next value before it is shown; k leaves quiz mode."
# With the box empty, these stay commands: k, q, ?, and the moves that would skip the value.
COMMAND_KEYS = frozenset({"k", "q", "question_mark", "space", "right", "right_square_bracket", "f"})
MAX_LENGTH = 40


class AnswerBox(Static):
    """What the learner has typed, with a block cursor; a hint in place of it when empty."""

    def __init__(self, **kwargs):
        super().__init__(markup=False, **kwargs)
        self.value = ""
        self.asking = False

    def draw(self) -> None:
        if not self.asking:
            text = Text("space: the next value", style="italic")
        elif self.value:
            text = Text.assemble(self.value, (" ", "reverse"))
        else:
            text = Text.assemble((" ", "reverse"), ("type the value", "italic"))
        self.update(text, layout=False)

    def set(self, value: str, asking: bool) -> None:
        self.value, self.asking = value[:MAX_LENGTH], asking
        self.draw()


class QuizBar(Vertical):
    """Three rows of fixed size while quiz mode is on: the question and the box, then two rows of
    feedback."""

    DEFAULT_CSS = """
    QuizBar {
        height: 3;
        padding: 0 1;
        background: $boost;
        display: none;
    }
    QuizBar Horizontal { height: 1; }
    QuizBar #quiz-prompt { width: 24; text-align: right; text-style: bold; text-wrap: nowrap; }
    QuizBar AnswerBox { width: 26; margin: 0 1; padding: 0 1; background: $surface; text-wrap: nowrap; }
    QuizBar #quiz-score { width: 1fr; text-align: right; }
    QuizBar #quiz-feedback { height: 2; }
    """

    class Answered(Message):
        def __init__(self, typed: str):
            super().__init__()
            self.typed = typed

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Made here, not in compose: the app draws on them as soon as it has mounted the bar.
        self._prompt = Static(markup=False, id="quiz-prompt")
        self.box = AnswerBox(id="answer")
        self._score = Static(markup=False, id="quiz-score")
        self._feedback = Static(markup=False, id="quiz-feedback")

    def compose(self) -> ComposeResult:
        yield Horizontal(self._prompt, self.box, self._score)
        yield self._feedback

    def type_key(self, event: events.Key) -> bool:
        """A key pressed while a value is asked; False for the keys that stay commands."""
        box = self.box
        if event.key == "enter":
            self.post_message(self.Answered(box.value))
        elif event.key == "backspace":
            box.set(box.value[:-1], True)
        elif event.key == "ctrl+u":
            box.set("", True)
        elif event.key in COMMAND_KEYS and not box.value:
            return False
        elif event.is_printable and event.character:
            box.set(box.value + event.character, True)
        return True

    def show_study(self, study: Study) -> None:
        """Draw the bar from the study state."""
        if not study.quiz and not self.display:
            return  # quiz mode stays off: nothing to redraw on this move
        self.display = study.quiz
        question = study.question
        prompt = "quiz mode ·" if question is None else f"{question.step.quantity} ="
        self._prompt.update(Text(prompt, overflow="ellipsis"), layout=False)
        skipped = f" · {study.score.skipped} skipped" if study.score.skipped else ""
        score = Text(f"score {study.score.right} of {study.score.asked}{skipped}")
        self._score.update(score, layout=False)
        feedback = study.feedback or (RULE if question is not None else IDLE)
        self._feedback.update(Text(feedback, style="" if study.feedback else "italic"), layout=False)
        self.box.set("", question is not None)  # a new question, a miss or an answer: an empty box
