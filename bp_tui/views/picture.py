"""The network drawn as a picture: neurons as boxes, every weight a line with its name and value.

    draw(shape, state, width, height) -> styled lines, or None when the network does not fit

`shape_of(scenario)` says what the layout depends on; a `PictureState` is one moment of a round:
the values computed so far, every weight and bias (which are updated, which pending), and the
current sub-step (`state_of(stepper)` builds it from a stepper). The layout (picture_layout.py)
is made once per shape and size; a draw only fills in values and lights what the step touches
(picture_render.py), so the app can redraw it on every key.

What a sub-step lights comes from its record alone (`lit`): the neurons it names, the lines of
the parameters it names, and the weights joining its own neuron (the first it names) to the other
neurons it names, so that `dE_total/dout_h1` (h1, o1, o2) lights w5 and w7. A shared bias lights
only its lines into neurons the step names. An output's line into the error is lit when the step
names that output and its quantity is the error or a rate of the error (E_..., dE_..., delta_...).
Lit lines are heavy and carry an arrow head: right in the forward pass and the error, left in the
backward pass (a derivative); an update lights its one line, without an arrow. The bar in front
of the step's own neuron is heavy too, so a step about one neuron (out_h1, delta_o1) shows. A negative
weight's line is dashed and its value carries a minus sign, so sign and highlight read in plain
text too; colour (tags) only stresses them.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Mapping, NamedTuple

from ..engine.phases import phase_kind
from ..engine.records import Step
from ..engine.stuck import DEAD_MARK, SATURATED_MARK, Stuck, stuck_at
from .picture_layout import geometry
from .picture_shape import ERROR, Geometry, Options, Shape, Slot, bar_id, size
from .picture_render import NO_TAGS, render, tags_of, weight_tags
from .styled import Line, plain

MISSING = "·"  # a value the round has not computed yet
ABOUT_THE_ERROR = ("E_", "dE_", "delta_")  # quantities that reach the error through the outputs
PENDING = "…"  # after a new value that is computed but not applied yet
SELECTED = ("▸", "◂")  # around what the learner selected (glyphs: they survive NO_COLOR)

LEGEND_WIDTH = 80  # the legend stays within a standard terminal, however wide the picture


def legend(scenario) -> list[str]:
    """What the picture's marks mean, told with this network's own names and values (its last
    layer's first weight, its first bias) so that every example is something the picture shows."""
    rows = legend_rows(scenario)
    pad = max(10, max(len(mark) for mark, _ in rows) + 2)
    return [f"{mark:<{pad}}{words}"[:LEGEND_WIDTH] for mark, words in rows]


def legend_rows(scenario) -> list[tuple[str, str]]:
    """The legend as (mark, what it means) pairs."""
    layout = scenario.layout
    weight = layout.weight_names[-1][0][0]
    example = f"{weight} {fmt(scenario.weights[-1][0][0])}"
    rows = [(example, f"a weight's name and value; {weight}+ once updated, … not applied yet"),
            ("─ ╌", "a positive, a negative weight"),
            ("━ ╍ ┃", "the current sub-step's path and neuron"),
            ("▶ ◀", "the step's direction: forward, backward"),
            ("┼", "lines crossing without joining (┬ ┤ ┴ ┘ join)"),
            (f"{SATURATED_MARK} {DEAD_MARK}", "a saturated, a dead neuron: the error barely, or never, gets through it"),
            (f"{SELECTED[0]}{weight}{SELECTED[1]}", "what you selected (s, tab or a click): its story below")]
    bias = layout.bias_name(0, 0)
    if layout.bias_mode == "shared":
        first = scenario.biases[0]
        rows.append((f"{bias} {fmt(first)}", "a bias shared by a layer: a weight on an input that is always 1"))
    elif layout.bias_mode == "per-neuron":
        rows.append((f"1 {bias}", "a bias: a weight on an input that is always 1"))
    return rows


@lru_cache(maxsize=8192)
def fmt(x: float) -> str:
    """A value in at most 7 cells: 4 decimals, trailing zeros dropped (0.15, -0.3589, 12.346)."""
    if not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    for decimals in (4, 3, 2, 1):
        text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
        if text in ("0", "-0") and x != 0:
            break  # too small to round honestly: e-notation below
        if len(text) <= 7:
            return "0" if text == "-0" else text
    for decimals in (2, 1, 0):  # as many digits as fit: 3.51e-5, not 4e-5, for 3.510187783e-05
        text = f"{x:.{decimals}e}".replace("e-0", "e-").replace("e+0", "e+")
        if len(text) <= 7:
            break
    return text


def shape_of(scenario) -> Shape:
    """What the picture's layout depends on, from a scenario."""
    inputs = [fmt(x) for sample in scenario.inputs for x in sample]
    targets = [fmt(t) for sample in scenario.targets for t in sample]
    fixed = 0
    if scenario.biases is not None and not scenario.train_biases:
        flat = [b for layer in scenario.biases for b in (layer if isinstance(layer, tuple) else (layer,))]
        fixed = max(len(fmt(b)) for b in flat)
    return Shape(scenario.layout, scenario.activations, max(map(len, inputs)),
                 max(map(len, targets)), 7, 7, fixed)


class PictureState(NamedTuple):
    """One moment of a round, as the picture shows it."""

    values: Mapping[str, float]  # by quantity (net_h1, out_h1, E_total), input name, target_o1
    params: Mapping[str, float]  # every weight and bias by name, as shown
    updated: frozenset = frozenset()  # parameters shown with their new value (w5+)
    pending: frozenset = frozenset()  # ... whose new value is not applied yet
    step: Step | None = None
    in_force: Mapping[str, float] = {}  # a pending parameter's old value, which the round still uses
    stuck: Mapping[str, Stuck] = {}  # saturated and dead neurons, at the weights in force (engine/stuck.py)
    selected: str = ""  # the neuron, weight or bias the learner selected (marked with SELECTED)


# From roomiest to tightest: a row of headings, each output's target, trunks two columns apart,
# a bar before each box, a shared bias's name and value on one row.
OPTIONS = tuple(Options(spacing, blank, headings, targets, wide_bias)
                for headings, targets in ((True, True), (True, False), (False, True), (False, False))
                for spacing, blank in ((2, True), (1, True), (1, False))
                for wide_bias in (True, False))


@lru_cache(maxsize=64)
def fitting(shape: Shape, width: int, height: int) -> Geometry | None:
    """The roomiest layout of `shape` within width x height (None when none fits)."""
    for options in OPTIONS:
        columns, rows = size(shape, options)
        if columns <= width and rows <= height:
            return geometry(shape, options)
    return None


@lru_cache(maxsize=64)
def needed(shape: Shape) -> tuple[int, int]:
    """The fewest columns and the fewest rows the picture of `shape` takes (its tightest layout)."""
    sizes = [size(shape, options) for options in OPTIONS]
    return min(columns for columns, _rows in sizes), min(rows for _columns, rows in sizes)


PAPER = (120, 60)  # the columns and rows a document gives the picture


def on_paper(scenario) -> Geometry | None:
    """The layout of `scenario` in a document (Markdown, LaTeX), or None when it is too large."""
    return fitting(shape_of(scenario), *PAPER)


@lru_cache(maxsize=64)
def tightest(shape: Shape, width: int) -> Options:
    """The options of the layout of `shape` with the fewest rows within `width` columns, or of the
    narrowest one when none fits (the app draws it anyway when the learner asks for the picture,
    scrolled or cut). `size` says how large it is before `geometry` lays it out."""
    sizes = [(size(shape, options), options) for options in OPTIONS]  # (roomiest first: min keeps the first)
    within = [(rows, options) for (columns, rows), options in sizes if columns <= width]
    if within:
        return min(within, key=lambda found: found[0])[1]
    return min(sizes, key=lambda found: found[0][0])[1]


def draw(shape: Shape, state: PictureState, width: int, height: int) -> list[Line] | None:
    found = fitting(shape, width, height)
    return None if found is None else draw_layout(found, state)


def draw_layout(geo: Geometry, state: PictureState) -> list[Line]:
    """The picture in a given layout (one of `fitting` or `tightest`)."""
    step_lit = lit(geo, state.step)
    return render(geo, state.params, step_lit.edges, step_lit.flow,
                  lambda slot, fill, tags: slot_text(slot, fill, tags, state, step_lit))


# --- what the step touches -----------------------------------------------------------------------

class Lit(NamedTuple):
    neurons: frozenset
    edges: frozenset  # edge ids, and bar ids of boxes where several lit lanes add up
    quantity: str
    own: str  # the neuron the step's quantity belongs to
    flow: str  # forward | backward | update | none
    shown: bool  # the quantity has a place of its own in the picture (a value or a weight's label)


def flow_of(step: Step | None) -> str:
    """Which way the step goes, from its quantity: derivatives go backward, updates stay put."""
    if step is None:
        return "none"
    q = step.quantity
    if any(q in (f"{p}+", f"v_{p}") for p in step.params):
        return "update"
    return "backward" if q.startswith(("d", "delta_")) else "forward"


def lit(geo: Geometry, step: Step | None) -> Lit:
    if step is None:
        return Lit(frozenset(), frozenset(), "", "", "none", False)
    neurons = frozenset(step.neurons)
    params = set(step.params)
    own = step.neurons[0] if step.neurons else ""
    flow = flow_of(step)
    edges = set()
    for edge in geo.edges.values():
        if edge.target == ERROR:
            on = edge.source in neurons and step.quantity.startswith(ABOUT_THE_ERROR)
        elif edge.source == edge.param:  # a shared bias: only its lines into the neurons named
            on = edge.param in params and edge.target in neurons
        elif edge.param in params:
            on = True
        else:  # a weight joining the step's own neuron to another neuron it names
            ends = {edge.source, edge.target}
            on = own in ends and bool((ends - {own}) & neurons)
        if on:
            edges.add(edge.id)
    for neuron, into in geo.neuron_edges.items():  # a box's bar: its own neuron, or lanes adding up
        if neuron == own or sum(1 for e in into if e in edges) > 1:
            edges.add(bar_id(neuron))
    q = step.quantity
    shown = q.removesuffix("+") in (f"net_{own}", f"out_{own}", "E_total") or any(
        q in (f"{p}+", f"v_{p}") or q.endswith(f"/d{p}") for p in params)
    return Lit(neurons, frozenset(edges), q, own, flow, shown)


# --- the texts -----------------------------------------------------------------------------------

def slot_text(slot: Slot, fill: str, line_tags: frozenset, state: PictureState, step: Lit):
    """A slot's text as (text, tags) parts (see picture_layout.Slot for the kinds)."""
    kind, key = slot.kind, slot.key
    if kind == "heading":
        return [(key, tags_of("title"))]
    if kind == "neuron":
        focus = key == step.own and not step.shown
        stuck = state.stuck.get(key)
        text = key if stuck is None else f"{key} {stuck.mark}"
        chosen = key == state.selected
        tags = tags_of("hot" if key in step.neurons else "", "focus" if focus else "", "selected" if chosen else "")
        return [(text + SELECTED[1] if chosen else text, tags)]
    if kind in ("net", "out", "target"):
        return [(f"{kind} ", NO_TAGS), _value(state, f"{kind}_{key}", step.quantity)]
    if kind == "input":
        return [(key, tags_of("hot" if key in step.neurons else "")), (" ", NO_TAGS), _value(state, key, "")]
    if kind == "one":
        return [("1", NO_TAGS)]
    if kind == "error-name":
        return [(key, tags_of("hot" if any(e.endswith(">" + ERROR) for e in step.edges) else ""))]
    if kind == "error":
        return [_value(state, key, step.quantity)]
    name, value, tags = _param(state, key, step)
    chosen = key == state.selected
    if chosen:
        tags = tags_of(*tags, "selected")
    if kind == "bias-name":
        return [(name + SELECTED[1] if chosen else name, tags)]
    if kind == "bias-value":
        return [(value, tags)]
    if kind == "bias":
        return [(f"{name} {value}" + (SELECTED[1] if chosen else ""), tags)]
    text = f"{SELECTED[0]}{name} {value}{SELECTED[1]}" if chosen else f" {name} {value} "  # a label on its lane
    return [(text, tags), (fill * (slot.width - len(text)), line_tags)]  # ... the lane going on after it


def _value(state: PictureState, key: str, focus: str) -> tuple[str, frozenset]:
    value = state.values.get(key)
    if value is None:
        return MISSING, tags_of("dim")
    return fmt(value), tags_of("focus" if focus in (key, f"{key}+") else "")


def _param(state: PictureState, name: str, step: Lit) -> tuple[str, str, frozenset]:
    """A weight's or bias's name (w5, or w5+ once its new value is shown), value and tags."""
    if about(step.quantity, name):
        light = "focus"
    else:
        light = "hot" if any(e == name or e.startswith(name + ">") for e in step.edges) else ""
    shown, value, pending = shown_param(state, name, light == "hot")
    text = MISSING if value is None else fmt(value) + (PENDING if pending else "")
    mark = "pending" if pending else ("updated" if shown != name else "")
    return shown, text, tags_of(*weight_tags(value, ""), mark, light)


def about(quantity: str, name: str) -> bool:
    """Whether a sub-step's quantity is about parameter `name`: its gradient, running gradient or new value."""
    return quantity in (f"{name}+", f"v_{name}") or quantity.endswith(f"/d{name}")


def shown_param(state: PictureState, name: str, read: bool) -> tuple[str, float | None, bool]:
    """How a weight or bias is written at this moment: (w5, or w5+ once its new value is shown; the
    value; whether that new value waits to be applied). `read`: the current sub-step reads it
    (through its line), and so uses the old value while the new one waits. The picture and the
    table both write parameters this way, so they agree."""
    value = state.params.get(name)
    pending = name in state.pending
    if pending and read and name in state.in_force:
        return name, state.in_force[name], False
    return name + ("+" if pending or name in state.updated else ""), value, pending


# --- from a stepper ------------------------------------------------------------------------------

def params_by_name(layout, params) -> dict[str, float]:
    """Every weight and bias of `params` (engine Params) by name."""
    found = {}
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            found.update((name, params.weights[l][j][k]) for k, name in enumerate(row))
    for l, biases in enumerate(params.biases or ()):
        if isinstance(biases, (list, tuple)):
            found.update((layout.bias_name(l, j), value) for j, value in enumerate(biases))
        else:
            found[layout.bias_name(l, 0)] = biases
    return found


def sample_values(scenario, sample: int) -> dict[str, float]:
    """A sample's inputs (by input name) and targets (target_o1, ...)."""
    values = dict(zip(scenario.names[0], scenario.inputs[sample]))
    values.update((f"target_{n}", t) for n, t in zip(scenario.names[-1], scenario.targets[sample]))
    return values


def start_state(scenario, params) -> PictureState:
    """The picture before a round: its parameters, the first sample, nothing computed yet."""
    return PictureState(sample_values(scenario, 0), params_by_name(scenario.layout, params))


def paper_text(scenario, params) -> str:
    """The network with `params` (engine Params) before a round, as plain text for a document."""
    return plain(draw(shape_of(scenario), start_state(scenario, params), *PAPER))


def state_of(stepper, pending=None) -> PictureState:
    """What the picture shows at the stepper's position: the round so far, for the current sample.

    `pending` names parameters whose new value is shown but not applied yet (by default what the
    stepper says, `Stepper.pending()`)."""
    if pending is None:
        pending = stepper.pending()
    return state_at(stepper, stepper.window(0, stepper.k), stepper.current, pending)


def state_at(stepper, shown, current: Step | None, pending, selected: str = "") -> PictureState:
    """What the picture shows when the sub-steps `shown` of the stepper's round have their values
    on screen and `current` is lit: the app's frame drawn ahead, or a quiz question whose value is
    not shown yet (a new weight not shown is not pending either)."""
    params = params_by_name(stepper.layout, stepper.params_before_round())
    values: dict[str, float] = {}
    updated = set()
    in_force = {}
    sample, phase = 0, ""
    for step in shown:
        evaluating = phase_kind(step.phase) == "evaluate"
        if (step.sample is not None and step.sample != sample) or (evaluating and phase != step.phase):
            values = {}  # a new sample, or the new error's forward pass: the values start over
        sample = sample if step.sample is None else step.sample
        phase = step.phase
        new = [p for p in step.params if step.quantity == f"{p}+"]
        if new:
            in_force[new[0]] = params[new[0]]
            params[new[0]] = step.value
            updated.add(new[0])
        elif evaluating and step.quantity.endswith("+"):
            values[step.quantity[:-1]] = step.value  # out_o1+ and E_total+ in the boxes they update
        else:
            values[step.quantity] = step.value
    values.update(sample_values(stepper.scenario, sample))
    pending = frozenset(pending) & updated
    in_use = {name: in_force[name] if name in pending else value for name, value in params.items()}
    return PictureState(values, params, frozenset(updated), pending, current, in_force,
                        stuck_at(stepper.net, in_use), selected)
