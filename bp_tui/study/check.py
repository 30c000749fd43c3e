"""Check a learner's page of figures against a round, and say where the numbers went wrong.

Every figure gets a verdict, in the order of the round's records:

    right     the right value to the digits given (rounded or cut off there)
    rounded   not quite the right value, but what the learner's own earlier figures give, and those
              are right: the difference comes from their rounding (it counts as right)
    carried   wrong, but what the learner's own earlier figures give: it follows from an earlier
              wrong figure, not from a slip of its own
    wrong     wrong even from the learner's own figures: a slip here; the diagnosis names it

The first figure that is not right is the first wrong one; it and every other figure with a slip
of its own get a diagnosis (diagnose.py, with the catalogue of slips.py).

For the app:
    check_page(stepper, page)          -> PageCheck (a verdict per figure, the first wrong one)
    explain_answer(stepper, step, typed) -> the slip behind a wrong quiz answer in one sentence, or None
"""

from __future__ import annotations

import difflib
from typing import NamedTuple

from ..engine.expectations import FigureLabel
from ..engine.records import Step, num
from .diagnose import Diagnosis, agrees, diagnose
from .page import Figure, Page, PageError, canonical, quantity_keys, read_number
from .round_model import GIVEN, RoundModel

RIGHT, ROUNDED, CARRIED, WRONG = "right", "rounded", "carried", "wrong"


class Verdict(NamedTuple):
    figure: Figure
    step: Step  # the round's record (step.index places it in the round)
    status: str  # RIGHT, ROUNDED, CARRIED or WRONG
    exact: float  # the right value
    yours_give: float | None  # what the learner's own earlier figures give (None: not recomputable)
    upstream: tuple[str, ...]  # CARRIED: the earlier wrong figures it follows from; ROUNDED: the rounded ones
    diagnosis: Diagnosis | None  # for WRONG
    source: FigureLabel | None = None  # not right, but the figure the scenario's source prints (and why)

    @property
    def quantity(self) -> str:
        return self.step.quantity

    @property
    def right(self) -> bool:
        return self.status in (RIGHT, ROUNDED)


class Unchecked(NamedTuple):
    figure: Figure
    reason: str  # "no such quantity in this round (did you mean net_h1?)"


class PageCheck(NamedTuple):
    round: int
    verdicts: tuple[Verdict, ...]  # in the order of the round
    unchecked: tuple[Unchecked, ...]  # in the order of the page

    @property
    def first_wrong(self) -> Verdict | None:
        return next((v for v in self.verdicts if not v.right), None)

    @property
    def all_right(self) -> bool:
        return all(v.right for v in self.verdicts)

    @property
    def slips(self) -> tuple[Verdict, ...]:
        """The figures wrong through a slip of their own (the first wrong one among them)."""
        return tuple(v for v in self.verdicts if v.status == WRONG)


def check_page(stepper, page: Page, round_number: int | None = None) -> PageCheck:
    """Check `page` against round `round_number` (else the page's own `round N`, else 1).

    Raises round_model.RoundError when training diverges before that round."""
    number = round_number or page.round or 1
    model = RoundModel(stepper, number)
    nodes, unchecked = _place(model, page)
    verdicts = tuple(v if v.right else v._replace(source=_printed_by_source(stepper, v)) for v in _verdicts(model, nodes))
    return PageCheck(number, verdicts, tuple(unchecked))


def _printed_by_source(stepper, verdict: Verdict) -> FigureLabel | None:
    """The scenario's label for this figure when the learner's wrong figure is what its source prints
    (the article's 0.291027924): the note under it says where that figure came from."""
    expected = stepper.expectation(verdict.step)
    if expected is None or not expected.expect.printed:
        return None
    printed = expected.expect.printed
    return expected.label if agrees(verdict.figure, float(printed)) else None


def _place(model: RoundModel, page: Page):
    """{node id: figure} for the figures the round has; the others with the reason."""
    keys = quantity_keys(model.by_name)
    givens = {canonical(name): name for name, _sample in model.given}
    placed: dict[int, Figure] = {}
    unchecked = []
    for figure in page.figures:
        quantity = keys.get(canonical(figure.name))
        node = None if quantity is None else model.node_of(quantity, figure.sample)
        if quantity is None and canonical(figure.name) in givens:
            unchecked.append(Unchecked(figure, _given_reason(model, givens[canonical(figure.name)], figure)))
        elif quantity is None:
            near = difflib.get_close_matches(canonical(figure.name), list(keys), n=1)
            hint = f" (did you mean {keys[near[0]]}?)" if near else ""
            unchecked.append(Unchecked(figure, f"no such quantity in round {model.number}{hint}"))
        elif node is None:
            unchecked.append(Unchecked(figure, f"{quantity}: there is no sample {figure.sample + 1}"))
        elif node.id in placed:
            unchecked.append(Unchecked(figure, f"{quantity} again: line {placed[node.id].line} is checked"))
        else:
            placed[node.id] = figure
    return placed, unchecked


def _given_reason(model: RoundModel, name: str, figure: Figure) -> str:
    """Why a given (a weight, bias, input, target or rate) is not checked, and whether it is the
    scenario's: the round starts from it, it is not computed."""
    key = (name, figure.sample or 0) if (name, figure.sample or 0) in model.given else (name, None)
    exact = model.nodes[model.given[key]].exact
    if agrees(figure, exact):
        return f"given by the scenario ({num(exact)}), not worked out"
    newer = f"; the new value is {name}+" if f"{name}+" in model.by_name else ""
    return f"the scenario gives {name} = {num(exact)}, not {figure.text}{newer}"


def _verdicts(model: RoundModel, placed: dict[int, Figure]) -> tuple[Verdict, ...]:
    values = [n.exact for n in model.nodes]
    uses: dict[int, frozenset[int]] = {}  # node -> the figures its value in force comes from
    verdicts: dict[int, Verdict] = {}
    later: list[int] = []
    for node in sorted((n for n in model.nodes if n.kind != GIVEN), key=lambda n: n.order):
        value, used = node.exact, frozenset()
        if node.computable:
            try:
                value = model.compute(node, None, lambda ref: _value(values, ref))
                used = uses_of(node, uses)
            except (ArithmeticError, ValueError, KeyError, TypeError):
                value, used = node.exact, frozenset()
        figure = placed.get(node.id)
        if figure is None:
            values[node.id], uses[node.id] = value, used
            continue
        values[node.id], uses[node.id] = figure.value, frozenset({node.id})
        status, upstream = RIGHT, ()
        if not agrees(figure, node.exact):
            slipped = [i for i in used if not verdicts[i].right]
            if node.computable and agrees(figure, value) and used:
                status = CARRIED if slipped else ROUNDED
                upstream = tuple(model.nodes[i].name for i in sorted(slipped or used))
            else:
                status = WRONG
                later.append(node.id)
        verdicts[node.id] = Verdict(figure, node.step, status, node.exact,
                                    value if node.computable else None, upstream, None)
    for node_id in later:  # every value in force is known now (a slip may read a later sub-step)
        node, given = model.nodes[node_id], (lambda other: other.id in placed)
        diagnosis = diagnose(model, node, placed[node_id], lambda ref: _value(values, ref), given)
        if diagnosis.slip is None and any(placed[i].value != model.nodes[i].exact for i in uses_of(node, uses)):
            # worked from the exact values after all (an earlier figure only miscopied, or written
            # rounded while the working kept every digit)?
            from_right = diagnose(model, node, placed[node_id], model.exact, lambda other: False)
            if from_right.slip is not None:
                diagnosis = from_right._replace(from_right_values=True)
        verdicts[node_id] = verdicts[node_id]._replace(diagnosis=diagnosis)
    return tuple(sorted(verdicts.values(), key=lambda v: v.step.index))


def _value(values, ref):
    return [values[i] for i in ref] if isinstance(ref, tuple) else values[ref]


def uses_of(node, uses) -> frozenset[int]:
    """The learner's figures a sub-step's value in force comes from."""
    found = frozenset()
    for ref in node.reads.values():
        for i in (ref if isinstance(ref, tuple) else (ref,)):
            found |= uses.get(i, frozenset())
    return found


def explain_answer(stepper, step: Step, typed: str) -> str | None:
    """The slip behind a wrong quiz answer, as one short sentence, or None when none explains it.

    Everything before `step` has been shown, so the search starts from the round's own values and
    recomputes only the sub-step asked. Raises PageError when `typed` is not a number."""
    found = read_number(typed)
    if found is None:
        raise PageError(f"{typed.strip()!r} is not a number")
    figure = Figure(0, step.quantity, step.sample, found[0], float(found[0]), found[1])
    model = RoundModel(stepper, step.epoch)
    node = model.nodes[model.of_step[step.index]]
    if agrees(figure, node.exact):
        return None
    found = diagnose(model, node, figure, model.exact, lambda other: other.id != node.id)
    return found.short if found.slip is not None else None
