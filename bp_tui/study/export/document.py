"""The worked example as a list of blocks, walked once for both Markdown and LaTeX.

A document reads as a complete hand calculation: what the network is, then every sub-step in
the order a calculation by hand follows (forward pass, error, backward pass through the output
layer and then the hidden layers, update, new error), each with one sentence saying why.
`blocks` lays this out; a `Writer` turns each block into Markdown or LaTeX.

Our own sentences use `...` to mark code (a name or a formula). Text from the scenario file is
never parsed as markup: it is escaped whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ...engine.expectations import FigureLabel
from ...engine.network import Params
from ...engine.records import Step, phase_kind, phase_label
from ...engine.scenario import Scenario
from ...views.picture import on_paper
from .latex_math import shown
from .network_description import LOSS_MATH, assignments, code, describe_layers, settings, start_tables

PHASE_INTROS = {
    "forward": "Each neuron adds up its incoming values, each multiplied by the weight of its connection "
               "(plus the bias): that is its net input. The activation function turns the net input into "
               "the neuron's output, and the outputs of one layer are the inputs of the next.",
    "error": "The outputs are compared with the targets. Each output neuron has its own error term, and "
             "the terms add up to the error of the sample.",
    "error-set": "With several samples, the error of the whole training set is the mean of the samples' "
                 "errors; a batch update follows the gradient of that mean.",
    "backward-output": "Now the error is traced back. For an output neuron the chain rule splits the effect "
                       "of its net input on the error into two factors: how the error changes with the "
                       "neuron's output, and how the output changes with the net input. Their product is "
                       "the neuron's delta. A weight's gradient is the delta of the neuron it feeds times "
                       "the value it carries.",
    "backward-hidden": "A hidden neuron has no target, so its effect on the error is gathered from every "
                       "neuron it feeds: each one passes back its delta times the connecting weight. The "
                       "sum, times the slope of the hidden neuron's activation, is its delta, and the "
                       "gradients of its incoming weights follow as before.",
    "kept-aside": "Each new value is written right after its gradient, as the article does, but the backward "
                  "pass goes on with the old values: the new ones apply once it is over.",
    "used-at-once": "This layer's new values are used at once by the layer below, as the article's summary "
                    "code did.",
    "update": "Every trained parameter now moves a small step against its gradient; the learning rate "
              "`eta` sets the size of the step. A name ending in `+` is the value after the update.",
    "evaluate": "The sample goes forward once more, with the new parameters. Comparing this error with the "
                "one before the update shows what the round achieved.",
    "evaluate-set": "The mean of the samples' new errors is the error of the training set after this round.",
}
READING_GUIDE = (
    "Each round is laid out in the order of a calculation by hand: the forward pass, the error, the "
    "backward pass (first through the output layer, then back through the hidden layers), the update of "
    "the parameters, and finally the error again with the updated parameters. Every sub-step gives its "
    "formula, the same formula with the numbers put in, and the result to 9 decimals. The calculation "
    "itself keeps every digit, so redoing a step from the rounded numbers shown can differ in the last "
    "decimal."
)
SUBTITLE = "A worked example of backpropagation, sub-step by sub-step, written by bp-tui."
NAMING_GUIDE = (
    "Weights are numbered `w1`, `w2`, ... layer by layer. Inside a layer, the weights into the first "
    "receiving neuron come first, in the order of the neurons they come from, so that "
    "`net_h1 = w1*i1 + w2*i2 + b1*1`. A neuron's delta is the rate at which the error grows with its net "
    "input; `dE_total/dw5` is the rate at which it grows with `w5` (the gradient); `eta` is the learning "
    "rate."
)

PICTURE_GUIDE = (
    "The network as a picture: each line is a weight, with its name and its value at the start; a "
    "dashed line is a negative weight, and lines that cross do not join. A dot stands for a value the "
    "round has yet to compute."
)


@dataclass
class Document:
    """What is exported: a scenario's records (read once, in order, so a round of millions of
    sub-steps streams through), and the parameters before the first of them."""

    scenario: Scenario
    records: Iterable[Step]
    start: Params  # parameters before the first round shown
    rounds: list[int]  # the round numbers the records cover
    requested: int | None = None  # rounds asked for (export); None for a given list of records
    diverged_at: int | None = None
    labels: dict = field(default_factory=dict)  # (epoch, quantity, sample or 0) -> FigureLabel
    derive: Callable | None = None  # step -> study.derive.Derivation or None, written under the step

    @property
    def first_round(self) -> int:
        return self.rounds[0] if self.rounds else 1

    @property
    def cut_short(self) -> bool:
        return self.requested is not None and len(self.rounds) < self.requested

    def label(self, step: Step) -> FigureLabel | None:
        return self.labels.get((step.epoch, step.quantity, step.sample or 0))


class Writer:
    """Renders the blocks of `blocks`: one method per kind of block, named after it."""

    def render(self, doc: Document) -> Iterator[str]:
        return (getattr(self, kind)(*rest) for kind, *rest in blocks(doc))


def blocks(doc: Document) -> Iterator[tuple]:
    """The worked example as blocks, one after the other, for the Markdown and LaTeX writers.

    ("title", raw) ("raw", raw) ("heading", level, prose) ("para", prose) ("list", [prose])
    ("math", latex) ("table", title, header, alignment, rows) ("step", Step, FigureLabel | None)
    ("derivation", Derivation)
    ("picture", scenario, parameters): the network drawn (views.picture)
    raw: text from the scenario, escaped whole; prose: our sentences, with `code`.
    """
    sc = doc.scenario
    yield from [("title", sc.display_title), ("para", SUBTITLE)]
    if sc.description.strip():
        yield ("raw", sc.description)
    if sc.source.strip():
        yield ("raw", f"Source: {sc.source.strip()}")
    yield ("raw", f"Scenario: {sc.origin}" + (f" (sha256 {sc.digest[:12]})" if sc.digest else ""))
    yield from [("heading", 2, "How to read this"), ("para", READING_GUIDE), ("para", NAMING_GUIDE)]
    if doc.labels:
        yield ("para", labels_guide(doc.labels.values(), sc.source_short or "source"))
    yield from [("heading", 2, "The network"), ("list", describe_layers(sc) + settings(sc)),
                ("para", "The error of one sample:"), ("math", LOSS_MATH[sc.loss])]
    if on_paper(sc) is not None:
        yield from [("para", PICTURE_GUIDE), ("picture", sc, doc.start)]
    yield from [("table", *table) for table in start_tables(sc, doc.start, doc.first_round)]
    top = len(sc.layers) - 1
    several = len(sc.inputs) > 1
    summary, group = None, None
    for step in doc.records:
        if summary is None or step.epoch != summary.epoch:
            if summary is not None:
                yield from summary.blocks()
            summary = _Summary(step.epoch)
            yield ("heading", 2, f"Round {step.epoch}")
        if (step.epoch, step.sample, step.phase) != group:  # a backward phase id names its layer
            group = (step.epoch, step.sample, step.phase)
            title, intro = _group_heading(sc, step, top)
            if several and step.sample is not None:
                title += f", sample {step.sample + 1}"
            elif several and step.phase == "update":
                title += ", from all samples"
            yield from [("heading", 3, title), ("para", intro)]
            if step.phase == "forward" and step.sample is not None:
                x, t = sc.inputs[step.sample], sc.targets[step.sample]
                yield ("para", f"Inputs {assignments(sc.names[0], x)}; targets {assignments(sc.names[-1], t)}.")
        yield ("step", step, doc.label(step))
        derivation = doc.derive(step) if doc.derive is not None else None
        if derivation is not None:
            yield ("derivation", derivation)
        summary.see(step)
    if summary is not None:
        yield from summary.blocks()
    if doc.cut_short and doc.diverged_at is not None:
        yield ("para", f"Training diverged in round {doc.diverged_at} (a value became infinite or "
                       "not a number), so the rounds after it cannot be computed and this example "
                       "stops there. A smaller learning rate usually helps.")


def labels_guide(labels, word: str) -> str:
    """What the labels under the results mean, for the kinds this document has; `word` is the
    scenario's short name for its source ("article")."""
    kinds = {label.kind for label in labels}
    parts = ["Where the scenario expects a figure, a label under the result says where that figure comes from."]
    if kinds & {"source", "source-differs"}:
        parts.append(f"A figure the {word} prints is named after it: a check mark and the {word}'s figure when "
                     f"the result agrees with it at the digits printed; \"{word} prints\" and its figure when the "
                     "exact result differs, with a note saying why.")
    if "check" in kinds:
        parts.append("A check is a figure from elsewhere (a reader's comment, a reference run) that the result "
                     "is compared with; it is not the source's.")
    if "mismatch" in kinds:
        parts.append("A cross marks a result that does not agree with the figure expected.")
    if "unedited" in kinds:
        parts.append("A figure from the unedited scenario no longer applies: the network was edited before that "
                     "round.")
    return " ".join(parts)


def labels_of(records: Iterable[Step], expectation) -> dict[tuple, FigureLabel]:
    """{(epoch, quantity, sample or 0): label} of the records that have an expected figure;
    `expectation(step)` gives the ExpectResult of a record, or None (Stepper.expectation)."""
    found = {}
    for step in records:
        result = expectation(step)
        if result is not None:
            found[(step.epoch, step.quantity, step.sample or 0)] = result.label
    return found


def sentence(text: str) -> str:
    """A record's explanation as a sentence (it already starts with a capital letter)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _group_heading(sc: Scenario, step: Step, top: int) -> tuple[str, str]:
    label = phase_label(phase_kind(step.phase))
    title = label[:1].upper() + label[1:]
    if phase_kind(step.phase) == "backward":
        when = ""  # where the new values go, when they are written inside the backward pass
        if sc.hidden_deltas_use == "updated":
            when = " " + PHASE_INTROS["used-at-once"]
        elif sc.update == "after-gradient":
            when = " " + PHASE_INTROS["kept-aside"]
        if step.layer == top:
            return f"{title}: output layer", PHASE_INTROS["backward-output"] + when
        which = "hidden layer" if top == 2 else f"hidden layer {step.layer}"
        return (f"{title}: {which} ({', '.join(map(code, sc.names[step.layer]))})",
                PHASE_INTROS["backward-hidden"] + when)
    if step.phase == "error" and step.sample is None:
        return "Error of the training set", PHASE_INTROS["error-set"]
    if step.phase == "evaluate" and step.sample is None:
        return "New error of the training set", PHASE_INTROS["evaluate-set"]
    return title, PHASE_INTROS[step.phase]


class _Summary:
    """The training-set error before and after a round, as far as its records tell it (gathered
    as the records go by)."""

    def __init__(self, epoch: int):
        self.epoch = epoch
        self.before: dict[str, list] = {"E_mean": [], "E_total": []}  # at most two of each are kept
        self.end: float | None = None

    def see(self, step: Step) -> None:
        if step.quantity in ("E_total+", "E_mean+"):
            self.end = step.value
        elif step.quantity in self.before and len(self.before[step.quantity]) < 2:
            self.before[step.quantity].append(step.value)

    def blocks(self) -> list[tuple]:
        if self.end is None:
            return []
        before = self.before["E_mean"] or self.before["E_total"]
        if len(before) == 1:
            start = before[0]
            change = "fell" if self.end < start else "rose" if self.end > start else "stayed the same"
            return [("para", f"Round {self.epoch} in short: the error of the training set {change}, from "
                             f"{shown(start)} to {shown(self.end)}.")]
        return [("para", f"After round {self.epoch} the error of the training set is {shown(self.end)}.")]
