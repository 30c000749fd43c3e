"""The batch fast path for larger networks: all samples of an epoch at once, with numpy.

Used for batch-mode scenarios with many samples times weights, where per-neuron Python would be
far slower than matrix products. When a scenario uses it, the stepper takes its sub-step values
from here too (`epoch_traces`), so what the learner steps through is exactly what `train` computed.
Sums inside matrix products are added in numpy's order rather than strictly left to right; the
difference is in the last bit, far below the 9 decimals shown.
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .maths import ACTIVATIONS, LOSSES
from .network import Evaluation, Params, SampleTrace


class BatchBackend:
    def __init__(self, net):
        sc = net.scenario
        self.net = net
        self.acts = [ACTIVATIONS[name] for name in sc.activations]
        self.loss = LOSSES[sc.loss]
        self.shared = sc.bias == "shared"
        self.has_biases = sc.biases is not None
        self.train_biases = sc.train_biases and self.has_biases
        self.lr, self.mu = sc.learning_rate, sc.momentum
        self.X = np.array(sc.inputs, dtype=float)
        self.T = np.array(sc.targets, dtype=float)
        self.count = len(sc.inputs)
        self.ones = np.ones(len(sc.targets[0]))

    # --- conversions ---------------------------------------------------------------------

    def arrays(self, params: Params | None):
        if params is None:
            return None
        weights = [np.array(layer, dtype=float) for layer in params.weights]
        biases = None if params.biases is None else [np.array(b, dtype=float) for b in params.biases]
        return weights, biases

    def params(self, arrays) -> Params:
        weights, biases = arrays
        return Params([w.tolist() for w in weights], None if biases is None else [b.tolist() for b in biases])

    # --- passes --------------------------------------------------------------------------

    def forward(self, weights, biases, X=None):
        """Nets and outputs of every layer for the rows of X (default: every sample)."""
        nets, outs = [None], [self.X if X is None else X]
        for l, W in enumerate(weights):
            z = outs[-1] @ W.T
            if biases is not None:
                z = z + biases[l]
            nets.append(z)
            outs.append(self.acts[l].numpy(np, z))
        return nets, outs

    def losses(self, out: np.ndarray, T=None):
        """Each output's share of each sample's error, and each sample's error: their sum, taken
        as a product with ones (numpy's sum along a row of a few outputs costs several times more)."""
        terms = self.loss.numpy_terms(np, self.T if T is None else T, out)
        return terms, terms.dot(self.ones)

    def output_deltas(self, nets, outs, T=None):
        """(error slopes, slopes, deltas) of the output layer; error slopes None when the loss's
        slope is the delta itself (cross-entropy after softmax)."""
        out = outs[-1]
        error_slopes = self.loss.numpy_slope(np, self.T if T is None else T, out)
        if self.loss.slope_is_delta:
            return None, None, error_slopes
        slopes = self.acts[-1].numpy_slope(np, nets[-1], out)
        return error_slopes, slopes, error_slopes * slopes

    def backward(self, weights, nets, outs):
        top = len(weights)
        deltas, slopes = [None] * (top + 1), [None] * (top + 1)
        error_slopes, slopes[top], deltas[top] = self.output_deltas(nets, outs)
        sums = [None] * (top + 1)
        for L in range(top - 1, 0, -1):
            sums[L] = deltas[L + 1] @ weights[L]
            slopes[L] = self.acts[L - 1].numpy_slope(np, nets[L], outs[L])
            deltas[L] = sums[L] * slopes[L]
        return error_slopes, slopes, sums, deltas

    def mean_grads(self, deltas, outs):
        weight_grads = [deltas[l + 1].T @ outs[l] / self.count for l in range(len(deltas) - 1)]
        if not self.has_biases:
            return weight_grads, None
        if self.shared:
            return weight_grads, [deltas[l + 1].sum(axis=1).sum() / self.count for l in range(len(deltas) - 1)]
        return weight_grads, [deltas[l + 1].sum(axis=0) / self.count for l in range(len(deltas) - 1)]

    def steps(self, velocity, weight_grads, bias_grads):
        """How far each weight and bias moves down (the learning rate times its gradient, or its
        running gradient with momentum), and the running gradients after this epoch."""
        lr, mu = self.lr, self.mu
        if mu:
            vw, vb = velocity
            weight_grads = vw = [mu * v + g for v, g in zip(vw, weight_grads)]
            if self.train_biases:
                bias_grads = vb = [mu * v + g for v, g in zip(vb, bias_grads)]
            velocity = (vw, vb)
        return ([lr * g for g in weight_grads], [lr * g for g in bias_grads] if self.train_biases else None,
                velocity)

    def update(self, weights, biases, velocity, weight_grads, bias_grads):
        """New weights, biases and running gradients (the old arrays are left as they were)."""
        weight_steps, bias_steps, velocity = self.steps(velocity, weight_grads, bias_grads)
        weights = [w - step for w, step in zip(weights, weight_steps)]
        if bias_steps is not None:
            biases = [b - step for b, step in zip(biases, bias_steps)]
        return weights, biases, velocity

    def packed(self, params: Params):
        """The parameters in one array, with the weights and biases as views of it: `run` updates
        them in place, and one sum over the array then looks at every one of them."""
        weights, biases = self.arrays(params)
        parts = weights + (biases or [])
        every = np.concatenate([np.ravel(part) for part in parts])
        views, start = [], 0
        for part in parts:
            views.append(every[start:start + np.size(part)].reshape(np.shape(part)))
            start += np.size(part)
        return every, views[:len(weights)], None if biases is None else views[len(weights):]

    def mean(self, losses: np.ndarray) -> float:
        """The training-set error from each sample's error."""
        return float(losses.sum() / self.count)

    def finite(self, err: float, every: np.ndarray, velocity) -> bool:
        """Whether the error and every parameter (`every`, from `packed`) and running gradient are finite.

        Their sum is looked at first: inf or NaN anywhere makes it inf or NaN, and a running
        gradient that is not finite makes its weight so in the same update. Only when the sum is not
        finite (or it overflowed) is each value looked at.
        """
        total = err + every.sum()
        if total - total == 0.0:
            return True
        return bool(np.isfinite(err) and np.isfinite(every).all()
                    and (velocity is None or all(np.isfinite(x).all() for part in velocity if part is not None
                                                 for x in part)))

    # --- what the trainer and the stepper call -------------------------------------------

    def run(self, params: Params, velocity: Params | None, epochs: int, errors: list, should_stop=None):
        """Train up to `epochs` epochs, appending the training-set error after each.

        Each turn makes one forward pass, at the parameters after `done` epochs: it gives the error
        after epoch `done` and is also the next epoch's forward pass. So each forward pass is done
        once, plus one at the end for the error after the last epoch.
        """
        every, weights, biases = self.packed(params)
        v = self.arrays(velocity)
        done, diverged = 0, False
        with np.errstate(all="ignore"):
            while True:
                nets, outs = self.forward(weights, biases)
                if done:  # (the caller has the error before the first epoch)
                    err = self.mean(self.losses(outs[-1])[1])
                    errors.append(err)
                    if not self.finite(err, every, v):
                        diverged = True
                        break
                if done == epochs or (should_stop is not None and should_stop()):
                    break
                deltas = self.backward(weights, nets, outs)[3]
                weight_steps, bias_steps, v = self.steps(v, *self.mean_grads(deltas, outs))
                for part, step in zip(weights + (biases or []), weight_steps + (bias_steps or [])):
                    part -= step  # in place: into `every`
                done += 1
        return self.params((weights, biases)), None if v is None else self.params(v), done, diverged

    def evaluation(self, weights, biases) -> Evaluation:
        with np.errstate(all="ignore"):  # called outside run() too: overflow means divergence, not a warning
            nets, outs = self.forward(weights, biases)
            _terms, losses = self.losses(outs[-1])
        return Evaluation(nets[-1].tolist(), outs[-1].tolist(), losses.tolist(), self.mean(losses))

    def sample_trace(self, s, weights, nets, outs, terms, losses, error_slopes, slopes, sums, deltas):
        """Sample s's SampleTrace (lists) from the arrays of a pass over the rows that hold it."""
        top = len(weights)
        row = lambda arrays: [None if a is None else a[s].tolist() for a in arrays]  # noqa: E731
        contributions = [None] * (top + 1)
        for L in range(1, top):
            contributions[L] = (weights[L].T * deltas[L + 1][s]).tolist()  # [j][m] = delta_m * w_mj
        weight_grads = [np.outer(deltas[l + 1][s], outs[l][s]).tolist() for l in range(top)]
        bias_grads = None
        if self.has_biases:
            bias_grads = [float(deltas[l + 1][s].sum()) if self.shared else deltas[l + 1][s].tolist()
                          for l in range(top)]
        return SampleTrace(
            nets=row(nets), outs=row(outs), loss_terms=terms[s].tolist(), loss=float(losses[s]),
            error_slopes=None if error_slopes is None else error_slopes[s].tolist(), slopes=row(slopes),
            contributions=contributions, sums=row(sums), deltas=row(deltas), weight_grads=weight_grads,
            bias_grads=bias_grads, weights_used=[w.tolist() for w in weights])


KEPT_TRACES = 3  # sample traces kept per round, as round_data keeps them: a sample's pieces share one


class BatchRound:
    """One batch epoch's arrays, kept for writing its records (round_data.RoundData's interface):
    a sample's trace is made from them when it is asked for, never all of them at once (the last
    few are kept: each of a sample's pieces is written from the same trace)."""

    def __init__(self, backend: BatchBackend, params: Params, velocity: Params | None):
        self.backend = backend
        self.samples = backend.count
        weights, biases = backend.arrays(params)
        with np.errstate(all="ignore"):
            nets, outs = backend.forward(weights, biases)
            terms, losses = backend.losses(outs[-1])
            error_slopes, slopes, sums, deltas = backend.backward(weights, nets, outs)
            weight_grads, bias_grads = backend.mean_grads(deltas, outs)
            new_w, new_b, new_v = backend.update(weights, biases, backend.arrays(velocity), weight_grads,
                                                 bias_grads)
            self.evaluation = backend.evaluation(new_w, new_b)
        self.passes = (weights, nets, outs, terms, losses, error_slopes, slopes, sums, deltas)
        self.traces: OrderedDict[int, object] = OrderedDict()  # sample -> its SampleData, the last few
        self.before = (params, velocity)
        self.after = (backend.params((new_w, new_b)), None if new_v is None else backend.params(new_v))
        self.grads = ([g.tolist() for g in weight_grads],
                      None if bias_grads is None else [float(b) if backend.shared else b.tolist()
                                                       for b in bias_grads])

    def sample(self, s: int):
        from .records import SampleData

        found = self.traces.get(s)
        if found is not None:
            self.traces.move_to_end(s)
            return found
        with np.errstate(all="ignore"):
            found = self.traces[s] = SampleData(self.backend.sample_trace(s, *self.passes), self.before, None)
        while len(self.traces) > KEPT_TRACES:
            self.traces.popitem(last=False)
        return found

    def set_data(self):
        from .records import SetData

        return SetData(self.evaluation, self.passes[4].tolist(), self.column, self.grads, self.before, self.after)

    def column(self, l: int, j: int | None, k: int | None) -> list[float]:
        """Each sample's gradient of weight [l][j][k] (k None: of a bias; j None too: a shared one),
        as each sample's trace has it."""
        deltas, outs = self.passes[8][l + 1], self.passes[2][l]
        with np.errstate(all="ignore"):
            if k is not None:
                return (deltas[:, j] * outs[:, k]).tolist()
            if j is not None:
                return deltas[:, j].tolist()
            return [float(row.sum()) for row in deltas]
