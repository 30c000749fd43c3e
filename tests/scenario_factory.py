"""Builds scenario TOML text for tests: every combination of the features the engine supports."""

import itertools
import json
import random

ACTIVATION_SETS = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu-linear": ["relu", "linear"],
    "softmax": "softmax",
}


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes are valid TOML basic-string escapes
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def scenario_text(layers=(2, 3, 2), activation="sigmoid", loss="half-sse", mode="online", bias="shared",
                  train_biases=True, momentum=0.0, hidden_deltas_use="original", samples=2, seed=1,
                  learning_rate=0.5, title="generated", update="end") -> str:
    rng = random.Random(seed)
    if isinstance(activation, list) and len(activation) != len(layers) - 1:
        activation = activation[:1] * (len(layers) - 2) + activation[-1:]
    if activation == "softmax" and len(layers) > 2:
        activation = ["sigmoid"] * (len(layers) - 2) + ["softmax"]
    inputs = [[round(rng.uniform(-1, 1), 3) for _ in range(layers[0])] for _ in range(samples)]
    if loss == "cross-entropy":
        targets = []
        for _ in range(samples):
            row = [0.0] * layers[-1]
            row[rng.randrange(layers[-1])] = 1.0
            targets.append(row)
    else:
        targets = [[round(rng.uniform(0.05, 0.95), 3) for _ in range(layers[-1])] for _ in range(samples)]
    lines = [f"title = {toml_value(title)}", "[network]", f"layers = {toml_value(list(layers))}",
             f"activation = {toml_value(activation)}", f'bias = "{bias}"',
             f"init = {{ seed = {seed}, scale = 0.8 }}",
             "[training]", f"inputs = {toml_value(inputs)}", f"targets = {toml_value(targets)}",
             f"learning_rate = {learning_rate}", f'loss = "{loss}"', f'mode = "{mode}"',
             f"train_biases = {toml_value(train_biases and bias != 'none')}", f"momentum = {momentum}",
             f'hidden_deltas_use = "{hidden_deltas_use}"', f'update = "{update}"']
    return "\n".join(lines) + "\n"


def feature_grid():
    """(id, kwargs) covering depths, activations, losses, both modes, momentum and bias kinds."""
    cases = []
    for layers, act, mode, bias, momentum in itertools.product(
            [(2, 2), (2, 3, 2), (3, 2, 3, 2)], list(ACTIVATION_SETS), ["online", "batch"],
            ["shared", "per-neuron", "none"], [0.0, 0.7]):
        loss = "cross-entropy" if act == "softmax" else ("mse" if act == "tanh" else "half-sse")
        seed = len(cases) + 3
        cases.append((f"{'-'.join(map(str, layers))}-{act}-{mode}-{bias}-mu{momentum}",
                      dict(layers=layers, activation=ACTIVATION_SETS[act], loss=loss, mode=mode, bias=bias,
                           momentum=momentum, seed=seed, samples=3)))
    return cases


def long_run_text() -> str:
    """A network whose 1,000,000 epochs take minutes on any machine (2-16-16-2, ~0.15 ms an epoch
    here; wider layers only make every redraw of its table slower).

    Tests that press a key while a fast-forward runs need a run still going when the key arrives:
    mazur's million epochs take under two seconds on a fast machine, and Pilot's press waits for the
    app to go quiet (up to 0.2 s with conftest's brisk_keys, a second without) before it returns.
    """
    return scenario_text(layers=(2, 16, 16, 2), title="a long run")
