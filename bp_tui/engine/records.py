"""Step records: one immutable record per sub-step, in the article's order, built from sample traces.

A record is what the app draws, the quiz asks, the export writes and the tests check. The values
come from the traces computed by network.py; this module only names and explains them.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from .layout import Layout
from .maths import ACTIVATIONS, LOSSES
from .network import Evaluation, Network, SampleTrace
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


class SampleData(NamedTuple):
    """What one sample's pieces are written from: its trace and the parameters around its update."""

    trace: SampleTrace
    before: tuple  # (params, velocity) the sample starts from
    after: tuple | None  # (params, velocity) after its update (online); None in batch mode

    @property
    def grads(self) -> tuple:
        return self.trace.weight_grads, self.trace.bias_grads


class SetData(NamedTuple):
    """What the pieces about the whole round are written from: the batch update and the new error."""

    evaluation: Evaluation  # every sample's outputs and error after the round
    losses: list[float] | None = None  # batch: each sample's error before the update
    column: Callable | None = None  # batch: (l, j, k) -> each sample's gradient of that weight; k None: a bias
    grads: tuple | None = None  # batch: the mean (weight, bias) gradients
    before: tuple | None = None  # batch: (params, velocity) before and after the update
    after: tuple | None = None


class EpochWriter(UpdateSteps):
    """Writes the records of one round, a piece at a time (the pieces are laid out in plan.py).

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
        self.start = 0  # the round position of the first record being written
        self.sample: int | None = 0
        self.phase = "forward"

    def write(self, place, data) -> list[Step]:
        """The records of one piece (a plan.Place), written from `data` (SampleData or SetData)."""
        self.records, self.start, self.sample, self.phase = [], place.start, place.sample, place.piece.phase
        getattr(self, place.piece.kind)(data, *place.piece.args)
        return self.records

    def add(self, layer, quantity, formula, substituted, value, neurons=(), params=(), explanation=""):
        self.records.append(Step(self.epoch, self.start + len(self.records), self.sample, self.phase, layer,
                                 quantity, f"{quantity} = {formula}", substituted, value, tuple(neurons),
                                 tuple(params), explanation))

    def source(self, layer: int, k: int) -> str:
        """How a neuron's output is written inside a formula: inputs by name (i1), others as out_h1."""
        name = self.names[layer][k]
        return name if layer == 0 else f"out_{name}"

    # --- forward pass: neuron by neuron, as the article goes (net_h1, out_h1, net_h2, ...) --------

    def forward_neuron(self, data: SampleData, l: int, j: int) -> None:
        self.net_step(data.trace, data.before[0], l, j)
        self.out_step(data.trace, l + 1, j)

    def forward_softmax(self, data: SampleData, l: int) -> None:
        """A softmax layer needs the net input of every neuron of its layer: all the nets come first."""
        count = len(self.names[l + 1])
        for j in range(count):
            self.net_step(data.trace, data.before[0], l, j)
        for j in range(count):
            self.softmax_step(data.trace, l + 1, j)

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

    def error(self, data: SampleData) -> None:
        """Each output's error, then their total; with one output the total is that error, written once."""
        trace, sample = data.trace, self.sample
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

    # --- backward pass: one phase per layer, from the outputs down ------------------------------

    def output_delta(self, data: SampleData, j: int) -> None:
        trace = data.trace
        top = self.net.depth
        loss = LOSSES[self.net.loss]
        n = len(self.names[top])
        name = self.names[top][j]
        o, t = trace.outs[top][j], self.scenario.targets[self.sample][j]
        formula = loss.slope_formula.format(target=f"target_{name}", out=f"out_{name}", n=n)
        subst = loss.slope_formula.format(target=num(t), out=term(o), n=n)
        why = loss.slope_explanation.format(name=name)
        if loss.slope_is_delta:  # cross-entropy after softmax: this slope is the delta itself
            self.add(top, f"delta_{name}", formula, subst, trace.deltas[top][j], (name,), (), why)
            return
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

    def hidden_delta(self, data: SampleData, L: int, j: int, marked: bool) -> None:
        """Neuron j of hidden layer L: the error reaching it through each neuron above, their sum,
        its slope and its delta; `marked`: the weights above were already updated ("updated")."""
        trace = data.trace
        above = self.names[L + 1]
        weights = trace.weights_used[L]
        mark = "+" if marked else ""
        name = self.names[L][j]
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

    def neuron_gradients(self, data: SampleData, L: int, j: int, inline: bool) -> None:
        """The gradients of the weights into neuron j of layer L (and of its own bias, when trained);
        `inline` (update = "after-gradient"): each followed at once by that parameter's new value."""
        trace, l = data.trace, L - 1
        name = self.names[L][j]
        updates = self.row_updates(l, j, data.grads, data.before, data.after) if inline else None
        for k in range(len(self.names[l])):
            wname = self.wnames[l][j][k]
            src = self.source(l, k)
            self.add(L, f"dE_total/d{wname}", f"delta_{name} * {src}",
                     f"{term(trace.deltas[L][j])}*{term(trace.outs[l][k])}", trace.weight_grads[l][j][k],
                     (name, self.names[l][k]), (wname,),
                     f"The weight {wname} carries {src} into {name}, so its gradient is the delta of "
                     f"{name} times {src}")
            if updates:
                self.update_steps(updates[k], "dE_total")
        if self.scenario.train_biases and self.scenario.bias == "per-neuron":
            bname = self.layout.bias_name(l, j)
            self.add(L, f"dE_total/d{bname}", f"delta_{name} * 1", f"{term(trace.deltas[L][j])}*1",
                     trace.bias_grads[l][j], (name,), (bname,),
                     f"A bias is a weight on a constant input of 1: its gradient is the delta of {name}")
            if inline:
                self.update_steps(self.bias_updates(l, data.grads, data.before, data.after)[j], "dE_total")

    def shared_bias_gradient(self, data: SampleData, L: int, inline: bool) -> None:
        trace, l = data.trace, L - 1
        bname = self.layout.bias_name(l, 0)
        layer = self.names[L]
        self.add(L, f"dE_total/d{bname}", " + ".join(f"delta_{n}" for n in layer),
                 " + ".join(term(d) for d in trace.deltas[L]), trace.bias_grads[l], layer, (bname,),
                 f"The bias {bname} is shared by every neuron of this layer, so its gradient adds up "
                 "their deltas")
        if inline:
            self.update_steps(self.bias_updates(l, data.grads, data.before, data.after)[0], "dE_total")

    # --- the round's result: each sample's outputs and error again, with the new parameters -------

    def evaluate_sample(self, data: SetData) -> None:
        s, evaluation = self.sample, data.evaluation
        top = self.net.depth
        act = self.net.activations[-1]
        outputs = self.names[top]
        targets = self.scenario.targets[s]
        nets, outs = evaluation.nets[s], evaluation.outputs[s]
        for j, name in enumerate(outputs):
            neurons = (name,) if act != "softmax" else (name, *(n for n in outputs if n != name))
            formula, subst, _why = self.out_formula(act, top, j, nets, mark="+")
            self.add(top, f"out_{name}+", formula, subst, outs[j], neurons, (),
                     f"The output of {name} again, computed forward with this round's new weights")
        terms = [self.loss_formula(name, targets[j], outs[j], len(outputs), mark="+")
                 for j, name in enumerate(outputs)]
        self.add(top, "E_total+", " + ".join(f for f, _s, _w in terms), " + ".join(s for _f, s, _w in terms),
                 evaluation.losses[s], outputs, (),
                 "The sample's total error with the updated weights: compare it with E_total before")

    def evaluate_mean(self, data: SetData) -> None:
        losses, count = data.evaluation.losses, len(data.evaluation.losses)
        self.add(self.net.depth, "E_mean+", f"(sum of E_total+ over the {count} samples)/{count}",
                 "(" + " + ".join(term(v) for v in losses) + f")/{count}", data.evaluation.mean,
                 self.names[self.net.depth], (),
                 "The training-set error after this round: the mean of the samples' errors")
