"""The current sub-step written out the way the article writes it:

    net_h1 = w1*i1 + w2*i2 + b1*1
           = 0.15*0.05 + 0.2*0.1 + 0.35*1
           = 0.377500000
    h1's net input: ... (one sentence)

then, when the scenario gives a figure for it, the figure's label (bp_tui.engine.expectations:
`✓ article 0.593269992`, `article prints 0.291027924`, a check labelled as a check, or after an
edit "from the unedited scenario") with its note at the end; when the learner's own page of figures
has this one, their figure and its verdict, and for a wrong one the slip that explains it; and at the
end of a round, what the round did to the error. Formulas contain brackets, so everything is a rich
Text, never markup.
"""

from __future__ import annotations

from rich.text import Text

from ...engine.expectations import MISMATCH, UNEDITED_KIND
from ..frame import Frame, paragraphs, shown
from .panel import LinePanel

LABEL_STYLES = {MISMATCH: "bold reverse", UNEDITED_KIND: "italic"}  # the others: bold


def welcome(frame: Frame) -> Text:
    """The very start: what to press, then what the scenario is about (its own words, literally)."""
    about = paragraphs(frame.stepper.scenario.description)
    text = Text.assemble(
        ("Nothing computed yet: ", "bold"),
        f"press space (or →) for the first of round {frame.epoch + 1}'s {frame.count} sub-steps. ",
        "? lists every key, explains the names and shows all of this description:" if about else
        "? lists every key and explains the names.",
    )
    if about:
        text.append("\n" + about, style="italic")
    return text


def step_text(frame: Frame) -> Text:
    stepper, step = frame.stepper, frame.current
    indent = " " * len(step.quantity) + " = "
    # In quiz mode the value (and the scenario's figure, which would give it away) waits for the answer.
    value = ("?", "bold reverse") if frame.masked else (shown(step.value), "bold")
    text = Text.assemble((step.formula, "bold"), "\n", indent, step.substituted, "\n", indent, value)
    check = None if frame.masked else stepper.expectation(step)
    label = None if check is None else check.label
    if label is not None:
        text.append(f"   {label.text}", style=LABEL_STYLES.get(label.kind, "bold"))
    if frame.figures is not None and not frame.masked:  # (the learner's page, checked: its verdict here)
        from .figures import verdict_lines

        for line in verdict_lines(frame, step):
            text.append("\n")
            text.append_text(line)
    text.append(f"\n{step.explanation}.", style="italic")
    if frame.round_done:  # (before a note: in a short panel the note is what scrolls out of view)
        text.append("\n")
        text.append_text(round_summary(frame))
    if label is not None and label.note:
        text.append("\nNote: " + label.note)
    return text


def round_summary(frame: Frame) -> Text:
    """What the round did to the training-set error (the article's 'after 10,000 rounds' figure is
    the 'from' value of round 10,000)."""
    done = frame.completed
    if frame.diverged_at is not None and done >= frame.diverged_at:
        return Text(f"Round {done} made a value infinite or NaN: training diverged. Press r to reset, "
                    "or o to open another scenario (a smaller learning_rate helps).", style="bold reverse")
    before, after = frame.stepper.errors[done - 1], frame.stepper.errors[done]
    direction = "down" if after < before else "up" if after > before else "nowhere"
    return Text.assemble((f"Round {done}: ", "bold"), f"the error went {direction} from ",
                         (shown(before), "bold"), " to ", (shown(after), "bold"), ".")


class FormulaPanel(LinePanel):
    """The step panel. Its height is the screen's to set (app/heights.py): a long text (a scenario's
    description, a note) scrolls inside it."""

    def lines_for(self, frame: Frame | None, width: int) -> list[Text]:
        if frame is None:
            return []
        text = welcome(frame) if frame.current is None else step_text(frame)
        return text.split("\n", allow_blank=True)

    def rows_to_keep_in_view(self) -> tuple[int, int]:
        return 0, 1  # each step is read from its formula down
