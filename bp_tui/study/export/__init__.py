"""Worked-example export: the records of one or more rounds as Markdown, LaTeX, CSV or JSON.

Markdown and LaTeX read as a complete hand calculation a learner can give a teacher: what the
network is, then every sub-step in the order a calculation by hand follows, each with its formula,
the same formula with the numbers in it, the result, and one sentence saying why. CSV and JSON
carry the same records for spreadsheets and scripts.

The package, one job a module:

- here: the public functions (which rounds to export, in which format, under which file name);
- `document`: the worked example as a list of blocks, walked once for Markdown and LaTeX;
- `network_description`: the network and its starting values, in words and tables;
- `markdown`, `latex`: the two writers of those blocks; `data`: CSV and JSON;
- `escape`: scenario text printed literally in Markdown and LaTeX;
- `derivation`: the chain rule written out (study.derive) under its sub-step, in both;
- `numpy_script`: not a document but a numpy script that trains the scenario (`--format numpy`);
- `formula`, `latex_math`: the records' ASCII formulas read and printed as LaTeX maths.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Callable, Iterator, Sequence, TextIO

from ...engine.network import Params
from ...engine.records import Step
from ...engine.scenario import Scenario
from ...engine.stepper import Stepper
from .data import CSV_COLUMNS, csv_row, json_step, write_csv, write_json
from .document import Document, labels_of
from .escape import markdown_escape, tex_escape
from .latex import write_latex
from .latex_math import latex_math
from .markdown import write_markdown

# The wording, still importable from bp_tui.export as before the split into modules.
from .document import NAMING_GUIDE, PHASE_INTROS, READING_GUIDE  # noqa: F401
from .latex_math import TERMS_PER_LINE  # noqa: F401
from .network_description import ACTIVATION_WORDS, LOSS_MATH, LOSS_WORDS  # noqa: F401

FORMATS = ("md", "tex", "csv", "json")
DERIVE_FORMATS = ("md", "tex")  # the documents that can carry the chain rule written out

__all__ = ["CSV_COLUMNS", "FORMATS", "export", "export_records", "export_round", "latex_math",
           "markdown_escape", "suggested_filename", "tex_escape", "write_export", "write_round"]


def export(scenario: Scenario, fmt: str, epochs: int = 1, derive: bool = False) -> str:
    """The first `epochs` rounds of a scenario as one document in format `fmt` (md, tex, csv, json).

    Rounds after a divergence cannot be computed; the document ends before them and says so.
    With `derive` (md and tex), each derivative sub-step is followed by its chain rule written out.
    """
    out = io.StringIO()
    write_export(scenario, fmt, out, epochs, derive)
    return out.getvalue()


def write_export(scenario: Scenario, fmt: str, out: TextIO, epochs: int = 1, derive: bool = False,
                 stepper: Stepper | None = None, on_step: Callable[[Step], object] | None = None) -> None:
    """As `export`, onto the text stream `out` as the records are made: a round of millions of
    sub-steps is written in constant memory. `on_step(step)` is called as each record is written
    (a progress bar; an exception from it stops the export)."""
    _check_format(fmt)
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if derive and fmt not in DERIVE_FORMATS:
        raise ValueError(f"derivations go into {' and '.join(DERIVE_FORMATS)} documents, not {fmt}")
    stepper = stepper or Stepper(scenario)
    rounds = exported_rounds(stepper, epochs)
    derivation = None
    if derive:
        from ..derive import derive as derive_step

        def derivation(step: Step):
            return derive_step(step, stepper)

    doc = Document(scenario, _records(stepper, rounds, on_step), stepper.state_at(0).params, rounds, epochs,
                   stepper.diverged_at, expected_labels(stepper, rounds), derivation)
    WRITERS[fmt](doc, out)


def exported_rounds(stepper: Stepper, epochs: int) -> list[int]:
    """The round numbers 1 .. epochs that can be computed (none after a divergence)."""
    rounds = []
    for epoch in range(epochs):
        if not stepper.can_enter(epoch):
            break
        rounds.append(epoch + 1)
    return rounds


def _records(stepper: Stepper, rounds: list[int], on_step) -> Iterator[Step]:
    for number in rounds:
        for step in stepper.steps(number - 1):
            if on_step is not None:
                on_step(step)
            yield step


def expected_labels(stepper: Stepper, rounds: list[int]) -> dict:
    """The labels of the scenario's expected figures in these rounds, found without the whole round:
    each figure's record is looked up among those of its sample (or of the whole set)."""
    wanted: dict[tuple, list] = {}
    for expect in stepper.scenario.expects:
        if expect.epoch in rounds:
            wanted.setdefault((expect.epoch, expect.sample), []).append(expect.quantity)
    found = []
    for (epoch, sample), quantities in wanted.items():
        round_ = stepper.round(epoch - 1)
        for group in (sample, None):
            found += [step for step in round_.sample_steps(group) if step.quantity in quantities]
    return labels_of(found, stepper.expectation)


def export_records(scenario: Scenario, records: Sequence[Step], fmt: str, start: Params | None = None) -> str:
    """Given records (e.g. the round on screen) as a document in format `fmt`.

    `start` is the parameters before the first of those records' rounds, for the network table;
    without it they are recomputed from the scenario (right unless the learner edited them).
    """
    _check_format(fmt)
    records = list(records)
    stepper = Stepper(scenario)  # the scenario as written: its figures apply (an edited run: export_round)
    if start is None:
        first = records[0].epoch if records else 1
        start = stepper.state_at(first - 1).params
    rounds = sorted({step.epoch for step in records})
    return _render(Document(scenario, records, start, rounds, labels=labels_of(records, stepper.expectation)), fmt)


def export_round(stepper: Stepper, fmt: str, epoch: int | None = None) -> str:
    """One round of a stepper (by default the one on screen) as a document: the app's `x` key.

    Its expected figures are labelled as the stepper labels them (after an edit: from the unedited
    scenario)."""
    out = io.StringIO()
    write_round(stepper, fmt, out, epoch)
    return out.getvalue()


def write_round(stepper: Stepper, fmt: str, out: TextIO, epoch: int | None = None, on_step=None) -> None:
    """As `export_round`, onto the text stream `out` as the records are made (constant memory)."""
    _check_format(fmt)
    epoch = stepper.epoch if epoch is None else epoch
    rounds = [epoch + 1]
    doc = Document(stepper.scenario, _records(stepper, rounds, on_step), stepper.state_at(epoch).params, rounds,
                   labels=expected_labels(stepper, rounds))
    WRITERS[fmt](doc, out)


def step_text(fmt: str, step: Step) -> str:
    """One record as format `fmt` writes it (without a label): what a record costs, to time an export."""
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(csv_row(step, None))
        return out.getvalue()
    if fmt == "json":
        return json_step(step)
    from .latex import LatexWriter
    from .markdown import MarkdownWriter

    return (MarkdownWriter() if fmt == "md" else LatexWriter()).step(step)


def suggested_filename(scenario: Scenario, fmt: str, first: int = 1, last: int | None = None) -> str:
    """A file name for an export of rounds first..last, e.g. ``mazur-round-1.md``."""
    _check_format(fmt)
    last = first if last is None else last
    rounds = f"round-{first}" if first == last else f"rounds-{first}-{last}"
    return f"{file_stem(scenario)}-{rounds}.{fmt}"


def file_stem(scenario: Scenario) -> str:
    """The scenario's name for a file: the built-in's name or the file's, in ASCII letters, digits, _ . -"""
    match = re.fullmatch(r"built-in '(.+)'", scenario.origin)
    if match:
        stem = match.group(1)
    else:
        stem = re.sub(r"\.toml$", "", scenario.origin.replace("\\", "/").split("/")[-1])
    return re.sub(r"[^\w.-]+", "-", stem, flags=re.ASCII).strip("-.") or "scenario"


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")


def _render(doc: Document, fmt: str) -> str:
    out = io.StringIO()
    WRITERS[fmt](doc, out)
    return out.getvalue()


WRITERS = {"md": write_markdown, "tex": write_latex, "csv": write_csv, "json": write_json}
