"""The update's sub-steps, for records.EpochWriter: each parameter's running gradient and new value,
and a batch's mean gradients.

Where they go in a round is the writer's decision (the scenario's `update` setting); here is only
what they say.
"""

from __future__ import annotations

from typing import NamedTuple

from .network import add_all
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

    def row_updates(self, l, j, grads, before, after) -> list[_Update]:
        """The updates of the weights into neuron j of layer l + 1, in order; `grads` are (weight,
        bias) gradients, `before` and `after` (params, velocity) pairs."""
        mu = self.net.momentum
        (p0, v0), (p1, v1) = before, after
        weight_grads = grads[0]
        L, name = l + 1, self.names[l + 1][j]
        return [_Update(self.wnames[l][j][k], L, p0.weights[l][j][k], p1.weights[l][j][k], weight_grads[l][j][k],
                        (v0.weights[l][j][k], v1.weights[l][j][k]) if mu else None, (name, self.names[l][k]))
                for k in range(len(self.names[l]))]

    def bias_updates(self, l, grads, before, after) -> list[_Update]:
        """The updates of weight layer l's trained biases (none when they are not trained)."""
        mu = self.net.momentum
        (p0, v0), (p1, v1) = before, after
        bias_grads = grads[1]
        L = l + 1
        if not (self.scenario.train_biases and p0.biases is not None):
            return []
        if self.scenario.bias == "shared":
            return [_Update(self.layout.bias_name(l, 0), L, p0.biases[l], p1.biases[l], bias_grads[l],
                            (v0.biases[l], v1.biases[l]) if mu else None, self.names[L])]
        return [_Update(self.layout.bias_name(l, j), L, p0.biases[l][j], p1.biases[l][j], bias_grads[l][j],
                        (v0.biases[l][j], v1.biases[l][j]) if mu else None, (name,))
                for j, name in enumerate(self.names[L])]

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

    # --- pieces (plan.py): each writes one run of update records --------------------------------

    def update_row(self, data, l: int, j: int, label: str) -> None:
        for update in self.row_updates(l, j, data.grads, data.before, data.after):
            self.update_steps(update, label)

    def update_biases(self, data, l: int, label: str) -> None:
        for update in self.bias_updates(l, data.grads, data.before, data.after):
            self.update_steps(update, label)

    def batch_error(self, data) -> None:
        count = len(data.losses)
        self.add(self.net.depth, "E_mean", f"(sum of E_total over the {count} samples)/{count}",
                 "(" + " + ".join(term(loss) for loss in data.losses) + f")/{count}",
                 add_all(data.losses) / count, self.names[-1], (),
                 "The training-set error before the update: the mean of the samples' errors")

    def mean_row(self, data, l: int, j: int) -> None:
        """Batch mode: the mean gradients of the weights into neuron j of layer l + 1."""
        count = len(data.losses)
        L, name = l + 1, self.names[l + 1][j]
        for k in range(len(self.names[l])):
            wname = self.wnames[l][j][k]
            self.add(L, f"dE_mean/d{wname}", f"(sum of dE_total/d{wname} over the samples)/{count}",
                     "(" + " + ".join(term(g) for g in data.column(l, j, k)) + f")/{count}",
                     data.grads[0][l][j][k], (name, self.names[l][k]), (wname,),
                     "In batch mode a weight's gradient is the mean of its gradients over the samples")

    def mean_biases(self, data, l: int) -> None:
        count = len(data.losses)
        L = l + 1
        shared = self.scenario.bias == "shared"
        for j in range(1 if shared else len(self.names[L])):
            bname = self.layout.bias_name(l, j)
            value = data.grads[1][l] if shared else data.grads[1][l][j]
            self.add(L, f"dE_mean/d{bname}", f"(sum of dE_total/d{bname} over the samples)/{count}",
                     "(" + " + ".join(term(g) for g in data.column(l, None if shared else j, None)) + f")/{count}",
                     value, self.names[L] if shared else (self.names[L][j],), (bname,),
                     "In batch mode a bias's gradient is the mean of its gradients over the samples")
