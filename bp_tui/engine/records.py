"""Step records: one immutable record per sub-step, in the article's order, built from sample traces.

A record is what the app draws, the quiz asks, the export writes and the tests check. The values
come from the traces computed by network.py; this module only names and explains them.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .layout import Layout
from .maths import ACTIVATIONS, LOSSES
from .network import Evaluation, Network, SampleTrace, State, add_all

PHASES = ("forward", "error", "backward", "update", "evaluate")
PHASE_LABELS = {
    "forward": "forward pass",
    "error": "error",
    "backward": "backward pass",
    "update": "update",
    "evaluate": "new error",
}


def phase_label(phase: str) -> str:
    """How a phase is named on screen and in documents ("forward pass"), from its id alone."""
    return PHASE_LABELS.get(phase, phase)


class Step(NamedTuple):
    """One sub-step: what the app draws, the quiz asks, the export writes and the tests assert."""

    epoch: int  # round number, 1-based: round 1 starts from the scenario's weights
    index: int  # position inside the round, 0-based
    sample: int | None  # 0-based sample; None for steps about the whole training set
    phase: str  # one of PHASES
    layer: int  # the layer the quantity belongs to (0 = inputs)
    quantity: str  # e.g. net_h1, delta_o1, dE_total/dw5, w5+
    formula: str  # symbolic, e.g. "net_h1 = w1*i1 + w2*i2 + b1*1"
    substituted: str  # the right-hand side with numbers, e.g. "0.15*0.05 + 0.2*0.1 + 0.35*1"
    value: float
    neurons: tuple[str, ...]  # neuron names it touches (the quantity's own neuron first)
    params: tuple[str, ...]  # weight and bias names it touches
    explanation: str  # one plain sentence


def num(x: float) -> str:
    """A number as the article prints it: up to 9 decimals, no trailing zeros (0.15, 0.593269992)."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    if 1e-4 <= abs(x) < 1e9:
        return f"{x:.9f}".rstrip("0").rstrip(".")
    return f"{x:.9g}"


def term(x: float) -> str:
    """A number inside a larger expression: negatives in parentheses."""
    text = num(x)
    return f"({text})" if text.startswith("-") else text


def value_text(x: float) -> str:
    """A result to 9 decimals, with more significant digits when it is tiny, in e-notation when huge."""
    if not math.isfinite(x):
        return num(x)
    if x != 0 and (abs(x) < 1e-4 or abs(x) >= 1e9):
        return f"{x:.9e}"
    return f"{x:.9f}"


# (formula, explanation) of each activation's output and of its slope: views of the table in maths.py
OUT_FORMULAS = {a.name: (a.formula, a.explanation) for a in ACTIVATIONS.values()}
SLOPE_FORMULAS = {a.name: (a.slope_formula, a.slope_explanation) for a in ACTIVATIONS.values() if a.slope_formula}


class EpochWriter:
    """Builds the records of one round from its traces (one writer per round)."""

    def __init__(self, net: Network, layout: Layout, epoch: int):
        self.net, self.layout, self.epoch = net, layout, epoch
        self.scenario = net.scenario
        self.names = layout.neuron_names
        self.wnames = layout.weight_names
        self.records: list[Step] = []
        self.sample: int | None = 0
        self.phase = "forward"

    def add(self, layer, quantity, formula, substituted, value, neurons=(), params=(), explanation=""):
        self.records.append(Step(self.epoch, len(self.records), self.sample, self.phase, layer, quantity,
                                 f"{quantity} = {formula}", substituted, value, tuple(neurons),
                                 tuple(params), explanation))

    def source(self, layer: int, k: int) -> str:
        """How a neuron's output is written inside a formula: inputs by name (i1), others as out_h1."""
        name = self.names[layer][k]
        return name if layer == 0 else f"out_{name}"

    # --- a sample's forward, error and backward steps ------------------------------------

    def sample_steps(self, trace: SampleTrace, params_before, sample: int) -> None:
        self.sample = sample
        self.forward(trace, params_before)
        self.error(trace, sample)
        self.backward(trace)

    def forward(self, trace: SampleTrace, params) -> None:
        self.phase = "forward"
        for l in range(self.net.depth):
            L = l + 1
            act = self.net.activations[l]
            for j, name in enumerate(self.names[L]):
                parts = [f"{self.wnames[l][j][k]}*{self.source(l, k)}" for k in range(len(self.names[l]))]
                nums = [f"{term(w)}*{term(x)}" for w, x in zip(params.weights[l][j], trace.outs[l])]
                touched = [self.wnames[l][j][k] for k in range(len(self.names[l]))]
                bias_name = self.layout.bias_name(l, j)
                if bias_name is not None:
                    b = params.biases[l] if self.scenario.bias == "shared" else params.biases[l][j]
                    parts.append(f"{bias_name}*1")
                    nums.append(f"{term(b)}*1")
                    touched.append(bias_name)
                self.add(L, f"net_{name}", " + ".join(parts), " + ".join(nums), trace.nets[L][j],
                         (name, *self.names[l]), touched,
                         f"{name}'s net input: each incoming value times the weight that joins it to {name}"
                         + (", plus the bias" if bias_name else "") + ", added up")
            for j, name in enumerate(self.names[L]):
                formula, subst, why = self.out_formula(act, L, j, trace.nets[L])
                self.add(L, f"out_{name}", formula, subst, trace.outs[L][j], (name,), (), why)

    def error(self, trace: SampleTrace, sample: int) -> None:
        self.phase = "error"
        top = self.net.depth
        outputs = self.names[top]
        n = len(outputs)
        targets = self.scenario.targets[sample]
        for j, name in enumerate(outputs):
            formula, subst, why = self.loss_formula(name, targets[j], trace.outs[top][j], n)
            self.add(top, f"E_{name}", formula, subst, trace.loss_terms[j], (name,), (), why)
        self.add(top, "E_total", " + ".join(f"E_{n}" for n in outputs),
                 " + ".join(term(v) for v in trace.loss_terms), trace.loss, outputs, (),
                 "the sample's total error: the output neurons' errors added up")

    def out_formula(self, act: str, L: int, j: int, nets, mark: str = ""):
        """(formula, substituted, explanation) of neuron j of layer L's output; mark="+" after the update."""
        activation, names = ACTIVATIONS[act], self.names[L]
        return (activation.out_formula(f"net_{names[j]}{mark}", [f"net_{n}{mark}" for n in names]),
                activation.out_formula(term(nets[j]), [term(v) for v in nets]),
                activation.explanation.format(n=names[j]))

    def loss_formula(self, name: str, t: float, o: float, n: int, mark: str = ""):
        """(formula, substituted, explanation) of one output's error term; mark="+" after the update."""
        loss = LOSSES[self.net.loss]
        return (loss.formula.format(target=f"target_{name}", out=f"out_{name}{mark}", n=n),
                loss.formula.format(target=num(t), out=term(o), n=n), loss.explanation.format(name=name, n=n))

    def backward(self, trace: SampleTrace) -> None:
        self.phase = "backward"
        top = self.net.depth
        update_first = self.net.update_first and trace.after is not None
        for L in range(top, 0, -1):
            if L == top:
                self.output_deltas(trace)
            else:
                self.hidden_deltas(trace, L, marked=update_first)
            self.gradients(trace, L)
            if update_first:
                self.updates(L - 1, trace.weight_grads, trace.bias_grads, self._before,
                             (trace.after, trace.velocity_after), label="dE_total")
                self.phase = "backward"

    def output_deltas(self, trace: SampleTrace) -> None:
        top = self.net.depth
        act = self.net.activations[-1]
        loss = LOSSES[self.net.loss]
        n = len(self.names[top])
        for j, name in enumerate(self.names[top]):
            o, t = trace.outs[top][j], self.scenario.targets[self.sample][j]
            formula = loss.slope_formula.format(target=f"target_{name}", out=f"out_{name}", n=n)
            subst = loss.slope_formula.format(target=num(t), out=term(o), n=n)
            why = loss.slope_explanation.format(name=name)
            if loss.slope_is_delta:  # cross-entropy after softmax: this slope is the delta itself
                self.add(top, f"delta_{name}", formula, subst, trace.deltas[top][j], (name,), (), why)
                continue
            self.add(top, f"dE_total/dout_{name}", formula, subst, trace.error_slopes[j], (name,), (), why)
            shape, why = SLOPE_FORMULAS[act]
            self.add(top, f"dout_{name}/dnet_{name}", shape.format(out=f"out_{name}", net=f"net_{name}"),
                     shape.format(out=term(o), net=term(trace.nets[top][j])), trace.slopes[top][j], (name,), (),
                     why)
            self.add(top, f"delta_{name}", f"dE_total/dout_{name} * dout_{name}/dnet_{name}",
                     f"{term(trace.error_slopes[j])}*{term(trace.slopes[top][j])}", trace.deltas[top][j],
                     (name,), (), f"{name}'s delta: how fast the error grows with {name}'s net input")

    def hidden_deltas(self, trace: SampleTrace, L: int, marked: bool) -> None:
        above = self.names[L + 1]
        weights = trace.weights_used[L]
        mark = "+" if marked else ""
        for j, name in enumerate(self.names[L]):
            for m, up in enumerate(above):
                wname = self.wnames[L][m][j]
                self.add(L, f"dE_{up}/dout_{name}", f"delta_{up} * {wname}{mark}",
                         f"{term(trace.deltas[L + 1][m])}*{term(weights[m][j])}", trace.contributions[L][j][m],
                         (name, up), (wname,),
                         f"the part of the error that reaches {name} through {up}: {up}'s delta times "
                         f"the weight {wname} from {name} to {up}"
                         + (" (already updated: the article's summary code did this)" if marked else ""))
            parts = [f"dE_{up}/dout_{name}" for up in above]
            self.add(L, f"dE_total/dout_{name}", " + ".join(parts),
                     " + ".join(term(v) for v in trace.contributions[L][j]), trace.sums[L][j],
                     (name, *above), (),
                     f"{name} feeds every neuron above it, so its effect on the error is the sum of those paths")
            act = self.net.activations[L - 1]
            shape, why = SLOPE_FORMULAS[act]
            self.add(L, f"dout_{name}/dnet_{name}", shape.format(out=f"out_{name}", net=f"net_{name}"),
                     shape.format(out=term(trace.outs[L][j]), net=term(trace.nets[L][j])), trace.slopes[L][j],
                     (name,), (), why)
            self.add(L, f"delta_{name}", f"dE_total/dout_{name} * dout_{name}/dnet_{name}",
                     f"{term(trace.sums[L][j])}*{term(trace.slopes[L][j])}", trace.deltas[L][j], (name,), (),
                     f"{name}'s delta: how fast the error grows with {name}'s net input")

    def gradients(self, trace: SampleTrace, L: int) -> None:
        l = L - 1
        for j, name in enumerate(self.names[L]):
            for k in range(len(self.names[l])):
                wname = self.wnames[l][j][k]
                src = self.source(l, k)
                self.add(L, f"dE_total/d{wname}", f"delta_{name} * {src}",
                         f"{term(trace.deltas[L][j])}*{term(trace.outs[l][k])}", trace.weight_grads[l][j][k],
                         (name, self.names[l][k]), (wname,),
                         f"{wname} carries {src} into {name}, so its gradient is {name}'s delta times {src}")
            if self.scenario.train_biases and self.scenario.bias == "per-neuron":
                bname = self.layout.bias_name(l, j)
                self.add(L, f"dE_total/d{bname}", f"delta_{name} * 1", f"{term(trace.deltas[L][j])}*1",
                         trace.bias_grads[l][j], (name,), (bname,),
                         f"a bias is a weight on a constant input of 1: its gradient is {name}'s delta")
        if self.scenario.train_biases and self.scenario.bias == "shared":
            bname = self.layout.bias_name(l, 0)
            layer = self.names[L]
            self.add(L, f"dE_total/d{bname}", " + ".join(f"delta_{n}" for n in layer),
                     " + ".join(term(d) for d in trace.deltas[L]), trace.bias_grads[l], layer, (bname,),
                     f"{bname} is shared by every neuron of this layer, so its gradient adds up their deltas")

    # --- updates -------------------------------------------------------------------------

    def updates(self, l, weight_grads, bias_grads, before, after, label: str) -> None:
        """The update steps of weight layer l; before and after are (params, velocity) pairs.

        With momentum, each parameter first gets its running gradient v, then steps along it.
        """
        self.phase = "update"
        mu, lr = self.net.momentum, self.net.learning_rate
        (p0, v0), (p1, v1) = before, after
        L = l + 1
        entries = []
        for j, name in enumerate(self.names[L]):
            for k in range(len(self.names[l])):
                entries.append((self.wnames[l][j][k], p0.weights[l][j][k], p1.weights[l][j][k],
                                weight_grads[l][j][k],
                                (v0.weights[l][j][k], v1.weights[l][j][k]) if mu else None,
                                (name, self.names[l][k])))
        if self.scenario.train_biases and p0.biases is not None:
            if self.scenario.bias == "shared":
                entries.append((self.layout.bias_name(l, 0), p0.biases[l], p1.biases[l], bias_grads[l],
                                (v0.biases[l], v1.biases[l]) if mu else None, self.names[L]))
            else:
                for j, name in enumerate(self.names[L]):
                    entries.append((self.layout.bias_name(l, j), p0.biases[l][j], p1.biases[l][j],
                                    bias_grads[l][j], (v0.biases[l][j], v1.biases[l][j]) if mu else None,
                                    (name,)))
        for pname, old, new, grad, velocities, neurons in entries:
            gname = f"{label}/d{pname}"
            if mu:
                previous, v = velocities
                self.add(L, f"v_{pname}", f"mu*v_{pname} + {gname}", f"{num(mu)}*{term(previous)} + {term(grad)}",
                         v, neurons, (pname,),
                         "momentum keeps a running gradient: the last one shrunk by mu, plus the new one")
                self.add(L, f"{pname}+", f"{pname} - eta*v_{pname}", f"{term(old)} - {num(lr)}*{term(v)}", new,
                         neurons, (pname,), f"step {pname} against its running gradient, scaled by the learning rate")
            else:
                self.add(L, f"{pname}+", f"{pname} - eta*{gname}", f"{term(old)} - {num(lr)}*{term(grad)}", new,
                         neurons, (pname,),
                         f"step {pname} against its gradient, scaled by the learning rate eta: the error shrinks")

    # --- the whole round -----------------------------------------------------------------

    def round(self, before: State, traces: list[SampleTrace], after: State, evaluation: Evaluation,
              mean_grads=None) -> list[Step]:
        """Every record of the round; `mean_grads` are the batch update's (weight, bias) gradients."""
        scenario = self.scenario
        if scenario.mode == "online":
            params = before.params
            velocity = before.velocity
            for s, trace in enumerate(traces):
                self._before = (params, velocity)
                self.sample_steps(trace, params, s)
                if not self.net.update_first:
                    for l in range(self.net.depth - 1, -1, -1):
                        self.updates(l, trace.weight_grads, trace.bias_grads, self._before,
                                     (trace.after, trace.velocity_after), label="dE_total")
                params, velocity = trace.after, trace.velocity_after
        else:
            for s, trace in enumerate(traces):
                self.sample_steps(trace, before.params, s)
            self.batch_update(traces, before, after, mean_grads)
        self.evaluate(after, evaluation)
        return self.records

    def batch_update(self, traces, before: State, after: State, mean_grads) -> None:
        self.sample, self.phase = None, "error"
        count = len(traces)
        self.add(self.net.depth, "E_mean", f"(sum of E_total over the {count} samples)/{count}",
                 "(" + " + ".join(term(t.loss) for t in traces) + f")/{count}",
                 add_all([t.loss for t in traces]) / count, self.names[-1], (),
                 "the training-set error before the update: the mean of the samples' errors")
        weight_grads, bias_grads = mean_grads
        self.phase = "update"
        for l in range(self.net.depth - 1, -1, -1):
            L = l + 1
            for j, name in enumerate(self.names[L]):
                for k in range(len(self.names[l])):
                    wname = self.wnames[l][j][k]
                    self.add(L, f"dE_mean/d{wname}", f"(sum of dE_total/d{wname} over the samples)/{count}",
                             "(" + " + ".join(term(t.weight_grads[l][j][k]) for t in traces) + f")/{count}",
                             weight_grads[l][j][k], (name, self.names[l][k]), (wname,),
                             "in batch mode a weight's gradient is the mean of its gradients over the samples")
            if bias_grads is not None and self.scenario.train_biases:
                for j in range(1 if self.scenario.bias == "shared" else len(self.names[L])):
                    bname = self.layout.bias_name(l, j)
                    pick = (lambda t: t.bias_grads[l]) if self.scenario.bias == "shared" else (
                        lambda t, j=j: t.bias_grads[l][j])
                    value = bias_grads[l] if self.scenario.bias == "shared" else bias_grads[l][j]
                    self.add(L, f"dE_mean/d{bname}", f"(sum of dE_total/d{bname} over the samples)/{count}",
                             "(" + " + ".join(term(pick(t)) for t in traces) + f")/{count}", value,
                             self.names[L] if self.scenario.bias == "shared" else (self.names[L][j],), (bname,),
                             "in batch mode a bias's gradient is the mean of its gradients over the samples")
            self.updates(l, weight_grads, bias_grads, (before.params, before.velocity),
                         (after.params, after.velocity), label="dE_mean")

    def evaluate(self, after: State, evaluation: Evaluation) -> None:
        """The round's result: each sample's outputs and error again, with the updated parameters."""
        losses, mean = evaluation.losses, evaluation.mean
        self.phase = "evaluate"
        top = self.net.depth
        act = self.net.activations[-1]
        outputs = self.names[top]
        for s, (x, targets) in enumerate(zip(self.scenario.inputs, self.scenario.targets)):
            self.sample = s
            nets, outs = evaluation.nets[s], evaluation.outputs[s]
            for j, name in enumerate(outputs):
                formula, subst, _why = self.out_formula(act, top, j, nets, mark="+")
                self.add(top, f"out_{name}+", formula, subst, outs[j], (name,), (),
                         f"{name}'s output again, computed forward with this round's new weights")
            terms = [self.loss_formula(name, targets[j], outs[j], len(outputs), mark="+")
                     for j, name in enumerate(outputs)]
            self.add(top, "E_total+", " + ".join(f for f, _s, _w in terms), " + ".join(s for _f, s, _w in terms),
                     losses[s], outputs, (),
                     "the sample's total error with the updated weights: compare it with E_total before")
        if len(losses) > 1:
            self.sample = None
            self.add(top, "E_mean+", f"(sum of E_total+ over the {len(losses)} samples)/{len(losses)}",
                     "(" + " + ".join(term(v) for v in losses) + f")/{len(losses)}", mean, outputs, (),
                     "the training-set error after this round: the mean of the samples' errors")
