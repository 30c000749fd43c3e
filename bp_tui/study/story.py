"""The story of one weight, bias or neuron this round: what a learner reads after pointing at it.

    story(stepper, shown, name, sample) -> lines

For a weight or bias: its value now, every sub-step shown so far that reads or changes it (a net
input it feeds, a path of the error back along it, its gradient written out by the chain rule, its
new value) with formula and numbers. For a neuron: its net input and output, its slope, its delta
and where that delta came from (the error, or the neurons above along their weights). Then, for a
saturated or dead neuron, why its weights barely move (engine/stuck.py); last, a short history of its
value at the start of the rounds run so far.

A key costs little on a big network: the round's records are indexed by name once per round, so a
story reads only its own records; the history samples a few rounds (`history_epochs`), reading each
round's parameters once through the stepper's checkpoints, kept for every name.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from ..engine.layout import Layout
from ..engine.records import Step, value_text
from ..engine.stepper import Stepper
from ..engine.stuck import SLOPE, stuck_at
from .derive import derive
from .derive_text import neuron_names, pretty, text_lines

HISTORY_ROUNDS = 8  # rounds sampled for the history, the first and the current among them
DERIVE_MAX_STEPS = 1000  # in rounds longer than this a gradient is written as its record (delta times input):
# writing the chain out takes the whole round's numbers, too slow for a key on a large network
SPARKS = "▁▂▃▄▅▆▇█"


class StoryLine(NamedTuple):
    kind: str  # "title", "say" (a sentence of ours), "math" (an equation, its lines indented), "mark", "history"
    text: str
    record: int = -1  # the sub-step (index in the round) the line tells about, -1 for none


# --- what can be selected, and what it is ---------------------------------------------------------

def selectables(layout: Layout) -> tuple[str, ...]:
    """Every weight, bias and (computing) neuron, in the picture's reading order: a layer of weights
    left to right, each neuron's weights in with its own bias, a shared bias after them, then the
    neurons they feed."""
    names = []
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            names.extend(row)
            if layout.bias_mode == "per-neuron":
                names.append(layout.bias_name(l, j))
        if layout.bias_mode == "shared":
            names.append(layout.bias_name(l, 0))
        names.extend(layout.neuron_names[l + 1])
    return tuple(names)


def describe(layout: Layout, name: str) -> str:
    """What a selectable name is, in words: "w5: the weight from h1 into o1"."""
    names = layout.neuron_names
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            if name in row:
                return f"{name}: the weight from {names[l][row.index(name)]} into {names[l + 1][j]}"
            if layout.bias_mode == "per-neuron" and name == layout.bias_name(l, j):
                return f"{name}: the bias of {names[l + 1][j]} (a weight on an input that is always 1)"
        if layout.bias_mode == "shared" and name == layout.bias_name(l, 0):
            return f"{name}: the bias shared by {', '.join(names[l + 1])} (a weight on an input that is always 1)"
    for L, layer in enumerate(names[1:], start=1):
        if name in layer:
            kind = "an output neuron" if L == len(names) - 1 else f"a neuron of hidden layer {L}"
            return f"{name}: {kind}"
    raise KeyError(name)


def is_neuron(layout: Layout, name: str) -> bool:
    return any(name in layer for layer in layout.neuron_names[1:])


# --- the round's records, by name -----------------------------------------------------------------

_INDEX: OrderedDict[tuple, dict[str, list[int]]] = OrderedDict()


def round_index(stepper: Stepper) -> dict[str, list[int]]:
    """For every name, the positions of the records of the round on screen that involve it: a
    parameter, those naming it; a neuron, those about it (it is the first neuron they name)."""
    key = (id(stepper), stepper.epoch, len(stepper.edits))
    found = _INDEX.get(key)
    if found is None:
        found = {}
        for step in stepper.window(0, stepper.count):
            for name in step.params:
                found.setdefault(name, []).append(step.index)
            if step.neurons:
                found.setdefault(step.neurons[0], []).append(step.index)
        _INDEX[key] = found
        while len(_INDEX) > 4:
            _INDEX.popitem(last=False)
    return found


# --- the story --------------------------------------------------------------------------------

def story(stepper: Stepper, shown: int, name: str, sample: int) -> list[StoryLine]:
    """The story of `name` in the round on screen, of its first `shown` sub-steps (those whose values
    the learner has seen); `sample` is the sample on screen (for a neuron's history)."""
    layout = stepper.layout
    neuron = is_neuron(layout, name)
    indices = [i for i in round_index(stepper).get(name, ()) if i < shown]
    steps = [stepper.window(i, i + 1)[0] for i in indices]
    lines = [StoryLine("title", describe(layout, name)), StoryLine("say", now(stepper, name, steps, neuron))]
    if neuron:
        stuck = stuck_now(stepper, shown).get(name)
        if stuck is not None:
            lines.append(StoryLine("mark", stuck.sentence()))
    lines += history(stepper, name, sample, neuron)
    keep = neuron_names(stepper)
    if not steps:
        lines.append(StoryLine("say", "Nothing this round has involved it yet: step on (space) and it appears here."))
    for step in steps:
        lines += [line._replace(record=step.index) for line in step_lines(stepper, step, name, keep)]
    return lines


def now(stepper: Stepper, name: str, steps: list[Step], neuron: bool) -> str:
    """Its value now: a parameter's (and its new value once shown), a neuron's output this sample."""
    if neuron:
        outs = [s for s in steps if s.quantity == f"out_{name}"]
        return f"out_{name} = {value_text(outs[-1].value)} this sample" if outs else f"out_{name} is not computed yet"
    start = parameter_values(stepper, stepper.epoch)[name]
    text = f"{name} = {value_text(start)} at the start of round {stepper.epoch + 1}"
    new = [s for s in steps if s.quantity == f"{name}+"]
    if new:
        text += f"; {name}+ = {value_text(new[-1].value)} now"
    return text


def step_lines(stepper: Stepper, step: Step, name: str, keep: frozenset) -> list[StoryLine]:
    """One sub-step of the story: its equation with numbers; a gradient with its chain written out;
    where a delta comes from."""
    q = step.quantity
    gradient = q == f"dE_total/d{name}"
    derivation = derive(step, stepper) if gradient and stepper.count <= DERIVE_MAX_STEPS else None
    if derivation is not None:
        lines = [StoryLine("say", f"Its gradient, by the chain rule (sample {step.sample + 1}):"
                           if step.sample is not None else "Its gradient, by the chain rule:")]
        equations = derivation._replace(lines=tuple(line for line in derivation.lines if line.kind in ("math", "plus")))
        return lines + [StoryLine("math", line) for line in text_lines(equations, keep)]
    indent = " " * (len(pretty(q, keep)) + 1)
    lines = [StoryLine("math", pretty(step.formula, keep)),
             StoryLine("math", f"{indent}= {pretty(step.substituted, keep)}"),
             StoryLine("math", f"{indent}= {value_text(step.value)}")]
    if q == f"delta_{name}" or (q == f"dE_total/dout_{name}" and len(step.neurons) > 1):
        lines.append(StoryLine("say", came_from(step, name)))
    return lines


def came_from(step: Step, name: str) -> str:
    above, along = [n for n in step.neurons if n != name], list(step.params)
    if step.quantity.startswith("delta_"):
        return f"{step.quantity}: how fast the error grows with {name}'s net input; the weights into {name} learn from it."
    return f"The error reaches {name} from {', '.join(above)}, back along {', '.join(along)}."


def stuck_now(stepper: Stepper, shown: int) -> dict:
    """The saturated and dead neurons at the weights in force after `shown` sub-steps of the round."""
    values = dict(parameter_values(stepper, stepper.epoch))
    pending = set(stepper.pending(shown))
    for step in stepper.window(0, shown):
        for p in step.params:
            if step.quantity == f"{p}+" and p not in pending:
                values[p] = step.value
    return stuck_at(stepper.net, values)


# --- the history over rounds ----------------------------------------------------------------------

_VALUES: OrderedDict[tuple, dict[str, float]] = OrderedDict()


def parameter_values(stepper: Stepper, epoch: int) -> dict[str, float]:
    """Every weight and bias by name after `epoch` rounds (kept: the history asks again on every key)."""
    from ..views.picture import params_by_name  # (the picture's naming, so the two agree)

    key = (id(stepper), len(stepper.edits), epoch)
    found = _VALUES.get(key)
    if found is None:
        found = _VALUES[key] = params_by_name(stepper.layout, stepper.state_at(epoch).params)
        while len(_VALUES) > 64:
            _VALUES.popitem(last=False)
    return found


def history_epochs(completed: int, most: int = HISTORY_ROUNDS) -> list[int]:
    """Up to `most` round counts from 0 to `completed`, evenly spread, the first and last always in."""
    if completed < most:
        return list(range(completed + 1))
    return sorted({round(i * completed / (most - 1)) for i in range(most)})


def history(stepper: Stepper, name: str, sample: int, neuron: bool) -> list[StoryLine]:
    epochs = history_epochs(stepper.epoch)
    if neuron:
        what = f"out_{name} (sample {sample + 1})" if len(stepper.scenario.inputs) > 1 else f"out_{name}"
        values = [neuron_out(stepper, e, name, sample) for e in epochs]
    else:
        what, values = name, [parameter_values(stepper, e)[name] for e in epochs]
    if len(epochs) == 1:
        return [StoryLine("history", f"History: this is round 1; {what} starts from {value_text(values[0])}.")]
    pairs = " · ".join(f"{e + 1}: {short(v)}" for e, v in zip(epochs, values))
    return [StoryLine("history", f"History of {what} at the start of each round: {pairs}"),
            StoryLine("history", f"  {sparks(values)}  from {short(values[0])} to {short(values[-1])}")]


def neuron_out(stepper: Stepper, epoch: int, name: str, sample: int) -> float:
    layout = stepper.layout
    L = next(L for L, layer in enumerate(layout.neuron_names) if name in layer)
    _nets, outs = stepper.net.forward(stepper.state_at(epoch).params, stepper.scenario.inputs[sample])
    return outs[L][layout.neuron_names[L].index(name)]


def short(x: float) -> str:
    return f"{x:.6g}"


def sparks(values: list[float]) -> str:
    """A bar per value, scaled from the smallest to the largest (the line says both)."""
    low, high = min(values), max(values)
    if not high > low:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, int((v - low) / (high - low) * len(SPARKS)))] for v in values)


def slope_neuron(quantity: str) -> str | None:
    """The neuron whose slope a quantity is (dout_h1/dnet_h1 -> h1), or None."""
    match = SLOPE.fullmatch(quantity)
    return None if match is None else match.group(1)
