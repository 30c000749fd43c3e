"""Check the learner's own figures (y): a page pasted into the box, or read from a file, is checked as
`bp-tui check` checks it (bp_tui.study.check), and the app marks each figure in the quantities panel
and goes to the first wrong one, whose slip the step panel explains.

Pasting works everywhere, in a browser too (`bp-tui serve`); there a path would name a file on the
server, not the learner's, so the box offers no path field (App.is_web). A page that cannot be read
keeps the box open with one line naming the line that is wrong, and the pasted text stays.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static, TextArea

from ...engine.stepper import Stepper
from ..study import Note, Study
from .modal import Modal

PASTED = "your page"  # how the pasted text is named in messages
EXAMPLE = "net_h1 = 0.3775\nout_h1 = 0.5933   # a comment\n∂E/∂w5 = 0.0822"


class FiguresScreen(Modal[object]):
    """Dismissed with the check (a PageCheck), False to clear the marks (an empty page), or None."""

    DEFAULT_CSS = """
    FiguresScreen > #box { max-width: 100; max-height: 96%; }
    FiguresScreen TextArea { height: 1fr; min-height: 4; max-height: 12; }
    """
    BINDINGS = [Binding("ctrl+s", "check", "check")]
    box_title = "check your own figures"

    def __init__(self, stepper: Stepper, study: Study):
        super().__init__()
        self.stepper, self.study = stepper, study

    def compose_box(self) -> ComposeResult:
        yield Static("Paste your figures, one `name = value` a line, named as in the step panel (net_h1, "
                     "delta_o1, dE_total/dw5, w5+; δ, ∂E/∂w5, w5' and 0,5 are fine); the round on screen, "
                     "unless a line says `round N`:", markup=False)
        yield TextArea(self.study.page_text, id="page", soft_wrap=False, show_line_numbers=True,
                       placeholder=EXAMPLE, compact=True)
        if not self.app.is_web:  # (served: a path would be the server's file, not the learner's)
            yield Static("Or the path of a file of figures (enter reads it):", markup=False)
            yield Input(placeholder="e.g. mine.txt", id="page-file", compact=True)
        yield Static("", markup=False, id="page-error")
        yield Button("Check these figures", id="check", variant="primary", compact=True)
        yield Static("tab, enter (or ctrl+s): check · an empty page clears the marks · escape: cancel",
                     markup=False, classes="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        from ...study.page import PageError, read_page

        path = event.value.strip()
        if not path:
            self.complain("Type the path of a file first, or paste your figures above.")
            return
        try:
            self.check(read_page(path))
        except PageError as exc:
            self.complain(str(exc))

    def action_check(self) -> None:
        from ...study.page import PageError, parse_page

        text = self.query_one(TextArea).text
        self.study.page_text = text  # (kept: the box shows it again, and nothing typed is lost)
        if not text.strip():
            self.dismiss(False)
            return
        try:
            self.check(parse_page(text, PASTED))
        except PageError as exc:
            self.complain(str(exc))

    def check(self, page) -> None:
        from ...study.check import check_page
        from ...study.round_model import RoundError

        try:
            result = check_page(self.stepper, page, page.round or self.stepper.epoch + 1)
        except RoundError as exc:
            self.complain(str(exc))
            return
        if not result.verdicts:
            reason = f" ({result.unchecked[0].reason})" if result.unchecked else ""
            self.complain(f"{page.label}: no figure to check{reason}: write one `name = value` a line.")
            return
        self.dismiss(result)

    def complain(self, message: str) -> None:
        self.query_one("#page-error", Static).update(Text.assemble(("✗ Not checked:", "bold reverse"), " ", message))


def show_figures(screen, result) -> None:
    """On the stepper screen: the learner's figures marked in the quantities panel, and the stepper at
    the first wrong one (else at the last one), with its verdict and slip in the step panel."""
    study = screen.study
    if result is None:
        return
    if result is False:
        study.figures = None
        screen.show()
        screen.say("The marks of your figures are cleared.")
        return
    if study.quiz:  # (the marks show values: quiz mode would only count them as skipped)
        screen.say(study.toggle_quiz(screen.stepper))
    study.figures = result
    target = result.first_wrong or result.verdicts[-1]
    screen.stepper.goto_step(result.round - 1, target.step.index + 1)
    screen.show()
    first = result.first_wrong
    right = sum(v.right for v in result.verdicts)
    said = f"{right} of {len(result.verdicts)} figures right" + (
        f"; the first wrong, {first.quantity} (line {first.figure.line}), is explained above." if first else ".")
    if result.unchecked:
        u = result.unchecked[0]
        said += f" Not checked: line {u.figure.line}, {u.figure.name}: {u.reason}"
        said += f" (and {len(result.unchecked) - 1} more)." if len(result.unchecked) > 1 else "."
    screen.say(Note(said, "warning" if first is not None else "information"), timeout=30)
