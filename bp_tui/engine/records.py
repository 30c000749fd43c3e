"""Step records: one immutable record per sub-step, in the article's order, built from sample traces.

A record is what the app draws, the quiz asks, the export writes and the tests check. The values
come from the traces computed by network.py; this module only names and explains them.
"""

from __future__ import annotations

from typing import NamedTuple

from .layout import Layout
from .maths import ACTIVATIONS, LOSSES
from .network import Evaluation, Network, SampleTrace, State
from .notation import num, term, value_text  # noqa: F401 (read through records)
from .phases import PHASE_LABELS, PHASES, backward_phase, phase_kind, phase_label  # noqa: F401 (read through records)
from .update_records import UpdateSteps

# A saved place counts sub-steps, so it is only valid in the order it was counted in: bump this
# whenever the order of a round's records changes (2: the forward pass neuron by neuron, the backward
# pass one phase per layer, a lone output's error written once).
ORDER_VERSION = 2


class Step(NamedTuple):
    """One sub-step: what the app draws, the quiz asks, the export writes and the tests assert.

    `neurons` and `params` are exactly what the sub-step touches (the network picture lights up these
    names and no others; tests/test_engine_records.py checks the rule on every built-in scenario):
    - every neuron and every weight or bias whose name the formula reads, the quantity's own neuron
      first: net_h1 = w1*i1 + w2*i2 + b1*1 touches h1, i1, i2 and w1, w2, b1;
    - a derivative that travels along weights also names its path: dE_total/dout_h1 leaves h1 along
      w5 to o1 and along w7 to o2, so it touches h1, o1, o2 and w5, w7;
    - a quantity about one weight or bias (its gradient, running gradient v_, new value +) touches
      that parameter and the neurons it joins, the one it feeds first: w5+ touches o1, h1 and w5;
      a shared bias feeds its whole layer;
    - a training-set error (E_mean, E_mean+) touches the output neurons whose errors it averages.
    """

    epoch: int  # round number, 1-based: round 1 starts from the scenario's weights
    index: int  # position inside the round, 0-based
    sample: int | None  # 0-based sample; None for steps about the whole training set
    phase: str  # a phase id (phases.py): "forward", "backward-output", ...; phase_label names it
    layer: int  # the layer the quantity belongs to (0 = inputs)
    quantity: str  # e.g. net_h1, delta_o1, dE_total/dw5, w5+
    formula: str  # symbolic, e.g. "net_h1 = w1*i1 + w2*i2 + b1*1"
    substituted: str  # the right-hand side with numbers, e.g. "0.15*0.05 + 0.2*0.1 + 0.35*1"
    value: float
    neurons: tuple[str, ...]  # neuron names it touches (the quantity's own neuron first)
    params: tuple[str, ...]  # weight and bias names it touches
    explanation: str  # one plain sentence, starting with a capital letter


# (formula, explanation) of each activation's output and of its slope: views of the table in maths.py
OUT_FORMULAS = {a.name: (a.formula, a.explanation) for a in ACTIVATIONS.values()}
SLOPE_FORMULAS = {a.name: (a.slope_formula, a.slope_explanation) for a in ACTIVATIONS.values() if a.slope_formula}


class EpochWriter(UpdateSteps):
    """Builds the records of one round from its traces (one writer per round).

    Where the new values are written follows the scenario: `update = "end"` after the sample's
    backward pass (or after the batch), in their own phase; `update = "after-gradient"` each right
    after its gradient, as the article does. With hidden_deltas_use = "updated" a layer's new values
    are used by the layer below, so they close that layer's section of the backward pass.
    """

    def __init__(self, net: Network, layout: Layout, epoch: int):
        self.net, self.layout, self.epoch = net, layout, epoch
        self.scenario = net.scenario
        self.names = layout.neuron_names
        self.wnames = layout.weight_names
        self.records: list[Step] = []
        self.sample: int | None = 0
        self.phase = "forward"
        self.after_gradient = self.scenario.update == "after-gradient"

    def add(self, layer, quantity, formula, substituted, value, neurons=(), params=(), explanation=""):
        self.records.append(Step(self.epoch, len(self.records), self.sample, self.phase, layer, quantity,
                                 f"{quantity} = {formula}", substituted, value, tuple(neurons),
                                 tuple(params), explanation))

    def source(self, layer: int, k: int) -> str:
        """How a neuron's output is written inside a formula: inputs by name (i1), others as out_h1."""
        name = self.names[layer][k]
        return name if layer == 0 else f"out_{name}"

    # --- a sample's forward, error and backward steps ------------------------------------

    def sample_steps(self, trace: SampleTrace, before, sample: int) -> None:
        """One sample's records; `before` is the (params, velocity) pair the sample starts from."""
        self.sample = sample
        self.forward(trace, before[0])
        self.error(trace, sample)
        self.backward(trace, before)

    def forward(self, trace: SampleTrace, params) -> None:
        """Neuron by neuron, as the article goes: net_h1, out_h1, net_h2, out_h2, ... A softmax output
        needs the net input of every neuron of its layer, so there all the nets come first."""
        self.phase = "forward"
        for l in range(self.net.depth):
            count = len(self.names[l + 1])
            if self.net.activations[l] == "softmax":
                for j in range(count):
                    self.net_step(trace, params, l, j)
                for j in range(count):
                    self.softmax_step(trace, l + 1, j)
            else:
                for j in range(count):
                    self.net_step(trace, params, l, j)
                    self.out_step(trace, l + 1, j)

    def net_step(self, trace: SampleTrace, params, l: int, j: int) -> None:
        L, name = l + 1, self.names[l + 1][j]
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
                 f"The net input of {name}: each incoming value times the weight that joins it to {name}"
                 + (", plus the bias" if bias_name else "") + ", added up")

    def out_step(self, trace: SampleTrace, L: int, j: int) -> None:
        name = self.names[L][j]
        formula, subst, why = self.out_formula(self.net.activations[L - 1], L, j, trace.nets[L])
        self.add(L, f"out_{name}", formula, subst, trace.outs[L][j], (name,), (), why)

    def softmax_step(self, trace: SampleTrace, L: int, j: int) -> None:
        name, layer = self.names[L][j], self.names[L]
        formula, subst, why = self.out_formula("softmax", L, j, trace.nets[L])
        if j == 0:
            why = ("Softmax needs the net input of every neuron in its layer, which is why the outputs come "
                   "after all the nets: it turns them into probabilities that add up to 1")
        self.add(L, f"out_{name}", formula, subst, trace.outs[L][j],
                 (name, *(n for n in layer if n != name)), (), why)

    def error(self, trace: SampleTrace, sample: int) -> None:
        """Each output's error, then their total; with one output the total is that error, written once."""
        self.phase = "error"
        top = self.net.depth
        outputs = self.names[top]
        n = len(outputs)
        targets = self.scenario.targets[sample]
        terms = [self.loss_formula(name, targets[j], trace.outs[top][j], n) for j, name in enumerate(outputs)]
        if n == 1:
            formula, subst, why = terms[0]
            self.add(top, "E_total", formula, subst, trace.loss, outputs, (),
                     f"{why}: with one output neuron, that is the sample's whole error")
            return
        for j, name in enumerate(outputs):
            formula, subst, why = terms[j]
            self.add(top, f"E_{name}", formula, subst, trace.loss_terms[j], (name,), (), why)
        self.add(top, "E_total", " + ".join(f"E_{n}" for n in outputs),
                 " + ".join(term(v) for v in trace.loss_terms), trace.loss, outputs, (),
                 "The sample's total error: the output neurons' errors added up")

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

    def backward(self, trace: SampleTrace, before) -> None:
        """One phase per layer, from the outputs down. New values written here (update =
        "after-gradient", or hidden_deltas_use = "updated") belong to their layer's phase."""
        top = self.net.depth
        online = trace.after is not None
        inside = online and (self.after_gradient or self.net.update_first)
        for L in range(top, 0, -1):
            self.phase = backward_phase(L, top)
            if L == top:
                self.output_deltas(trace)
            else:
                self.hidden_deltas(trace, L, marked=online and self.net.update_first)
            updates = None
            if inside:
                updates = self.update_entries(L - 1, trace.weight_grads, trace.bias_grads, before,
                                              (trace.after, trace.velocity_after))
            self.gradients(trace, L, updates if self.after_gradient else None)
            if inside and not self.after_gradient:  # "updated", at the end: the block closes the section
                for update in updates.values():
                    self.update_steps(update, "dE_total")

    def output_deltas(self, trace: SampleTrace) -> None:
        top = self.net.depth
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
            self.slope_step(trace, top, j)
            self.delta_step(trace, top, j, trace.error_slopes[j])

    def slope_step(self, trace: SampleTrace, L: int, j: int) -> None:
        name = self.names[L][j]
        shape, why = SLOPE_FORMULAS[self.net.activations[L - 1]]
        self.add(L, f"dout_{name}/dnet_{name}", shape.format(out=f"out_{name}", net=f"net_{name}"),
                 shape.format(out=term(trace.outs[L][j]), net=term(trace.nets[L][j])), trace.slopes[L][j],
                 (name,), (), why)

    def delta_step(self, trace: SampleTrace, L: int, j: int, error_slope: float) -> None:
        name = self.names[L][j]
        self.add(L, f"delta_{name}", f"dE_total/dout_{name} * dout_{name}/dnet_{name}",
                 f"{term(error_slope)}*{term(trace.slopes[L][j])}", trace.deltas[L][j], (name,), (),
                 f"The delta of {name}: how fast the error grows with its net input")

    def hidden_deltas(self, trace: SampleTrace, L: int, marked: bool) -> None:
        above = self.names[L + 1]
        weights = trace.weights_used[L]
        mark = "+" if marked else ""
        for j, name in enumerate(self.names[L]):
            path = [self.wnames[L][m][j] for m in range(len(above))]  # out of this neuron, into each above
            for m, up in enumerate(above):
                self.add(L, f"dE_{up}/dout_{name}", f"delta_{up} * {path[m]}{mark}",
                         f"{term(trace.deltas[L + 1][m])}*{term(weights[m][j])}", trace.contributions[L][j][m],
                         (name, up), (path[m],),
                         f"The part of the error that reaches {name} through {up}: the delta of {up} times "
                         f"the weight {path[m]} from {name} to {up}"
                         + (" (already updated: the article's summary code did this)" if marked else ""))
            self.add(L, f"dE_total/dout_{name}", " + ".join(f"dE_{up}/dout_{name}" for up in above),
                     " + ".join(term(v) for v in trace.contributions[L][j]), trace.sums[L][j],
                     (name, *above), path,
                     f"The output of {name} feeds every neuron above it, so its effect on the error is the "
                     "sum of those paths")
            self.slope_step(trace, L, j)
            self.delta_step(trace, L, j, trace.sums[L][j])

    def gradients(self, trace: SampleTrace, L: int, updates: dict | None = None) -> None:
        """The gradients of the weights (and trained biases) into layer L; with `updates`, each is
        followed at once by that parameter's new value (update = "after-gradient")."""
        l = L - 1
        for j, name in enumerate(self.names[L]):
            for k in range(len(self.names[l])):
                wname = self.wnames[l][j][k]
                src = self.source(l, k)
                self.add(L, f"dE_total/d{wname}", f"delta_{name} * {src}",
                         f"{term(trace.deltas[L][j])}*{term(trace.outs[l][k])}", trace.weight_grads[l][j][k],
                         (name, self.names[l][k]), (wname,),
                         f"The weight {wname} carries {src} into {name}, so its gradient is the delta of "
                         f"{name} times {src}")
                self.update_after(updates, wname)
            if self.scenario.train_biases and self.scenario.bias == "per-neuron":
                bname = self.layout.bias_name(l, j)
                self.add(L, f"dE_total/d{bname}", f"delta_{name} * 1", f"{term(trace.deltas[L][j])}*1",
                         trace.bias_grads[l][j], (name,), (bname,),
                         f"A bias is a weight on a constant input of 1: its gradient is the delta of {name}")
                self.update_after(updates, bname)
        if self.scenario.train_biases and self.scenario.bias == "shared":
            bname = self.layout.bias_name(l, 0)
            layer = self.names[L]
            self.add(L, f"dE_total/d{bname}", " + ".join(f"delta_{n}" for n in layer),
                     " + ".join(term(d) for d in trace.deltas[L]), trace.bias_grads[l], layer, (bname,),
                     f"The bias {bname} is shared by every neuron of this layer, so its gradient adds up "
                     "their deltas")
            self.update_after(updates, bname)

    def update_after(self, updates: dict | None, name: str) -> None:
        if updates is not None:
            self.update_steps(updates[name], "dE_total")

    # --- the whole round -----------------------------------------------------------------

    def round(self, before: State, traces: list[SampleTrace], after: State, evaluation: Evaluation,
              mean_grads=None) -> list[Step]:
        """Every record of the round; `mean_grads` are the batch update's (weight, bias) gradients."""
        if self.scenario.mode == "online":
            state = (before.params, before.velocity)
            for s, trace in enumerate(traces):
                self.sample_steps(trace, state, s)
                following = (trace.after, trace.velocity_after)
                if not (self.after_gradient or self.net.update_first):  # update = "end": a phase of its own
                    self.phase = "update"
                    for l in range(self.net.depth - 1, -1, -1):
                        for update in self.update_entries(l, trace.weight_grads, trace.bias_grads, state,
                                                          following).values():
                            self.update_steps(update, "dE_total")
                state = following
        else:
            for s, trace in enumerate(traces):
                self.sample_steps(trace, (before.params, before.velocity), s)
            self.batch_update(traces, before, after, mean_grads)
        self.evaluate(after, evaluation)
        return self.records

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
                neurons = (name,) if act != "softmax" else (name, *(n for n in outputs if n != name))
                formula, subst, _why = self.out_formula(act, top, j, nets, mark="+")
                self.add(top, f"out_{name}+", formula, subst, outs[j], neurons, (),
                         f"The output of {name} again, computed forward with this round's new weights")
            terms = [self.loss_formula(name, targets[j], outs[j], len(outputs), mark="+")
                     for j, name in enumerate(outputs)]
            self.add(top, "E_total+", " + ".join(f for f, _s, _w in terms), " + ".join(s for _f, s, _w in terms),
                     losses[s], outputs, (),
                     "The sample's total error with the updated weights: compare it with E_total before")
        if len(losses) > 1:
            self.sample = None
            self.add(top, "E_mean+", f"(sum of E_total+ over the {len(losses)} samples)/{len(losses)}",
                     "(" + " + ".join(term(v) for v in losses) + f")/{len(losses)}", mean, outputs, (),
                     "The training-set error after this round: the mean of the samples' errors")
