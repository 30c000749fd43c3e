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

import re
from typing import Sequence

from ...engine.network import Params
from ...engine.records import Step
from ...engine.scenario import Scenario
from ...engine.stepper import Stepper
from .data import CSV_COLUMNS, to_csv, to_json
from .document import Document, labels_of
from .escape import markdown_escape, tex_escape
from .latex import to_latex
from .latex_math import latex_math
from .markdown import to_markdown

# The wording, still importable from bp_tui.export as before the split into modules.
from .document import NAMING_GUIDE, PHASE_INTROS, READING_GUIDE  # noqa: F401
from .latex_math import TERMS_PER_LINE  # noqa: F401
from .network_description import ACTIVATION_WORDS, LOSS_MATH, LOSS_WORDS  # noqa: F401

FORMATS = ("md", "tex", "csv", "json")
DERIVE_FORMATS = ("md", "tex")  # the documents that can carry the chain rule written out

__all__ = ["CSV_COLUMNS", "FORMATS", "export", "export_records", "export_round", "latex_math",
           "markdown_escape", "suggested_filename", "tex_escape"]


def export(scenario: Scenario, fmt: str, epochs: int = 1, derive: bool = False) -> str:
    """The first `epochs` rounds of a scenario as one document in format `fmt` (md, tex, csv, json).

    Rounds after a divergence cannot be computed; the document ends before them and says so.
    With `derive` (md and tex), each derivative sub-step is followed by its chain rule written out.
    """
    _check_format(fmt)
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if derive and fmt not in DERIVE_FORMATS:
        raise ValueError(f"derivations go into {' and '.join(DERIVE_FORMATS)} documents, not {fmt}")
    stepper = Stepper(scenario)
    records: list[Step] = []
    found = {}
    for epoch in range(epochs):
        if not stepper.can_enter(epoch):
            break
        records.extend(stepper.round_records(epoch))
        if derive:
            found.update(_derivations(stepper, stepper.round_records(epoch)))
    return _render(Document(scenario, records, stepper.state_at(0).params, epochs, stepper.diverged_at,
                            labels_of(records, stepper.expectation), found or None), fmt)


def _derivations(stepper: Stepper, records: Sequence[Step]) -> dict:
    from ..derive import derive

    found = {}
    for step in records:
        derivation = derive(step, stepper)
        if derivation is not None:
            found[(step.epoch, step.index)] = derivation
    return found


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
    return _render(Document(scenario, records, start, labels=labels_of(records, stepper.expectation)), fmt)


def export_round(stepper: Stepper, fmt: str, epoch: int | None = None) -> str:
    """One round of a stepper (by default the one on screen) as a document: the app's `x` key.

    Its expected figures are labelled as the stepper labels them (after an edit: from the unedited
    scenario)."""
    epoch = stepper.epoch if epoch is None else epoch
    records = stepper.round_records(epoch)
    _check_format(fmt)
    return _render(Document(stepper.scenario, list(records), stepper.state_at(epoch).params,
                            labels=labels_of(records, stepper.expectation)), fmt)


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
    return {"md": to_markdown, "tex": to_latex, "csv": to_csv, "json": to_json}[fmt](doc)
