"""Editing while learning: a new learning rate, momentum, weight or bias, checked and put in words.

The stepper applies an edit from the next update not yet shown (Stepper.edit); what the edit is,
whether it is allowed, and how the network then reads as a scenario file are decided here.
"""

from __future__ import annotations

import math

from .network import Network, Params
from .plan import RoundPlan
from .scenario import MAX_SUBSTEPS, Scenario
from .training import State


def edited(scenario: Scenario, state: State, after: int, learning_rate: float | None = None,
           momentum: float | None = None, param: str | None = None,
           value: float | None = None) -> tuple[Scenario, State, list[str]]:
    """(settings, parameters, the change in words) once the edit is made after `after` rounds;
    a ValueError says why an edit is refused (nothing changes then)."""
    changes, words = {}, []
    if learning_rate is not None:
        if not (0 < learning_rate <= 1000):
            raise ValueError("the learning rate must be > 0 and <= 1000")
        changes["learning_rate"] = float(learning_rate)
        words.append(f"learning rate {scenario.learning_rate:g} -> {learning_rate:g}")
    if momentum is not None:
        if not (0 <= momentum < 1):
            raise ValueError("momentum must be >= 0 and < 1")
        changes["momentum"] = float(momentum)
        words.append(f"momentum {scenario.momentum:g} -> {momentum:g}")
    params = state.params
    if param is not None:
        if value is None or not math.isfinite(value):
            raise ValueError("a weight or bias needs a finite value")
        params = replace_param(params, scenario.layout, scenario.bias, param, float(value))
        words.append(f"{param} set to {value:g} after {after} round(s)")
    new = scenario._replace(**changes)
    if new.momentum and not scenario.momentum:  # a running gradient adds a sub-step to every update
        count = RoundPlan(new).count
        if count > MAX_SUBSTEPS:
            raise ValueError(f"with momentum a round would have {count:,} sub-steps; the limit is {MAX_SUBSTEPS:,}")
    net = Network(new)
    velocity = state.velocity if new.momentum and state.velocity is not None else net.zero_velocity(params)
    return new, State(params, velocity), words


def edited_toml(scenario: Scenario, params: Params, completed: int, edits: list[str]) -> str:
    """The scenario as it stands (settings, and parameters after `completed` rounds), as TOML."""
    from .scenario_toml import to_toml

    note = (f"Saved by bp-tui after {completed} round(s) of {scenario.display_title!r}"
            + (": " + "; ".join(edits) if edits else "") + ".")
    description = (scenario.description.rstrip() + "\n\n" + note).strip()
    scenario = scenario._replace(description=description[-4000:], expects=())
    return to_toml(scenario, params.weights, params.biases)


def replace_param(params: Params, layout, bias_mode: str, name: str, value: float) -> Params:
    """A copy of params with the weight or bias called `name` set to `value`."""
    weights = [[list(row) for row in layer] for layer in params.weights]
    biases = None if params.biases is None else [list(b) if isinstance(b, list) else b for b in params.biases]
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            if name in row:
                weights[l][j][row.index(name)] = value
                return Params(weights, biases)
    for l in range(len(layout.layers) - 1):
        for j in range(layout.layers[l + 1] if bias_mode == "per-neuron" else 1):
            if layout.bias_name(l, j) == name:
                if bias_mode == "shared":
                    biases[l] = value
                else:
                    biases[l][j] = value
                return Params(weights, biases)
    raise ValueError(f"no weight or bias called {name!r}")
