"""Writing a Scenario back as a TOML file that `bp-tui validate` accepts (for saving edits)."""

from __future__ import annotations

import json

from .expectations import printed_decimals
from .layout import default_neuron_names
from .scenario import Scenario


def _string(text: str) -> str:
    # JSON's escapes (\n, \", \\, \uXXXX) are all valid in a TOML basic string
    return json.dumps(text, ensure_ascii=False)


def _number(x: float) -> str:
    return repr(float(x))


def _array(values, depth: int = 0) -> str:
    if values and isinstance(values[0], (list, tuple)):
        inner = ",\n".join("    " * (depth + 1) + _array(v, depth + 1) for v in values)
        return "[\n" + inner + ",\n" + "    " * depth + "]"
    return "[" + ", ".join(_number(v) for v in values) + "]"


def to_toml(scenario: Scenario, weights=None, biases=None) -> str:
    """The scenario as TOML; `weights`/`biases` replace the starting parameters when given."""
    weights = scenario.weights if weights is None else weights
    biases = scenario.biases if biases is None else biases
    lines = []
    for key in ("title", "description", "source", "source_short"):
        value = getattr(scenario, key)
        if value:
            lines.append(f"{key} = {_string(value)}")
    lines += ["", "[network]", f"layers = [{', '.join(map(str, scenario.layers))}]"]
    acts = scenario.activations
    lines.append(f"activation = {_string(acts[0])}" if len(set(acts)) == 1 else
                 "activation = [" + ", ".join(_string(a) for a in acts) + "]")
    lines.append(f"weights = {_array([list(map(list, layer)) for layer in weights])}")
    lines.append(f"bias = {_string(scenario.bias)}")
    if scenario.bias == "shared":
        lines.append(f"biases = {_array(list(biases))}")
    elif scenario.bias == "per-neuron":
        lines.append(f"biases = {_array([list(b) for b in biases])}")
    if scenario.names != default_neuron_names(scenario.layers):
        lines.append("names = [" + ", ".join("[" + ", ".join(_string(n) for n in row) + "]"
                                            for row in scenario.names) + "]")
    lines += ["", "[training]", f"inputs = {_array([list(x) for x in scenario.inputs])}",
              f"targets = {_array([list(t) for t in scenario.targets])}",
              f"learning_rate = {_number(scenario.learning_rate)}", f"loss = {_string(scenario.loss)}",
              f"mode = {_string(scenario.mode)}", f"train_biases = {'true' if scenario.train_biases else 'false'}",
              f"momentum = {_number(scenario.momentum)}",
              f"hidden_deltas_use = {_string(scenario.hidden_deltas_use)}",
              f"update = {_string(scenario.update)}"]
    for e in scenario.expects:
        lines += ["", "[[expect]]", f"quantity = {_string(e.quantity)}", f"epoch = {e.epoch}",
                  f"value = {_number(e.value)}", f"sample = {e.sample + 1}"]
        if e.decimals != printed_decimals(e.value):
            lines.append(f"decimals = {e.decimals}")
        if e.printed:
            lines.append(f"printed = {_string(e.printed)}")
        if e.check:
            lines.append(f"check = {_string(e.check)}")
        if e.note:
            lines.append(f"note = {_string(e.note)}")
    return "\n".join(lines) + "\n"
