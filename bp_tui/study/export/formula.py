"""Reading the records' ASCII formulas (``net_h1 = w1*i1 + w2*i2 + b1*1``) into a small tree.

The tree is made of tuples, for `latex_math` to print: ("num", text) ("ident", name)
("deriv", top, bottom) ("paren", node) ("neg", node) ("call", name, [args]) ("pow", base, exponent)
("bin", op, left, right) ("sum", [(sign, node)]) ("sumof", node) ("cases", value, left, right, other).
Anything outside the language raises `Unreadable`; it is never guessed at.
"""

from __future__ import annotations

import re

IDENT = r"[^\W\d]\w*"
TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<sumof>\(sum of (?P<body>.+?) over the (?:\d+ )?samples\))"
    rf"|(?P<deriv>\bd(?P<top>{IDENT})/d(?P<bottom>{IDENT}))"
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)"
    rf"|(?P<ident>{IDENT}(?:\+(?![\w(]))?)"
    r"|(?P<op>[-+*/^(),=>])"
    r")"
)
FUNCTIONS = {"ln": r"\ln", "tanh": r"\tanh", "max": r"\max"}


class Unreadable(ValueError):
    """A formula the converter does not understand (shown verbatim instead)."""


def tokens(text: str) -> list[tuple[str, object]]:
    found, pos, text = [], 0, text.rstrip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise Unreadable(text[pos:])
        pos = match.end()
        if match.group("sumof"):
            found.append(("sumof", match.group("body")))
        elif match.group("deriv"):
            found.append(("deriv", (match.group("top"), match.group("bottom"))))
        else:
            kind = next(k for k in ("num", "ident", "op") if match.group(k))
            found.append((kind, match.group(kind)))
    return found


class Parser:
    """Recursive descent over the records' formula language; builds a small tree of tuples.

    equation := cases ('=' cases)* ; cases := sum ['if' sum '>' sum ',' 'else' sum]
    sum := product (('+'|'-') product)* ; product := unary (('*'|'/') unary)*
    unary := '-' unary | power ; power := atom ['^' unary] ; atom := number | name | call | (sum)
    A minus sign directly before a number belongs to the number: substituted formulas put values,
    some of them negative, where the names were (1 - -0.3^2 means 1 - (-0.3)^2).
    """

    def __init__(self, text: str):
        self.items = tokens(text)
        self.pos = 0

    def peek(self, offset: int = 0):
        index = self.pos + offset
        return self.items[index] if index < len(self.items) else (None, None)

    def take(self, kind=None, value=None):
        item = self.peek()
        if item[0] is None or (kind and item[0] != kind) or (value is not None and item[1] != value):
            raise Unreadable(f"expected {value or kind}, found {item[1]!r}")
        self.pos += 1
        return item

    def at(self, kind, value=None) -> bool:
        item = self.peek()
        return item[0] == kind and (value is None or item[1] == value)

    def end(self) -> None:
        if self.pos != len(self.items):
            raise Unreadable(f"unexpected {self.peek()[1]!r}")

    def equation(self) -> list:
        """The sides of an equation (one side when there is no =), which must use up the text."""
        sides = [self.cases()]
        while self.at("op", "="):
            self.take()
            sides.append(self.cases())
        self.end()
        return sides

    def whole(self):
        """One expression that uses up the text."""
        node = self.cases()
        self.end()
        return node

    def cases(self):
        value = self.sum()
        if not self.at("ident", "if"):
            return value
        self.take()
        left = self.sum()
        self.take("op", ">")
        right = self.sum()
        self.take("op", ",")
        self.take("ident", "else")
        return ("cases", value, left, right, self.sum())

    def sum(self):
        terms = [("", self.product())]
        while self.at("op", "+") or self.at("op", "-"):
            sign = self.take()[1]
            terms.append((sign, self.product()))
        return terms[0][1] if len(terms) == 1 else ("sum", terms)

    def product(self):
        node = self.unary()
        while self.at("op", "*") or self.at("op", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.at("op", "-"):
            self.take()
            if self.at("num"):
                return self.power(("num", "-" + self.take()[1]))
            return ("neg", self.unary())
        return self.power(self.atom())

    def power(self, base):
        if self.at("op", "^"):
            self.take()
            return ("pow", base, self.unary())
        return base

    def atom(self):
        kind, value = self.peek()
        if kind == "num":
            self.take()
            return ("num", value)
        if kind == "deriv":
            self.take()
            return ("deriv", *value)
        if kind == "sumof":
            self.take()
            return ("sumof", Parser(value).whole())
        if kind == "ident" and value in FUNCTIONS and self.peek(1) == ("op", "("):
            self.take()
            self.take("op", "(")
            args = [self.sum()]
            while self.at("op", ","):
                self.take()
                args.append(self.sum())
            self.take("op", ")")
            return ("call", value, args)
        if kind == "ident" and value not in ("if", "else"):
            self.take()
            return ("ident", value)
        if kind == "op" and value == "(":
            self.take()
            inner = self.sum()
            self.take("op", ")")
            return ("paren", inner)
        raise Unreadable(f"unexpected {value!r}")
