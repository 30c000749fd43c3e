"""Hand-written reference loops: the floors the engine is measured against (same maths, same results).

`mazur_floor` is a pure-Python loop written for exactly the article's 2-2-2 network; `numpy_floor`
is a vectorized numpy loop written for the 4-16-16-3 softmax network in batch mode.
"""

import math

import numpy as np


def mazur_floor(epochs: int):
    """10,000 epochs of the article's network, recording the error after each epoch."""
    exp = math.exp
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55
    b1, b2, i1, i2, t1, t2, lr = 0.35, 0.6, 0.05, 0.1, 0.01, 0.99, 0.5
    errors = []
    for _ in range(epochs):
        h1 = 1.0 / (1.0 + exp(-(w1 * i1 + w2 * i2 + b1)))
        h2 = 1.0 / (1.0 + exp(-(w3 * i1 + w4 * i2 + b1)))
        o1 = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b2)))
        o2 = 1.0 / (1.0 + exp(-(w7 * h1 + w8 * h2 + b2)))
        d1 = (o1 - t1) * o1 * (1.0 - o1)
        d2 = (o2 - t2) * o2 * (1.0 - o2)
        dh1 = (d1 * w5 + d2 * w7) * h1 * (1.0 - h1)
        dh2 = (d1 * w6 + d2 * w8) * h2 * (1.0 - h2)
        w5, w6, w7, w8 = w5 - lr * d1 * h1, w6 - lr * d1 * h2, w7 - lr * d2 * h1, w8 - lr * d2 * h2
        w1, w2, w3, w4 = w1 - lr * dh1 * i1, w2 - lr * dh1 * i2, w3 - lr * dh2 * i1, w4 - lr * dh2 * i2
        h1 = 1.0 / (1.0 + exp(-(w1 * i1 + w2 * i2 + b1)))
        h2 = 1.0 / (1.0 + exp(-(w3 * i1 + w4 * i2 + b1)))
        o1 = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b2)))
        o2 = 1.0 / (1.0 + exp(-(w7 * h1 + w8 * h2 + b2)))
        errors.append(0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2)
    return errors


def numpy_floor(scenario, epochs: int):
    """Batch gradient descent for a tanh-tanh-softmax network, written with numpy for that network."""
    W = [np.array(layer, dtype=float) for layer in scenario.weights]
    B = [np.array(b, dtype=float) for b in scenario.biases]
    X = np.array(scenario.inputs)
    T = np.array(scenario.targets)
    n, lr = len(X), scenario.learning_rate
    errors = []
    for _ in range(epochs):
        h1 = np.tanh(X @ W[0].T + B[0])
        h2 = np.tanh(h1 @ W[1].T + B[1])
        z = h2 @ W[2].T + B[2]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        out = e / e.sum(axis=1, keepdims=True)
        d3 = out - T
        d2 = (d3 @ W[2]) * (1 - h2 * h2)
        d1 = (d2 @ W[1]) * (1 - h1 * h1)
        for W_, B_, d, a in ((W[2], B[2], d3, h2), (W[1], B[1], d2, h1), (W[0], B[0], d1, X)):
            W_ -= lr * (d.T @ a) / n
            B_ -= lr * d.sum(axis=0) / n
        h1 = np.tanh(X @ W[0].T + B[0])
        h2 = np.tanh(h1 @ W[1].T + B[1])
        z = h2 @ W[2].T + B[2]
        e = np.exp(z - z.max(axis=1, keepdims=True))
        out = e / e.sum(axis=1, keepdims=True)
        errors.append(float(-(T * np.log(out)).sum(axis=1).mean()))
    return errors
