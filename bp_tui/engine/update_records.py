"""The update's sub-steps, for records.EpochWriter: each parameter's running gradient and new value,
and a batch's mean gradients.

Where they go in a round is the writer's decision (the scenario's `update` setting); here is only
what they say.
"""

from __future__ import annotations

from typing import NamedTuple

from .network import State, add_all
from .notation import num, term


# Said of a new value written inside the backward pass, where it is not used at once (by the
# scenario's hidden_deltas_use).
KEPT_ASIDE = {
    "original": "; the backward pass goes on with the old value, and the new one applies at its end",
    "updated": "; it replaces the old value once this layer's section is over (the article's summary code)",
}


class _Update(NamedTuple):
    """What one parameter's update sub-steps need: its name, values, gradient and ends."""

    name: str
    layer: int  # the layer it feeds
    old: float
    new: float
    grad: float
    velocities: tuple[float, float] | None  # (before, after) with momentum
    neurons: tuple[str, ...]  # the neuron it feeds first, then where it comes from


class UpdateSteps:
    """The update sub-steps of EpochWriter (a base class: it writes through the writer's `add`)."""

    def update_entries(self, l, weight_grads, bias_grads, before, after) -> dict[str, _Update]:
        """The updates of weight layer l by parameter name, in order (weights row by row, then
        biases); before and after are (params, velocity) pairs."""
        mu = self.net.momentum
        (p0, v0), (p1, v1) = before, after
        L = l + 1
        entries = []
        for j, name in enumerate(self.names[L]):
            for k in range(len(self.names[l])):
                entries.append(_Update(self.wnames[l][j][k], L, p0.weights[l][j][k], p1.weights[l][j][k],
                                       weight_grads[l][j][k],
                                       (v0.weights[l][j][k], v1.weights[l][j][k]) if mu else None,
                                       (name, self.names[l][k])))
        if self.scenario.train_biases and p0.biases is not None:
            if self.scenario.bias == "shared":
                entries.append(_Update(self.layout.bias_name(l, 0), L, p0.biases[l], p1.biases[l], bias_grads[l],
                                       (v0.biases[l], v1.biases[l]) if mu else None, self.names[L]))
            else:
                for j, name in enumerate(self.names[L]):
                    entries.append(_Update(self.layout.bias_name(l, j), L, p0.biases[l][j], p1.biases[l][j],
                                           bias_grads[l][j], (v0.biases[l][j], v1.biases[l][j]) if mu else None,
                                           (name,)))
        return {entry.name: entry for entry in entries}

    def update_steps(self, update: _Update, label: str) -> None:
        """One parameter's new value (after its running gradient v, with momentum), in the current phase."""
        mu, lr = self.net.momentum, self.net.learning_rate
        pname, L, old, new, grad, velocities, neurons = update
        gname = f"{label}/d{pname}"
        aside = "" if self.phase == "update" else KEPT_ASIDE[self.scenario.hidden_deltas_use]
        if mu:
            previous, v = velocities
            self.add(L, f"v_{pname}", f"mu*v_{pname} + {gname}", f"{num(mu)}*{term(previous)} + {term(grad)}",
                     v, neurons, (pname,),
                     "Momentum keeps a running gradient: the last one shrunk by mu, plus the new one")
            self.add(L, f"{pname}+", f"{pname} - eta*v_{pname}", f"{term(old)} - {num(lr)}*{term(v)}", new,
                     neurons, (pname,), f"Step {pname} against its running gradient, scaled by the learning "
                     f"rate{aside}")
        else:
            self.add(L, f"{pname}+", f"{pname} - eta*{gname}", f"{term(old)} - {num(lr)}*{term(grad)}", new,
                     neurons, (pname,),
                     f"Step {pname} against its gradient, scaled by the learning rate eta: the error "
                     f"shrinks{aside}")

    def batch_update(self, traces, before: State, after: State, mean_grads) -> None:
        self.sample, self.phase = None, "error"
        count = len(traces)
        self.add(self.net.depth, "E_mean", f"(sum of E_total over the {count} samples)/{count}",
                 "(" + " + ".join(term(t.loss) for t in traces) + f")/{count}",
                 add_all([t.loss for t in traces]) / count, self.names[-1], (),
                 "The training-set error before the update: the mean of the samples' errors")
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
                             "In batch mode a weight's gradient is the mean of its gradients over the samples")
            if bias_grads is not None and self.scenario.train_biases:
                for j in range(1 if self.scenario.bias == "shared" else len(self.names[L])):
                    bname = self.layout.bias_name(l, j)
                    pick = (lambda t: t.bias_grads[l]) if self.scenario.bias == "shared" else (
                        lambda t, j=j: t.bias_grads[l][j])
                    value = bias_grads[l] if self.scenario.bias == "shared" else bias_grads[l][j]
                    self.add(L, f"dE_mean/d{bname}", f"(sum of dE_total/d{bname} over the samples)/{count}",
                             "(" + " + ".join(term(pick(t)) for t in traces) + f")/{count}", value,
                             self.names[L] if self.scenario.bias == "shared" else (self.names[L][j],), (bname,),
                             "In batch mode a bias's gradient is the mean of its gradients over the samples")
            for update in self.update_entries(l, weight_grads, bias_grads, (before.params, before.velocity),
                                              (after.params, after.velocity)).values():
                self.update_steps(update, "dE_mean")
