"""The catalogue of slips: the mistakes people make working the example by hand, one entry each.

A slip is a name, a one-line description, and a function that lists its variants for the figure
being explained: each variant says how the engine's own computation changes with the slip made (a
sub-step computed with another formula, a given read as another number, the sub-steps before it
rounded) and how to say so. `diagnose` recomputes the figure with each variant, in the order of this
table, and names the first that gives the learner's number. Adding a slip is adding an entry.

A variant generator receives a `Search` (diagnose.py): `search.chain` is the figure's sub-step and
the unwritten sub-steps it is computed from, `search.leaves` the givens they read, `search.value(id)`
the value in force for a node (the learner's own figures where given) and `search.model` the round.
"""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from ..engine.records import SLOPE_FORMULAS, num
from . import expression as ex


class Variant(NamedTuple):
    """One way a slip could have been made, as a change to the round's computation."""

    detail: str  # completes "with ... the formula gives X": "with b1 = 0.65 in place of 0.35"
    short: str  # one sentence for the quiz: "that is what w3 gives; net_h1 uses w2"
    edits: dict = {}  # node id -> the tree it is computed with instead of its own
    values: dict = {}  # node id of a given -> the number read in its place
    rounding: int | None = None  # decimals every sub-step before the figure is rounded to


class Slip(NamedTuple):
    name: str
    title: str  # one line, as docs/checker.md lists it
    variants: Callable[["Search"], Iterable[Variant]]  # noqa: F821 (diagnose.Search)


def _reading(search, name):
    """The chain's sub-steps whose formula reads `name`."""
    return search.reading.get(name, [])


def _renamed(search, old: str, new: str) -> dict:
    return {n.id: ex.rename(n.tree, old, new) for n in _reading(search, old) if n.tree is not None}


def rounded_intermediates(search):
    if len(search.chain) < 2:
        return
    target = search.target
    direct = [search.model.nodes[ref] for ref in target.reads.values()
              if isinstance(ref, int) and ref in search.chain_ids][:3]
    for places in range(9, 1, -1):
        shown = ", ".join(f"{n.name} = {num(round(search.value(n.id), places))}" for n in direct)
        yield Variant(f"with the sub-steps before it rounded to {places} decimals"
                      + (f" ({shown})" if shown else ""),
                      f"that is what the earlier values rounded to {places} decimals give", rounding=places)


def column_named(layout) -> dict[str, str]:
    """weight -> the weight that has its name when the weights are numbered column by column, as the
    article's backward pass does (it calls the i2 -> h1 weight w3, which the forward pass calls w2)."""
    found, offset = {}, 0
    for layer in layout.weight_names:
        rows = len(layer)
        for j, row in enumerate(layer):
            for k, name in enumerate(row):
                found[name] = f"w{offset + k * rows + j + 1}"
        offset += rows * len(layer[0])
    return found


def other_weight(search):
    model = search.model
    weights = [n for n in model.nodes if n.group == "weight"]
    by_name = {n.name: n for n in weights}
    swapped = column_named(model.layout)
    leaves = [leaf for leaf in search.leaves if leaf.group == "weight"]
    first = [(leaf, by_name[swapped[leaf.name]]) for leaf in leaves if swapped[leaf.name] != leaf.name]
    rest = [(leaf, other) for leaf in leaves for other in weights if (leaf, other) not in first]
    for leaf, other in first + rest:
        if other.id == leaf.id or other.exact == leaf.exact:
            continue
        user = _reading(search, leaf.name)[0].name
        why = (f" (the article's backward pass, numbering the weights column by column, writes {other.name} for "
               f"this weight)" if (leaf, other) in first else "")
        yield Variant(f"with {other.name} = {num(other.exact)} in place of {leaf.name} = {num(leaf.exact)}{why}",
                      f"that is what {other.name} gives; {user} uses {leaf.name}",
                      edits=_renamed(search, leaf.name, other.name))


def _digit_misreadings(value: float) -> list[tuple[int, float]]:
    """(how unlikely, number) a short given could be misread as: a decimal changed (0.35 as 0.65),
    two digits swapped (0.53) or the sign lost, the point moved (3.5, 0.035), a whole-number digit
    changed (6.35)."""
    text = num(value)
    if len(text.replace("-", "").replace(".", "").lstrip("0")) > 4:
        return []
    point = text.index(".") if "." in text else len(text)
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    found: dict[float, int] = {}

    def add(rank, written):
        number = float(written)
        if number != value:
            found[number] = min(found.get(number, rank), rank)

    for i in digits:
        for d in "0123456789":
            add(0 if i > point else 3, text[:i] + d + text[i + 1:])
    for a, b in zip(digits, digits[1:]):
        if b == a + 1:
            add(1, text[:a] + text[b] + text[a] + text[b + 1:])
    add(1, num(-value))
    add(2, num(value * 10))
    add(2, num(value / 10))
    return sorted((rank, number) for number, rank in found.items())


GIVEN_ORDER = ("bias", "input", "target", "weight", "rate")  # which misreading to name first


def misread_given(search):
    model = search.model
    leaves = sorted((n for n in search.leaves if n.group in GIVEN_ORDER), key=lambda n: GIVEN_ORDER.index(n.group))
    for leaf in leaves:  # first another given's value: the other bias, input or target
        alike = [n for n in model.nodes if n.group == leaf.group and n.id != leaf.id and n.exact != leaf.exact
                 and leaf.group in ("bias", "input", "target") and (n.sample == leaf.sample or n.name == leaf.name)]
        for other in alike:
            whose = other.name + (f" of sample {other.sample + 1}" if other.sample != leaf.sample else "")
            yield Variant(f"with {whose} = {num(other.exact)} in place of {leaf.name} = {num(leaf.exact)}",
                          f"that is what {whose} = {num(other.exact)} gives; {leaf.name} is {num(leaf.exact)}",
                          values={leaf.id: other.exact})
    misreadings = sorted((rank, GIVEN_ORDER.index(leaf.group), leaf.id, value)
                         for leaf in leaves for rank, value in _digit_misreadings(leaf.exact)
                         if value != 0 or leaf.group != "rate")  # a rate of 0 is no update, not a misreading
    for _rank, _group, leaf_id, value in misreadings:
        leaf = model.nodes[leaf_id]
        yield Variant(f"with {leaf.name} = {num(value)} instead of {num(leaf.exact)}",
                      f"that is what {leaf.name} = {num(value)} gives; {leaf.name} is {num(leaf.exact)}",
                      values={leaf.id: value})


def updated_for_original(search):
    """Each weight's new value where the sub-step reads the old one: only in sub-steps the new value
    does not itself come from (the backward pass, when the new weights were worked out first)."""
    model = search.model
    uses: dict[str, list] = {}  # param -> the chain's sub-steps that could have read its new value
    feeds: dict[int, set[int]] = {}  # a new value's node -> the sub-steps it is computed from
    for node in search.chain:
        for p in model.params:
            if p in node.reads and node.tree is not None:
                try:
                    new = model.resolve(p + "+", node)
                except KeyError:
                    continue
                if new not in feeds:
                    feeds[new] = model.upstream(new)
                if node.id not in feeds[new]:
                    uses.setdefault(p, []).append(node)
    params = list(uses)
    for group in ([params] if params else []) + ([[p] for p in params] if len(params) > 1 else []):
        edits = {}
        for p in group:
            for node in uses[p]:
                edits[node.id] = ex.rename(edits.get(node.id, node.tree), p, p + "+")
        yield Variant(f"with the updated {', '.join(p + '+' for p in group)} in place of {', '.join(group)}",
                      f"that is what the updated {group[0]}+ gives; this step uses the original {group[0]}",
                      edits=edits)


def original_for_updated(search):
    edits, renamed = {}, []
    for node in search.chain:
        tree = node.tree
        for name in node.reads:
            if name.endswith("+") and tree is not None:
                tree = ex.rename(tree, name, name[:-1])
                renamed.append((node, name))
        if node.tree is not None and tree is not node.tree:
            edits[node.id] = tree
    if edits:
        said = [name for node, name in renamed if node is search.target] or [name for _node, name in renamed]
        new, old = ", ".join(dict.fromkeys(said)), ", ".join(dict.fromkeys(n[:-1] for n in said))
        yield Variant(f"with {old} from before the update in place of {new}",
                      f"that is what {said[0][:-1]} from before the update gives; this step uses the new {said[0]}",
                      edits=edits)


def _other_half(name: str) -> str | None:
    """net_h1 for out_h1 and out_h1 for net_h1 (also with a +); None for other names."""
    for this, that in (("out_", "net_"), ("net_", "out_")):
        if name.startswith(this):
            return that + name[len(this):]
    return None


def net_for_out(search):
    for node in search.chain:
        if node.tree is None:
            continue
        whole = _other_half(node.name)
        if whole is not None:  # the squash skipped (out_h1 = net_h1), or the output written for the net input
            yield Variant(f"with {whole}'s value for {node.name}", f"that is {whole}, not {node.name}",
                          edits={node.id: ("name", whole)})
        for name in node.reads:
            swap = _other_half(name)
            if swap is not None:
                yield Variant(f"with {swap} in place of {name} in {node.name}",
                              f"that is what {swap} gives; {node.name} uses {name}",
                              edits={node.id: ex.rename(node.tree, name, swap)})


def _flips(tree):
    kind = tree[0]
    if kind == "sub":
        yield ("add", tree[1], tree[2]), None
    elif kind == "add":
        yield ("sub", tree[1], tree[2]), None
    elif kind == "neg":
        yield tree[1], None


def flipped_sign(search):
    model = search.model
    for node in search.chain:
        if node.tree is None:
            continue
        if node.name.endswith("+") and node.name[:-1] in model.params:
            what = "the sign of the update flipped, a step up the gradient"
            short = "the update went the wrong way: a new weight is the old one minus eta times the gradient"
        elif node.name.startswith("dE_total/dout_") and any(r.startswith("target_") for r in node.reads):
            what = "the sign of the error derivative flipped"
            short = "that is the error derivative with its sign flipped: it is -(target - out)"
        else:
            what, short = f"a sign flipped in {node.name}", f"a sign is flipped: {node.step.formula}"
        whole = [] if node.tree[0] == "neg" else [(("neg", node.tree), None)]  # else a rewrite drops it
        for tree, _note in whole + ex.rewrites(node.tree, _flips):
            yield Variant(f"with {what} ({node.name} = {ex.show(tree)})", short, edits={node.id: tree})


def wrong_activation_slope(search):
    for node in search.chain:
        if node.tree is None or not (node.name.startswith("dout_") and "/dnet_" in node.name):
            continue
        neuron = node.name[len("dout_"):node.name.index("/")]
        for activation, (shape, _why) in SLOPE_FORMULAS.items():
            tree = ex.parse(shape.format(out=f"out_{neuron}", net=f"net_{neuron}"))
            if tree != node.tree:
                yield Variant(f"with {activation}'s slope {ex.show(tree)} in place of {ex.show(node.tree)}",
                              f"that is {activation}'s slope; {neuron}'s slope is {ex.show(node.tree)}",
                              edits={node.id: tree})


def sum_for_mean(search):
    def unmean(tree):
        if tree[0] == "div" and tree[1][0] == "samples":
            yield tree[1], None

    for node in search.chain:
        for tree, _note in ex.rewrites(node.tree, unmean) if node.tree is not None else ():
            yield Variant(f"with the sum over the samples in place of their mean ({node.name} = {ex.show(tree)})",
                          "that is the sum over the samples; the mean is asked for", edits={node.id: tree})


def _terms(tree):
    return _terms(tree[1]) + [tree[2]] if tree[0] == "add" else [tree]


def mean_for_sum(search):
    for node in search.chain:
        if node.tree is None or node.tree[0] != "add":
            continue
        count = len(_terms(node.tree))
        tree = ("div", node.tree, ("num", float(count)))
        yield Variant(f"with the mean of the {count} terms in place of their sum ({node.name} = {ex.show(tree)})",
                      f"that is the mean of the {count} terms; {node.name} is their sum", edits={node.id: tree})


def _factor_words(factor) -> str:
    if factor == ("name", "eta"):
        return "the learning rate eta"
    if factor[0] == "name" and factor[1].startswith("dout_"):
        return f"the squash's slope {factor[1]}"
    if factor in (("num", 2.0), ("div", ("num", 1.0), ("num", 2.0))):
        return "the " + ex.show(factor)
    return ex.show(factor)


def _dropped(tree):
    """(the product without one factor, the factor) for a product or quotient."""
    if tree[0] == "mul":
        yield tree[2], tree[1]
        yield tree[1], tree[2]
    elif tree[0] == "div":
        yield tree[1], ("div", ("num", 1.0), tree[2])


def missing_factor(search):
    for node in search.chain:
        for tree, factor in ex.rewrites(node.tree, _dropped) if node.tree is not None else ():
            words = _factor_words(factor)
            yield Variant(f"without {words} ({node.name} = {ex.show(tree)})", f"that is {node.name} without {words}",
                          edits={node.id: tree})


def extra_factor(search):
    model = search.model
    for node in search.chain:
        if node.tree is None:
            continue
        factors = [(("num", 2.0), "an extra factor 2"), (("div", ("num", 1.0), ("num", 2.0)), "an extra factor 1/2")]
        if model.scenario.learning_rate != 1:
            factors.append((("name", "eta"), "an extra factor eta, the learning rate"))
        neuron = node.step.neurons[0] if node.step.neurons else None
        slope = f"dout_{neuron}/dnet_{neuron}"
        if neuron and slope in model.by_name and slope not in node.reads and node.name != slope:
            factors.append((("name", slope), f"the squash's slope {slope} once more"))
        for factor, words in factors:
            def times(tree, factor=factor):
                if tree[0] == "mul" or tree is node.tree:
                    yield ("mul", tree, factor), None

            for tree, _note in ex.rewrites(node.tree, times):
                yield Variant(f"with {words} ({node.name} = {ex.show(tree)})", f"that has {words}",
                              edits={node.id: tree})


# In the order they are tried: where several slips give the learner's number, the first is named
# (the others are listed as also fitting). Specific, common slips come before a misread digit.
CATALOGUE: tuple[Slip, ...] = (
    Slip("rounded-intermediates", "the sub-steps before it rounded: the figure is right to fewer digits",
         rounded_intermediates),
    Slip("other-weight", "another weight in place of the right one (w3 for w2, any swap)", other_weight),
    Slip("updated-weights", "the updated weights where the original ones belong", updated_for_original),
    Slip("original-weights", "the original weights (or values) where the updated ones belong",
         original_for_updated),
    Slip("net-for-out", "a neuron's net input where its output belongs, or the reverse", net_for_out),
    Slip("sign", "the sign of the error derivative, of the update, or of a term flipped", flipped_sign),
    Slip("sum-for-mean", "the sum over the samples where their mean belongs", sum_for_mean),
    Slip("mean-for-sum", "a mean where a sum belongs", mean_for_sum),
    Slip("missing-factor", "a factor left out: the 1/2, the learning rate, the squash's slope, ...",
         missing_factor),
    Slip("activation-slope", "the slope of the wrong activation function", wrong_activation_slope),
    Slip("misread", "a bias, input, target or weight misread: another one's value, or digits changed",
         misread_given),
    Slip("extra-factor", "an extra factor: 2, 1/2, the learning rate, the squash's slope once more", extra_factor),
)
