"""The records as data: CSV for spreadsheets, JSON (with the scenario and start) for scripts."""

from __future__ import annotations

import csv
import io
import json
import math

from .document import Document

CSV_COLUMNS = ("epoch", "sample", "phase", "quantity", "formula", "substituted", "value")


def to_csv(doc: Document) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for step in doc.records:
        sample = "" if step.sample is None else step.sample + 1
        writer.writerow([step.epoch, sample, step.phase, step.quantity, step.formula, step.substituted,
                         repr(float(step.value))])
    return out.getvalue()


def to_json(doc: Document) -> str:
    sc = doc.scenario
    scenario = {
        "title": sc.title, "description": sc.description, "source": sc.source, "origin": sc.origin,
        "digest": sc.digest, "layers": list(sc.layers), "activations": list(sc.activations),
        "names": [list(row) for row in sc.names], "bias": sc.bias, "weights": sc.weights,
        "biases": sc.biases, "inputs": sc.inputs, "targets": sc.targets, "learning_rate": sc.learning_rate,
        "loss": sc.loss, "mode": sc.mode, "train_biases": sc.train_biases, "momentum": sc.momentum,
        "hidden_deltas_use": sc.hidden_deltas_use,
    }
    data = {
        "scenario": scenario,
        "start": {"round": doc.first_round, "weights": doc.start.weights, "biases": doc.start.biases},
        "steps": [step._asdict() for step in doc.records],
    }
    return json.dumps(_finite_or_null(data), indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _finite_or_null(value):
    """JSON has no NaN or infinity: a diverged value is written as null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite_or_null(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite_or_null(item) for item in value]
    return value
