"""`export --format numpy`: a short Python script that trains the scenario with numpy, in matrix steps.

The script is a learner's bridge from bp-tui to their own code: the same steps as `trace --matrix`
(net = W · out + b, δ_o, δ_h = (Wᵀ δ) ⊙ slope, W −= η · δ ⊗ out), the scenario's weights, biases,
samples and settings written into it, and only the code this scenario needs (its activations, its
loss, online or batch, momentum, trained biases). It prints the training-set error as `bp-tui run`
computes it, at full precision, so the two can be compared.

Nothing from the scenario file's text (title, description, notes, names) becomes code: numbers are
written with repr(), settings choose among our own fixed pieces of code, and neuron names appear
only in comments, ASCII-escaped.
"""

from __future__ import annotations

from ...engine.scenario import Scenario
from . import file_stem

DEFAULT_EPOCHS = 1000  # as `bp-tui run`

ACTIVATIONS = {
    "sigmoid": ("def sigmoid(net):\n    return 1 / (1 + np.exp(-net))",
                "def sigmoid_slope(net, out):\n    return out * (1 - out)"),
    "tanh": ("def tanh(net):\n    return np.tanh(net)",
             "def tanh_slope(net, out):\n    return 1 - out * out"),
    "relu": ("def relu(net):\n    return np.maximum(net, 0.0)",
             "def relu_slope(net, out):\n    return (net > 0).astype(float)  # 0 at exactly 0"),
    "linear": ("def linear(net):\n    return net",
               "def linear_slope(net, out):\n    return np.ones_like(out)"),
    "softmax": ("def softmax(net):  # shifted by the largest net input, so exp cannot overflow\n"
                "    e = np.exp(net - net.max(axis=-1, keepdims=True))\n"
                "    return e / e.sum(axis=-1, keepdims=True)", None),
}
LOSSES = {  # each sample's error (the last axis holds the outputs), and its slope dE/dout
    "half-sse": ("def errors(out, t):  # E_total = sum of 1/2 (t - out)^2\n"
                 "    return (0.5 * ((t - out) * (t - out))).sum(axis=-1)",
                 "def error_slope(out, t):  # dE/dout\n    return -(t - out)"),
    "mse": ("def errors(out, t):  # E_total = sum of (t - out)^2 / n: the mean of the squares\n"
            "    return ((t - out) * (t - out) / t.shape[-1]).sum(axis=-1)",
            "def error_slope(out, t):  # dE/dout\n    return -2 * (t - out) / t.shape[-1]"),
    "cross-entropy": ("def errors(out, t):  # E_total = -sum of t ln(out); a target of 0 adds nothing\n"
                      "    return np.where(t == 0, 0.0, -t * np.log(out)).sum(axis=-1)", None),
}


def numpy_script(scenario: Scenario, epochs: int = DEFAULT_EPOCHS) -> str:
    """The scenario as a self-contained Python script that trains it with numpy."""
    return "\n".join(_Script(scenario, epochs).lines()) + "\n"


def _safe(name: str) -> str:
    """A neuron name for a comment, in ASCII (é as \\xe9). Names are letters, digits and _ (the
    loader checks), so no line break or quote can reach the script."""
    return name.encode("ascii", "backslashreplace").decode("ascii")


def _array(rows) -> str:
    return "np.array([" + ", ".join("[" + ", ".join(repr(float(x)) for x in row) + "]" for row in rows) + "])"


class _Script:
    def __init__(self, scenario: Scenario, epochs: int):
        self.sc = scenario
        self.epochs = epochs
        self.batch = scenario.mode == "batch"
        self.momentum = scenario.momentum != 0
        self.has_biases = scenario.bias != "none"
        self.train_biases = scenario.train_biases and self.has_biases
        self.softmax = scenario.activations[-1] == "softmax"

    def lines(self) -> list[str]:
        sc = self.sc
        shape = "-".join(map(str, sc.layers))
        out = ['"""Backpropagation in matrix form, written by bp-tui (`bp-tui export --format numpy`).',
               "",
               f"It trains a {shape} network ({', '.join(sc.activations)}; loss {sc.loss}; "
               f"{sc.mode} mode) with numpy,",
               "in the matrix steps `bp-tui trace --matrix` shows, and prints the training-set error "
               "as `bp-tui run`",
               "computes it: before training, after every tenth of the epochs, and at the end.",
               "",
               f"    python {file_stem(sc)}.py [EPOCHS]      (default {self.epochs})",
               '"""', "", "import sys", "", "import numpy as np", ""]
        out += self.data() + ["", ""] + self.functions() + ["", ""] + self.training() + self.main()
        return out

    # --- the numbers --------------------------------------------------------------------

    def data(self) -> list[str]:
        sc, names = self.sc, self.sc.layout.neuron_names
        out = ["# W[l]: a row per neuron of layer l + 1, a column per neuron of layer l (W¹, W², ... in the",
               "# matrix form). Layer 0 is the input.", "W = ["]
        for l, layer in enumerate(sc.weights):
            out.append(f"    {_array(layer)},  # {' '.join(map(_safe, names[l]))} -> "
                       f"{' '.join(map(_safe, names[l + 1]))}")
        out.append("]")
        fixed = "" if self.train_biases else " (fixed: train_biases = false)"
        if sc.bias == "shared":
            out += [f"# one bias per layer, added to every neuron of it{fixed}",
                    "B = [" + ", ".join(repr(float(b)) for b in sc.biases) + "]"]
        elif sc.bias == "per-neuron":
            out += [f"# a bias per neuron{fixed}",
                    "B = [" + ", ".join("np.array([" + ", ".join(repr(float(x)) for x in b) + "])"
                                        for b in sc.biases) + "]"]
        else:
            out += ["B = [0.0] * len(W)  # this network has no biases"]
        out += [f"X = {_array(sc.inputs)}  # the inputs, a row per sample",
                f"T = {_array(sc.targets)}  # the targets, a row per sample",
                f"LEARNING_RATE = {float(sc.learning_rate)!r}"]
        if self.momentum:
            out.append(f"MOMENTUM = {float(sc.momentum)!r}")
        out.append(f"EPOCHS = {int(self.epochs)}")
        return out

    # --- the maths ----------------------------------------------------------------------

    def functions(self) -> list[str]:
        out = []
        for name in dict.fromkeys(self.sc.activations):
            function, slope = ACTIVATIONS[name]
            out += [function, "", ""]
            if slope and (name != self.sc.activations[-1] or not self.softmax):
                out += [slope, "", ""]
        errors, slope = LOSSES[self.sc.loss]
        out += [errors, "", ""] + ([slope, "", ""] if slope else [])
        acts = ", ".join(self.sc.activations)
        slopes = [f"{a}_slope" for a in self.sc.activations[:-1]]
        slopes.append("None" if self.softmax else f"{self.sc.activations[-1]}_slope")
        out += [f"ACTIVATION = [{acts}]  # one per weight layer",
                f"SLOPE = [{', '.join(slopes)}]"
                + ("  # softmax needs none: with cross-entropy its delta is out - t" if self.softmax else ""),
                "", "",
                "def forward(x):"]
        if self.batch:
            out += ['    """nets and outputs of every layer, for the samples as the rows of x."""',
                    "    nets, outs = [None], [x]",
                    "    for l in range(len(W)):",
                    "        nets.append(outs[l] @ W[l].T + B[l])  # net = out_below · Wᵀ + b, a row per sample"]
        else:
            out += ['    """nets and outputs of every layer, for one sample x."""',
                    "    nets, outs = [None], [x]",
                    "    for l in range(len(W)):",
                    "        nets.append(W[l] @ outs[l] + B[l])  # net = W · out_below + b"]
        out += ["        outs.append(ACTIVATION[l](nets[-1]))",
                "    return nets, outs",
                "", "",
                "def outputs():",
                '    """The output layer for every sample, a row each."""',
                "    return forward(X)[1][-1]" if self.batch else
                "    return np.array([forward(x)[1][-1] for x in X])",
                "", "",
                "def training_error():",
                '    """The mean of the samples\' errors: the error `bp-tui run` prints."""',
                "    return float(errors(outputs(), T).mean())"]
        return out

    def training(self) -> list[str]:
        t = "T" if self.batch else "t"
        delta = (f"outs[-1] - {t}  # softmax with cross-entropy: the slopes cancel" if self.softmax else
                 f"error_slope(outs[-1], {t}) * SLOPE[-1](nets[-1], outs[-1])  # dE/dout ⊙ dout/dnet")
        out = []
        if self.momentum:
            out += ["V = [np.zeros_like(w) for w in W]  # momentum's running gradients, zero at the start"]
            if self.train_biases:
                out += ["VB = [np.zeros_like(b) for b in B]" if self.sc.bias == "per-neuron" else
                        "VB = [0.0] * len(B)"]
            out += ["", ""]
        b = ", grad_b" if self.train_biases else ""
        out += [f"def step(l, grad_w{b}):",
                '    """W[l] (and B[l]) one step down the gradient."""' if b else
                '    """W[l] one step down the gradient."""']
        if self.momentum:
            out += ["    V[l] = MOMENTUM * V[l] + grad_w", "    W[l] = W[l] - LEARNING_RATE * V[l]"]
            if self.train_biases:
                out += ["    VB[l] = MOMENTUM * VB[l] + grad_b", "    B[l] = B[l] - LEARNING_RATE * VB[l]"]
        else:
            out += ["    W[l] = W[l] - LEARNING_RATE * grad_w"]
            if self.train_biases:
                out += ["    B[l] = B[l] - LEARNING_RATE * grad_b"]
        out += ["", ""]
        bias_grad = "delta.sum()" if self.sc.bias == "shared" else "delta"
        if self.batch:
            bias_grad = "delta.sum(axis=1).sum() / len(X)" if self.sc.bias == "shared" else "delta.sum(axis=0) / len(X)"
            out += ["def train_one_epoch():",
                    '    """Batch mode: every sample at once (a row each), one update with the mean gradients."""',
                    "    nets, outs = forward(X)",
                    f"    delta = {delta}",
                    "    grads = [None] * len(W)",
                    "    for l in reversed(range(len(W))):  # weight layer l feeds layer l + 1",
                    "        # the mean over the samples (the rows) of δ ⊗ out_below, and of the bias gradients",
                    "        grads[l] = (delta.T @ outs[l] / len(X)," + (f" {bias_grad})" if b else ")"),
                    "        if l > 0:",
                    "            delta = (delta @ W[l]) * SLOPE[l - 1](nets[l], outs[l])  # (Wᵀ δ) ⊙ slope, per row",
                    "    for l, grad in enumerate(grads):",
                    "        step(l, *grad)"]
            return out
        updated = self.sc.hidden_deltas_use == "updated"
        out += ["def train_one_epoch():",
                '    """Online mode: an update after each sample, in file order."""',
                "    for x, t in zip(X, T):",
                "        nets, outs = forward(x)",
                f"        delta = {delta}",
                "        for l in reversed(range(len(W))):  # weight layer l feeds layer l + 1",
                "            grad_w = np.outer(delta, outs[l])  # δ ⊗ out_below"]
        if b:
            out += [f"            grad_b = {bias_grad}"]
        if updated:
            out += [f"            step(l, grad_w{b})  # at once: the hidden deltas below use the updated W[l]",
                    "            if l > 0:",
                    "                delta = (W[l].T @ delta) * SLOPE[l - 1](nets[l], outs[l])"]
        else:
            out += ["            if l > 0:  # with W[l] as it was in the forward pass",
                    "                delta = (W[l].T @ delta) * SLOPE[l - 1](nets[l], outs[l])  # (Wᵀ δ) ⊙ slope",
                    f"            step(l, grad_w{b})"]
        return out

    def main(self) -> list[str]:
        finite = ["W", "B"] + (["V"] if self.momentum else []) + (["VB"] if self.momentum and self.train_biases else [])
        return [
            "", "",
            "def healthy(error):",
            '    """False once anything is infinite or NaN: training has diverged."""',
            "    return bool(np.isfinite(error)) and all(np.isfinite(a).all() for a in "
            + " + ".join(finite) + ")",
            "", "",
            "def main():",
            "    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else EPOCHS",
            "    every = max(1, epochs // 10)",
            "    print(f\"epoch 0: error {training_error()!r}\")",
            "    for epoch in range(1, epochs + 1):",
            "        train_one_epoch()",
            "        error = training_error()",
            "        if epoch % every == 0 or epoch == epochs or not healthy(error):",
            "            print(f\"epoch {epoch}: error {error!r}\")",
            "        if not healthy(error):",
            "            print(f\"diverged at epoch {epoch}: a value became infinite or NaN\")",
            "            break",
            "    for s, out in enumerate(outputs()):",
            "        print(f\"sample {s + 1}: outputs {[float(o) for o in out]!r}\")",
            "", "",
            'if __name__ == "__main__":',
            "    with np.errstate(all=\"ignore\"):  # a diverging run overflows: it is reported, not warned about",
            "        main()",
        ]
