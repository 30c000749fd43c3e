"""The online fast path for large networks: one sample at a time, each layer one numpy product.

A network of thousands of weights spends almost all its time on arithmetic, which numpy does far
faster than per-neuron Python (16 layers of 64 neurons: about 0.6 ms a sample here, against 24 ms).
Online mode updates after every sample, so the samples cannot be stacked as in batch mode: each
sample is a row of its own. Records of a scenario that trains here are written from these same
passes (`OnlineRound`), so what the learner steps through is exactly what `train` computed. As in
batch mode, sums inside matrix products are added in numpy's order, not strictly left to right.
"""

from __future__ import annotations

import numpy as np

from .network import Params, SampleTrace
from .vectorized import BatchBackend


class OnlineBackend(BatchBackend):
    """Online training with numpy. A state is (weights, biases, velocity): lists of arrays, and
    velocity (weights, biases) or None; a pass never changes the arrays it is given."""

    def __init__(self, net):
        super().__init__(net)
        self.update_first = net.update_first

    def native(self, params: Params, velocity: Params | None):
        weights, biases = self.arrays(params)
        return weights, biases, self.arrays(velocity)

    def state_of(self, native) -> tuple[Params, Params | None]:
        weights, biases, velocity = native
        return self.params((weights, biases)), None if velocity is None else self.params(velocity)

    def step_layer(self, l: int, weights, biases, velocity, weight_grad, bias_grad) -> None:
        """Move weight layer l (and its biases, when trained) down its gradient: the lists are
        changed in place, the arrays in them replaced."""
        lr, mu = self.lr, self.mu
        if mu:
            vw, vb = velocity
            vw[l] = weight_grad = mu * vw[l] + weight_grad
            if self.train_biases:
                vb[l] = bias_grad = mu * vb[l] + bias_grad
        weights[l] = weights[l] - lr * weight_grad
        if self.train_biases:
            biases[l] = biases[l] - lr * bias_grad

    def sample_pass(self, native, s: int, keep: bool = False):
        """Sample s forward, back and its update, from state `native`: (new state, trace or None)."""
        weights, biases, velocity = native
        top = len(weights)
        x, t = self.X[s:s + 1], self.T[s:s + 1]
        new_w, new_b = list(weights), None if biases is None else list(biases)
        new_v = None if velocity is None else (list(velocity[0]), None if velocity[1] is None else list(velocity[1]))
        with np.errstate(all="ignore"):
            nets, outs = self.forward(weights, biases, x)
            slopes, sums, deltas = [None] * (top + 1), [None] * (top + 1), [None] * (top + 1)
            error_slopes, slopes[top], deltas[top] = self.output_deltas(nets, outs, t)
            weight_grads = [None] * top
            bias_grads = None if biases is None else [None] * top
            used = list(weights)
            for L in range(top, 0, -1):  # the layer whose deltas are known; its weights in: L - 1
                l, delta = L - 1, deltas[L][0]
                weight_grads[l] = np.outer(delta, outs[l][0])
                if bias_grads is not None:
                    bias_grads[l] = delta.sum() if self.shared else delta
                if self.update_first:  # the article's summary code: this layer's new values at once
                    self.step_layer(l, new_w, new_b, new_v, weight_grads[l], None if bias_grads is None else bias_grads[l])
                if l == 0:
                    break
                used[l] = new_w[l] if self.update_first else weights[l]
                sums[l] = deltas[L] @ used[l]
                slopes[l] = self.acts[l - 1].numpy_slope(np, nets[l], outs[l])
                deltas[l] = sums[l] * slopes[l]
            if not self.update_first:
                for l in range(top - 1, -1, -1):
                    self.step_layer(l, new_w, new_b, new_v, weight_grads[l],
                                    None if bias_grads is None else bias_grads[l])
            trace = None
            if keep:
                terms, losses = self.losses(outs[-1], t)
                trace = self.trace(used, nets, outs, terms, losses, error_slopes, slopes, sums, deltas, weight_grads,
                                   bias_grads, (new_w, new_b, new_v))
        return (new_w, new_b, new_v), trace

    def trace(self, used, nets, outs, terms, losses, error_slopes, slopes, sums, deltas, weight_grads, bias_grads,
              after) -> SampleTrace:
        top = len(used)
        row = lambda arrays: [None if a is None else a[0].tolist() for a in arrays]  # noqa: E731
        contributions = [None] * (top + 1)
        for L in range(1, top):
            contributions[L] = (used[L].T * deltas[L + 1][0]).tolist()  # [j][m] = delta_m * w_mj
        params, velocity = self.state_of(after)
        return SampleTrace(
            nets=row(nets), outs=row(outs), loss_terms=terms[0].tolist(), loss=float(losses[0]),
            error_slopes=None if error_slopes is None else error_slopes[0].tolist(), slopes=row(slopes),
            contributions=contributions, sums=row(sums), deltas=row(deltas),
            weight_grads=[g.tolist() for g in weight_grads],
            bias_grads=None if bias_grads is None else [float(b) if self.shared else b.tolist() for b in bias_grads],
            weights_used=[w.tolist() for w in used], after=params, velocity_after=velocity)

    def error_at(self, native) -> float:
        """The training-set error at a state: every sample forward at once, as `evaluation` does."""
        with np.errstate(all="ignore"):
            outs = self.forward(native[0], native[1])[1]
            return self.mean(self.losses(outs[-1])[1])

    def healthy(self, error: float, native) -> bool:
        weights, biases, velocity = native
        parts = weights + (biases or [])
        if velocity is not None:
            parts = parts + velocity[0] + (velocity[1] or [])
        with np.errstate(all="ignore"):
            total = error + sum(float(np.sum(part)) for part in parts)
        if total - total == 0.0:
            return True
        return bool(np.isfinite(error) and all(np.isfinite(part).all() for part in parts))

    def run(self, params: Params, velocity: Params | None, epochs: int, errors: list, should_stop=None):
        """Train up to `epochs` epochs, appending the training-set error after each (as BatchBackend.run)."""
        native = self.native(params, velocity)
        done, diverged = 0, False
        while done < epochs and not (should_stop is not None and should_stop()):
            for s in range(self.count):
                native = self.sample_pass(native, s)[0]
            done += 1
            error = self.error_at(native)
            errors.append(error)
            if not self.healthy(error, native):
                diverged = True
                break
        params, velocity = self.state_of(native)
        return params, velocity, done, diverged
