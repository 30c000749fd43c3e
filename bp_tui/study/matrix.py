"""The matrix form: a sub-step as the same step for a whole layer, with the matrices filled in.

`matrix_form(step, stepper)` turns a record into its layer's equation: net_h1 into
``net_h = W¹ · i + b₁`` with W¹, i and b₁ written out, delta_h1 into ``δ_h = (W²)ᵀ δ_o ⊙ σ′(net_h)``,
w5+ into ``W²+ = W² − η · ∂E/∂W²``. One sample's vectors are columns; in batch mode the samples are
rows (``net_h = i · (W¹)ᵀ + b₁``), as in code that feeds a whole batch at once. The form is chosen by
the record's quantity and layer, never by its place in the round.

Sums, products, deltas, gradients and updates are computed here from the operands (so the test
that their elements equal the records checks the equation); an activation or an error term applied
element by element shows the records' values. `matrix_text` draws a form.
"""

from __future__ import annotations

import re

from ..engine.records import Step, num
from ..engine.stepper import Stepper
from .matrix_parts import SUP, Matrix, MatrixForm, Operands, each, matmul, transpose
from .round_values import Ref, round_values

PARAM = r"([wb]\d+|b_\w+)"
SQUASH = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "linear": "", "softmax": "softmax"}
SLOPES = {  # dout/dnet from the output (and the net input, for relu), as the records write it
    "sigmoid": ("out ⊙ (1 − out)", lambda net, out: out * (1.0 - out)),
    "tanh": ("1 − out ⊙ out", lambda net, out: 1.0 - out * out),
    "relu": ("[net > 0]", lambda net, out: 1.0 if net > 0.0 else 0.0),
    "linear": ("1", lambda net, out: 1.0),
}


def matrix_form(step: Step, stepper: Stepper) -> MatrixForm | None:
    """The layer-wide matrix form of a sub-step, or None for a step that has none."""
    forms = _Forms(round_values(stepper, step), step)
    for pattern, build in forms.kinds():
        match = re.fullmatch(pattern, step.quantity)
        if match:
            return build(*match.groups())
    return None


def _add(x, y):
    return x + y


def _mul(x, y):
    return x * y


class _Forms(Operands):
    def kinds(self):
        top = self.step.layer == self.top
        return [
            (r"net_\w+", self.net), (r"out_\w+", self.out), (r"out_\w+\+", self.out_after),
            (r"E_total\+?", self.error_total), (r"E_mean\+?", self.error_mean), (r"E_\w+", self.error_terms),
            (r"dE_total/dout_\w+", self.error_slope if top else self.hidden_sum),
            (r"dout_\w+/dnet_\w+", self.slope), (r"delta_\w+", self.output_delta if top else self.hidden_delta),
            (r"dE_\w+/dout_\w+", self.paths), (rf"dE_total/d{PARAM}", self.gradient),
            (rf"dE_mean/d{PARAM}", self.mean_gradient), (rf"v_{PARAM}", self.velocity),
            (rf"{PARAM}\+", self.update),
        ]

    def form(self, equation: str, terms: tuple, notes=()) -> MatrixForm:
        return MatrixForm(self.step.quantity, equation, terms, terms[0], tuple(n for n in notes if n))

    def rows_note(self) -> str:
        return "one row per sample" if self.batch else ""

    # --- forward ------------------------------------------------------------------------

    def net(self) -> MatrixForm:
        L = self.step.layer
        l, lab = L - 1, self.label(L)
        below, bias = self.outs(l, self.batch), self.bias(l, row=self.batch)
        if self.batch:
            weights = self.weights(l, t=True)
            values, terms = matmul(below.values, weights.values), [below, "·", weights]
        else:
            weights = self.weights(l)
            values, terms = matmul(weights.values, below.values), [weights, "·", below]
        if bias is not None:
            values = each(_add, values, bias.values)
            terms += ["+", bias]
        result = self.result(f"net_{lab}", values, lambda n: f"net_{n}", L, self.batch)
        equation = f"net_{lab} = " + " ".join(t.symbol if isinstance(t, Matrix) else t for t in terms)
        return self.form(equation, (result, "=", *terms), [self.rows_note(), self.legend(l)])

    def out(self) -> MatrixForm:
        L = self.step.layer
        lab, act = self.label(L), self.sc.activations[L - 1]
        nets = self.layer_matrix(f"net_{lab}", L, lambda n: f"net_{n}", self.batch)
        outs = self.outs(L, self.batch)
        if act == "softmax":
            return self.form(f"out_{lab} = softmax(net_{lab}) = e^net_{lab} / (sum of e^net_{lab})",
                             (outs, "= softmax", nets), ["each " + ("row" if self.batch else "column")
                                                         + " of outputs adds up to 1"])
        name = SQUASH[act]
        return self.form(f"out_{lab} = {name}(net_{lab})" if name else f"out_{lab} = net_{lab}",
                         (outs, f"= {name}" if name else "=", nets),
                         [f"{name} is applied to each element" if name else "", self.rows_note()])

    def out_after(self) -> MatrixForm:
        """The new error's forward pass, at the output layer, with the parameters after the round."""
        L = self.top
        l, lab = L - 1, self.label(L)
        mark = "+" if L > 1 else ""
        below = self.outs(l, self.batch, mark) if l else self.outs(0, self.batch)
        if self.batch:
            weights = self.weights(l, "+", t=True)
            values, terms = matmul(below.values, weights.values), [below, "·", weights]
        else:
            weights = self.weights(l, "+")
            values, terms = matmul(weights.values, below.values), [weights, "·", below]
        bias = self.bias(l, row=self.batch, mark="+")
        if bias is not None:
            values = each(_add, values, bias.values)
            terms += ["+", bias]
        result = self.result(f"net_{lab}+", values, lambda n: f"net_{n}+", L, self.batch)
        act = SQUASH[self.sc.activations[-1]]
        outs = self.outs(L, self.batch, "+")
        return self.form(f"out_{lab}+ = {act}(net_{lab}+), net_{lab}+ = "
                         + " ".join(t.symbol if isinstance(t, Matrix) else t for t in terms),
                         (result, "=", *terms),
                         [f"then out_{lab}+ = {act}(net_{lab}+): " + ", ".join(
                             num(x) for row in outs.values for x in row),
                          "every weight and bias as it is after this round's update", self.rows_note()])

    # --- the error ----------------------------------------------------------------------

    def error_terms(self) -> MatrixForm:
        lab = self.label(self.top)
        targets = self.layer_matrix("t", self.top, lambda n: f"target_{n}", self.batch)
        outs = self.outs(self.top, self.batch)
        terms = self.layer_matrix(f"E_{lab}", self.top, lambda n: f"E_{n}", self.batch)
        words, drawn = self.loss_drawing(targets, outs, "=")
        return self.form(f"E_{lab} = {words}", (terms, *drawn),
                         ["squares and logarithms are taken element by element", self.rows_note()])

    def loss_drawing(self, targets: Matrix, outs: Matrix, lead: str):
        """The error terms in symbols, and drawn: ½ (t − out_o)² etc.; lead goes before the first term."""
        n, out = len(self.v.names[-1]), outs.symbol
        return {"half-sse": (f"½ (t − {out})²", (f"{lead} ½ (", targets, "−", outs, ")²")),
                "mse": (f"(t − {out})² / {n}", (f"{lead} (", targets, "−", outs, f")² / {n}")),
                "cross-entropy": (f"−t ⊙ ln({out})", (f"{lead} −", targets, "⊙ ln", outs))}[self.sc.loss]

    def error_total(self) -> MatrixForm:
        mark = "+" if self.step.quantity.endswith("+") else ""
        first = self.v.names[-1][0]
        if not self.v.has(f"E_{first}{mark}", self.s if not self.batch else 0):
            return self.error_whole(mark)  # no records of the terms (the new error, a single output)
        lab = self.label(self.top)
        terms = self.layer_matrix(f"E_{lab}", self.top, lambda n: f"E_{n}", self.batch)
        values = matmul(terms.values, tuple((1.0,) for _ in terms.values[0])) if self.batch else (
            matmul(((1.0,) * len(terms.values),), terms.values))
        result = self.single_column("E_total", values)
        return self.form(f"E_total = E_{lab} · 1" if self.batch else f"E_total = 1ᵀ · E_{lab}",
                         (result, "=", terms, "· 1") if self.batch else (result, "= 1ᵀ ·", terms),
                         ["1 is a vector of ones: this adds up the terms", self.rows_note()])

    def error_whole(self, mark: str) -> MatrixForm:
        """E_total from the outputs in one go: the terms, added up (1ᵀ, or · 1 for rows)."""
        outs = self.outs(self.top, self.batch, mark)
        targets = self.layer_matrix("t", self.top, lambda n: f"target_{n}", self.batch)
        total = f"E_total{mark}"
        result = self.single_column(total, tuple((self.v.value(total, s),) for s in self.samples()))
        ones = "· 1" if self.batch else "1ᵀ ·"
        words, drawn = self.loss_drawing(targets, outs, f"= {ones}" if not self.batch else "=")
        equation = f"{total} = ({words}) · 1" if self.batch else f"{total} = 1ᵀ · {words}"
        why = "the error as before the update, with the new outputs" if mark else "the error of each output"
        return self.form(equation, (result, *drawn) + (("· 1",) if self.batch else ()),
                         [f"{why}: its terms added up", self.rows_note()])

    def error_mean(self) -> MatrixForm:
        mark = "+" if self.step.quantity.endswith("+") else ""
        count = len(self.sc.inputs)
        totals = self.named(f"E_total{mark}", tuple((Ref(f"E_total{mark}", s),) for s in range(count)),
                            [f"s{s + 1}" for s in range(count)], ("",))
        value = matmul(((1.0,) * count,), totals.values)[0][0] / count
        result = self.computed(f"E_mean{mark}", ((value,),), ((Ref(f"E_mean{mark}", None),),), ("",), ("",))
        return self.form(f"E_mean{mark} = (1/{count}) · 1ᵀ · E_total{mark}", (result, f"= (1/{count}) · 1ᵀ ·", totals),
                         ["the mean of the samples' errors"])

    def single_column(self, quantity, values) -> Matrix:
        samples = list(self.samples())
        refs = tuple((Ref(quantity, s),) for s in samples)
        return self.computed(quantity, values, refs, [f"s{s + 1}" for s in samples] if self.batch else [""], ("",))

    def samples(self):
        return range(len(self.sc.inputs)) if self.batch else [self.s]

    # --- the output layer's slopes and deltas -------------------------------------------

    def error_slope(self) -> MatrixForm:
        lab = self.label(self.top)
        targets = self.layer_matrix("t", self.top, lambda n: f"target_{n}", self.batch)
        outs = self.outs(self.top, self.batch)
        n = len(self.v.names[-1])
        if self.sc.loss == "mse":
            values = each(lambda t, o: -2.0 * (t - o) / n, targets.values, outs.values)
            equation, drawn = f"∂E/∂out_{lab} = −2 (t − out_{lab}) / {n}", ("= −2 (", targets, "−", outs, f") / {n}")
        else:
            values = each(lambda t, o: -(t - o), targets.values, outs.values)
            equation, drawn = f"∂E/∂out_{lab} = −(t − out_{lab})", ("= −(", targets, "−", outs, ")")
        result = self.result(f"∂E/∂out_{lab}", values, lambda n: f"dE_total/dout_{n}", self.top, self.batch)
        return self.form(equation, (result, *drawn), [self.rows_note()])

    def slope(self) -> MatrixForm:
        L = self.step.layer
        lab, act = self.label(L), self.sc.activations[L - 1]
        nets = self.layer_matrix(f"net_{lab}", L, lambda n: f"net_{n}", self.batch)
        outs = self.outs(L, self.batch)
        words, f = SLOPES[act]
        values = each(f, nets.values, outs.values)
        result = self.result(f"{SQUASH[act] or 'f'}′(net_{lab})", values, lambda n: f"dout_{n}/dnet_{n}", L,
                             self.batch)
        drawn = {"sigmoid": ("=", outs, "⊙ (1 −", outs, ")"), "tanh": ("= 1 −", outs, "⊙", outs),
                 "relu": ("= [", nets, "> 0 ]"), "linear": ("= 1",)}[act]
        return self.form(f"{result.symbol} = {words.replace('out', f'out_{lab}').replace('net', f'net_{lab}')}",
                         (result, *drawn), ["element by element", self.rows_note()])

    def output_delta(self) -> MatrixForm:
        lab = self.label(self.top)
        if self.sc.activations[-1] == "softmax":
            outs = self.outs(self.top, self.batch)
            targets = self.layer_matrix("t", self.top, lambda n: f"target_{n}", self.batch)
            values = each(lambda o, t: o - t, outs.values, targets.values)
            result = self.result(f"δ_{lab}", values, lambda n: f"delta_{n}", self.top, self.batch)
            return self.form(f"δ_{lab} = out_{lab} − t", (result, "=", outs, "−", targets),
                             ["softmax with cross-entropy: the slopes cancel", self.rows_note()])
        act = SQUASH[self.sc.activations[-1]] or "f"
        slope = self.layer_matrix(f"{act}′(net_{lab})", self.top, lambda n: f"dout_{n}/dnet_{n}", self.batch)
        error = self.layer_matrix(f"∂E/∂out_{lab}", self.top, lambda n: f"dE_total/dout_{n}", self.batch)
        result = self.result(f"δ_{lab}", each(_mul, error.values, slope.values), lambda n: f"delta_{n}",
                             self.top, self.batch)
        return self.form(f"δ_{lab} = ∂E/∂out_{lab} ⊙ {slope.symbol}", (result, "=", error, "⊙", slope),
                         ["⊙ multiplies element by element", self.rows_note()])

    # --- into a hidden layer ------------------------------------------------------------

    def paths(self) -> MatrixForm:
        """Every path of one sample into the layer: (W²)ᵀ with each column times its delta."""
        L = self.step.layer
        lab, up = self.label(L), self.label(L + 1)
        weights = self.weights(L, "used", t=True)
        deltas = self.layer_matrix(f"δ_{up}", L + 1, lambda n: f"delta_{n}", False)
        row = Matrix(f"δ_{up}ᵀ", transpose(deltas.values), transpose(deltas.refs), ("",), deltas.rows)
        values = each(_mul, weights.values, row.values)
        refs = tuple(tuple(Ref(f"dE_{m}/dout_{j}", self.s) for m in self.v.names[L + 1]) for j in self.v.names[L])
        result = self.computed(f"∂E_{up}/∂out_{lab}", values, refs, self.v.names[L], self.v.names[L + 1])
        return self.form(f"∂E_{up}/∂out_{lab} = {weights.symbol} ⊙ δ_{up}ᵀ", (result, "=", weights, "⊙", row),
                         [f"row: a neuron of {lab}; column: the neuron of {up} the path goes through",
                          f"δ_{up}ᵀ is repeated down the rows", self.one_sample_note(), self.legend(L)])

    def hidden_sum(self) -> MatrixForm:
        L = self.step.layer
        lab, up = self.label(L), self.label(L + 1)
        deltas = self.layer_matrix(f"δ_{up}", L + 1, lambda n: f"delta_{n}", self.batch)
        if self.batch:
            weights = self.weights(L, "used")
            values, terms = matmul(deltas.values, weights.values), (deltas, "·", weights)
        else:
            weights = self.weights(L, "used", t=True)
            values, terms = matmul(weights.values, deltas.values), (weights, "·", deltas)
        result = self.result(f"∂E/∂out_{lab}", values, lambda n: f"dE_total/dout_{n}", L, self.batch)
        return self.form(f"∂E/∂out_{lab} = " + " · ".join(t.symbol for t in terms[::2]), (result, "=", *terms),
                         ["each element adds up the paths through the layer above", self.rows_note(),
                          self.legend(L)])

    def hidden_delta(self) -> MatrixForm:
        L = self.step.layer
        lab, up = self.label(L), self.label(L + 1)
        act = SQUASH[self.sc.activations[L - 1]] or "f"
        sums = self.layer_matrix(f"∂E/∂out_{lab}", L, lambda n: f"dE_total/dout_{n}", self.batch)
        slope = self.layer_matrix(f"{act}′(net_{lab})", L, lambda n: f"dout_{n}/dnet_{n}", self.batch)
        result = self.result(f"δ_{lab}", each(_mul, sums.values, slope.values), lambda n: f"delta_{n}", L,
                             self.batch)
        w = f"W{L + 1}".translate(SUP) + ("+" if self.v.updated_first else "")
        first = f"δ_{up} · {w}" if self.batch else f"({w})ᵀ δ_{up}"
        return self.form(f"δ_{lab} = {first} ⊙ {slope.symbol}", (result, "=", sums, "⊙", slope),
                         [f"∂E/∂out_{lab} = {first}, the step before", self.rows_note()])

    # --- gradients and updates ----------------------------------------------------------

    def gradient(self, pname: str) -> MatrixForm:
        """One sample's gradient of a whole weight layer (or its biases)."""
        L = self.step.layer
        l, lab = L - 1, self.label(L)
        deltas = self.layer_matrix(f"δ_{lab}", L, lambda n: f"delta_{n}", False)
        note = self.one_sample_note()
        if pname.startswith("w"):
            below = self.outs(l, False)
            row = Matrix(f"{below.symbol}ᵀ", transpose(below.values), transpose(below.refs), ("",), below.rows)
            refs = tuple(tuple(Ref(f"dE_total/d{w}", self.s) for w in r) for r in self.v.layout.weight_names[l])
            symbol = "∂E/∂" + f"W{L}".translate(SUP)
            result = self.computed(symbol, matmul(deltas.values, row.values), refs, deltas.rows, below.rows)
            return self.form(f"{symbol} = δ_{lab} ⊗ {below.symbol} = δ_{lab} · {row.symbol}",
                             (result, "=", deltas, "·", row), [note, self.legend(l)])
        if self.sc.bias == "shared":
            value = matmul(((1.0,) * len(deltas.values),), deltas.values)
            result = self.computed(f"∂E/∂{pname}", value, ((Ref(f"dE_total/d{pname}", self.s),),), ("",), ("",))
            return self.form(f"∂E/∂{pname} = 1ᵀ · δ_{lab}", (result, "= 1ᵀ ·", deltas),
                             ["a shared bias feeds every neuron of the layer: the deltas add up", note])
        refs = tuple((Ref(f"dE_total/d{self.v.bias_name(l, j)}", self.s),) for j in range(len(deltas.values)))
        result = self.computed(f"∂E/∂b_{lab}", deltas.values, refs, deltas.rows, ("",))
        return self.form(f"∂E/∂b_{lab} = δ_{lab}", (result, "=", deltas), ["a bias's input is always 1", note])

    def mean_gradient(self, pname: str) -> MatrixForm:
        L = self.step.layer
        l, lab = L - 1, self.label(L)
        count = len(self.sc.inputs)
        deltas = self.layer_matrix(f"δ_{lab}", L, lambda n: f"delta_{n}", True)
        dt = Matrix(f"δ_{lab}ᵀ", transpose(deltas.values), transpose(deltas.refs), deltas.cols, deltas.rows)
        scale = f"= (1/{count}) ·"
        if pname.startswith("w"):
            below = self.outs(l, True)
            refs = tuple(tuple(Ref(f"dE_mean/d{w}", None) for w in r) for r in self.v.layout.weight_names[l])
            symbol = "∂E_mean/∂" + f"W{L}".translate(SUP)
            values = each(lambda x: x / count, matmul(dt.values, below.values))
            result = self.computed(symbol, values, refs, dt.rows, below.cols)
            return self.form(f"{symbol} = (1/{count}) · δ_{lab}ᵀ · {below.symbol}", (result, scale, dt, "·", below),
                             ["the samples are the rows of δ and of " + below.symbol
                              + ": the product adds up their gradients", self.legend(l)])
        ones = tuple((1.0,) for _ in range(count))
        if self.sc.bias == "shared":  # each sample's deltas added up first, as its own gradient does
            per_sample = matmul(deltas.values, tuple((1.0,) for _ in deltas.values[0]))
            value = each(lambda x: x / count, matmul(((1.0,) * count,), per_sample))
            result = self.computed(f"∂E_mean/∂{pname}", value, ((Ref(f"dE_mean/d{pname}", None),),), ("",), ("",))
            return self.form(f"∂E_mean/∂{pname} = (1/{count}) · 1ᵀ · δ_{lab} · 1", (result, scale + " 1ᵀ ·", deltas, "· 1"),
                             ["every delta of every sample adds in"])
        refs = tuple((Ref(f"dE_mean/d{self.v.bias_name(l, j)}", None),) for j in range(len(dt.values)))
        result = self.computed(f"∂E_mean/∂b_{lab}", each(lambda x: x / count, matmul(dt.values, ones)), refs,
                               dt.rows, ("",))
        return self.form(f"∂E_mean/∂b_{lab} = (1/{count}) · δ_{lab}ᵀ · 1", (result, scale, dt, "· 1"),
                         ["each row adds up one neuron's deltas over the samples"])

    def velocity(self, pname: str) -> MatrixForm:
        grads, old = self.layer_gradient(pname), self.layer_params(pname, "v_", before=True)
        mu = self.sc.momentum
        values = each(_add, each(lambda v: mu * v, old.values), grads.values)
        result = self.computed(old.symbol, values, self.param_refs(pname, "v_", "", self.s), old.rows, old.cols)
        return self.form(f"{old.symbol} = μ · {old.symbol} + {grads.symbol}   (μ = {num(mu)})",
                         (result, f"= {num(mu)} ·", old, "+", grads),
                         ["V is momentum's running gradient (zero before the first update)"])

    def update(self, pname: str) -> MatrixForm:
        lr = self.sc.learning_rate
        params = self.layer_params(pname, "", before=False)
        step = self.layer_params(pname, "v_", before=False) if self.sc.momentum else self.layer_gradient(pname)
        values = each(lambda w, g: w - lr * g, params.values, step.values)
        result = self.computed(params.symbol + "+", values, self.param_refs(pname, "", "+", self.s),
                               params.rows, params.cols)
        return self.form(f"{result.symbol} = {params.symbol} − η · {step.symbol}   (η = {num(lr)})",
                         (result, "=", params, f"− {num(lr)} ·", step), [self.legend_of(pname)])

    # --- pieces of the gradient forms ---------------------------------------------------

    def one_sample_note(self) -> str:
        return "this sample's gradient; the batch update uses the mean over the samples" if self.batch else ""
