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
        self.reading: dict[str, list[Node]] = {}  # name -> the chain's sub-steps whose formula reads it
        leaves = {}
        for position, node in enumerate(self.chain):
            for name in node.reads:
                self.reading.setdefault(name, []).append(node)
            for ref in node.reads.values():
                for read in (ref if isinstance(ref, tuple) else (ref,)):
                    self.readers.setdefault(read, []).append(position)
                    if model.nodes[read].kind == GIVEN:
                        leaves[read] = model.nodes[read]
        self.leaves = sorted(leaves.values(), key=lambda n: n.id)  # the givens the chain reads
        self.evaluations = 0
        self._reach: list[int] | bool | None = None  # for `_replay_changes`, made on its first use

    def value(self, node_id: int) -> float:
        """The value in force; for a later sub-step that the figure itself feeds (a slip that reads
        ahead, as out_h1 written for net_h1), the right value, which does not come from the figure."""
        node = self.model.nodes[node_id]
        if node.order > self.target.order and self.target.id in self.model.upstream(node_id):
            return node.exact
        return self._values(node_id)

    def replay(self, variant: Variant) -> dict[int, float]:
        """The chain's values with the variant's change made: {node id: value} of the sub-steps the
        change reaches, and always the figure's own (empty when the change reaches nothing).

        The search replays thousands of variants, each changing one formula or one given, so only
        what the change actually moves is worked out again (`_replay_changes`); rounding changes
        every sub-step, and is replayed in full (`_replay_all`). Both give the same numbers."""
        if variant.rounding is None and self._changes_only():
            return self._replay_changes(variant)
        return self._replay_all(variant)

    def _starts(self, variant: Variant) -> list[int]:
        """Positions in the chain of the sub-steps the variant changes directly."""
        starts = [self.position[i] for i in variant.edits if i in self.position]
        for leaf in variant.values:
            starts.extend(self.readers.get(leaf, ()))
        return starts

    def _replay_all(self, variant: Variant) -> dict[int, float]:
        """Every sub-step the change reaches worked out again, in the chain's order."""
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

        todo = list(range(len(self.chain))) if places is not None else self._starts(variant)
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

    # --- the fast replay -------------------------------------------------------------------------
    #
    # `_replay_all` is the plain statement of a replay; the search runs thousands of them, so
    # `_replay_changes` gives the same numbers, to the last bit, with less work:
    #   - each sub-step's own formula is worked out by its compiled form (RoundModel.formula);
    #   - the values read come from one dict: the values in force, with the variant's givens and
    #     the recomputed sub-steps written over them;
    #   - the chain is in an order where every sub-step comes after what it reads (the round's
    #     order is one; if not, `_replay_all` is used), so what is left to work out is a bit mask
    #     of positions, taken lowest first: no heap, no set of those done;
    #   - a sub-step whose value comes out the same, to the last bit, as its value in force does
    #     not pass the change on: its readers would read the same number either way. Worked out
    #     anyway are the sub-steps the variant changes directly and the "unsettled" ones the change
    #     reaches, whose own formula from the values in force does not give their value in force
    #     (the figure itself, a learner's number; an engine value off in the last bit; an
    #     overflow): `_replay_all` would give those another value, or fail.
    # `evaluations` still counts every sub-step the change reaches, as `_replay_all` does: it bounds
    # the search (MAX_EVALUATIONS), and a faster search must stop where the plain one does.

    def _changes_only(self) -> bool:
        """Whether `_replay_changes` can be used; on the first call, works out what it needs."""
        if self._reach is None:
            self._prepare_changes()
        return self._reach is not False

    def _prepare_changes(self) -> None:
        """The values in force, the compiled formulas, the unsettled sub-steps and what each reaches."""
        chain, model = self.chain, self.model
        readers = [self.readers.get(node.id, ()) for node in chain]
        if any(reader <= position for position, later in enumerate(readers) for reader in later):
            self._reach = False  # a sub-step reads a later one: only the full replay keeps the order
            return
        in_force = {}  # node id -> value in force, for the chain and what it reads
        for node in chain:
            in_force[node.id] = self.value(node.id)
            for ref in node.reads.values():
                for i in (ref if isinstance(ref, tuple) else (ref,)):
                    in_force[i] = self.value(i)
        self._in_force = in_force
        # position -> (node id, its own computation, bit mask of the positions reading it)
        self._steps = [(node.id, model.formula(node), sum(1 << reader for reader in set(later)))
                       for node, later in zip(chain, readers)]
        value_of = _Values(self, in_force).__getitem__
        self._unsettled = 0  # bit mask of positions
        for position, (node_id, formula, _readers) in enumerate(self._steps):
            try:
                settled = _same_bits(formula(value_of), in_force[node_id])
            except Exception:  # noqa: BLE001 (whatever it is, a replay reaching it meets it again)
                settled = False
            if not settled:
                self._unsettled |= 1 << position
        reach = [0] * len(chain)  # position -> bit mask of the positions a change there reaches
        for position in reversed(range(len(chain))):
            for reader in readers[position]:
                reach[position] |= reach[reader]
            reach[position] |= 1 << position
        self._reach = reach

    def _replay_changes(self, variant: Variant) -> dict[int, float]:
        """As `_replay_all` (without rounding), working out only the sub-steps whose value can change."""
        starts = self._starts(variant)
        if not starts:
            return {}
        if any(ref in self.position for ref in variant.values):  # (a slip that sets a sub-step's value)
            return self._replay_all(variant)
        edits, in_force, steps = variant.edits, self._in_force, self._steps
        values = _Values(self, in_force)
        values.update(variant.values)
        value_of = values.__getitem__
        reached = todo = 0
        for position in starts:
            reached |= self._reach[position]
            todo |= 1 << position
        todo |= reached & self._unsettled
        computed: dict[int, float] = {}
        position = -1
        try:
            while todo:  # the lowest position first: the chain's order
                lowest = todo & -todo
                todo ^= lowest
                position = lowest.bit_length() - 1
                node_id, formula, readers = steps[position]
                if node_id in edits:
                    value = self.model.compute(self.chain[position], edits[node_id], value_of)
                else:
                    value = formula(value_of)
                computed[node_id] = values[node_id] = value
                before = in_force[node_id]
                if value != before or not _same_bits(value, before):  # (the quick test first)
                    todo |= readers
        except BaseException:
            self.evaluations += (reached & ((2 << position) - 1)).bit_count()  # those reached up to the failure
            raise
        self.evaluations += reached.bit_count()
        if self.target.id not in computed:  # reached, and settled: `_replay_all` gives its value in force
            computed[self.target.id] = in_force[self.target.id]
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


def _same_bits(a, b) -> bool:
    """Whether two values are the same float to the last bit (0.0 and -0.0 differ; NaN is never the same)."""
    return (a == b and a.__class__ is float and b.__class__ is float
            and (a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b)))


class _Values(dict):
    """Node id -> value, as a replay reads them. A ref not in it (a slip's formula may read any
    node) is the search's value in force; a tuple of refs (a sum over the samples), their list."""

    __slots__ = ("search",)

    def __init__(self, search: Search, values: dict[int, float]):
        super().__init__(values)
        self.search = search

    def __missing__(self, ref):
        return [self[i] for i in ref] if isinstance(ref, tuple) else self.search.value(ref)


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
    givens_read = [ref for ref in target.reads.values() if isinstance(ref, int)]  # (by the figure's own formula)
    for slip in CATALOGUE:
        if len(direct) >= 3:
            break
        found_here: set[bool] = set()
        for variant in slip.variants(search):
            if search.evaluations > MAX_EVALUATIONS or True in found_here:
                break
            here = (target.id in variant.edits or variant.rounding is not None
                    or any(ref in variant.values for ref in givens_read))
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
