"""One round's records, made as they are asked for: a sequence that never holds the whole round.

`Round` reads like a list of Steps (len, an index, a slice, iteration), but a record exists only
while someone holds it: a slice or an index writes the pieces (plan.py) that hold those records,
from the sample's trace (round_data.py), and keeps the last few pieces for the next question.
Iterating writes the round piece after piece, so a reader that streams it (trace, export) needs
no more memory for a round of millions of sub-steps than for one of forty.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Iterator, Sequence

from .plan import Place, RoundPlan
from .records import EpochWriter, Step

KEPT_RECORDS = 20_000  # records of recently written pieces kept for the next question


class Round(Sequence):
    def __init__(self, plan: RoundPlan, writer: EpochWriter, data: Callable, finished: Callable | None = None):
        """`data()` makes the round's RoundData when a record first needs it; `finished(after)` is
        told the parameters after the round once they are known."""
        self.plan, self.writer = plan, writer
        self._make_data, self._finished = data, finished
        self._data = None
        self._pieces: OrderedDict[int, list[Step]] = OrderedDict()  # piece start -> its records
        self._kept = 0

    def __len__(self) -> int:
        return self.plan.count

    @property
    def data(self):
        if self._data is None:
            self._data = self._make_data()
        return self._data

    def set_data(self):
        """The round's end: the batch update and the new error (computes the whole round once)."""
        data = self.data.set_data()
        if self._finished is not None:
            self._finished(self.data.after)
            self._finished = None
        return data

    def _write(self, place: Place) -> list[Step]:
        # The new error and everything about the whole set are written from the round's end.
        if place.sample is None or place.piece.kind == "evaluate_sample":
            return self.writer.write(place, self.set_data())
        return self.writer.write(place, self.data.sample(place.sample))

    def piece(self, place: Place) -> list[Step]:
        """The records of one piece, kept for a while."""
        found = self._pieces.get(place.start)
        if found is not None:
            self._pieces.move_to_end(place.start)
            return found
        records = self._write(place)
        self._pieces[place.start] = records
        self._kept += len(records)
        while self._kept > KEPT_RECORDS and len(self._pieces) > 1:
            self._kept -= len(self._pieces.popitem(last=False)[1])
        return records

    def window(self, start: int, stop: int) -> list[Step]:
        """Records start .. stop - 1 (clipped to the round)."""
        start, stop = max(0, start), min(stop, self.plan.count)
        found: list[Step] = []
        for place in self.plan.places(start, stop):
            records = self.piece(place)
            found += records[max(0, start - place.start):stop - place.start]
        return found

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.plan.count)
            records = self.window(start, stop) if step > 0 else self.window(stop + 1, start + 1)
            return records[::step] if step > 0 else records[::-1][::-step]
        if index < 0:
            index += self.plan.count
        if not 0 <= index < self.plan.count:
            raise IndexError("round index out of range")
        place = self.plan.locate(index)
        return self.piece(place)[index - place.start]

    def __iter__(self) -> Iterator[Step]:
        """Every record, piece after piece, without keeping them."""
        for place in self.plan.places(0, self.plan.count):
            yield from self._write(place)

    def sample_steps(self, sample: int | None) -> Iterator[Step]:
        """The records of one sample (None: those about the whole set), in order."""
        for start, stop in self.plan.sample_spans(sample):
            for place in self.plan.places(start, stop):
                yield from self.piece(place)

    # --- what a picture of a large network reads, without making records ---------------------

    def sample_params(self, sample: int, after: bool = False):
        """The parameters sample `sample` computes with (online: as the samples before it left them;
        batch: the round's), or with `after` those after the round."""
        return self.data.after[0] if after else self.data.sample(sample).before[0]

    def forward_values(self, sample: int, stop: int) -> dict[str, float]:
        """{"net_h1": ..., "out_h1": ...}: what sample `sample`'s forward pass has shown before round
        position `stop`, read from its trace (a wide layer's records cost their formulas to make)."""
        plan = self.plan
        start = plan.sample_spans(sample)[0][0]
        end = min(plan.phase_start_after(start), stop)
        if end <= start:
            return {}
        trace, names, found = self.data.sample(sample).trace, plan.layout.neuron_names, {}
        for place in plan.places(start, end):
            piece, shown = place.piece, end - place.start
            l = piece.args[0]
            order = [piece.args[1]] if piece.kind == "forward_neuron" else list(range(len(names[l + 1])))
            # forward_neuron: net then out; forward_softmax: every net, then every out
            pairs = [(q, j) for j in order for q in ("net", "out")] if piece.kind == "forward_neuron" else \
                [("net", j) for j in order] + [("out", j) for j in order]
            for quantity, j in pairs[:shown]:
                values = trace.nets if quantity == "net" else trace.outs
                found[f"{quantity}_{names[l + 1][j]}"] = float(values[l + 1][j])
        return found

    def __eq__(self, other) -> bool:
        return self is other or (isinstance(other, (list, tuple)) and list(self) == list(other))

    __hash__ = object.__hash__
