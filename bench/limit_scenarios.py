"""Scenarios at bp-tui's limits, and one step past each: what `python bench/run.py limits` measures
and what the tests load (tests/test_limits.py).

Each limit has the largest scenario it allows, built from a fixed seed (nothing is downloaded):
the most of what the limit bounds, with the other sizes as large as the remaining limits let them
be. `ISSUE` is the network of issue 20 (16 layers of 64 neurons, 60 samples), which first showed
that a scenario inside every limit of the time did not work.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bp_tui.engine.scenario import (MAX_FILE_BYTES, MAX_LAYERS, MAX_NEURONS, MAX_SAMPLES,  # noqa: E402
                                    MAX_SUBSTEPS, MAX_WORK, parameter_count, parse_scenario)
from bp_tui.engine.plan import RoundPlan  # noqa: E402


def scenario_text(layers, samples: int, mode: str = "online", bias: str = "shared", train_biases: bool = False,
                  momentum: float = 0.0, update: str = "end", weights_in_file: bool = False,
                  title: str = "", seed: int = 1) -> str:
    """A sigmoid network with random inputs and targets in 0..1 (two decimals) from `seed`."""
    rng = random.Random(seed)
    rows = lambda n: "[" + ", ".join(  # noqa: E731
        "[" + ", ".join(f"{rng.randint(0, 100) / 100:g}" for _ in range(n)) + "]" for _ in range(samples)) + "]"
    lines = [f'title = "{title or f"{len(layers)} layers, {samples} samples"}"', "[network]",
             f"layers = {list(layers)}", 'activation = "sigmoid"', f'bias = "{bias}"']
    if weights_in_file:  # every weight written out, to 9 decimals
        wrng = random.Random(seed + 1)
        layer_text = ["[" + ", ".join("[" + ", ".join(f"{wrng.uniform(-0.3, 0.3):.9f}" for _ in range(a)) + "]"
                                      for _ in range(b)) + "]" for a, b in zip(layers, layers[1:])]
        lines.append("weights = [\n" + ",\n".join(layer_text) + "]")
        if bias == "shared":
            lines.append(f"biases = {[0.1] * (len(layers) - 1)}")
        elif bias == "per-neuron":
            lines.append("biases = [" + ", ".join(str([0.1] * n) for n in layers[1:]) + "]")
    else:
        lines.append("init = { seed = 1, scale = 0.3 }")
    lines += ["[training]", f"inputs = {rows(layers[0])}", f"targets = {rows(layers[-1])}", "learning_rate = 0.5",
              f'mode = "{mode}"', f"train_biases = {'true' if train_biases else 'false'}", f"momentum = {momentum}",
              f'update = "{update}"']
    return "\n".join(lines) + "\n"


def most_samples(layers, **settings) -> int:
    """The most samples every limit allows this network with these settings."""
    samples = min(MAX_SAMPLES, MAX_WORK // parameter_count(tuple(layers), settings.get("bias", "shared")))
    each, whole = round_sizes(layers, **settings)
    return min(samples, (MAX_SUBSTEPS - whole - 1) // each)


def round_sizes(layers, **settings) -> tuple[int, int]:
    """(sub-steps each sample adds to a round, sub-steps a round has besides): a round of n samples
    (n > 1) has n * each + besides."""
    one = RoundPlan(parse_scenario(scenario_text(layers, 1, **settings), "count.toml"))
    each = sum(block.size for block in one.blocks if block.each_sample)  # a sample's block and new error
    return each, sum(block.size for block in one.blocks if not block.each_sample) + 1  # a batch's update, E_mean+


WIDE = [MAX_NEURONS] * MAX_LAYERS  # 16 layers of 64: the most weights (61,440)
KERNEL = [8] * MAX_LAYERS  # the most work the written-out kernel does (960 weights, 15 layers)
SMALL = [2, 16, 16, 2]  # a network small enough for the most samples

# name -> (what the limit bounds, scenario text)
AT_LIMIT = {
    "weights": ("the most weights (16 layers of 64) and as many samples as the other limits allow",
                lambda: scenario_text(WIDE, most_samples(WIDE))),
    "work": ("samples × weights at the limit on the written-out kernel (its slowest kind of round)",
             lambda: scenario_text(KERNEL, most_samples(KERNEL))),
    "samples": ("the most samples, on the largest network that allows them",
                lambda: scenario_text(SMALL, most_samples(SMALL))),
    "sub-steps": ("the most sub-steps: 16 layers of 64 with momentum and trained biases",
                  lambda: scenario_text(WIDE, most_samples(WIDE, bias="per-neuron", train_biases=True, momentum=0.5),
                                        bias="per-neuron", train_biases=True, momentum=0.5)),
    "file": ("a file of nearly 1 MiB: every weight of 16 layers of 64 written out",
             lambda: file_at_limit()),
}
ISSUE = ("issue 20: 16 layers of 64 neurons, 60 samples", lambda: scenario_text(WIDE, 60, title="issue 20"))


def file_at_limit() -> str:
    text = scenario_text(WIDE, 8, weights_in_file=True)
    return text + "#" * max(0, MAX_FILE_BYTES - 1 - len(text.encode())) + "\n"


# name -> (the field the refusal names, the limit as it says it, scenario text one step past the limit)
PAST_LIMIT = {
    "layers": ("network.layers", f"limit is {MAX_LAYERS}", lambda: scenario_text([2] * (MAX_LAYERS + 1), 1)),
    "neurons": ("network.layers[1]", f"between 1 and {MAX_NEURONS}",
                lambda: scenario_text([2, MAX_NEURONS + 1, 2], 1)),
    "samples": ("training.inputs", f"limit is {MAX_SAMPLES}", lambda: scenario_text([1, 1], MAX_SAMPLES + 1)),
    "work": ("training.inputs", f"limit is {MAX_WORK:,}",
             lambda: scenario_text(KERNEL, MAX_WORK // parameter_count(tuple(KERNEL), "shared") + 1)),
    "sub-steps": ("training.inputs", f"limit is {MAX_SUBSTEPS:,}",
                  lambda: scenario_text(WIDE, most_samples(WIDE, momentum=0.5) + 1, momentum=0.5)),
    "file": ("", f"limit is {MAX_FILE_BYTES}", lambda: file_at_limit() + "#"),
}
