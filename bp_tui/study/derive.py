"""The chain rule written out: how each derivative sub-step follows, in a few lines with the numbers in.

`derive(step, stepper)` gives the derivation of a sub-step that takes a derivative (an error slope,
a squash slope, a delta, a path into a hidden neuron and their sum, a gradient, a batch mean, a
running gradient of momentum) and None for the others. Each math line is written in the records'
formula language (``dE_o1/dout_o1 = 2*(1/2)*(target_o1 - out_o1)*(-1)``), so the exports print it as
LaTeX the way they print the records; `derive_text.text_lines` prints it for a terminal (∂, ·, −, δ).

The last line is the value, computed here from the factors shown, so it is a real check that they
give the record's value. A hidden neuron's sum of paths also gets a numerical check (`nudge`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..engine.records import Step, num, term, value_text
from ..engine.stepper import Stepper
from .nudge import Nudge, nudge
from .round_values import RoundValues, round_values

PER_LINE = 2  # products of slopes in a sum before it goes on to the next line (twice as many other terms)


class Line(NamedTuple):
    """One line of a derivation.

    kind "say": a sentence of ours (`...` marks a name or formula); "math": lhs = rhs in the
    records' formula language, lhs "" continuing the equation above; "plus": more terms of the sum
    on the line above (rhs, without its leading +); "check": a line of the numerical check, plain text.
    """

    kind: str
    lhs: str = ""
    rhs: str = ""
    text: str = ""


class Derivation(NamedTuple):
    quantity: str
    sample: int | None
    lines: tuple[Line, ...]
    value: float  # computed from the factors in the lines
    check: Nudge | None = None


def derive(step: Step, stepper: Stepper) -> Derivation | None:
    """The derivation of a derivative sub-step, or None when the step takes no derivative."""
    values = round_values(stepper, step)
    found = _Deriver(values, step, values.scenario).run()
    if found is None:
        return None
    lines, value, check = found
    return Derivation(step.quantity, step.sample, tuple(lines), value, check)


class _Deriver:
    """Writes one derivation; each method is one kind of sub-step, chosen by the quantity's name."""

    def __init__(self, values: RoundValues, step: Step, scenario):
        self.v, self.step, self.sc = values, step, scenario
        self.s = step.sample
        self.lines: list[Line] = []
        self.check: Nudge | None = None  # set by the sum of paths into a hidden neuron

    def run(self):
        q, L, top = self.step.quantity, self.step.layer, self.v.top
        kinds = [
            (r"dE_total/dout_(\w+)", self.error_slope if L == top else self.paths_sum),
            (r"dout_(\w+)/dnet_\w+", self.squash_slope),
            (r"delta_(\w+)", self.softmax_delta if L == top and self.sc.activations[-1] == "softmax"
             else self.delta),
            (r"dE_(\w+)/dout_(\w+)", self.path),
            (r"dE_total/d([wb]\d+|b_\w+)", self.gradient),
            (r"dE_mean/d(\w+)", self.batch_mean),
            (r"v_([wb]\d+|b_\w+)", self.running_gradient),
        ]
        for pattern, method in kinds:
            match = re.fullmatch(pattern, q)
            if match:
                value = method(*match.groups())
                return self.lines, value, self.check
        return None

    # --- writing ------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.lines.append(Line("say", text=text))

    def math(self, lhs: str, *rhs) -> None:
        """lhs = rhs[0] = rhs[1] ...: one line each, the later ones continuing the first.

        A right-hand side given as a list is a sum, cut after every PER_LINE terms into "plus" lines
        that continue it (+ t3 + t4), so a long sum of paths stays readable on a page.
        """
        for i, side in enumerate(rhs):
            terms = side if isinstance(side, list) else [side]
            per = PER_LINE if any("/d" in t for t in terms) else 2 * PER_LINE
            self.lines.append(Line("math", lhs if i == 0 else "", " + ".join(terms[:per])))
            self.lines.extend(Line("plus", "", " + ".join(terms[k:k + per])) for k in range(per, len(terms), per))

    def val(self, quantity: str) -> float:
        return self.v.value(quantity, self.s)

    # --- the output layer ---------------------------------------------------------------

    def error_slope(self, name: str) -> float:
        outputs = self.v.names[-1]
        t = self.sc.targets[self.s][outputs.index(name)]
        o = self.val(f"out_{name}")
        error = f"E_{name}" if len(outputs) > 1 else "E_total"  # one output: its term is the whole error
        if len(outputs) > 1:
            self.say(f"`E_total` adds one error term per output neuron. Only `E_{name}` contains `out_{name}`; "
                     "the other terms are constants here, with slope 0:")
            self.math(f"dE_total/dout_{name}", f"dE_{name}/dout_{name}")
        gap = f"(target_{name} - out_{name})"
        if self.sc.loss == "mse":
            n = len(outputs)
            self.math(error, f"{gap}^2/{n}")
            self.say("The power rule brings the 2 down; the chain rule multiplies by the slope of the gap "
                     f"`target_{name} - out_{name}` with respect to `out_{name}`, which is `-1`:")
            self.math(f"d{error}/dout_{name}", f"2*{gap}*(-1)/{n}", f"-2*{gap}/{n}",
                      f"-2*({num(t)} - {term(o)})/{n}")
            value = 2 * (t - o) * -1 / n
        else:
            self.math(error, f"1/2*{gap}^2")
            self.say("The power rule brings the 2 down, cancelling the 1/2; the chain rule multiplies by the "
                     f"slope of the gap `target_{name} - out_{name}` with respect to `out_{name}`, which is `-1`:")
            self.math(f"d{error}/dout_{name}", f"2*(1/2)*{gap}*(-1)", f"-{gap}", f"-({num(t)} - {term(o)})")
            value = 2 * 0.5 * (t - o) * -1
        self.math("", value_text(value))
        return value

    def softmax_delta(self, name: str) -> float:
        outputs = self.v.names[-1]
        j = outputs.index(name)
        targets = self.sc.targets[self.s]
        outs = [self.val(f"out_{k}") for k in outputs]
        self.say(f"With softmax every output depends on every net input, so `net_{name}` reaches the error "
                 "through each output (E_total is minus the sum of each target times the log of its output):")
        self.math(f"delta_{name}", f"dE_total/dnet_{name}",
                  [f"dE_total/dout_{k}*dout_{k}/dnet_{name}" for k in outputs])
        self.say(f"The slope of `-target*ln(out)` is `-target/out`. Softmax's slopes are "
                 f"`out_{name}*(1 - out_{name})` for its own output and `-out_k*out_{name}` for any other output "
                 f"k. Multiplied out, the path through `out_{name}` itself is `-target_{name}*(1 - out_{name})` and "
                 f"the path through another output k is `target_k*out_{name}`:")
        parts = [f"-target_{name}*(1 - out_{name})"] + [f"target_{k}*out_{name}" for k in outputs if k != name]
        self.math("", parts, f"out_{name}*(" + " + ".join(f"target_{k}" for k in outputs)
                  + f") - target_{name}")
        self.say("The targets add up to 1, so the sum collapses to output minus target:")
        self.math("", f"out_{name} - target_{name}", f"{term(outs[j])} - {term(targets[j])}")
        value = outs[j] - targets[j]
        self.math("", value_text(value))
        paths = [-(t / o) * ((o * (1 - o)) if k == j else -o * outs[j]) if t else 0.0
                 for k, (t, o) in enumerate(zip(targets, outs))]
        self.say("Path by path, with the numbers: `" + " + ".join(map(term, paths)) + "`, the same up to rounding.")
        return value

    # --- any layer ----------------------------------------------------------------------

    def squash_slope(self, name: str) -> float:
        act = self.sc.activations[self.step.layer - 1]
        o, net = self.val(f"out_{name}"), self.val(f"net_{name}")
        out, z = f"out_{name}", f"net_{name}"
        if act == "sigmoid":
            self.math(out, f"1/(1 + e^(-{z}))")
            self.say("Its slope, by the chain rule on the reciprocal:")
            self.math(f"d{out}/d{z}", f"e^(-{z})/(1 + e^(-{z}))^2")
            self.say(f"Split it as `1/(1 + e^(-{z}))` times `e^(-{z})/(1 + e^(-{z}))`: the first is `{out}`, "
                     f"the second is `1 - {out}`. So the slope needs only the output:")
            self.math("", f"{out}*(1 - {out})", f"{term(o)}*(1 - {term(o)})")
            value = o * (1.0 - o)
        elif act == "tanh":
            self.math(out, f"tanh({z})")
            self.say(f"The slope of tanh is 1 minus its square, so again the output is enough:")
            self.math(f"d{out}/d{z}", f"1 - tanh({z})^2", f"1 - {out}^2", f"1 - {term(o)}^2")
            value = 1.0 - o * o
        elif act == "relu":
            self.math(out, f"max(0, {z})")
            self.say(f"A line of slope 1 right of 0, flat (slope 0) left of it; at exactly 0 we take 0:")
            self.math(f"d{out}/d{z}", f"1 if {z} > 0, else 0", f"1 if {term(net)} > 0, else 0")
            value = 1.0 if net > 0.0 else 0.0
        else:
            self.math(out, z)
            self.say("A linear neuron passes its net input on unchanged: slope 1 everywhere.")
            self.math(f"d{out}/d{z}", "1")
            value = 1.0
        self.math("", value_text(value))
        return value

    def delta(self, name: str) -> float:
        a, b = self.val(f"dE_total/dout_{name}"), self.val(f"dout_{name}/dnet_{name}")
        self.say(f"`net_{name}` reaches the error only through `out_{name}`, so the chain rule multiplies the "
                 "two slopes. Their product is the neuron's delta:")
        self.math(f"delta_{name}", f"dE_total/dnet_{name}", f"dE_total/dout_{name}*dout_{name}/dnet_{name}",
                  f"{term(a)}*{term(b)}")
        value = a * b
        self.math("", value_text(value))
        return value

    # --- into a hidden neuron -----------------------------------------------------------

    def path(self, up: str, name: str) -> float:
        L = self.step.layer
        m, j = self.v.index(L + 1, up), self.v.index(L, name)
        wname = self.v.layout.weight_names[L][m][j]
        used = self.v.used_above(wname, self.s)
        self.math(f"net_{up}", self.net_formula(L, m))
        self.say(f"`out_{name}` enters `net_{up}` once, multiplied by `{wname}`, the weight from {name} to {up}:")
        self.math(f"dnet_{up}/dout_{name}", wname)
        self.say(f"So the path through {up} is {up}'s delta (`dE_total/dnet_{up}`) times that weight:")
        d, w = self.val(f"delta_{up}"), self.v.resolve(used)
        self.math(f"dE_{up}/dout_{name}", f"dE_total/dnet_{up}*dnet_{up}/dout_{name}",
                  f"delta_{up}*{used.quantity}", f"{term(d)}*{term(w)}")
        value = d * w
        self.math("", value_text(value))
        if used.quantity != wname:
            self.say(f"This scenario uses `{wname}+`, the weight already updated, as the article's summary "
                     "code did; the check under the sum shows what that changes.")
        return value

    def paths_sum(self, name: str) -> float:
        L = self.step.layer
        above = self.v.names[L + 1]
        if len(above) > 1:
            self.say(f"`out_{name}` feeds every neuron of the layer above ({', '.join(above)}). Moving it moves "
                     "each of their net inputs, and the error changes by the sum of those effects (the total "
                     "derivative, or multivariable chain rule):")
        else:
            self.say(f"`out_{name}` feeds one neuron above, {above[0]}: one path, so the sum has one term:")
        parts = [self.val(f"dE_{up}/dout_{name}") for up in above]
        self.math(f"dE_total/dout_{name}", [f"dE_total/dnet_{up}*dnet_{up}/dout_{name}" for up in above],
                  [f"dE_{up}/dout_{name}" for up in above], [term(p) for p in parts] if len(parts) > 1 else num(parts[0]))
        value = parts[0]
        for p in parts[1:]:
            value = value + p
        self.math("", value_text(value))
        self.check = nudge(self.v, L, name, self.s, value)
        self.lines.extend(Line("check", text=text) for text in self.check.lines())
        return value

    # --- gradients ----------------------------------------------------------------------

    def gradient(self, pname: str) -> float:
        L = self.step.layer
        l = L - 1
        if self.sc.bias == "shared" and not pname.startswith("w"):
            return self.shared_bias(pname, L)
        receivers = self.v.names[L]
        for j, name in enumerate(receivers):
            row = self.v.layout.weight_names[l][j]
            if pname in row or self.v.bias_name(l, j) == pname:
                break
        k = row.index(pname) if pname in row else None
        src = "1" if k is None else self.v.source(l, self.v.names[l][k])
        self.say(f"`{pname}` appears in one net input only, `net_{name}`, multiplied by "
                 + ("the constant 1 (a bias is a weight on an input of 1):" if k is None else f"`{src}`:"))
        self.math(f"net_{name}", self.net_formula(l, j))
        self.math(f"dnet_{name}/d{pname}", src)
        d = self.val(f"delta_{name}")
        x = 1.0 if k is None else self.v.resolve(self.v.source_ref(l, self.v.names[l][k], self.s))
        self.say(f"The chain rule through `net_{name}`, whose slope is the delta:")
        self.math(f"dE_total/d{pname}", f"dE_total/dnet_{name}*dnet_{name}/d{pname}", f"delta_{name}*{src}",
                  f"{term(d)}*{term(x)}")
        value = d if k is None else d * x
        self.math("", value_text(value))
        return value

    def shared_bias(self, pname: str, L: int) -> float:
        layer = self.v.names[L]
        self.say(f"`{pname}` is added into every net input of its layer ({', '.join(layer)}), each time times 1: "
                 "one path per neuron, and the paths add up:")
        self.math(f"dE_total/d{pname}", [f"dE_total/dnet_{n}*dnet_{n}/d{pname}" for n in layer],
                  [f"delta_{n}*1" for n in layer])
        deltas = [self.val(f"delta_{n}") for n in layer]
        self.math("", [term(d) for d in deltas])
        value = deltas[0]
        for d in deltas[1:]:
            value = value + d
        self.math("", value_text(value))
        return value

    def batch_mean(self, pname: str) -> float:
        count = len(self.sc.inputs)
        self.say(f"In batch mode the error to lower is the mean of the {count} samples' errors. The derivative "
                 "of a sum is the sum of the derivatives, so the gradient is the mean of the samples' gradients:")
        self.math("E_mean", f"(sum of E_total over the {count} samples)/{count}")
        grads = [self.v.value(f"dE_total/d{pname}", s) for s in range(count)]
        self.math(f"dE_mean/d{pname}", f"(sum of dE_total/d{pname} over the {count} samples)/{count}",
                  "(" + " + ".join(term(g) for g in grads) + f")/{count}")
        total = grads[0]
        for g in grads[1:]:
            total = total + g
        value = total / count
        self.math("", value_text(value))
        return value

    def running_gradient(self, pname: str) -> float:
        mu = self.sc.momentum
        label = "dE_total" if self.v.online else "dE_mean"
        g, before = self.val(f"{label}/d{pname}"), self.v.velocity_before(pname, self.s)
        self.say(f"Momentum steps along a running gradient instead of this one alone: the last `v_{pname}` "
                 "shrunk by `mu`, plus the new gradient.")
        self.math(f"v_{pname}", f"mu*v_{pname} + {label}/d{pname}", f"{num(mu)}*{term(before)} + {term(g)}")
        value = mu * before + g
        self.math("", value_text(value))
        self.say(f"Unrolled, `v` is `g + mu*g' + mu^2*g'' + ...` over the gradients so far, newest first: a "
                 f"gradient that stays the same adds up to {num(1 / (1 - mu))} times itself (`1/(1 - mu)`).")
        return value

    # --- shared pieces ------------------------------------------------------------------

    def net_formula(self, l: int, j: int) -> list[str]:
        """net of neuron j of layer l + 1 as the terms of a sum: w5*out_h1, w6*out_h2, b2*1."""
        parts = [f"{w}*{self.v.source(l, k)}" for w, k in zip(self.v.layout.weight_names[l][j],
                                                               self.v.names[l])]
        bias = self.v.bias_name(l, j)
        return parts + ([f"{bias}*1"] if bias else [])
