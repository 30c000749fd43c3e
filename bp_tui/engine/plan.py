"""Where each sub-step of a round is, from the network's sizes and settings alone.

A round of a large network has millions of sub-steps, and only the few on screen need to exist. So
the round is laid out here as pieces (a neuron's net input and output, one output neuron's delta,
the gradients of one row of weights, ...), each knowing how many records it writes, without
computing any of them: the stepper turns a position into (sample, piece) by arithmetic, and the
writer (records.EpochWriter) writes just the pieces asked for.

A round is four blocks, one after the other:

    sample block   one per sample: forward pass, error, backward pass (and, online, the update)
    set block      batch mode only: E_mean, the mean gradients and the update
    evaluate       one piece per sample: its outputs and error with the new parameters
    E_mean+        with several samples: the training-set error after the round

Every sample block has the same pieces, so a round of 60 samples is laid out once, not 60 times.
The order is EpochWriter's; tests/test_engine_plan.py checks, for every kind of network, that the
pieces write exactly the records counted here.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterator, NamedTuple

from .layout import Layout
from .maths import LOSSES
from .phases import backward_phase


class Piece(NamedTuple):
    kind: str  # the EpochWriter method that writes it
    args: tuple  # that method's arguments after the sample's data
    count: int  # how many records it writes
    phase: str  # the phase id of its records
    updates: tuple[str, ...] = ()  # the parameters whose new value (w5+) it writes, in order


class Block(NamedTuple):
    """A run of pieces, repeated once per sample (`each_sample`) or written once (sample None)."""

    pieces: tuple[Piece, ...]
    offsets: tuple[int, ...]  # where each piece starts inside the block
    size: int  # records in one repetition
    repeats: int
    each_sample: bool
    group_starts: tuple[int, ...]  # offsets (inside a repetition) where a new phase starts

    @property
    def total(self) -> int:
        return self.size * self.repeats


def _block(pieces: list[Piece], repeats: int, each_sample: bool) -> Block:
    offsets, at, starts, phase = [], 0, [], None
    for piece in pieces:
        if piece.phase != phase:
            starts.append(at)
            phase = piece.phase
        offsets.append(at)
        at += piece.count
    return Block(tuple(pieces), tuple(offsets), at, repeats, each_sample, tuple(starts))


class Place(NamedTuple):
    """A piece of a round: which sample it belongs to (None: the whole set) and where it starts."""

    sample: int | None
    piece: Piece
    start: int  # the round position of its first record


class RoundPlan:
    """The pieces of one round of a scenario, and the arithmetic of positions over them."""

    def __init__(self, scenario):
        self.layout: Layout = scenario.layout
        self.samples = len(scenario.inputs)
        sizes = scenario.layers
        self.depth = len(sizes) - 1
        online = scenario.mode == "online"
        after_gradient = scenario.update == "after-gradient"
        update_first = scenario.hidden_deltas_use == "updated"
        self.u = 2 if scenario.momentum else 1  # records per new value: v_w5 (with momentum), w5+
        self.scenario = scenario
        self.biases_trained = scenario.train_biases and scenario.biases is not None
        slope_is_delta = LOSSES[scenario.loss].slope_is_delta
        names = self.layout.weight_names

        pieces: list[Piece] = []
        for l in range(self.depth):  # forward pass, neuron by neuron (softmax: the layer's nets first)
            n = sizes[l + 1]
            if scenario.activations[l] == "softmax":
                pieces.append(Piece("forward_softmax", (l,), 2 * n, "forward"))
            else:
                pieces += [Piece("forward_neuron", (l, j), 2, "forward") for j in range(n)]
        outputs = sizes[-1]
        pieces.append(Piece("error", (), 1 if outputs == 1 else outputs + 1, "error"))
        inside = online and (after_gradient or update_first)  # new values written in the backward pass
        for L in range(self.depth, 0, -1):
            phase = backward_phase(L, self.depth)
            if L == self.depth:
                pieces += [Piece("output_delta", (j,), 1 if slope_is_delta else 3, phase) for j in range(outputs)]
            else:
                marked = online and update_first
                pieces += [Piece("hidden_delta", (L, j, marked), sizes[L + 1] + 3, phase) for j in range(sizes[L])]
            per = 1 + (self.u if after_gradient else 0)  # a gradient, then (after-gradient) its new value
            own_bias = scenario.train_biases and scenario.bias == "per-neuron"
            for j in range(sizes[L]):
                row = names[L - 1][j] + ((self.layout.bias_name(L - 1, j),) if own_bias else ())
                pieces.append(Piece("neuron_gradients", (L, j, after_gradient), len(row) * per, phase,
                                    row if after_gradient else ()))
            if scenario.train_biases and scenario.bias == "shared":
                bias = self.layout.bias_name(L - 1, 0)
                pieces.append(Piece("shared_bias_gradient", (L, after_gradient), per, phase,
                                    (bias,) if after_gradient else ()))
            if inside and not after_gradient:  # "updated", at the end of the section: a block of new values
                pieces += self.update_pieces(L - 1, "dE_total", phase)
        if online and not inside:  # update = "end": the sample's update, in a phase of its own
            for l in range(self.depth - 1, -1, -1):
                pieces += self.update_pieces(l, "dE_total", "update")
        blocks = [_block(pieces, self.samples, True)]
        if not online:
            batch = [Piece("batch_error", (), 1, "error")]
            for l in range(self.depth - 1, -1, -1):
                batch += [Piece("mean_row", (l, j), sizes[l], "update") for j in range(sizes[l + 1])]
                if self.biases_trained:
                    batch.append(Piece("mean_biases", (l,), self.bias_count(l), "update"))
                batch += self.update_pieces(l, "dE_mean", "update")
            blocks.append(_block(batch, 1, False))
        blocks.append(_block([Piece("evaluate_sample", (), outputs + 1, "evaluate")], self.samples, True))
        if self.samples > 1:
            blocks.append(_block([Piece("evaluate_mean", (), 1, "evaluate")], 1, False))
        self.blocks = tuple(blocks)
        starts, at = [], 0
        for block in self.blocks:
            starts.append(at)
            at += block.total
        self.block_starts = tuple(starts)
        self.count = at

    def bias_count(self, l: int) -> int:
        return 1 if self.scenario.bias == "shared" else self.layout.layers[l + 1]

    def update_pieces(self, l: int, label: str, phase: str) -> list[Piece]:
        """The new values of weight layer l: row by row, then its biases (when trained)."""
        names = self.layout.weight_names[l]
        pieces = [Piece("update_row", (l, j, label), len(row) * self.u, phase, row) for j, row in enumerate(names)]
        if self.biases_trained:
            biases = tuple(self.layout.bias_name(l, j) for j in range(self.bias_count(l)))
            pieces.append(Piece("update_biases", (l, label), len(biases) * self.u, phase, biases))
        return pieces

    # --- positions ---------------------------------------------------------------------------

    def _block_of(self, index: int) -> int:
        return bisect_right(self.block_starts, index) - 1

    def locate(self, index: int) -> Place:
        """The piece holding record `index` (0 <= index < count)."""
        if not 0 <= index < self.count:
            raise IndexError(f"sub-step {index} is outside a round of {self.count}")
        b = self._block_of(index)
        block = self.blocks[b]
        repeat, offset = divmod(index - self.block_starts[b], block.size)
        p = bisect_right(block.offsets, offset) - 1
        start = self.block_starts[b] + repeat * block.size + block.offsets[p]
        return Place(repeat if block.each_sample else None, block.pieces[p], start)

    def places(self, start: int, stop: int) -> Iterator[Place]:
        """The pieces holding records start .. stop - 1, in order."""
        stop = min(stop, self.count)
        index = max(0, start)
        while index < stop:
            place = self.locate(index)
            yield place
            index = place.start + place.piece.count

    def sample_spans(self, sample: int | None) -> list[tuple[int, int]]:
        """The (start, stop) ranges of the records of one sample (None: those about the whole set)."""
        spans = []
        for b, block in enumerate(self.blocks):
            base = self.block_starts[b]
            if block.each_sample and sample is not None:
                spans.append((base + sample * block.size, base + (sample + 1) * block.size))
            elif not block.each_sample and sample is None:
                spans.append((base, base + block.total))
        return spans

    # --- phases: a phase is a run of records of one phase id and one sample ---------------------

    def _starts_in(self, b: int, low: int, high: int) -> Iterator[int]:
        """Phase starts in block b at round positions low <= s < high, in order."""
        block, base = self.blocks[b], self.block_starts[b]
        first = max(0, (low - base) // block.size)
        for repeat in range(first, block.repeats):
            at = base + repeat * block.size
            if at >= high:
                return
            for offset in block.group_starts:
                if low <= at + offset < high:
                    yield at + offset

    def phase_start_after(self, index: int) -> int:
        """The first phase start after position `index`, or `count` when none is left."""
        for b in range(self._block_of(min(index + 1, self.count - 1)) if self.count else 0, len(self.blocks)):
            for start in self._starts_in(b, index + 1, self.count):
                return start
        return self.count

    def phase_start_before(self, index: int) -> int | None:
        """The last phase start before position `index`, or None when there is none."""
        if index <= 0:
            return None
        b = self._block_of(index - 1)
        while b >= 0:
            block, base = self.blocks[b], self.block_starts[b]
            repeat = min(block.repeats - 1, (index - 1 - base) // block.size)
            while repeat >= 0:
                at = base + repeat * block.size
                found = [at + offset for offset in block.group_starts if at + offset < index]
                if found:
                    return found[-1]
                repeat -= 1
            b -= 1
        return None
