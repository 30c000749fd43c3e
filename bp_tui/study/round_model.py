"""One round as a graph of values: every sub-step, what it reads, and how to compute it again.

The checker needs more than the records' values: it recomputes sub-steps from a learner's own
figures and with slips applied. A `RoundModel` turns the round's records into nodes: the givens the
round starts from (weights, biases, inputs, targets, the learning rate, momentum's running
gradients), one node per sub-step (its formula read back into a tree by `expression`), and the net
inputs of the new error, which the records name (`net_o1+`) without a sub-step of their own; those
are computed by the engine's forward pass with the round's new parameters.

A sub-step's formula is only trusted if it gives the engine's value again from the engine's
numbers; one that does not (or cannot be read) is kept as a fixed value, checked but never
recomputed. The order of the round is the records' order, never a list of our own.
"""

from __future__ import annotations

import functools
import math

from ..engine.network import Network, Params
from ..engine.records import Step
from . import expression

GIVEN, STEP, FORWARD = "given", "step", "forward"


class RoundError(ValueError):
    """The round asked for cannot be computed (training diverged before it)."""


class Node:
    """A value of the round: a given, a sub-step, or a net input of the new error."""

    __slots__ = ("id", "kind", "name", "sample", "step", "tree", "reads", "exact", "order", "group", "where")

    def __init__(self, id, kind, name, sample, exact, order, step=None, group=""):
        self.id, self.kind, self.name, self.sample = id, kind, name, sample
        self.exact, self.order, self.step, self.group = exact, order, step, group
        self.tree: tuple | None = None
        self.reads: dict[str, int | tuple[int, ...]] = {}
        self.where: tuple[int, int] = (0, 0)  # a net input of the new error: (layer, neuron)

    @property
    def computable(self) -> bool:
        return self.kind == FORWARD or self.tree is not None


def round_steps(stepper, number: int) -> list[Step]:
    """The records of round `number` (1-based): the current round through the stepper's window."""
    if number - 1 == stepper.epoch:
        return stepper.window(0, stepper.count)
    if not stepper.can_enter(number - 1):
        raise RoundError(f"round {number} cannot be computed: training diverged at epoch {stepper.diverged_at}")
    return stepper.round_records(number - 1)


class RoundModel:
    """The nodes of one round, built from a stepper (the app's own, or one made for the check)."""

    def __init__(self, stepper, number: int):
        self.number = number
        self.steps = round_steps(stepper, number)
        self.scenario = scenario = stepper.scenario
        self.layout = layout = stepper.layout
        self.network = Network(scenario)
        state = stepper.state_at(number - 1)
        self.nodes: list[Node] = []
        self.given: dict[tuple[str, int | None], int] = {}
        self.params: list[str] = []  # weight and bias names, in the layout's order
        self._add_givens(state)
        self.by_name: dict[str, list[int]] = {}
        self.of_step: dict[int, int] = {}  # a record's index in the round -> its node
        for position, step in enumerate(self.steps):
            node = self._add(STEP, step.quantity, step.sample, step.value, float(position), step=step)
            self.by_name.setdefault(step.quantity, []).append(node.id)
            self.of_step[step.index] = node.id
        self._forward_nodes: dict[tuple[str, int | None], int] = {}
        self._formulas: dict[int, object] = {}  # node id -> its own computation, made once (formula)
        self._upstream: dict[int, frozenset[int]] = {}  # node id -> its ancestors' ids (upstream)
        self._resolved: dict[tuple[str, int], int | tuple[int, ...]] = {}  # (name, node id) -> resolve's answer
        for node_id in list(self.of_step.values()):
            self._read_formula(self.nodes[node_id])

    # --- building -----------------------------------------------------------------------------

    def _add(self, kind, name, sample, exact, order, step=None, group="") -> Node:
        node = Node(len(self.nodes), kind, name, sample, exact, order, step, group)
        self.nodes.append(node)
        return node

    def _given(self, name, sample, value, group) -> None:
        self.given[(name, sample)] = self._add(GIVEN, name, sample, float(value), -1.0, group=group).id

    def _add_givens(self, state) -> None:
        layout, scenario, params = self.layout, self.scenario, state.params
        for l, layer in enumerate(layout.weight_names):
            for j, row in enumerate(layer):
                for k, name in enumerate(row):
                    self._given(name, None, params.weights[l][j][k], "weight")
                    self.params.append(name)
        for l, biases in enumerate(params.biases or ()):
            for j, value in enumerate(biases if isinstance(biases, list) else [biases]):
                name = layout.bias_name(l, j)
                self._given(name, None, value, "bias")
                self.params.append(name)
        for s, (inputs, targets) in enumerate(zip(scenario.inputs, scenario.targets)):
            for name, value in zip(layout.neuron_names[0], inputs):
                self._given(name, s, value, "input")
            for name, value in zip(layout.neuron_names[-1], targets):
                self._given(f"target_{name}", s, value, "target")
        self._given("eta", None, scenario.learning_rate, "rate")
        self._given("mu", None, scenario.momentum, "rate")
        if state.velocity is not None:
            flat = Params(state.velocity.weights, state.velocity.biases).flat()
            for name, value in zip(self.params, flat):
                self._given(f"v_{name}", None, value, "velocity")

    def _read_formula(self, node: Node) -> None:
        """Give a sub-step its tree and reads, if its formula gives the engine's value again."""
        try:
            tree = expression.parse(node.step.formula.partition(" = ")[2])
            reads = {name: self.resolve(name, node) for name in expression.names(tree)}
            node.reads = reads
            value = self.compute(node, tree, lambda ref: self.exact(ref))
        except (expression.FormulaError, KeyError, ArithmeticError, ValueError, TypeError):
            node.reads = {}
            return
        if same(value, node.exact):
            node.tree = tree
        else:
            node.reads = {}

    # --- names ----------------------------------------------------------------------------------

    def resolve(self, name: str, at: Node) -> int | tuple[int, ...]:
        """The node a name in `at`'s formula stands for (KeyError when there is none); kept, as a
        slip's formula (w3 read for w2) is worked out again for every figure it is tried on."""
        key = (name, at.id)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(name, at)
        return found

    def _resolve(self, name: str, at: Node) -> int | tuple[int, ...]:
        if name.startswith("samples:"):
            quantity = name[len("samples:"):]
            return tuple(self._latest(quantity, at, lambda n: n.sample == s)
                         for s in range(len(self.scenario.inputs)))
        same_sample = self._latest(name, at, lambda n: n.sample == at.sample, missing=None)
        if same_sample is not None:
            return same_sample
        whole_set = self._latest(name, at, lambda n: n.sample is None, missing=None)
        if whole_set is not None:
            return whole_set
        if name in self.params or name.startswith("v_"):
            # an earlier sample's update (online training) replaced the round's starting value
            wanted = name + "+" if name in self.params else name
            earlier = self._latest(wanted, at, lambda n: n.sample != at.sample or name.startswith("v_"),
                                   missing=None)
            if earlier is not None:
                return earlier
        if name.endswith("+") and name[:-1] in self.params:
            later = [i for i in self.by_name.get(name, ()) if self.nodes[i].sample in (at.sample, None)]
            if later:  # a new value computed later in the round (a slip that uses it early)
                return later[0]
        if name.startswith("net_") and name.endswith("+"):
            return self._forward_node(name, at)
        for key in ((name, at.sample), (name, None)):
            if key in self.given:
                return self.given[key]
        later = [i for i in self.by_name.get(name, ()) if self.nodes[i].sample == at.sample and i != at.id]
        if later:  # no formula reads ahead; a slip can (a figure written with the value it leads to)
            return later[0]
        raise KeyError(name)

    def _latest(self, name, at: Node, keep, missing=KeyError):
        found = [i for i in self.by_name.get(name, ()) if self.nodes[i].order < at.order and keep(self.nodes[i])]
        if found:
            return found[-1]
        if missing is KeyError:
            raise KeyError(name)
        return missing

    def _forward_node(self, name: str, at: Node) -> int:
        """net_X+: X's net input with the round's new parameters, from the engine's forward pass."""
        key = (name, at.sample)
        if key not in self._forward_nodes:
            neuron = name[len("net_"):-1]
            layer = next(L for L, layer in enumerate(self.layout.neuron_names) if neuron in layer)
            node = self._add(FORWARD, name, at.sample, math.nan, at.order - 0.5)
            node.where = (layer, self.layout.neuron_names[layer].index(neuron))
            node.reads = {p: self._new_value(p, node) for p in self.params}
            node.exact = self.compute(node, None, self.exact)
            self._forward_nodes[key] = node.id
        return self._forward_nodes[key]

    def _new_value(self, param: str, at: Node) -> int:
        found = [i for i in self.by_name.get(param + "+", ()) if self.nodes[i].order < at.order]
        return found[-1] if found else self.given[(param, None)]

    # --- values ---------------------------------------------------------------------------------

    def exact(self, ref):
        return [self.nodes[i].exact for i in ref] if isinstance(ref, tuple) else self.nodes[ref].exact

    def compute(self, node: Node, tree, value_of) -> float:
        """The node's value with `tree` in place of its own, reading refs through `value_of(ref)`."""
        if node.kind == FORWARD:
            return self._forward(node, value_of)
        reads = node.reads

        def of_name(name):
            ref = reads.get(name)
            if ref is None:
                ref = self.resolve(name, node)
            return value_of(ref)

        return expression.evaluate(node.tree if tree is None else tree, of_name)

    def formula(self, node: Node):
        """The node's own computation as a function of `value_of(ref)`, made once: the checker works
        the same sub-steps out thousands of times (the formula compiled, see expression.compiled)."""
        found = self._formulas.get(node.id)
        if found is None:
            if node.kind == FORWARD:
                found = functools.partial(self._forward, node)
            else:
                found = expression.compiled(node.tree, node.reads.__getitem__)
            self._formulas[node.id] = found
        return found

    def _forward(self, node: Node, value_of) -> float:
        values = {p: value_of(ref) for p, ref in node.reads.items()}
        weights = [[[values[name] for name in row] for row in layer] for layer in self.layout.weight_names]
        biases = None
        if self.scenario.biases is not None:
            biases = []
            for l, layer in enumerate(self.layout.neuron_names[1:]):
                if self.scenario.bias == "shared":
                    biases.append(values[self.layout.bias_name(l, 0)])
                else:
                    biases.append([values[self.layout.bias_name(l, j)] for j in range(len(layer))])
        inputs = self.scenario.inputs[node.sample or 0]
        nets, _outs = self.network.forward(Params(weights, biases), inputs)
        layer, index = node.where
        return nets[layer][index]

    def node_of(self, quantity: str, sample: int | None) -> Node | None:
        """The sub-step called `quantity` for a sample (0-based; None: the first, or the whole set)."""
        for i in self.by_name.get(quantity, ()):
            node = self.nodes[i]
            if node.sample is None or node.sample == (sample or 0):
                return node
        return None

    def upstream(self, node_id: int) -> frozenset[int]:
        """The ids of the node and of every computable node it reads through (its ancestors, never
        stopping), kept: the slips ask it of the same few nodes for every figure checked."""
        found = self._upstream.get(node_id)
        if found is None:
            everything = self.ancestors(self.nodes[node_id], stop=lambda n: False)
            found = self._upstream[node_id] = frozenset(n.id for n in everything)
        return found

    def ancestors(self, node: Node, stop) -> list[Node]:
        """`node` and the computable nodes it reads through, stopping at nodes where stop(node) holds;
        in the order of the round."""
        seen, todo = {node.id}, [node]
        while todo:
            current = todo.pop()
            for ref in current.reads.values():
                for i in (ref if isinstance(ref, tuple) else (ref,)):
                    other = self.nodes[i]
                    if i not in seen and other.computable and not stop(other):
                        seen.add(i)
                        todo.append(other)
        return sorted((self.nodes[i] for i in seen), key=lambda n: n.order)


def same(a: float, b: float) -> bool:
    """Equal but for the last bits of floating point (or the same infinity, or both NaN)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)
