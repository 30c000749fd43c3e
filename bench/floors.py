"""The floors the training targets are measured against: for one case each, the least work that
gives the same `errors` and weights as `bp_tui.train`, written by hand for that case.

Both return (errors, weights), errors after 0, 1, ..., N epochs, and the benchmark checks they
equal the engine's to the last bit. So the floors use the same formulas, in the same order, as
the engine does: what they leave out is everything that is not arithmetic of this one case. One
forward pass per epoch, whose error is the error after the epoch before (and one more at the end),
every value in a local variable, no check for values that cannot diverge here.
"""

import math

import numpy as np


def mazur_floor(epochs: int):
    """The article's 2-2-2 sigmoid network, one sample, online: the eight weights as locals."""
    exp = math.exp
    w1, w2, w3, w4, w5, w6, w7, w8 = 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55
    b1, b2, i1, i2, t1, t2, lr = 0.35, 0.6, 0.05, 0.1, 0.01, 0.99, 0.5
    errors = []
    append = errors.append
    for epoch in range(epochs + 1):
        h1 = 1.0 / (1.0 + exp(-(w1 * i1 + w2 * i2 + b1)))
        h2 = 1.0 / (1.0 + exp(-(w3 * i1 + w4 * i2 + b1)))
        o1 = 1.0 / (1.0 + exp(-(w5 * h1 + w6 * h2 + b2)))
        o2 = 1.0 / (1.0 + exp(-(w7 * h1 + w8 * h2 + b2)))
        g1 = o1 - t1
        g2 = o2 - t2
        append(0.5 * (g1 * g1) + 0.5 * (g2 * g2))
        if epoch == epochs:
            break
        d1 = g1 * (o1 * (1.0 - o1))
        d2 = g2 * (o2 * (1.0 - o2))
        dh1 = (d1 * w5 + d2 * w7) * (h1 * (1.0 - h1))
        dh2 = (d1 * w6 + d2 * w8) * (h2 * (1.0 - h2))
        w5 -= lr * (d1 * h1)
        w6 -= lr * (d1 * h2)
        w7 -= lr * (d2 * h1)
        w8 -= lr * (d2 * h2)
        w1 -= lr * (dh1 * i1)
        w2 -= lr * (dh1 * i2)
        w3 -= lr * (dh2 * i1)
        w4 -= lr * (dh2 * i2)
    return errors, [[[w1, w2], [w3, w4]], [[w5, w6], [w7, w8]]]


def numpy_floor(scenario, epochs: int):
    """Batch gradient descent for the benchmark's 4-16-16-3 network: tanh, tanh, softmax with
    cross-entropy, one bias per neuron, trained; one-hot targets."""
    W1, W2, W3 = (np.array(layer) for layer in scenario.weights)
    B1, B2, B3 = (np.array(b) for b in scenario.biases)
    X, T = np.array(scenario.inputs), np.array(scenario.targets)
    samples, labels = np.nonzero(T)  # each sample's error is -ln of its one labelled output
    n, lr = len(X), scenario.learning_rate
    errors = []
    append = errors.append
    tanh, exp, log = np.tanh, np.exp, np.log
    for epoch in range(epochs + 1):
        h1 = tanh(X @ W1.T + B1)
        h2 = tanh(h1 @ W2.T + B2)
        z = h2 @ W3.T + B3
        e = exp(z - z.max(axis=1, keepdims=True))
        out = e / e.sum(axis=1, keepdims=True)
        append(float(-log(out[samples, labels]).sum() / n))
        if epoch == epochs:
            break
        d3 = out - T
        d2 = (d3 @ W3) * (1.0 - h2 * h2)
        d1 = (d2 @ W2) * (1.0 - h1 * h1)
        W3 -= lr * (d3.T @ h2 / n)
        W2 -= lr * (d2.T @ h1 / n)
        W1 -= lr * (d1.T @ X / n)
        B3 -= lr * (d3.sum(axis=0) / n)
        B2 -= lr * (d2.sum(axis=0) / n)
        B1 -= lr * (d1.sum(axis=0) / n)
    return errors, [W1.tolist(), W2.tolist(), W3.tolist()]
