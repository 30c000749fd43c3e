"""The records as data: CSV for spreadsheets, JSON (with the scenario and start) for scripts."""

from __future__ import annotations

import csv
import json
import math
from typing import TextIO

from .document import Document

CSV_COLUMNS = ("epoch", "sample", "phase", "quantity", "formula", "substituted", "value",
               "label_kind", "label", "printed", "expected", "note")
# The last five describe the figure the scenario expects for a sub-step (empty when it has none):
# label_kind is one of bp_tui.engine.expectations.LABEL_KINDS, label the line shown beside the value
# (e.g. "✓ article 0.593269992"), printed the figure as the source printed it, expected the exact
# figure the value is checked against, note the scenario's note on it.


def write_csv(doc: Document, out: TextIO) -> None:
    """The records as CSV onto `out`, a row at a time."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for step in doc.records:
        writer.writerow(csv_row(step, doc.label(step)))


def csv_row(step, label) -> list:
    """One record's row (label: its FigureLabel, or None)."""
    sample = "" if step.sample is None else step.sample + 1
    figure = ["", "", "", "", ""] if label is None else [label.kind, label.text, label.printed,
                                                        label.expected, label.note]
    return [step.epoch, sample, step.phase, step.quantity, step.formula, step.substituted,
            repr(_unsigned(float(step.value))), *figure]


def write_json(doc: Document, out: TextIO) -> None:
    """One JSON object, as json.dumps(..., indent=1) writes it, its steps written one at a time."""
    sc = doc.scenario
    scenario = {
        "title": sc.title, "description": sc.description, "source": sc.source, "origin": sc.origin,
        "digest": sc.digest, "layers": list(sc.layers), "activations": list(sc.activations),
        "names": [list(row) for row in sc.names], "bias": sc.bias, "weights": sc.weights,
        "biases": sc.biases, "inputs": sc.inputs, "targets": sc.targets, "learning_rate": sc.learning_rate,
        "loss": sc.loss, "mode": sc.mode, "train_biases": sc.train_biases, "momentum": sc.momentum,
        "hidden_deltas_use": sc.hidden_deltas_use, "source_short": sc.source_short,
    }
    start = {"round": doc.first_round, "weights": doc.start.weights, "biases": doc.start.biases}
    write = out.write
    write("{\n" + _member("scenario", scenario) + ",\n" + _member("start", start) + ",\n")
    # the figures the scenario expects, by position in "steps" (a Step has no field for them)
    labels = []
    write(' "steps": [')
    position = -1
    for position, step in enumerate(doc.records):
        write((",\n  " if position else "\n  ") + json_step(step))
        label = doc.label(step)
        if label is not None:
            labels.append({"step": position, "kind": label.kind, "text": label.text, "printed": label.printed,
                           "expected": label.expected, "note": label.note})
    write("],\n" if position < 0 else "\n ],\n")
    write(_member("labels", labels) + "\n}\n")


def json_step(step) -> str:
    """One record as an element of "steps"."""
    return _dumps(step._asdict(), 2)


def _member(key: str, value) -> str:
    return f" {json.dumps(key, ensure_ascii=False)}: " + _dumps(value, 1)


def _dumps(value, depth: int) -> str:
    """`value` as json.dumps(indent=1) writes it `depth` levels down (its first line not indented)."""
    text = json.dumps(_finite_or_null(value), indent=1, ensure_ascii=False, allow_nan=False)
    return text.replace("\n", "\n" + " " * depth)


def _unsigned(value: float) -> float:
    """-0.0 (a negative number times 0) written as 0.0: a zero has no sign for a reader."""
    return 0.0 if value == 0 else value


def _finite_or_null(value):
    """JSON has no NaN or infinity: a diverged value is written as null."""
    if isinstance(value, float):
        return _unsigned(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite_or_null(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_null(item) for item in value]
    return value
