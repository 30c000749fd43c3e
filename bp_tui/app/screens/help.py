"""What the scenario is about, every key, and how to read the names on screen (including how the
weights are numbered)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...engine.scenario import Scenario
from ...study.quiz import TOLERANCE_RULE
from ...views.picture import legend_rows
from ..frame import paragraphs
from .modal import Modal

NOTATION = [
    ("i1, h1, o1", "an input, a hidden neuron, an output neuron (h1_2: neuron 2 of hidden layer 1 when "
                   "there are several)"),
    ("net_h1", "h1's net input: the weighted sum of what feeds it, plus its bias"),
    ("out_h1", "h1's output: its activation function applied to net_h1"),
    ("target_o1", "the value the scenario wants o1 to output for the current sample"),
    ("E_o1, E_total", "the error of one output, and of the whole sample (their sum)"),
    ("dE_total/dw5", "how fast E_total changes when w5 changes (a partial derivative)"),
    ("delta_o1", "dE_total/dnet_o1: how fast the error changes with o1's net input"),
    ("w5+", "w5's new value after the update: w5 - eta * dE_total/dw5"),
    ("eta", "the learning rate: how big a step each update takes"),
    ("E_total+", "the sample's error again, computed with the new weights"),
    ("round", "one epoch: every sample forward, backward and updated, then the new error"),
]

WEIGHTS = (
    "Weights are numbered layer by layer and, inside a layer, by the neuron they feed: w1 and w2 feed "
    "h1 (from i1 and i2), w3 and w4 feed h2, w5 and w6 feed o1, w7 and w8 feed o2. So "
    "net_h1 = w1*i1 + w2*i2 + b1*1. The picture draws w2 as the line from i2 into h1; the table "
    "writes both ends of every weight: w2 i2→h1.\n"
    "The article uses this numbering in its forward pass and its code, but its backward pass writes "
    "w3 for the weight from i2 into h1. That weight is w2 here, everywhere; its figures are the same."
)

MARKS = (
    "Heavy lines and bold colour in the picture, reverse video in the table (and ▶ in the quantities "
    "list) mark what the current sub-step computes and uses. A scenario can list figures to check "
    "against (the built-in example lists the article's), each labelled with where it comes from: "
    "\"✓ article 0.593269992\" where the article prints that figure and the value agrees at its digits; "
    "\"article prints 0.291027924\" (≠ in the quantities) where it prints another, with the note that "
    "says why; \"✓ check\" for a figure that only checks the computation (a reader's comment, a "
    "reference run); ✗ when the value does not agree. The network rounds values to fit; the step and "
    "quantities panels show 9 decimals."
)


PICTURE = (
    "The network panel draws the network where it fits: a box for each neuron with its net input and "
    "output, a line for each weight with its name and value, the outputs feeding the error. t switches "
    "to a table of the same values (and back); where the picture does not fit, the table shows and the "
    "panel's title says so."
)


STUDY = (
    "Quiz mode asks each value before showing it, the first one as soon as it is turned on (and space "
    "asks the next): type it and press enter. One rule for every value: an answer is "
    f"{TOLERANCE_RULE}. A wrong answer is told the slip that gives it, when one does (\"that is what w3 "
    "gives; net_h1 uses w2\"), then a hint that takes the formula's numbers a step further; the third "
    "miss shows the answer. Only a first try scores; each round ends with the score by phase. While a "
    "value is asked nothing on screen shows it, the training error included. With the answer box empty, "
    "k leaves quiz mode, q quits and ? opens this help. Keys that would show values without asking "
    "(space while a value is asked, ], enter, f) say what they would skip, and skip it when pressed "
    "again: those values count as skipped, not as right. g and x, whose boxes show the round's values, "
    "also open on a second press.\n"
    "y checks your own figures, worked on paper: paste them (or give a file), one `name = value` a "
    "line. Each gets a mark in the quantities (✓ right, ≈ right from your rounded figures, ↳ follows "
    "from an earlier wrong one, ✗ wrong) and bp-tui goes to the first wrong one, where the step panel "
    "names the slip.\n"
    "After an edit (e) the header says the network is edited, the error is recomputed, and the "
    "scenario's figures are marked \"from the unedited scenario\". Quitting or opening another "
    "scenario with edits not saved asks first (w saves them).\n"
    "bp-tui remembers where you stopped on each scenario (round, step and quiz score) and starts there "
    "next time; r starts over, and bp-tui --fresh ignores the saved place once. Edits are not "
    "remembered: w saves them as a scenario file."
)


def two_columns(rows: list[tuple[str, str]]) -> Table:
    """Names on the left, explanations wrapping in their own column (cells are Text: no markup)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    for left, right in rows:
        table.add_row(Text(left), Text(right))
    return table


def help_text(keys: list[tuple[str, str]], scenario: Scenario, study: list[tuple[str, str]] = ()) -> Group:
    def heading(title: str) -> Text:
        return Text(title, style="bold underline")

    about = [Text(scenario.display_title, style="bold")]
    about += [Text(paragraphs(scenario.description))] if scenario.description.strip() else []
    about += [Text(f"Source: {scenario.source}", style="italic")] if scenario.source else []
    return Group(
        heading("Keys"),
        two_columns(keys + [("ctrl+p", "the command palette: every command here, by name")]),
        Text(""),
        heading("This scenario"),
        *about,
        Text(""),
        *([heading("Study: quiz, why (chain rule, matrix form, boundary, comparison), export, gradient check, "
                   "edits"), two_columns(list(study)), Text(STUDY), Text("")]
          if study else []),
        heading("Names"),
        two_columns(NOTATION),
        Text(""),
        heading("The network picture"),
        Text(PICTURE),
        two_columns(legend_rows(scenario)),
        Text(""),
        heading("Which weight is which"),
        Text(WEIGHTS),
        Text(""),
        heading("Marks"),
        Text(MARKS),
        Text(""),
        Text("Press ?, q or escape to close this help; ↑ ↓ scroll it.", style="italic"),
    )


class HelpScreen(Modal[None]):
    DEFAULT_CSS = "HelpScreen > #box { width: 90%; height: 90%; }"
    BINDINGS = [Binding("question_mark,q", "dismiss", "close help")]
    box_title = "help"
    scrolls = True

    def __init__(self, keys: list[tuple[str, str]], scenario: Scenario, study: list[tuple[str, str]] = ()):
        super().__init__()
        self.keys, self.scenario, self.study = keys, scenario, study

    def compose_box(self) -> ComposeResult:
        yield Static(help_text(self.keys, self.scenario, self.study), markup=False)
