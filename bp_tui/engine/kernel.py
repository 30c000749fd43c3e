"""The fast path: a training loop written out for one network shape, as plain Python.

Tiny networks are ruled by per-operation overhead: a general loop over lists spends most of its
time on loop machinery, not arithmetic. So for each scenario we write the loop out (every weight a
local variable, every sum spelled out) and compile it once. The source is built only from the
validated layer sizes (and whether there is a single sample) and the fixed kernel text of the
table in maths.py, chosen by the names of activations, losses and modes; no text from the
scenario file ever enters it, and numbers (weights, data, learning rate) are passed as arguments.

Every operation mirrors network.py in kind and order (w1*i1 + w2*i2 + b1, then the squash; the
same delta and update formulas, from the same table), so the results are bit-for-bit those of
the stepper; a test checks this over every combination of features.
"""

from __future__ import annotations

import math
import threading

from .maths import ACTIVATIONS, LOSSES
from .network import Params

# all the source can use besides its arguments (the table's kernel forms are written with these)
BUILTINS = {"exp": math.exp, "log": math.log, "tanh": math.tanh, "inf": math.inf, "isfinite": math.isfinite}
MAX_KERNEL_WEIGHTS = 1500  # beyond this the written-out source gets long; the general loop is used
# (source, compiled loop) by network shape: compiling costs about as much as 400 epochs of the
# article's network, and a shape trained again (`train` called twice, an edit in the app) need not
# pay it again.
COMPILED: dict = {}
COMPILED_KEPT = 16
COMPILING = threading.Lock()


def unflatten(flat: list[float], layers: tuple[int, ...], bias_mode: str, has_biases: bool) -> Params:
    weights, i = [], 0
    for l in range(len(layers) - 1):
        layer = []
        for _j in range(layers[l + 1]):
            layer.append(flat[i:i + layers[l]])
            i += layers[l]
        weights.append(layer)
    if not has_biases:
        return Params(weights, None)
    biases = []
    for l in range(len(layers) - 1):
        if bias_mode == "shared":
            biases.append(flat[i])
            i += 1
        else:
            biases.append(flat[i:i + layers[l + 1]])
            i += layers[l + 1]
    return Params(weights, biases)


class _Writer:
    """Collects indented source lines."""

    def __init__(self):
        self.lines: list[str] = []
        self.depth = 0

    def __call__(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)


class KernelSource:
    """Writes the source of `run(P, V, DATA, n, errors, should_stop, lr, mu, marks, mark_at, every)`
    for one network shape.

    Each turn of its loop makes one pass over the samples at the parameters after `done` epochs,
    which gives the training-set error there, then takes one epoch's step. In batch mode, and
    online with a single sample, that pass is also the next epoch's forward pass: each forward
    pass is done once, plus one at the very end for the error after the last epoch. Online with
    several samples the parameters change between samples, so the step makes its own passes.
    """

    def __init__(self, layers, activations, loss, bias_mode, has_biases, train_biases, momentum_on, mode,
                 update_first, one_sample):
        self.layers, self.loss = layers, LOSSES[loss]
        self.activations = [ACTIVATIONS[name] for name in activations]
        self.bias_mode, self.has_biases, self.train_biases = bias_mode, has_biases, train_biases
        self.momentum_on, self.mode, self.update_first = momentum_on, mode, update_first
        self.single = mode == "online" and one_sample  # the one sample is unpacked once
        self.top = len(layers) - 1
        self.out = _Writer()

    # names of locals
    def w(self, l, j, k): return f"w_{l}_{j}_{k}"
    def b(self, l, j): return f"b_{l}" if self.bias_mode == "shared" else f"b_{l}_{j}"
    def a(self, L, j): return f"a_{L}_{j}"
    def z(self, L, j): return f"z_{L}_{j}"
    def d(self, L, j): return f"d_{L}_{j}"

    def weight_names(self) -> list[str]:
        return [self.w(l, j, k) for l in range(self.top) for j in range(self.layers[l + 1])
                for k in range(self.layers[l])]

    def bias_names(self) -> list[str]:
        if not self.has_biases:
            return []
        shared = self.bias_mode == "shared"
        return [self.b(l, j) for l in range(self.top) for j in range(1 if shared else self.layers[l + 1])]

    def param_names(self) -> list[str]:
        return self.weight_names() + self.bias_names()

    def trained_names(self) -> list[str]:
        """The parameters (and running gradients) that change: biases that are not trained keep
        the finite values they were given, so the divergence check leaves them out."""
        names = self.param_names() if self.train_biases else self.weight_names()
        return names + (["v" + name for name in names] if self.momentum_on else [])

    def velocity_names(self) -> list[str]:
        return ["v" + name for name in self.param_names()]

    def sample_names(self) -> list[str]:
        return [self.a(0, k) for k in range(self.layers[0])] + [f"t_{j}" for j in range(self.layers[-1])]

    # --- pieces --------------------------------------------------------------------------

    def forward(self) -> None:
        """The forward pass of the sample in the loop's locals, and the loss's gap for each output."""
        emit = self.out
        for l, act in enumerate(self.activations):
            L = l + 1
            for j in range(self.layers[L]):
                total = " + ".join(f"{self.w(l, j, k)} * {self.a(l, k)}" for k in range(self.layers[l]))
                if self.has_biases:
                    total = f"({total}) + {self.b(l, j)}"
                emit(f"{self.z(L, j)} = {total}")
            for line in act.kernel([self.z(L, j) for j in range(self.layers[L])],
                                   [self.a(L, j) for j in range(self.layers[L])]):
                emit(line)
        if self.loss.kernel_gap:
            for j in range(self.layers[-1]):
                emit(f"g_{j} = " + self.loss.kernel_gap.format(t=f"t_{j}", a=self.a(self.top, j)))

    def loss_text(self, template: str, j: int) -> str:
        """One of the loss's source expressions for output j."""
        return template.format(t=f"t_{j}", a=self.a(self.top, j), n=self.layers[-1], g=f"g_{j}")

    def slope(self, L: int, j: int) -> str:
        return self.activations[L - 1].kernel_slope.format(z=self.z(L, j), a=self.a(L, j))

    def sample_loss(self, target: str) -> None:
        """Sets `target` to this sample's error (the loss's own terms, added in network.py's order)."""
        self.out(f"{target} = " + " + ".join(f"({self.loss_text(self.loss.kernel_term, j)})"
                                              for j in range(self.layers[-1])))

    def output_deltas(self) -> None:
        top = self.top
        for j in range(self.layers[-1]):
            slope = self.loss_text(self.loss.kernel_slope, j)
            self.out(f"{self.d(top, j)} = {slope}" if self.loss.slope_is_delta
                     else f"{self.d(top, j)} = {slope} * {self.slope(top, j)}")

    def hidden_deltas(self, L: int) -> None:
        """Deltas of layer L from the deltas above and weight layer L (old or new, as already set)."""
        for j in range(self.layers[L]):
            parts = " + ".join(f"{self.d(L + 1, m)} * {self.w(L, m, j)}" for m in range(self.layers[L + 1]))
            self.out(f"{self.d(L, j)} = ({parts}) * {self.slope(L, j)}")

    def grads(self, l: int):
        """(name, expression) of every gradient of weight layer l (and its bias when trained)."""
        L = l + 1
        found = [(f"{self.w(l, j, k)}", f"{self.d(L, j)} * {self.a(l, k)}")
                 for j in range(self.layers[L]) for k in range(self.layers[l])]
        if self.train_biases:
            if self.bias_mode == "shared":
                found.append((self.b(l, 0), " + ".join(self.d(L, j) for j in range(self.layers[L]))))
            else:
                found += [(self.b(l, j), self.d(L, j)) for j in range(self.layers[L])]
        return found

    def step(self, param: str, grad: str) -> None:
        """param <- param - lr*grad, or through momentum's running gradient."""
        if self.momentum_on:
            self.out(f"v{param} = mu * v{param} + ({grad})")
            self.out(f"{param} = {param} - lr * v{param}")
        else:
            self.out(f"{param} = {param} - lr * ({grad})")

    # --- the function --------------------------------------------------------------------

    def source(self) -> str:
        emit = self.out
        params, velocity = self.param_names(), self.velocity_names()
        state = f"[{', '.join(params)}], " + (f"[{', '.join(velocity)}]" if self.momentum_on else "None")
        emit("def run(P, V, DATA, n, errors, should_stop, lr, mu, marks, mark_at, every):")
        self.out.depth = 1
        emit(f"[{', '.join(params)}] = P")
        if self.momentum_on:
            emit(f"[{', '.join(velocity)}] = V")
        if self.single:
            emit(f"[({', '.join(self.sample_names())})] = DATA")
        else:
            emit("count = len(DATA)")
        emit("append_ = errors.append")
        emit("done = 0")
        emit("diverged = False")
        emit("while True:")
        self.out.depth = 2
        self.error_pass()
        emit("if done:")  # the error after epoch `done` (the caller has the one before the first)
        self.out.depth = 3
        emit("append_(err)")
        emit("if done == mark_at:")  # a checkpoint for the stepper (mark_at is 0, never reached, for train)
        emit(f"    marks.append(({state}))")
        emit("    mark_at += every")
        # A quick test first: the last sample's net inputs are all finite exactly when every weight
        # and bias is (the inputs are finite, so is every output of a finite net input, and inf or
        # NaN times anything, 0 included, is inf or NaN; a running gradient that is not finite
        # makes its weight so). Only when it fails (or a sum overflowed) is each value looked at.
        nets = [self.z(L, j) for L in range(1, self.top + 1) for j in range(self.layers[L])]
        emit(f"check_ = err + {' + '.join(nets)}")
        emit("if check_ - check_ != 0.0:")
        emit(f"    if not (isfinite(err) and all(map(isfinite, [{', '.join(self.trained_names())}]))):")
        emit("        diverged = True")
        emit("        break")
        self.out.depth = 2
        emit("if done == n or (should_stop is not None and should_stop()):")
        emit("    break")
        self.epoch_step()
        emit("done += 1")
        self.out.depth = 1
        emit(f"return {state}, done, diverged")
        self.evaluation_source()
        return "\n".join(self.out.lines) + "\n"

    def evaluation_source(self) -> None:
        """`evaluate(P, DATA)`: each sample's output nets, outputs and error at parameters P, as
        network.evaluate computes them (the same forward pass as the loop's)."""
        emit = self.out
        self.out.depth = 0
        emit("def evaluate(P, DATA):")
        self.out.depth = 1
        emit(f"[{', '.join(self.param_names())}] = P")
        emit("nets_, outs_, losses_ = [], [], []")
        emit(f"for {', '.join(self.sample_names())} in DATA:")
        self.out.depth = 2
        self.forward()
        self.sample_loss("loss_")
        top = range(self.layers[-1])
        emit(f"nets_.append([{', '.join(self.z(self.top, j) for j in top)}])")
        emit(f"outs_.append([{', '.join(self.a(self.top, j) for j in top)}])")
        emit("losses_.append(loss_)")
        self.out.depth = 1
        emit("return nets_, outs_, losses_")

    def error_pass(self) -> None:
        """err = the training-set error at the current parameters (network.evaluate's order); in
        batch mode also each sample's gradients, added up into g<param>, for the step."""
        emit = self.out
        if self.single:
            self.forward()
            self.sample_loss("err")  # the mean of one error is itself
            return
        batch = self.mode == "batch"
        all_grads = [g for l in range(self.top - 1, -1, -1) for g in self.grads(l)] if batch else []
        emit("first_ = True")
        emit(f"for {', '.join(self.sample_names())} in DATA:")
        self.out.depth += 1
        self.forward()
        self.sample_loss("loss_")
        if batch:
            self.output_deltas()
            for L in range(self.top - 1, 0, -1):
                self.hidden_deltas(L)
        emit("if first_:")
        emit("    err = loss_")
        for param, grad in all_grads:
            emit(f"    g{param} = {grad}")
        emit("    first_ = False")
        emit("else:")
        emit("    err = err + loss_")
        for param, grad in all_grads:
            emit(f"    g{param} = g{param} + ({grad})")
        self.out.depth -= 1
        emit("err = err / count")

    def epoch_step(self) -> None:
        """One epoch's update: from the batch gradients, or sample by sample (online)."""
        if self.mode == "batch":
            for l in range(self.top - 1, -1, -1):
                for param, _grad in self.grads(l):
                    self.step(param, f"g{param} / count")
            return
        if self.single:  # the error pass's forward pass is this sample's
            self.sample_backward()
            return
        self.out(f"for {', '.join(self.sample_names())} in DATA:")
        self.out.depth += 1
        self.forward()
        self.sample_backward()
        self.out.depth -= 1

    def sample_backward(self) -> None:
        """One sample's deltas and updates, after its forward pass (online mode)."""
        self.output_deltas()
        if self.update_first:  # each weight layer updated before the deltas below use it
            for l in range(self.top - 1, -1, -1):
                for param, grad in self.grads(l):
                    self.step(param, grad)
                if l:
                    self.hidden_deltas(l)
        else:
            for L in range(self.top - 1, 0, -1):
                self.hidden_deltas(L)
            for l in range(self.top - 1, -1, -1):
                for param, grad in self.grads(l):
                    self.step(param, grad)


class Kernel:
    """A compiled training loop for one scenario; None from `for_network` when it would be too long."""

    def __init__(self, net):
        scenario = net.scenario
        self.layers = scenario.layers
        self.bias_mode = scenario.bias
        self.has_biases = scenario.biases is not None
        self.learning_rate, self.momentum = scenario.learning_rate, scenario.momentum
        self.data = [tuple(x) + tuple(t) for x, t in zip(scenario.inputs, scenario.targets)]
        shape = (scenario.layers, scenario.activations, scenario.loss, scenario.bias, self.has_biases,
                 scenario.train_biases and self.has_biases, bool(scenario.momentum), scenario.mode,
                 net.update_first, len(scenario.inputs) == 1)
        with COMPILING:  # (a fast-forward's worker thread may build one too)
            if shape in COMPILED:
                self.source, self._run, self._evaluate = COMPILED[shape]
                return
            self.source = KernelSource(*shape).source()
            namespace = dict(BUILTINS)
            exec(compile(self.source, "<bp_tui kernel>", "exec"), namespace)  # noqa: S102 - see module doc
            self._run, self._evaluate = namespace["run"], namespace["evaluate"]
            COMPILED[shape] = self.source, self._run, self._evaluate
            if len(COMPILED) > COMPILED_KEPT:
                del COMPILED[next(iter(COMPILED))]  # the oldest

    @classmethod
    def for_network(cls, net) -> "Kernel | None":
        weights = sum(a * b for a, b in zip(net.scenario.layers, net.scenario.layers[1:]))
        return cls(net) if weights <= MAX_KERNEL_WEIGHTS else None

    def run(self, params: Params, velocity: Params | None, epochs: int, errors: list, should_stop=None,
            marks: list | None = None, first_mark: int = 0, every: int = 0):
        """Train `epochs` epochs; appends each epoch's training-set error to `errors`.

        With `marks`, also appends the flat lists (params, velocity or None) after epoch `first_mark`
        of this run and every `every` epochs after it: the stepper's checkpoints, taken without
        leaving the loop (`params_of` makes them Params when one is needed).
        Returns (params, velocity, epochs done, diverged).
        """
        flat_v = velocity.flat() if velocity is not None else None
        p, v, done, diverged = self._run(params.flat(), flat_v, self.data, epochs, errors, should_stop,
                                         self.learning_rate, self.momentum, marks,
                                         first_mark if marks is not None else 0, every)
        return (*self.params_of(p, v), done, diverged)

    def evaluation(self, params: Params) -> tuple[list, list, list]:
        """(nets, outputs, errors) of every sample's output layer at `params` (network.evaluate's
        numbers, several times faster)."""
        return self._evaluate(params.flat(), self.data)

    def params_of(self, p: list, v: list | None) -> tuple[Params, Params | None]:
        return (unflatten(p, self.layers, self.bias_mode, self.has_biases),
                None if v is None else unflatten(v, self.layers, self.bias_mode, self.has_biases))
