"""The benchmark's larger network: 4-16-16-3, softmax + cross-entropy, 150 samples, batch mode.

The samples are an iris-like three-class problem drawn from a fixed seed (no data set download).
"""

import random


def big_scenario_text(samples: int = 150, seed: int = 7) -> str:
    rng = random.Random(seed)
    centres = [(5.0, 3.4, 1.5, 0.2), (5.9, 2.8, 4.3, 1.3), (6.6, 3.0, 5.6, 2.0)]
    inputs, targets = [], []
    for s in range(samples):
        cls = s % 3
        inputs.append([round(c + rng.gauss(0, 0.35), 3) for c in centres[cls]])
        targets.append([1.0 if j == cls else 0.0 for j in range(3)])
    return "\n".join([
        'title = "bench: 4-16-16-3 softmax, 150 samples"',
        "[network]", "layers = [4, 16, 16, 3]", 'activation = ["tanh", "tanh", "softmax"]',
        'bias = "per-neuron"', "init = { seed = 3, scale = 0.5 }",
        "[training]", f"inputs = {inputs}", f"targets = {targets}", "learning_rate = 0.02",
        'loss = "cross-entropy"', 'mode = "batch"', "train_biases = true",
    ]) + "\n"
