"""One table for each activation and each loss: every form of its maths, in one place.

An entry holds what the rest of the engine needs of a formula: the function on plain floats and its
slope (network.py: the stepper and the general loop), the source text of the written-out kernel
(kernel.py), the numpy form (vectorized.py, which passes numpy in: the engine does not import it),
and the formula and sentence the step records show (records.py). Adding an activation or a loss
is adding an entry here (and its name is then accepted in scenario files).

Every form does the same operations in the same order (`-(t - a) * (a * (1.0 - a))`, say, in each),
so the stepper, the kernel and the general loop agree bit for bit; the numpy form follows the same
formulas, with numpy's order inside matrix products. Nothing here raises on overflow: infinities
and NaN flow through and the caller reports divergence.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple, Sequence

exp = math.exp


def add_all(values) -> float:
    """Left-to-right sum (built-in sum() compensates on newer Pythons; we want the article's order)."""
    total = None
    for value in values:
        total = value if total is None else total + value
    return 0.0 if total is None else total


def sigmoid(x: float) -> float:
    if x < -700.0:  # 1/(1+e^-x) ~ e^x there, and e^-x would overflow
        return exp(x)
    return 1.0 / (1.0 + exp(-x))


def relu(x: float) -> float:
    return max(x, 0.0)  # max(nan, 0.0) is nan: divergence stays visible


def softmax(nets: list[float]) -> list[float]:
    top = max(nets)
    exps = [exp(n - top) for n in nets]  # shifted by the largest net: no overflow
    total = add_all(exps)
    return [e / total for e in exps]


def each(function: Callable[[float], float]) -> Callable[[list[float]], list[float]]:
    """A layer's outputs from its net inputs, for an activation applied neuron by neuron."""
    return lambda nets: list(map(function, nets))


def each_line(template: str) -> Callable[[list[str], list[str]], list[str]]:
    """Kernel source for an activation applied neuron by neuron: `a = template` with {z} the net."""
    return lambda nets, outs: [f"{out} = " + template.format(z=net) for net, out in zip(nets, outs)]


def softmax_lines(nets: list[str], outs: list[str]) -> list[str]:
    """Kernel source for softmax, in `softmax`'s order: shift by the largest net, exp, add, divide."""
    exps = [f"e_{j}" for j in range(len(nets))]
    return ([f"top_ = max([{', '.join(nets)}])"]
            + [f"{e} = exp({net} - top_)" for e, net in zip(exps, nets)]
            + ["sum_ = " + " + ".join(exps)]
            + [f"{out} = {e} / sum_" for out, e in zip(outs, exps)])


def numpy_sigmoid(np, z):
    # where z < -700 the first branch is used; each branch is clipped so neither overflows
    return np.where(z < -700.0, np.exp(np.minimum(z, 0.0)), 1.0 / (1.0 + np.exp(-np.maximum(z, -700.0))))


def numpy_softmax(np, z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class Activation(NamedTuple):
    """Everything about one activation. Slopes are None for softmax, which only ever comes with
    cross-entropy (the loader checks): their slopes cancel into the output delta out - target."""

    name: str
    layer: Callable[[list[float]], list[float]]  # a layer's net inputs -> its outputs
    slope: Callable[[float, float], float] | None  # (net, out) -> d out / d net
    kernel: Callable[[list[str], list[str]], list[str]]  # (net names, out names) -> source lines
    kernel_slope: str | None  # d out / d net as a source expression of {z} (net) and {a} (out)
    numpy: Callable  # (numpy, nets: samples x neurons) -> outputs
    numpy_slope: Callable | None  # (numpy, nets, outs) -> d out / d net
    formula: str  # the output as the records write it, of {net} (and {sum}: see sum_of)
    explanation: str  # one sentence; {n} is the neuron's name
    slope_formula: str | None  # d out / d net as the records write it, of {out} and {net}
    slope_explanation: str | None
    sum_of: str = ""  # what {sum} in the formula adds up over the layer's neurons, each of {net}

    def out_formula(self, net: str, layer: Sequence[str]) -> str:
        """The output's formula with `net` for the neuron's net input and `layer` for the layer's."""
        total = " + ".join(self.sum_of.format(net=other) for other in layer) if self.sum_of else ""
        return self.formula.format(net=net, sum=total)


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    Activation(
        name="sigmoid", layer=each(sigmoid), slope=lambda net, out: out * (1.0 - out),
        kernel=each_line("exp({z}) if {z} < -700.0 else 1.0 / (1.0 + exp(-{z}))"),
        kernel_slope="({a} * (1.0 - {a}))",
        numpy=numpy_sigmoid, numpy_slope=lambda np, z, a: a * (1.0 - a),
        formula="1/(1 + e^(-{net}))", explanation="The logistic function squashes the net input of {n} into (0, 1)",
        slope_formula="{out}*(1 - {out})", slope_explanation="The logistic function's slope, written with its output"),
    Activation(
        name="tanh", layer=each(math.tanh), slope=lambda net, out: 1.0 - out * out,
        kernel=each_line("tanh({z})"), kernel_slope="(1.0 - {a} * {a})",
        numpy=lambda np, z: np.tanh(z), numpy_slope=lambda np, z, a: 1.0 - a * a,
        formula="tanh({net})", explanation="The tanh function squashes the net input of {n} into (-1, 1)",
        slope_formula="1 - {out}^2", slope_explanation="The slope of tanh, written with its output"),
    Activation(
        name="relu", layer=each(relu), slope=lambda net, out: 1.0 if net > 0.0 else 0.0,  # 0 at exactly 0
        kernel=each_line("max({z}, 0.0)"), kernel_slope="(1.0 if {z} > 0.0 else 0.0)",
        numpy=lambda np, z: np.maximum(z, 0.0), numpy_slope=lambda np, z, a: (z > 0.0).astype(float),
        formula="max(0, {net})",
        explanation="ReLU passes a positive net input through and turns a negative one into 0",
        slope_formula="1 if {net} > 0, else 0",
        slope_explanation="The slope of ReLU: 1 for a positive net input, 0 otherwise"),
    Activation(
        name="linear", layer=list, slope=lambda net, out: 1.0,
        kernel=each_line("{z}"), kernel_slope="1.0",
        numpy=lambda np, z: z.copy(), numpy_slope=lambda np, z, a: np.ones_like(a),
        formula="{net}", explanation="A linear neuron outputs its net input unchanged",
        slope_formula="1", slope_explanation="A linear neuron's slope is always 1"),
    Activation(
        name="softmax", layer=softmax, slope=None,
        kernel=softmax_lines, kernel_slope=None,
        numpy=numpy_softmax, numpy_slope=None,
        formula="e^{net} / ({sum})", sum_of="e^{net}",
        explanation="Softmax turns the output layer's net inputs into probabilities that add up to 1",
        slope_formula=None, slope_explanation=None),
)}


def half_sse(target: float, out: float, outputs: int) -> float:
    gap = target - out
    return 0.5 * (gap * gap)


def mse(target: float, out: float, outputs: int) -> float:
    gap = target - out
    return gap * gap / outputs


def cross_entropy(target: float, out: float, outputs: int) -> float:
    if target == 0.0:  # 0 * ln(anything) is 0, even for an output of 0
        return 0.0
    return -target * math.log(out) if out > 0.0 else math.inf


def numpy_cross_entropy(np, T, out):
    # as cross_entropy: 0 where the target is 0, inf where an output it needs is 0 (or NaN: ln 0 is
    # -inf there); numpy's callers turn its warnings off
    return np.where(T == 0.0, 0.0, -T * np.log(np.where(out > 0.0, out, 0.0)))


GROWS = "How fast the total error grows as the output of {name} grows"


class Loss(NamedTuple):
    """Everything about one loss: an output neuron's share of a sample's error, and its slope.

    With `slope_is_delta` (cross-entropy, after a softmax output layer) the slope forms give the
    output neuron's delta itself, out - target: the loss's and softmax's slopes cancel into it.
    """

    name: str
    term: Callable[[float, float, int], float]  # (target, out, outputs) -> this output's share
    slope: Callable[[float, float, int], float]  # (target, out, outputs) -> dE/dout, or the delta
    kernel_gap: str  # source for a value the next two share, of {t} (target) and {a} (out); or ""
    kernel_term: str  # the share as a source expression of {t}, {a}, {n} and {g} (the gap's value)
    kernel_slope: str  # the slope as a source expression of {t}, {a}, {n} and {g}
    numpy_terms: Callable  # (numpy, targets, outs: samples x outputs) -> the shares
    numpy_slope: Callable  # (numpy, targets, outs) -> the slopes
    formula: str  # one share as the records write it, of {target}, {out} and {n}
    explanation: str  # of {name} (the output neuron) and {n}
    slope_formula: str  # of {target}, {out} and {n}
    slope_explanation: str  # of {name}
    slope_is_delta: bool = False


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (
    Loss(
        name="half-sse", term=half_sse, slope=lambda t, o, n: -(t - o),
        kernel_gap="{t} - {a}", kernel_term="0.5 * ({g} * {g})", kernel_slope="-{g}",
        numpy_terms=lambda np, T, out: 0.5 * (T - out) ** 2, numpy_slope=lambda np, T, out: -(T - out),
        formula="1/2*({target} - {out})^2",
        explanation="Half the squared gap between the target of {name} and its output",
        slope_formula="-({target} - {out})", slope_explanation=GROWS),
    Loss(
        name="mse", term=mse, slope=lambda t, o, n: -2.0 * (t - o) / n,
        kernel_gap="{t} - {a}", kernel_term="{g} * {g} / {n}", kernel_slope="-2.0 * {g} / {n}",
        numpy_terms=lambda np, T, out: (T - out) ** 2 / out.shape[1],
        numpy_slope=lambda np, T, out: -2.0 * (T - out) / out.shape[1],
        formula="({target} - {out})^2/{n}",
        explanation="The squared gap of {name}, divided by the {n} outputs (the error is their mean)",
        slope_formula="-2*({target} - {out})/{n}", slope_explanation=GROWS),
    Loss(
        name="cross-entropy", term=cross_entropy, slope=lambda t, o, n: o - t,
        kernel_gap="", kernel_term="0.0 if {t} == 0.0 else (-{t} * log({a}) if {a} > 0.0 else inf)",
        kernel_slope="{a} - {t}",
        numpy_terms=numpy_cross_entropy, numpy_slope=lambda np, T, out: out - T,
        formula="-{target}*ln({out})",
        explanation="Cross-entropy: minus the target times the log of the probability {name} gave",
        slope_formula="{out} - {target}",
        slope_explanation="With softmax and cross-entropy the chain rule collapses to output minus target",
        slope_is_delta=True),
)}
