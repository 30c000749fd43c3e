"""The pieces of the matrix form (`matrix`): matrices whose elements say what they are, the small
arithmetic on them, and the operands of a layer (weights, biases, a layer's values) looked up by name.

Every element of an operand carries a `Ref` (a record, a weight, an input or a target of a sample),
so a test can check it against the engine; a result is computed from its operands in plain Python
(the layers are small, and numpy stays out of the study layer).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from ..engine.records import Step
from .round_values import Ref, RoundValues

SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class Matrix(NamedTuple):
    symbol: str  # as written in the equation: W², out_h, δ_o, (W²)ᵀ
    values: tuple[tuple[float, ...], ...]
    refs: tuple[tuple[Ref | None, ...], ...]  # what each element is (None: computed, not named)
    rows: tuple[str, ...]  # row labels: neurons, or samples (s1, s2, ...)
    cols: tuple[str, ...]

    @property
    def shape(self) -> str:
        return f"({len(self.values)}×{len(self.values[0]) if self.values else 0})"


class MatrixForm(NamedTuple):
    quantity: str  # the record it was made for
    equation: str  # in symbols: net_h = W¹ · i + b₁
    terms: tuple  # what is drawn, in order: Matrix blocks and operator strings
    result: Matrix  # computed from the operands; its refs name the records it equals
    notes: tuple[str, ...] = ()

    @property
    def shapes(self) -> str:
        return " ".join(t.shape if isinstance(t, Matrix) else t for t in self.terms)

    @property
    def key(self) -> tuple:
        """Forms with the same key show the same thing (e.g. net_h1 and net_h2 share net_h's)."""
        return self.equation, self.result.refs


# --- small matrix arithmetic (the layers are small; plain Python keeps numpy out of the study layer) --


def matmul(a, b):
    return tuple(tuple(_sum(x * y for x, y in zip(row, col)) for col in zip(*b)) for row in a)


def transpose(a):
    return tuple(zip(*a))


def each(f: Callable, a, b=None):
    """f element by element; b may be a single row (repeated down a) or a 1×1 (a scalar)."""
    if b is None:
        return tuple(tuple(f(x) for x in row) for row in a)
    rows = b if len(b) == len(a) else b * len(a)
    return tuple(tuple(f(x, y) for x, y in zip(row, brow if len(brow) == len(row) else brow * len(row)))
                 for row, brow in zip(a, rows))


def _sum(values) -> float:
    total = None
    for v in values:  # left to right, as the engine adds
        total = v if total is None else total + v
    return 0.0 if total is None else total


# --- operands --------------------------------------------------------------------------------


class Operands:
    """The operands of one sub-step's matrix form, looked up in its round."""

    def __init__(self, values: RoundValues, step: Step):
        self.v, self.step = values, step
        self.sc = values.scenario
        self.s = step.sample
        self.batch = not values.online
        self.top = values.top

    # names and operands ---------------------------------------------------------------

    def label(self, L: int) -> str:
        if L == 0:
            return "i"
        if L == self.top:
            return "o"
        return "h" if self.top == 2 else f"h{L}"

    def layer_matrix(self, symbol: str, L: int, quantity: Callable[[str], str], rows: bool) -> Matrix:
        """One value per neuron of layer L: a column for one sample, or one row per sample."""
        names = self.v.names[L]
        if rows:
            samples = range(len(self.sc.inputs))
            refs = tuple(tuple(Ref(quantity(n), s) for n in names) for s in samples)
            return self.named(symbol, refs, tuple(f"s{s + 1}" for s in samples), names)
        refs = tuple((Ref(quantity(n), self.s),) for n in names)
        return self.named(symbol, refs, names, ("",))

    def named(self, symbol, refs, rows, cols) -> Matrix:
        values = tuple(tuple(self.v.resolve(r) for r in row) for row in refs)
        return Matrix(symbol, values, refs, tuple(rows), tuple(cols))

    def computed(self, symbol, values, refs, rows, cols) -> Matrix:
        return Matrix(symbol, tuple(map(tuple, values)), refs, tuple(rows), tuple(cols))

    def outs(self, L: int, rows: bool, mark: str = "") -> Matrix:
        """The outputs of layer L (the inputs for L = 0)."""
        symbol = f"out_{self.label(L)}{mark}" if L else "i"
        quantity = (lambda n: n) if L == 0 else (lambda n: f"out_{n}{mark}")
        return self.layer_matrix(symbol, L, quantity, rows)

    def weights(self, l: int, mark: str = "", t: bool = False, sample="same") -> Matrix:
        """W of weight layer l (rows: receiving neurons) as the sample's pass used it; t: transposed."""
        s = self.s if sample == "same" else sample
        names = self.v.layout.weight_names[l]
        if mark == "+":
            refs = tuple(tuple(self.v.after(w) for w in row) for row in names)
        elif mark == "used":
            refs = tuple(tuple(self.v.used_above(w, s) for w in row) for row in names)
            mark = "+" if self.v.updated_first else ""
        else:
            refs = tuple(tuple(Ref(w, s) for w in row) for row in names)
        symbol = f"W{l + 1}".translate(SUP) + mark
        rows, cols = self.v.names[l + 1], self.v.names[l]
        m = self.named(symbol, refs, rows, cols)
        if t:
            return Matrix(f"({symbol})ᵀ", transpose(m.values), transpose(m.refs), cols, rows)
        return m

    def bias(self, l: int, row: bool, mark: str = "") -> Matrix | None:
        """The bias of weight layer l: a 1×1 when shared, a vector (a row in batch mode) per neuron."""
        if self.sc.bias == "none":
            return None
        ref = (lambda name: self.v.after(name)) if mark == "+" else (lambda name: Ref(name, self.s))
        mark = mark if self.sc.train_biases else ""  # a bias that is not trained keeps its name
        if self.sc.bias == "shared":
            name = self.v.bias_name(l, 0)
            return self.named(name.translate(SUB) + mark, ((ref(name),),), ("",), ("",))
        names = self.v.names[l + 1]
        refs = tuple((ref(self.v.bias_name(l, j)),) for j in range(len(names)))
        m = self.named(f"b_{self.label(l + 1)}{mark}", refs, names, ("",))
        return Matrix(m.symbol + "ᵀ", transpose(m.values), transpose(m.refs), ("",), names) if row else m

    def result(self, symbol, values, quantity: Callable[[str], str], L: int, rows: bool) -> Matrix:
        names = self.v.names[L]
        if rows:
            refs = tuple(tuple(Ref(quantity(n), s) for n in names) for s in range(len(values)))
            return self.computed(symbol, values, refs, [f"s{s + 1}" for s in range(len(values))], names)
        return self.computed(symbol, values, tuple((Ref(quantity(n), self.s),) for n in names), names, ("",))

    # --- a group of parameters: a weight matrix, or a layer's biases ---------------------

    def legend(self, l: int) -> str:
        """Which article weight sits where: W² = [w5 w6; w7 w8]."""
        rows = "; ".join(" ".join(row) for row in self.v.layout.weight_names[l])
        return f"W{l + 1}".translate(SUP) + f" = [{rows}] (a row per receiving neuron)"

    def legend_of(self, pname: str) -> str:
        l = self.param_layer(pname)
        return self.legend(l) if pname.startswith("w") else ""

    def param_layer(self, pname: str) -> int:
        return self.step.layer - 1

    def param_names(self, pname: str) -> tuple[tuple[str, ...], ...]:
        """The names of pname's whole group: its weight matrix, or its layer's biases (a column)."""
        l = self.param_layer(pname)
        if pname.startswith("w"):
            return self.v.layout.weight_names[l]
        if self.sc.bias == "shared":
            return ((pname,),)
        return tuple((self.v.bias_name(l, j),) for j in range(len(self.v.names[l + 1])))

    def group_symbol(self, pname: str, prefix: str) -> str:
        l = self.param_layer(pname)
        if pname.startswith("w"):
            return ("V" if prefix else "W") + f"{l + 1}".translate(SUP)
        base = pname if self.sc.bias == "shared" else f"b_{self.label(l + 1)}"
        return f"v_{base}" if prefix else base

    def param_refs(self, pname, prefix, mark, sample):
        return tuple(tuple(Ref(f"{prefix}{n}{mark}", sample) for n in row) for row in self.param_names(pname))

    def layer_params(self, pname: str, prefix: str, before: bool) -> Matrix:
        """A group of parameters (prefix "") or of running gradients (prefix "v_"), before its update."""
        names = self.param_names(pname)
        refs = tuple(tuple(Ref(f"{prefix}{n}", self.s, before=before) for n in row) for row in names)
        return self.named(self.group_symbol(pname, prefix), refs, *self.group_labels(pname))

    def layer_gradient(self, pname: str) -> Matrix:
        label = "dE_total" if self.v.online else "dE_mean"
        names = self.param_names(pname)
        refs = tuple(tuple(Ref(f"{label}/d{n}", self.s if self.v.online else None) for n in row) for row in names)
        symbol = ("∂E/∂" if self.v.online else "∂E_mean/∂") + self.group_symbol(pname, "")
        return self.named(symbol, refs, *self.group_labels(pname))

    def group_labels(self, pname: str):
        l = self.param_layer(pname)
        if pname.startswith("w"):
            return self.v.names[l + 1], self.v.names[l]
        if self.sc.bias == "shared":
            return ("",), ("",)
        return self.v.names[l + 1], ("",)
