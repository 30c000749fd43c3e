"""The right-hand side of a step's formula as a small expression tree, to evaluate and to rewrite.

A step record says how its value is made (`net_h1 = w1*i1 + w2*i2 + b1*1`). The checker reads that
formula back into a tree so it can recompute the sub-step from other numbers (a learner's own
figures) or with a slip applied (a factor left out, a sign flipped, another weight in place of the
right one), and print the result. Only the shapes the records write are understood; anything else
raises `FormulaError`, and the checker then treats that sub-step as one it cannot recompute.

A tree is made of tuples, the first item saying what the node is:

    ("num", value)             ("name", "w1")           ("neg", a)
    ("add" | "sub" | "mul" | "div" | "pow", a, b)      ("exp", a)      for e^a
    ("call", "tanh" | "ln" | "max", (args...))          ("cond", a)     for `1 if a > 0, else 0`
    ("samples", "dE_total/dw1")   the list of that quantity's values over the samples
                                  (written `(sum of dE_total/dw1 over the samples)`), added up
"""

from __future__ import annotations

import math
import operator
import re

from ..engine.records import num, term


class FormulaError(ValueError):
    """The formula has a shape the checker does not read."""


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<samples>\(sum\ of\ (?P<over>\S+)\ over\ the\ (?:\d+\ )?samples\))
    | (?P<deriv>d[A-Za-z0-9_]*\+?/d[A-Za-z0-9_]+\+?)      # dE_total/dw5, dout_h1/dnet_h1
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*\+?)                 # w5, out_o1+, target_o1
    | (?P<op>[-+*/^(),])
    )""", re.VERBOSE)
_COND = re.compile(r"^1 if (\S+) > 0, else 0$")
FUNCTIONS = {"tanh": math.tanh, "ln": math.log, "max": max}


def tokens(text: str) -> list[tuple[str, str]]:
    found, pos, text = [], 0, text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FormulaError(f"cannot read {text[pos:]!r}")
        kind = match.lastgroup if match.lastgroup != "over" else "samples"
        if match.group("samples"):
            found.append(("samples", match.group("over")))
        else:
            found.append((kind, match.group(kind)))
        pos = match.end()
    return found


def parse(text: str) -> tuple:
    """The tree of a formula's right-hand side (`w1*i1 + w2*i2 + b1*1`)."""
    cond = _COND.match(text.strip())
    if cond:
        return ("cond", parse(cond.group(1)))
    parser = _Parser(tokens(text))
    tree = parser.sum()
    if parser.pos != len(parser.items):
        raise FormulaError(f"unexpected {parser.items[parser.pos][1]!r} in {text!r}")
    return tree


class _Parser:
    """Recursive descent: sum of products of (signed) powers of atoms, as the formulas are written."""

    def __init__(self, items):
        self.items, self.pos = items, 0

    def peek(self) -> str | None:
        return self.items[self.pos][1] if self.pos < len(self.items) and self.items[self.pos][0] == "op" else None

    def take(self, op: str) -> None:
        if self.peek() != op:
            raise FormulaError(f"expected {op!r}")
        self.pos += 1

    def sum(self) -> tuple:
        return self.chain({"+": "add", "-": "sub"}, self.product)

    def product(self) -> tuple:
        return self.chain({"*": "mul", "/": "div"}, self.signed)

    def chain(self, ops: dict[str, str], operand) -> tuple:
        """operand (op operand)*, grouped from the left as the formulas are computed."""
        tree = operand()
        while self.peek() in ops:
            kind = ops[self.items[self.pos][1]]
            self.pos += 1
            tree = (kind, tree, operand())
        return tree

    def signed(self) -> tuple:
        if self.peek() == "-":
            self.pos += 1
            return ("neg", self.signed())
        return self.power()

    def power(self) -> tuple:
        if self.pos < len(self.items) and self.items[self.pos] == ("name", "e") and self.pos + 1 < len(self.items) \
                and self.items[self.pos + 1] == ("op", "^"):
            self.pos += 2
            return ("exp", self.signed())
        base = self.atom()
        if self.peek() == "^":
            self.pos += 1
            return ("pow", base, self.signed())
        return base

    def atom(self) -> tuple:
        if self.pos >= len(self.items):
            raise FormulaError("the formula ends too early")
        kind, text = self.items[self.pos]
        self.pos += 1
        if kind == "number":
            return ("num", float(text))
        if kind == "samples":
            return ("samples", text)
        if kind in ("name", "deriv"):
            if kind == "name" and text in FUNCTIONS and self.peek() == "(":
                self.pos += 1
                args = [self.sum()]
                while self.peek() == ",":
                    self.pos += 1
                    args.append(self.sum())
                self.take(")")
                return ("call", text, tuple(args))
            return ("name", text)
        if text == "(":
            tree = self.sum()
            self.take(")")
            return tree
        raise FormulaError(f"unexpected {text!r}")


def evaluate(tree: tuple, value_of) -> float:
    """The tree's value; `value_of(name)` gives a name's number (a list of numbers for "samples")."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        return value_of(tree[1])
    if kind == "neg":
        return -evaluate(tree[1], value_of)
    if kind == "exp":
        return math.exp(evaluate(tree[1], value_of))
    if kind == "cond":
        return 1.0 if evaluate(tree[1], value_of) > 0.0 else 0.0
    if kind == "samples":
        return _total(value_of("samples:" + tree[1]))
    if kind == "call":
        return FUNCTIONS[tree[1]](*(evaluate(arg, value_of) for arg in tree[2]))
    a, b = evaluate(tree[1], value_of), evaluate(tree[2], value_of)
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    if kind == "div":
        return a / b
    return _power(a, b)


def _power(a, b):
    return a * a if b == 2.0 else a ** b


def _total(values):
    """A sum over the samples, added up from the first (not sum(), which starts from 0 and turns -0.0 into 0.0)."""
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


_OPERATIONS = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv, "pow": _power}


def compiled(tree: tuple, ref_of):
    """The tree as a function of `value_of(ref)`, for a formula worked out many times over.

    `evaluate` walks the tree and looks each name up again on every call; the checker's search
    works the same sub-steps out hundreds of thousands of times. Here the walk is done once: each
    name is turned into its ref by `ref_of(name)` now ("samples:X" for a sum over the samples), and
    the result is a nest of small functions, one per operation. They do what `evaluate` does, in
    the same order (left operand first; operator.add is `a + b`), so the value is the same to the
    last bit, and so is any error. An operand that is a name is read in place, not through a
    function of its own: most operations multiply or add two names, and a call saved is time saved.
    """
    kind = tree[0]
    if kind == "num":
        number = tree[1]
        return lambda value_of: number
    if kind == "name":
        ref = ref_of(tree[1])
        return lambda value_of: value_of(ref)
    if kind == "samples":
        ref = ref_of("samples:" + tree[1])
        return lambda value_of: _total(value_of(ref))
    if kind == "call":
        function, args = FUNCTIONS[tree[1]], [compiled(arg, ref_of) for arg in tree[2]]
        return lambda value_of: function(*[arg(value_of) for arg in args])
    if kind in ("neg", "exp", "cond"):
        a = compiled(tree[1], ref_of)
        if kind == "neg":
            return lambda value_of: -a(value_of)
        if kind == "exp":
            return lambda value_of: math.exp(a(value_of))
        return lambda value_of: 1.0 if a(value_of) > 0.0 else 0.0
    operation, left, right = _OPERATIONS[kind], tree[1], tree[2]
    if left[0] == "name" and right[0] == "name":
        a, b = ref_of(left[1]), ref_of(right[1])
        return lambda value_of: operation(value_of(a), value_of(b))
    if left[0] == "name":
        a, b = ref_of(left[1]), compiled(right, ref_of)
        return lambda value_of: operation(value_of(a), b(value_of))
    if right[0] == "name":
        a, b = compiled(left, ref_of), ref_of(right[1])
        return lambda value_of: operation(a(value_of), value_of(b))
    a, b = compiled(left, ref_of), compiled(right, ref_of)
    return lambda value_of: operation(a(value_of), b(value_of))


def names(tree: tuple) -> list[str]:
    """The names a tree reads, each once, in reading order ("samples:X" for a sum over the samples)."""
    found: list[str] = []

    def walk(node):
        if node[0] == "name" and node[1] not in found:
            found.append(node[1])
        elif node[0] == "samples" and "samples:" + node[1] not in found:
            found.append("samples:" + node[1])
        elif node[0] == "call":
            for arg in node[2]:
                walk(arg)
        else:
            for child in node[1:]:
                if isinstance(child, tuple):
                    walk(child)

    walk(tree)
    return found


def rename(tree: tuple, old: str, new: str) -> tuple:
    """The tree with every `old` name read as `new`."""
    kind = tree[0]
    if kind == "name":
        return ("name", new) if tree[1] == old else tree
    if kind == "samples":
        return ("samples", new) if tree[1] == old else tree
    if kind == "num":
        return tree
    if kind == "call":
        return ("call", tree[1], tuple(rename(arg, old, new) for arg in tree[2]))
    return (kind, *(rename(child, old, new) for child in tree[1:]))


def rewrites(tree: tuple, change) -> list[tuple[tuple, object]]:
    """Every (tree, note) made by changing one node: change(node) yields (replacement, note) pairs."""
    found = list(change(tree))
    kind = tree[0]
    if kind in ("num", "name", "samples"):
        return found
    children = list(tree[2] if kind == "call" else tree[1:])
    for i, child in enumerate(children):
        for new, note in rewrites(child, change):
            changed = children[:i] + [new] + children[i + 1:]
            found.append((("call", tree[1], tuple(changed)) if kind == "call" else (kind, *changed), note))
    return found


def simplify_once(tree: tuple) -> tuple:
    """The tree with every operation whose operands are all numbers worked out (one step of a
    calculation by hand: `0.15*0.05 + 0.2*0.1` becomes `0.0075 + 0.02`). Names stay."""
    kind = tree[0]
    if kind in ("num", "name", "samples"):
        return tree
    children = tree[2] if kind == "call" else tree[1:]
    if all(child[0] == "num" for child in children):
        return ("num", evaluate(tree, lambda name: math.nan))
    if kind == "call":
        return ("call", tree[1], tuple(simplify_once(arg) for arg in children))
    return (kind, *(simplify_once(child) for child in children))


def signed_numbers(tree: tuple) -> tuple:
    """The tree with each minus sign on a number made part of it: `(-0.3)*0.9` is one product."""
    kind = tree[0]
    if kind == "neg" and tree[1][0] == "num":
        return ("num", -tree[1][1])
    if kind in ("num", "name", "samples"):
        return tree
    if kind == "call":
        return ("call", tree[1], tuple(signed_numbers(arg) for arg in tree[2]))
    return (kind, *(signed_numbers(child) for child in tree[1:]))


def partial_results(text: str) -> list[str]:
    """The steps between a formula written with numbers and its value, each as it would be written
    (`1/(1 + e^(-0.3775))` gives `1/(1 + 0.685626523)` and `1/1.685626523`); neither the formula
    itself nor the value. Raises FormulaError for a shape the records do not write."""
    tree = signed_numbers(parse(text))
    written = [text.strip(), show(tree)]
    found: list[str] = []
    while tree[0] != "num":
        simpler = simplify_once(tree)
        if simpler == tree:
            break  # (a name or a sum over samples: nothing more to work out)
        tree = simpler
        shown = show(tree)
        if tree[0] != "num" and shown not in written and shown not in found:
            found.append(shown)
    return found


# --- printing ---------------------------------------------------------------------------------

_RANK = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
_SYMBOL = {"add": " + ", "sub": " - ", "mul": "*", "div": "/", "pow": "^"}


def show(tree: tuple, value_of=None) -> str:
    """The tree written as the records write formulas; with `value_of`, names become their numbers."""
    kind = tree[0]
    if kind == "num":
        return term(tree[1])  # (negative only once worked out: a formula's own numbers are positive)
    if kind == "name":
        return tree[1] if value_of is None else term(value_of(tree[1]))
    if kind == "samples":
        if value_of is None:
            return f"(sum of {tree[1]} over the samples)"
        return "(" + " + ".join(term(v) for v in value_of("samples:" + tree[1])) + ")"
    if kind == "cond":
        return f"1 if {show(tree[1], value_of)} > 0, else 0"
    if kind == "exp":
        inner = show(tree[1], value_of)
        return f"e^{inner}" if tree[1][0] == "num" or tree[1][0] == "name" and value_of is None else f"e^({inner})"
    if kind == "call":
        return f"{tree[1]}(" + ", ".join(show(arg, value_of) for arg in tree[2]) + ")"
    if kind == "neg":
        inner = show(tree[1], value_of)
        if tree[1][0] == "num":
            return f"-{inner}"
        return f"-({inner})" if _RANK.get(tree[1][0], 9) <= 2 else f"-{inner}"
    rank = _RANK[kind]
    left, right = show(tree[1], value_of), show(tree[2], value_of)
    if _RANK.get(tree[1][0], 9) < rank or (kind == "pow" and tree[1][0] in _RANK):
        left = f"({left})"
    if _RANK.get(tree[2][0], 9) < rank or (_RANK.get(tree[2][0], 9) == rank and kind in ("sub", "div", "pow")):
        right = f"({right})"
    symbol = _SYMBOL[kind]
    if kind == "mul" and value_of is None and any(c[0] == "name" and "/" in c[1] for c in tree[1:]):
        symbol = " * "  # dE_total/dout_o1 * dout_o1/dnet_o1 reads better spaced
    return f"{left}{symbol}{right}"
