"""An independent reference implementation of backpropagation, for checking bp-tui's figures.

Written from the maths in matrix form with numpy, and deliberately sharing nothing with the engine:
it does not import bp_tui, reads the scenario TOML itself, and computes each layer at once
(net = W @ out_below + b) rather than neuron by neuron. The scenario library's [[expect]] figures
were computed with it, and the tests compare it with the engine on every built-in scenario.

The maths, for one sample with input x and target t (layers 0..D, weight layer l feeds layer l+1):

    forward     z[l+1] = W[l] @ a[l] + b[l],  a[l+1] = f_{l+1}(z[l+1]),  a[0] = x
    loss        half-sse: sum((t - a)^2) / 2;  mse: mean((t - a)^2);  cross-entropy: -sum(t * ln a)
    output      delta[D] = dE/da[D] * f'(z[D])   (softmax with cross-entropy: delta[D] = a[D] - t)
    hidden      delta[l] = (W[l]^T @ delta[l+1]) * f'(z[l])
    gradients   dE/dW[l] = outer(delta[l+1], a[l]);  dE/db[l] = delta[l+1] (per neuron) or its sum (shared)
    update      v = mu*v + g;  p = p - eta*v      (without momentum, v is just g)

Online mode updates after each sample, batch mode once per epoch with the mean gradient. With
hidden_deltas_use = "updated" (online only), each weight layer is updated as soon as its gradient is
known, and the deltas of the layer below are passed back through the updated weights.

Run as a script to print figures for a scenario file:

    python tests/reference_backprop.py scenarios/deep.toml --round 1 delta_h1_1 w1+
    python tests/reference_backprop.py scenarios/xor-online.toml --errors 0 1 2000
"""

from __future__ import annotations

import argparse
import random
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


# --- activations -------------------------------------------------------------------------------

def activate(name: str, z: np.ndarray) -> np.ndarray:
    """Apply an activation to each row of z (rows are samples)."""
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0.0, z, 0.0)
    if name == "linear":
        return z.copy()
    if name == "softmax":
        shifted = np.exp(z - z.max(axis=-1, keepdims=True))
        return shifted / shifted.sum(axis=-1, keepdims=True)
    raise ValueError(f"unknown activation {name!r}")


def derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """d a / d z for element-wise activations (ReLU's slope at exactly 0 is taken as 0)."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0.0).astype(float)
    if name == "linear":
        return np.ones_like(z)
    raise ValueError(f"no element-wise derivative for {name!r}")


def sample_losses(loss: str, a: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per-output terms, per-sample loss) for rows of outputs a and targets t."""
    if loss == "half-sse":
        terms = 0.5 * (t - a) ** 2
    elif loss == "mse":
        terms = (t - a) ** 2 / a.shape[-1]
    elif loss == "cross-entropy":
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(t == 0.0, 0.0, -t * np.log(a))
    else:
        raise ValueError(f"unknown loss {loss!r}")
    return terms, terms.sum(axis=-1)


def loss_slope(loss: str, a: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dE/da for the squared-error losses."""
    if loss == "half-sse":
        return a - t
    if loss == "mse":
        return 2.0 * (a - t) / a.shape[-1]
    raise ValueError(f"{loss!r} has no separate dE/da here (softmax + cross-entropy: delta = a - t)")


# --- the scenario, as the reference reads it -----------------------------------------------------

@dataclass
class Model:
    layers: list[int]
    activations: list[str]
    bias: str  # shared | per-neuron | none
    inputs: np.ndarray  # (samples, n0)
    targets: np.ndarray  # (samples, nD)
    learning_rate: float
    loss: str
    mode: str
    train_biases: bool
    momentum: float
    hidden_deltas_use: str
    names: list[list[str]]
    start_weights: list[np.ndarray]
    start_biases: list[np.ndarray] | None  # one vector per layer (shared: a vector of one)
    expects: list[dict] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return len(self.layers) - 1

    def weight_names(self) -> list[np.ndarray]:
        """w1, w2, ... numbered layer by layer, receiving neuron by receiving neuron."""
        names, counter = [], 0
        for l in range(self.depth):
            rows, cols = self.layers[l + 1], self.layers[l]
            grid = np.array([f"w{counter + 1 + r * cols + c}" for r in range(rows) for c in range(cols)])
            names.append(grid.reshape(rows, cols))
            counter += rows * cols
        return names

    def bias_names(self, l: int) -> list[str]:
        if self.bias == "shared":
            return [f"b{l + 1}"]
        return [f"b_{n}" for n in self.names[l + 1]]


def default_names(layers: list[int]) -> list[list[str]]:
    hidden = len(layers) - 2
    names = []
    for index, size in enumerate(layers):
        if index == 0:
            prefix = "i"
        elif index == len(layers) - 1:
            prefix = "o"
        else:
            prefix = "h" if hidden == 1 else f"h{index}_"
        names.append([f"{prefix}{n + 1}" for n in range(size)])
    return names


def seeded_start(layers: list[int], bias: str, seed: int, scale: float):
    """The documented seeded start: uniform in [-scale, scale], weights first (layer, row, column),
    then the biases layer by layer, from Python's random.Random(seed)."""
    rng = random.Random(seed)
    weights = [np.array([[rng.uniform(-scale, scale) for _k in range(layers[l])]
                         for _j in range(layers[l + 1])]) for l in range(len(layers) - 1)]
    if bias == "none":
        return weights, None
    count = (lambda l: 1) if bias == "shared" else (lambda l: layers[l + 1])
    return weights, [np.array([rng.uniform(-scale, scale) for _ in range(count(l))])
                     for l in range(len(layers) - 1)]


def load(path: str | Path) -> Model:
    doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    net, train = doc["network"], doc["training"]
    layers = list(net["layers"])
    act = net.get("activation", "sigmoid")
    if isinstance(act, str):
        act = ["sigmoid"] * (len(layers) - 2) + ["softmax"] if act == "softmax" else [act] * (len(layers) - 1)
    bias = net.get("bias", "shared")
    if "init" in net:
        weights, biases = seeded_start(layers, bias, net["init"]["seed"], net["init"].get("scale", 0.5))
    else:
        weights = [np.array(m, dtype=float) for m in net["weights"]]
        if bias == "none":
            biases = None
        elif bias == "shared":
            biases = [np.array([b], dtype=float) for b in net["biases"]]
        else:
            biases = [np.array(b, dtype=float) for b in net["biases"]]
    return Model(
        layers=layers, activations=list(act), bias=bias,
        inputs=np.array(train["inputs"], dtype=float), targets=np.array(train["targets"], dtype=float),
        learning_rate=float(train["learning_rate"]), loss=train.get("loss", "half-sse"),
        mode=train.get("mode", "online"), train_biases=train.get("train_biases", False),
        momentum=float(train.get("momentum", 0.0)),
        hidden_deltas_use=train.get("hidden_deltas_use", "original"),
        names=[list(r) for r in net["names"]] if "names" in net else default_names(layers),
        start_weights=weights, start_biases=biases, expects=list(doc.get("expect", [])),
    )


# --- the passes ---------------------------------------------------------------------------------

@dataclass
class Params:
    weights: list[np.ndarray]
    biases: list[np.ndarray] | None
    v_weights: list[np.ndarray]
    v_biases: list[np.ndarray] | None

    def copy(self) -> "Params":
        """A new set of lists; the arrays themselves are shared, which is safe because every update
        (see `step`) builds new arrays instead of changing old ones in place."""
        cp = lambda xs: None if xs is None else list(xs)  # noqa: E731
        return Params(cp(self.weights), cp(self.biases), cp(self.v_weights), cp(self.v_biases))

    def finite(self) -> bool:
        arrays = self.weights + (self.biases or []) + self.v_weights + (self.v_biases or [])
        return all(np.isfinite(a).all() for a in arrays)


def start(model: Model) -> Params:
    biases = None if model.start_biases is None else [b.copy() for b in model.start_biases]
    return Params([w.copy() for w in model.start_weights], biases,
                  [np.zeros_like(w) for w in model.start_weights],
                  None if biases is None else [np.zeros_like(b) for b in biases])


def forward(model: Model, p: Params, x: np.ndarray) -> tuple[list, list]:
    """Net inputs and outputs of every layer for a batch of samples x (rows)."""
    zs, outs = [None], [x]
    for l in range(model.depth):
        z = outs[-1] @ p.weights[l].T
        if p.biases is not None:
            z = z + p.biases[l]  # a shared bias (a vector of one) broadcasts over the layer
        zs.append(z)
        outs.append(activate(model.activations[l], z))
    return zs, outs


@dataclass
class Backward:
    """Everything the backward pass computes, for a batch of samples (first axis)."""

    zs: list
    outs: list
    terms: np.ndarray
    losses: np.ndarray
    out_slopes: np.ndarray | None  # dE/da at the output (None for softmax + cross-entropy)
    slopes: list  # da/dz per layer (None where not element-wise)
    deltas: list
    hidden_sums: list  # dE/da of hidden layers
    contributions: list  # contributions[l][s, m, j] = delta[l+1][s, m] * W[l][m, j], l >= 1
    weight_grads: list  # per sample: (samples, rows, cols)
    bias_grads: list | None  # per sample: (samples, 1) shared or (samples, rows)
    weights_used: list


def backward(model: Model, p: Params, x: np.ndarray, t: np.ndarray, update_layer=None) -> Backward:
    """Backpropagation for a batch of samples. With `update_layer` (a function of l and the gradients
    of weight layer l), each layer is updated before the deltas go further down ("updated" mode)."""
    zs, outs = forward(model, p, x)
    top = model.depth
    terms, losses = sample_losses(model.loss, outs[top], t)
    slopes = [None] * (top + 1)
    deltas = [None] * (top + 1)
    sums = [None] * (top + 1)
    contributions = [None] * (top + 1)
    if model.activations[-1] == "softmax":
        out_slopes = None
        deltas[top] = outs[top] - t
    else:
        out_slopes = loss_slope(model.loss, outs[top], t)
        slopes[top] = derivative(model.activations[-1], zs[top], outs[top])
        deltas[top] = out_slopes * slopes[top]
    weight_grads = [None] * top
    bias_grads = None if p.biases is None else [None] * top
    used = list(p.weights)
    for l in range(top - 1, -1, -1):
        weight_grads[l] = deltas[l + 1][:, :, None] * outs[l][:, None, :]
        if bias_grads is not None:
            d = deltas[l + 1]
            bias_grads[l] = d.sum(axis=1, keepdims=True) if model.bias == "shared" else d.copy()
        if update_layer is not None:
            update_layer(l, weight_grads[l][0], None if bias_grads is None else bias_grads[l][0])
        if l == 0:
            break
        W = p.weights[l] if update_layer is not None else used[l]
        used[l] = W
        contributions[l] = deltas[l + 1][:, :, None] * W[None, :, :]
        sums[l] = deltas[l + 1] @ W
        slopes[l] = derivative(model.activations[l - 1], zs[l], outs[l])
        deltas[l] = sums[l] * slopes[l]
    return Backward(zs, outs, terms, losses, out_slopes, slopes, deltas, sums, contributions,
                    weight_grads, bias_grads, used)


def step(model: Model, p: Params, l: int, w_grad: np.ndarray, b_grad: np.ndarray | None) -> None:
    """Move weight layer l (and its biases, when trained) against the gradient, in place."""
    eta, mu = model.learning_rate, model.momentum
    p.v_weights[l] = mu * p.v_weights[l] + w_grad
    p.weights[l] = p.weights[l] - eta * p.v_weights[l]
    if model.train_biases and p.biases is not None:
        p.v_biases[l] = mu * p.v_biases[l] + b_grad
        p.biases[l] = p.biases[l] - eta * p.v_biases[l]


def epoch(model: Model, p: Params, record=None) -> Params:
    """One epoch; `record(sample, backward, params_before, params_after)` sees each sample (online)
    or, in batch mode, record(None, backward_of_all_samples, before, after) once."""
    p = p.copy()
    if model.mode == "batch":
        before = p.copy() if record is not None else None
        bw = backward(model, p, model.inputs, model.targets)
        for l in range(model.depth - 1, -1, -1):
            b_grad = None if bw.bias_grads is None else bw.bias_grads[l].mean(axis=0)
            step(model, p, l, bw.weight_grads[l].mean(axis=0), b_grad)
        if record is not None:
            record(None, bw, before, p.copy())
        return p
    for s in range(len(model.inputs)):
        before = p.copy() if record is not None else None
        x, t = model.inputs[s:s + 1], model.targets[s:s + 1]
        if model.hidden_deltas_use == "updated":
            bw = backward(model, p, x, t, update_layer=lambda l, wg, bg: step(model, p, l, wg, bg))
        else:
            bw = backward(model, p, x, t)
            for l in range(model.depth - 1, -1, -1):
                step(model, p, l, bw.weight_grads[l][0], None if bw.bias_grads is None else bw.bias_grads[l][0])
        if record is not None:
            record(s, bw, before, p.copy())
    return p


def dataset_error(model: Model, p: Params) -> tuple[np.ndarray, np.ndarray, float]:
    """(outputs, per-sample losses, their mean) at parameters p."""
    _zs, outs = forward(model, p, model.inputs)
    _terms, losses = sample_losses(model.loss, outs[-1], model.targets)
    return outs[-1], losses, float(losses.mean())


@dataclass
class Run:
    errors: list[float]
    params: Params
    diverged_at: int | None
    history: list[Params]  # parameters after 0, 1, ... epochs (only when asked for)


def train(model: Model, epochs: int, keep_history: bool = False) -> Run:
    """Train up to `epochs` epochs, stopping at the first non-finite error or parameter."""
    with np.errstate(all="ignore"):
        p = start(model)
        errors = [dataset_error(model, p)[2]]
        history = [p.copy()] if keep_history else []
        diverged = None
        for e in range(1, epochs + 1):
            p = epoch(model, p)
            errors.append(dataset_error(model, p)[2])
            if keep_history:
                history.append(p.copy())
            if not (np.isfinite(errors[-1]) and p.finite()):
                diverged = e
                break
    return Run(errors, p, diverged, history)


# --- named quantities of a round, as [[expect]] entries name them --------------------------------

def _named_round(model: Model, p: Params) -> tuple[dict[tuple[str, int], float], Params]:
    """Run one epoch from p, naming every quantity it computes: ({(quantity, sample): value}, p after).

    Quantities about the whole training set (E_mean, dE_mean/d..., batch updates, E_mean+) have
    sample index 0, as an [[expect]] entry without `sample` does.
    """
    found: dict[tuple[str, int], float] = {}
    wnames, names, top = model.weight_names(), model.names, model.depth

    def put(name, s, value):
        found[(name, s)] = float(value)

    def updates(s, after, mean_w=None, mean_b=None):
        for l in range(top):
            for (j, k), wname in np.ndenumerate(wnames[l]):
                if mean_w is not None:
                    put(f"dE_mean/d{wname}", s, mean_w[l][j, k])
                put(f"{wname}+", s, after.weights[l][j, k])
                if model.momentum:
                    put(f"v_{wname}", s, after.v_weights[l][j, k])
            if model.train_biases and after.biases is not None:
                for j, bname in enumerate(model.bias_names(l)):
                    if mean_b is not None:
                        put(f"dE_mean/d{bname}", s, mean_b[l][j])
                    put(f"{bname}+", s, after.biases[l][j])
                    if model.momentum:
                        put(f"v_{bname}", s, after.v_biases[l][j])

    def one_sample(s, bw, row):
        for L in range(1, top + 1):
            for j, name in enumerate(names[L]):
                put(f"net_{name}", s, bw.zs[L][row, j])
                put(f"out_{name}", s, bw.outs[L][row, j])
                if bw.slopes[L] is not None:
                    put(f"dout_{name}/dnet_{name}", s, bw.slopes[L][row, j])
                put(f"delta_{name}", s, bw.deltas[L][row, j])
                if L < top:
                    put(f"dE_total/dout_{name}", s, bw.hidden_sums[L][row, j])
                    for m, up in enumerate(names[L + 1]):
                        put(f"dE_{up}/dout_{name}", s, bw.contributions[L][row, m, j])
        for j, name in enumerate(names[top]):
            put(f"E_{name}", s, bw.terms[row, j])
            if bw.out_slopes is not None:
                put(f"dE_total/dout_{name}", s, bw.out_slopes[row, j])
        put("E_total", s, bw.losses[row])
        for l in range(top):
            for (j, k), wname in np.ndenumerate(wnames[l]):
                put(f"dE_total/d{wname}", s, bw.weight_grads[l][row, j, k])
            if model.train_biases and bw.bias_grads is not None:
                for j, bname in enumerate(model.bias_names(l)):
                    put(f"dE_total/d{bname}", s, bw.bias_grads[l][row, j])

    def record(s, bw, _before, after):
        if s is None:  # batch: every sample's passes, then one update from the mean gradient
            for row in range(len(model.inputs)):
                one_sample(row, bw, row)
            put("E_mean", 0, bw.losses.mean())
            updates(0, after, [g.mean(axis=0) for g in bw.weight_grads],
                    None if bw.bias_grads is None else [g.mean(axis=0) for g in bw.bias_grads])
        else:
            one_sample(s, bw, 0)
            updates(s, after)

    p = epoch(model, p, record)
    outputs, losses, mean = dataset_error(model, p)
    for s in range(len(model.inputs)):
        for j, name in enumerate(names[top]):
            put(f"out_{name}+", s, outputs[s, j])
        put("E_total+", s, losses[s])
    if len(model.inputs) > 1:
        put("E_mean+", 0, mean)
    return found, p


def figures(model: Model, rounds) -> dict[int, dict[tuple[str, int], float]]:
    """The named quantities of each of the given rounds (1-based), from one run."""
    wanted = sorted(set(rounds))
    found = {}
    with np.errstate(all="ignore"):
        p = start(model)
        for r in range(1, wanted[-1] + 1 if wanted else 1):
            if r in wanted:
                found[r], p = _named_round(model, p)
            else:
                p = epoch(model, p)
    return found


def round_quantities(model: Model, round_number: int) -> dict[tuple[str, int], float]:
    """Every named quantity of round `round_number` (1-based): {(quantity, sample index): value}."""
    return figures(model, [round_number])[round_number]


def expect_values(model: Model) -> list[tuple[dict, float | None]]:
    """Each [[expect]] entry of the model's file with the reference's value (None: not computed)."""
    found = figures(model, [e["epoch"] for e in model.expects])
    return [(e, found[e["epoch"]].get((e["quantity"], e.get("sample", 1) - 1))) for e in model.expects]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Reference backpropagation figures for a scenario file.")
    parser.add_argument("file")
    parser.add_argument("--round", type=int, default=1, help="1-based round of the quantities")
    parser.add_argument("--sample", type=int, default=1, help="1-based sample of the quantities")
    parser.add_argument("--errors", type=int, nargs="*", help="print the training-set error after these epochs")
    parser.add_argument("--expects", action="store_true", help="check the file's [[expect]] entries")
    parser.add_argument("quantities", nargs="*")
    args = parser.parse_intermixed_args(argv)
    model = load(args.file)
    if args.errors:
        run = train(model, max(args.errors))
        for e in args.errors:
            shown = run.errors[e] if e < len(run.errors) else f"(diverged at epoch {run.diverged_at})"
            print(f"error after {e} epochs: {shown!r}")
    if args.quantities:
        figures = round_quantities(model, args.round)
        for q in args.quantities:
            print(f"{q} (round {args.round}, sample {args.sample}): {figures[(q, args.sample - 1)]!r}")
    if args.expects:
        for e, value in expect_values(model):
            print(f"{e['quantity']} round {e['epoch']} sample {e.get('sample', 1)}: "
                  f"file {e.get('value', e.get('printed'))!r}  reference {value!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
