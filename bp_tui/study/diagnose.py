"""Why is a figure wrong? Recompute it with each slip of the catalogue and name the one that fits.

The search starts from the numbers in force: the learner's own figures where the page gives them,
the engine's computation from those figures everywhere else. The figure's sub-step and the
unwritten sub-steps it is computed from (its chain) are computed again with a slip made; when the
result agrees with the learner's number to the digits given, that slip explains the figure.
"""

from __future__ import annotations

import heapq
import math
from typing import NamedTuple

from ..engine.records import num
from . import expression as ex
from .page import Figure
from .round_model import GIVEN, Node, RoundModel
from .slips import CATALOGUE, Slip, Variant

MIN_SIGNIFICANT = 3  # fewer digits than this and too many slips would fit by chance
TRUNCATED_SIGNIFICANT = 4  # a figure cut off (not rounded) counts from this many digits, as in the quiz
MAX_EVALUATIONS = 100_000  # sub-steps recomputed in one search, at most (about a second)


class Diagnosis(NamedTuple):
    """What explains a wrong figure, with the numbers."""

    quantity: str
    yours: Figure
    slip: Slip | None  # None: no slip of the catalogue explains it
    detail: str  # "with b1 = 0.65 instead of 0.35"
    short: str  # one sentence for the quiz: "that is what w3 gives; net_h1 uses w2"
    value: float | None  # what the formula gives with the slip
    working: tuple[str, ...]  # the sub-steps recomputed with the slip: "name = formula = numbers = value"
    right: str  # the formula with the right numbers (from the learner's earlier figures, if given)
    agrees_to: int | None  # decimals to which the learner's figure agrees with the right value
    also: tuple[str, ...] = ()  # other slips that fit as well
    complete: bool = True  # False when the search stopped at MAX_EVALUATIONS (a long unwritten chain)
    from_right_values: bool = False  # found from the right earlier values, not the learner's wrong ones

    @property
    def sentence(self) -> str:
        """One line: `net_h2: you have 0.6925; with b1 = 0.65 instead of 0.35 the formula gives 0.6925`."""
        start = f"{self.quantity}: you have {self.yours.text}"
        close = (f"; it is right to {self.agrees_to} decimal{'s' if self.agrees_to > 1 else ''}"
                 if self.agrees_to else "")
        if self.slip is None and not self.complete:
            return (f"{start}; no slip found before the search stopped{close} (give the figures before it "
                    "too, and the search has less to try)")
        if self.slip is None:
            return f"{start}; no slip in the catalogue explains it{close}"
        if self.slip.name == "rounded-intermediates":
            return f"{start}{close}: {self.detail} the formula gives {num(self.value)}"
        return f"{start}; {self.detail} the formula gives {num(self.value)}"


class Search:
    """What the variants of a slip work on: the round, the chain of the figure, the values in force."""

    def __init__(self, model: RoundModel, target: Node, values, fixed):
        self.model, self.target, self._values = model, target, values
        self.chain = model.ancestors(target, stop=fixed)
        self.chain_ids = {n.id for n in self.chain}
        self.position = {n.id: i for i, n in enumerate(self.chain)}
        self.readers: dict[int, list[int]] = {}  # node id -> positions in the chain of the sub-steps reading it
        leaves = {}
        for position, node in enumerate(self.chain):
            for ref in node.reads.values():
                for read in (ref if isinstance(ref, tuple) else (ref,)):
                    self.readers.setdefault(read, []).append(position)
                    if model.nodes[read].kind == GIVEN:
                        leaves[read] = model.nodes[read]
        self.leaves = sorted(leaves.values(), key=lambda n: n.id)  # the givens the chain reads
        self.evaluations = 0
        self._fed: dict[int, bool] = {}  # later node -> whether the figure's own sub-step feeds it

    def value(self, node_id: int) -> float:
        """The value in force; for a later sub-step that the figure itself feeds (a slip that reads
        ahead, as out_h1 written for net_h1), the right value, which does not come from the figure."""
        node = self.model.nodes[node_id]
        if node.order > self.target.order:
            if node_id not in self._fed:
                self._fed[node_id] = any(n.id == self.target.id
                                         for n in self.model.ancestors(node, stop=lambda n: False))
            if self._fed[node_id]:
                return node.exact
        return self._values(node_id)

    def replay(self, variant: Variant) -> dict[int, float]:
        """The chain's values with the variant's change made (only what the change reaches)."""
        model, places = self.model, variant.rounding
        computed: dict[int, float] = {}

        def value_of(ref):
            if isinstance(ref, tuple):
                return [value_of(i) for i in ref]
            if ref in variant.values:
                return variant.values[ref]
            value = computed[ref] if ref in computed else self.value(ref)
            if places is not None and ref in self.chain_ids:
                value = round(value, places)
            return value

        if places is not None:
            todo = list(range(len(self.chain)))
        else:
            todo = [self.position[i] for i in variant.edits if i in self.position]
            for leaf in variant.values:
                todo.extend(self.readers.get(leaf, ()))
        heapq.heapify(todo)
        done = set()
        while todo:  # in the chain's order, each changed value passes the change on to its readers
            position = heapq.heappop(todo)
            if position in done:
                continue
            done.add(position)
            node = self.chain[position]
            self.evaluations += 1
            computed[node.id] = model.compute(node, variant.edits.get(node.id), value_of)
            for reader in self.readers.get(node.id, ()):
                heapq.heappush(todo, reader)
        return computed

    def working(self, variant: Variant, computed: dict[int, float]) -> tuple[str, ...]:
        """The recomputed sub-steps written out: formula, numbers, value."""
        needed = {self.target.id}  # what the target reads, with the slip made, and so on up the chain
        for node in reversed(self.chain):
            if node.id in needed and node.tree is not None:
                for name in ex.names(variant.edits.get(node.id, node.tree)):
                    ref = node.reads.get(name)
                    ref = self.model.resolve(name, node) if ref is None else ref
                    needed.update(ref if isinstance(ref, tuple) else (ref,))
        lines = []
        for node in self.chain:
            if node.id not in computed or node.tree is None or node.id not in needed:
                continue
            if node is not self.target and num(computed[node.id]) == num(self.value(node.id)):
                continue  # not changed by the slip, to the digits shown
            tree = variant.edits.get(node.id, node.tree)
            numbers = ex.show(tree, lambda name, node=node: self.number(node, name, variant, computed))
            value = num(computed[node.id])
            lines.append(f"{node.name} = {ex.show(tree)} = " + (f"{numbers} = {value}" if numbers != value else value))
        return tuple(lines)

    def number(self, node, name, variant, computed):
        ref = node.reads.get(name)
        if ref is None:
            ref = self.model.resolve(name, node)
        if isinstance(ref, tuple):
            return [self._number_of(i, variant, computed) for i in ref]
        return self._number_of(ref, variant, computed)

    def _number_of(self, ref, variant, computed):
        if ref in variant.values:
            return variant.values[ref]
        value = computed.get(ref, self.value(ref))
        return round(value, variant.rounding) if variant.rounding is not None and ref in self.chain_ids else value


def agrees(figure: Figure, value: float) -> bool:
    """Whether a figure is `value` to the digits given: rounded there, or cut off after its last
    digit when it has at least TRUNCATED_SIGNIFICANT of them (0.5932 for 0.593269992)."""
    if figure.value == value:
        return True
    if not math.isfinite(value):  # a page's figures are finite: no slack makes them infinite
        return False
    step = 10.0 ** -figure.places
    if step == 0.0:  # digits below the smallest float (1.1e-308 written out): only equality counts
        return False
    slack = 1e-9 * step + 1e-12 * abs(value)
    if abs(figure.value - value) <= step / 2 + slack:
        return True
    if figure.significant < TRUNCATED_SIGNIFICANT:
        return False
    cut = value - math.fmod(value, step)  # truncated towards zero (fmod is exact, even for 1e300)
    return abs(figure.value - cut) <= slack + 1e-9 * step


def agreeing_places(figure: Figure, value: float) -> int | None:
    """The most decimals (fewer than given) to which the figure is right, if at least one."""
    for places in range(figure.places - 1, 0, -1):
        if round(value, places) != 0 and round(figure.value, places) == round(value, places):
            return places
    return None


def diagnose(model: RoundModel, target: Node, figure: Figure, values, fixed) -> Diagnosis:
    """Which slip explains `figure` for the sub-step `target`, from the values in force.

    `values(node_id)` gives a node's value in force (the learner's figures carried forward) and
    `fixed(node)` tells which sub-steps the learner gave (the search does not change those).
    """
    search = Search(model, target, values, fixed)
    try:
        right_value = model.compute(target, None, values) if target.computable else target.exact
    except (ArithmeticError, ValueError):  # an overflow from the learner's numbers
        right_value = target.exact
    found = _search(search, figure, right_value) if figure.significant >= MIN_SIGNIFICANT else []
    right = _right_line(search, target, right_value)
    agrees_to = agreeing_places(figure, right_value)
    complete = search.evaluations <= MAX_EVALUATIONS
    if not found:
        return Diagnosis(target.name, figure, None, "", "", None, (), right, agrees_to, (), complete)
    slip, variant, computed = found[0]
    return Diagnosis(target.name, figure, slip, variant.detail, variant.short, computed[target.id],
                     search.working(variant, computed), right, agrees_to, tuple(f[0].name for f in found[1:3]),
                     complete)


def _search(search: Search, figure: Figure, right_value: float) -> list[tuple[Slip, Variant, dict]]:
    """The slips that give the figure, best first: those made in the figure's own sub-step (or in a
    given it reads) before those made further up its chain, each group in the catalogue's order."""
    direct, indirect = [], []
    target = search.target
    for slip in CATALOGUE:
        if len(direct) >= 3:
            break
        found_here: set[bool] = set()
        for variant in slip.variants(search):
            if search.evaluations > MAX_EVALUATIONS or True in found_here:
                break
            here = (target.id in variant.edits or variant.rounding is not None
                    or any(ref in variant.values for ref in target.reads.values() if isinstance(ref, int)))
            if here in found_here:
                continue
            try:
                value = search.replay(variant).get(target.id)
            except (ArithmeticError, ValueError, KeyError, TypeError):
                continue
            strict = variant.rounding is not None  # rounding is about the last digits: no slack there
            if value is not None and close(figure, value, strict) and not close(figure, right_value, strict):
                (direct if here else indirect).append((slip, variant, search.replay(variant)))
                found_here.add(here)
    return direct + [f for f in indirect if all(f[0] is not d[0] for d in direct)]


def close(figure: Figure, value: float, strict: bool = False) -> bool:
    """Agrees to the digits given or, for a figure of 5 or more digits, to within 1.5 in the last one:
    a slip worked by hand from rounded numbers lands a digit off, and still deserves its name."""
    if agrees(figure, value):
        return True
    return not strict and figure.significant >= 5 and abs(figure.value - value) <= 1.5 * 10.0 ** -figure.places


def _right_line(search: Search, target: Node, value: float) -> str:
    if target.tree is None:
        step = target.step
        return f"{step.formula} = {step.substituted} = {num(step.value)}"
    numbers = ex.show(target.tree, lambda name: search.number(target, name, Variant("", ""), {}))
    return f"{target.name} = {ex.show(target.tree)} = {numbers} = {num(value)}"
