"""Training history: the error after every epoch reached, and the parameters after any of them.

Only what is needed to recompute is kept: the training-set error of every epoch reached, the
parameters every `every` epochs (checkpoints), the last few states asked for, and divergence. A
state between checkpoints is replayed from the one before it with the same trainer, so values are
identical however the learner got there. An edit (edits.py) starts a new segment: the epochs from
it on run with the edited settings, and the history after it is dropped.

Checkpoints are kept every CHECKPOINT_EVERY epochs while they fit in CHECKPOINT_BYTES; a longer
history keeps every other one, and so on, so memory stays bounded however far training goes and
however large the network (a replay then takes longer: at most `every` epochs).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from .network import Network
from .scenario import Scenario
from .training import State, Trainer, healthy, initial_state
from .work import Stopped, Work

CHECKPOINT_EVERY = 64
CHECKPOINT_BYTES = 96 * 2**20  # all checkpoints together, counting 32 bytes a value (a float in a list)
RECENT = 4  # states kept besides the checkpoints: the ones asked for last


class Segment(NamedTuple):
    """A stretch of training with one set of settings; an edit starts a new segment."""

    start: int  # the epoch count it starts from
    scenario: Scenario
    net: Network
    trainer: Trainer
    checkpoints: dict  # epoch -> State, or what the trainer kept (read through trainer.kept_state)


class History:
    def __init__(self, scenario: Scenario, work: Work | None = None):
        self.work = work or Work()
        self.lock = threading.RLock()  # a fast-forward worker extends while the screen reads
        net = Network(scenario)
        trainer = Trainer(net)
        start = initial_state(net)
        self.segments = [Segment(0, scenario, net, trainer, {0: start})]
        self.recent: OrderedDict[int, State] = OrderedDict()
        error = trainer.error(start)
        self.errors: list[float] = [error]  # training-set error after 0, 1, 2, ... epochs
        self.diverged_at: int | None = None if healthy(start, error) else 0
        self.every = CHECKPOINT_EVERY
        self.extending = 0  # extend_to runs going on (a fast-forward's worker, or a move)
        values = len(start.params.flat()) * (1 if start.velocity is None else 2)
        self.most_kept = max(16, CHECKPOINT_BYTES // (32 * values))

    @property
    def scenario(self) -> Scenario:
        return self.segments[-1].scenario

    def segment(self, epoch: int) -> Segment:
        """The segment in force after `epoch` epochs: the last one starting at or before it."""
        segments = self.segments  # (read once: an edit replaces the list)
        # The usual answer first: without edits there is one segment, and the stepper asks on every step.
        if segments[-1].start <= epoch:
            return segments[-1]
        return next(seg for seg in reversed(segments) if seg.start <= epoch)

    @property
    def computed(self) -> int:
        """How many epochs have been computed (errors known) so far."""
        return len(self.errors) - 1

    def kept_count(self) -> int:
        return sum(len(seg.checkpoints) for seg in self.segments)

    def _make_room(self, more: int) -> None:
        """Widen the spacing of checkpoints until `more` new ones fit beside the old."""
        while self.kept_count() + more // self.every > self.most_kept and self.every < 2**40:
            self.every *= 2
            for seg in self.segments:
                for epoch in [e for e in seg.checkpoints if e % self.every and e != seg.start]:
                    del seg.checkpoints[epoch]

    def extend_to(self, target: int, should_stop=None) -> int:
        """Compute epochs up to `target` (or divergence, or until should_stop() or Work.stop says so).

        Returns the number of epochs computed. Safe to run in a worker thread while the UI only
        reads: `computed` grows epoch by epoch as it runs (the errors list is appended in place).
        """
        with self.lock:
            start = self.computed
            if start >= target or self.diverged_at is not None:
                return start
            self._make_room(target - start)
            self.extending += 1
        try:
            return self._extend(start, target, should_stop)
        finally:
            with self.lock:
                self.extending -= 1

    def _extend(self, start: int, target: int, should_stop) -> int:
        stop = self.work.stop_asked
        if should_stop is not None:
            asked = stop

            def stop() -> bool:
                return asked() or should_stop()

        self.work.begin(f"training rounds {start + 1} to {target}", 0)  # (how far: Stepper.computed)
        segment = self.segments[-1]
        kept: dict = {}
        state, done, diverged = segment.trainer.run(self.state_at(start), target - start, self.errors, stop,
                                                    kept, start, self.every)
        with self.lock:
            segment.checkpoints.update(kept)
            if done:
                self.remember(start + done, state)
            if diverged:
                self.diverged_at = start + done
        return self.computed

    def accept(self, epoch: int, trainer: Trainer, state: State, error: float, diverged: bool) -> None:
        """Take epoch `epoch` as trained: `trainer` ran it from the state after epoch - 1 to show that
        round's end (Round.set_data), before the history reached it. The same trainer's run gives the
        same numbers, so extend_to need not run it again. Taken only when it is the very next epoch
        and no extend_to is running (that one will append its own)."""
        with self.lock:
            if (self.extending or self.computed != epoch - 1 or self.diverged_at is not None
                    or self.segments[-1].trainer is not trainer):
                return
            self._make_room(1)
            self.errors.append(error)
            if epoch % self.every == 0:
                self.segments[-1].checkpoints[epoch] = state
            self.remember(epoch, state)
            if diverged:
                self.diverged_at = epoch

    def state_at(self, epoch: int) -> State:
        """Parameters after `epoch` epochs, replayed from the nearest checkpoint (Stopped when the
        Work is stopped during a replay)."""
        with self.lock:
            if epoch in self.recent:
                self.recent.move_to_end(epoch)
                return self.recent[epoch]
            segment = self.segment(epoch)
            base = epoch - epoch % self.every  # where one is kept, unless the segment starts later
            if base < segment.start or base not in segment.checkpoints:
                base = max(e for e in segment.checkpoints if e <= epoch)
            state = segment.checkpoints[base] = segment.trainer.kept_state(segment.checkpoints[base])
        if epoch > base:
            self.work.begin(f"replaying epochs {base + 1} to {epoch} from a checkpoint", epoch - base)
            state, done, _diverged = segment.trainer.run(state, epoch - base, [], self.work.stop_asked)
            if done < epoch - base:
                raise Stopped(f"replaying epoch {epoch}")
        with self.lock:
            self.remember(epoch, state)
        return state

    def at_hand(self, epoch: int) -> State | None:
        """The state after `epoch` epochs if it is kept (a checkpoint or a recent one), else None."""
        with self.lock:
            if epoch in self.recent:
                return self.recent[epoch]
            segment = self.segment(epoch)
            kept = segment.checkpoints.get(epoch)
            return None if kept is None else segment.trainer.kept_state(kept)

    def remember(self, epoch: int, state: State) -> None:
        with self.lock:
            self.recent[epoch] = state
            self.recent.move_to_end(epoch)
            while len(self.recent) > RECENT:
                self.recent.popitem(last=False)

    def restart(self, start: int, scenario: Scenario, state: State) -> None:
        """From epoch `start` on, train `scenario` from `state` (an edit): later history is dropped."""
        net = Network(scenario)
        segment = Segment(start, scenario, net, Trainer(net), {start: state})
        with self.lock:
            self.segments = [seg for seg in self.segments if seg.start < start] + [segment]
            for seg in self.segments:
                for e in [e for e in seg.checkpoints if e > start]:
                    del seg.checkpoints[e]
            for e in [e for e in self.recent if e >= start]:
                del self.recent[e]
            del self.errors[start:]
            error = segment.trainer.error(state)
            self.errors.append(error)
            self.diverged_at = None if healthy(state, error) else start
