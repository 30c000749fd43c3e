"""The state machine a learner walks: rounds (epochs) of sub-steps, forward and back.

Position is (epoch, k): `epoch` rounds are complete and the current round is number epoch + 1;
its first k records are revealed. (0, 0) is the very start. Moving past the end of a round enters
the next one; stepping back before its first record returns to the end of the previous one. A
phase is a run of one sample's records of one phase id (records.phase_label names it): `]` shows
the rest of it, `[` goes back to its first sub-step.

Only what is needed to recompute is kept: a checkpoint of the parameters every CHECKPOINT_EVERY
epochs, the training-set error of every epoch reached, and the records of the round on screen.
Records are rebuilt from a checkpoint with the same functions as `train`, so values are identical
however the learner got there.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import NamedTuple

from .expectations import ExpectResult
from .network import Network
from .records import EpochWriter, Step, phase_kind
from .scenario import Scenario
from .training import State, Trainer, healthy, initial_state

CHECKPOINT_EVERY = 64


class _Segment(NamedTuple):
    """A stretch of training with one set of settings; an edit starts a new segment."""

    start: int  # the epoch count it starts from
    scenario: Scenario
    net: Network
    trainer: Trainer
    checkpoints: dict  # epoch -> State, or what the trainer kept (read through trainer.kept_state)


class Stepper:
    def __init__(self, scenario: Scenario):
        self.layout = scenario.layout
        self._lock = threading.RLock()  # a fast-forward worker extends while the screen reads
        net = Network(scenario)
        trainer = Trainer(net)
        start = initial_state(net)
        self._segments = [_Segment(0, scenario, net, trainer, {0: start})]
        self._recent: OrderedDict[int, State] = OrderedDict()
        self._rounds: OrderedDict[int, list[Step]] = OrderedDict()
        error = trainer.error(start)
        self.errors: list[float] = [error]  # training-set error after 0, 1, 2, ... epochs
        self.diverged_at: int | None = None if healthy(start, error) else 0
        self._expects = {(e.epoch, e.quantity, e.sample): e for e in scenario.expects}
        self.edits: list[str] = []  # what the learner changed, in words, for the saved file
        self.edited_from: int | None = None  # rounds after this many epochs run on edited settings
        self.epoch = 0
        self.k = 0

    @property
    def scenario(self) -> Scenario:
        """The settings in force now (the file's, or as edited)."""
        return self._segments[-1].scenario

    @property
    def net(self) -> Network:
        return self._segments[-1].net

    def _segment(self, epoch: int) -> _Segment:
        return next(seg for seg in reversed(self._segments) if seg.start <= epoch)

    # --- computing epochs ----------------------------------------------------------------

    @property
    def computed(self) -> int:
        """How many epochs have been computed (errors known) so far."""
        return len(self.errors) - 1

    def extend_to(self, target: int, should_stop=None) -> int:
        """Compute epochs up to `target` (or divergence, or until should_stop() says so).

        Returns the number of epochs computed. Safe to run in a worker thread while the UI only
        reads: `computed` grows epoch by epoch as it runs (the errors list is appended in place).
        """
        start = self.computed
        if start >= target or self.diverged_at is not None:
            return start
        segment = self._segments[-1]
        kept: dict = {}
        state, done, diverged = segment.trainer.run(self.state_at(start), target - start, self.errors,
                                                    should_stop, kept, start, CHECKPOINT_EVERY)
        with self._lock:
            segment.checkpoints.update(kept)
            if done:
                self._remember(start + done, state)
            if diverged:
                self.diverged_at = start + done
        return self.computed

    def state_at(self, epoch: int) -> State:
        """Parameters after `epoch` epochs, replayed from the nearest checkpoint."""
        with self._lock:
            if epoch in self._recent:
                self._recent.move_to_end(epoch)
                return self._recent[epoch]
            segment = self._segment(epoch)
            base = epoch - epoch % CHECKPOINT_EVERY  # where one is kept, unless the segment starts later
            if base < segment.start or base not in segment.checkpoints:
                base = max(e for e in segment.checkpoints if e <= epoch)
            state = segment.checkpoints[base] = segment.trainer.kept_state(segment.checkpoints[base])
        if epoch > base:
            state, _done, _diverged = segment.trainer.run(state, epoch - base, [])
        with self._lock:
            self._remember(epoch, state)
        return state

    def _remember(self, epoch: int, state: State) -> None:
        self._recent[epoch] = state
        self._recent.move_to_end(epoch)
        while len(self._recent) > 4:
            self._recent.popitem(last=False)

    def round_records(self, epoch: int) -> list[Step]:
        """The records of round epoch + 1 (built from the parameters after `epoch` epochs)."""
        with self._lock:
            if epoch in self._rounds:
                self._rounds.move_to_end(epoch)
                return self._rounds[epoch]
        segment = self._segment(epoch)
        before = self.state_at(epoch)
        traces, after, evaluation, mean_grads = segment.trainer.epoch_traces(before)
        records = EpochWriter(segment.net, self.layout, epoch + 1).round(before, traces, after, evaluation,
                                                                         mean_grads)
        with self._lock:
            self._remember(epoch + 1, after)
            self._rounds[epoch] = records
            while len(self._rounds) > 3:
                self._rounds.popitem(last=False)
        return records

    # --- editing while learning ----------------------------------------------------------

    def edit(self, learning_rate: float | None = None, momentum: float | None = None,
             param: str | None = None, value: float | None = None) -> int:
        """Change settings or one weight/bias; returns the epoch count from which the change applies.

        The change takes effect from the next update not yet shown: the current round when its
        update is still ahead, else the next round. Earlier rounds keep their old values, so
        stepping back still shows what happened before the edit.
        """
        start = self.completed
        old = self._segment(start)
        changes, words = {}, []
        if learning_rate is not None:
            if not (0 < learning_rate <= 1000):
                raise ValueError("the learning rate must be > 0 and <= 1000")
            changes["learning_rate"] = float(learning_rate)
            words.append(f"learning rate {old.scenario.learning_rate:g} -> {learning_rate:g}")
        if momentum is not None:
            if not (0 <= momentum < 1):
                raise ValueError("momentum must be >= 0 and < 1")
            changes["momentum"] = float(momentum)
            words.append(f"momentum {old.scenario.momentum:g} -> {momentum:g}")
        state = self.state_at(start)
        params = state.params
        if param is not None:
            if value is None or not math.isfinite(value):
                raise ValueError("a weight or bias needs a finite value")
            params = _replace_param(params, self.layout, old.scenario.bias, param, float(value))
            words.append(f"{param} set to {value:g} after {start} round(s)")
        scenario = old.scenario._replace(**changes)
        net = Network(scenario)
        if scenario.momentum and state.velocity is not None:
            velocity = state.velocity
        else:
            velocity = net.zero_velocity(params)
        new_state = State(params, velocity)
        segment = _Segment(start, scenario, net, Trainer(net), {start: new_state})
        with self._lock:
            self._segments = [seg for seg in self._segments if seg.start < start] + [segment]
            for seg in self._segments:
                for e in [e for e in seg.checkpoints if e > start]:
                    del seg.checkpoints[e]
            for cache in (self._recent, self._rounds):
                for e in [e for e in cache if e >= start]:
                    del cache[e]
            del self.errors[start:]
            error = segment.trainer.error(new_state)
            self.errors.append(error)
            self.diverged_at = None if healthy(new_state, error) else start
            self.edits.extend(words)
            self.edited_from = start if self.edited_from is None else min(self.edited_from, start)
        if param is not None and start == self.epoch:
            self.k = 0  # the round's forward pass changes: walk it again from its start
        self.k = min(self.k, len(self.records))
        return start

    def edited_toml(self) -> str:
        """The scenario as it stands now (settings and parameters after the revealed rounds), as TOML."""
        from .scenario_toml import to_toml

        params = self.state_at(self.completed).params
        scenario = self.scenario
        note = (f"Saved by bp-tui after {self.completed} round(s) of {scenario.display_title!r}"
                + (": " + "; ".join(self.edits) if self.edits else "") + ".")
        description = (scenario.description.rstrip() + "\n\n" + note).strip()
        scenario = scenario._replace(description=description[-4000:], expects=())
        biases = params.biases
        return to_toml(scenario, params.weights, biases)

    # --- what is on screen ---------------------------------------------------------------

    @property
    def records(self) -> list[Step]:
        return self.round_records(self.epoch)

    @property
    def count(self) -> int:
        """How many sub-steps the current round has."""
        return len(self.records)

    def window(self, start: int, stop: int) -> list[Step]:
        """Sub-steps start .. stop - 1 of the current round (0-based, clipped to the round).

        Readers that show part of a round (the app's panels) ask for the part they show: a round of a
        large network can have millions of sub-steps, and only a window of them need exist at once.
        """
        return self.records[max(0, start):max(0, stop)]

    @property
    def current(self) -> Step | None:
        return self.records[self.k - 1] if self.k else None

    @property
    def revealed(self) -> list[Step]:
        return self.records[: self.k]

    @property
    def round_done(self) -> bool:
        return self.k == len(self.records)

    @property
    def completed(self) -> int:
        """Epochs whose update has been revealed (the current one counts once its last step is shown)."""
        return self.epoch + (1 if self.round_done else 0)

    @property
    def params(self):
        """Parameters as the screen should show them: after the current round once it is done."""
        return self.state_at(self.completed).params

    def params_before_round(self):
        return self.state_at(self.epoch).params

    def round_is_edited(self, round_number: int) -> bool:
        """Whether round `round_number` (1-based) runs on weights or settings the learner edited: the
        scenario's expected figures describe the file as written, so they no longer apply to it."""
        return self.edited_from is not None and round_number > self.edited_from

    def expectation(self, step: Step) -> ExpectResult | None:
        """The scenario's figure for this sub-step, if it has one, with the value the run gave; its
        `label` is what to print beside the figure (marked as from the unedited scenario after an edit)."""
        expect = self._expects.get((step.epoch, step.quantity, step.sample or 0))
        return None if expect is None else ExpectResult(expect, step.value, self.round_is_edited(step.epoch))

    def check_expects(self) -> list[ExpectResult]:
        """Every [[expect]] figure of the scenario against the engine's value."""
        results = []
        for expect in sorted(self.scenario.expects, key=lambda e: e.epoch):
            edited = self.round_is_edited(expect.epoch)
            if self.extend_to(expect.epoch - 1) < expect.epoch - 1:
                results.append(ExpectResult(expect, None, edited))
                continue
            found = [s for s in self.round_records(expect.epoch - 1)
                     if s.quantity == expect.quantity and (s.sample or 0) == expect.sample]
            results.append(ExpectResult(expect, found[0].value if found else None, edited))
        return results

    # --- moving --------------------------------------------------------------------------

    def can_enter(self, epoch: int) -> bool:
        """Whether round epoch + 1 can be shown (rounds after a divergence cannot)."""
        self.extend_to(epoch)
        return self.diverged_at is None or epoch < self.diverged_at

    def _shown(self) -> bool:
        """After a move: make sure the error of every completed round is known (for the chart)."""
        self.extend_to(self.completed)
        return True

    def next(self) -> bool:
        if self.k < len(self.records):
            self.k += 1
            return self._shown()
        if self.can_enter(self.epoch + 1):
            self.epoch, self.k = self.epoch + 1, 1
            return True
        return False

    def back(self) -> bool:
        if self.k > 1:
            self.k -= 1
        elif self.epoch > 0:
            self.epoch -= 1
            self.k = len(self.records)
        elif self.k == 1:
            self.k = 0
        else:
            return False
        return True

    def _group_ends(self) -> list[int]:
        """k positions that end a phase of the current round (a run of one sample's one phase)."""
        records = self.records
        return [i + 1 for i, step in enumerate(records)
                if i + 1 == len(records) or (records[i + 1].phase, records[i + 1].sample) != (step.phase, step.sample)]

    def _group_starts(self) -> list[int]:
        """k positions at which a phase's first sub-step is the current one."""
        records = self.records
        return [i + 1 for i, step in enumerate(records)
                if i == 0 or (records[i - 1].phase, records[i - 1].sample) != (step.phase, step.sample)]

    def next_phase(self) -> bool:
        """Show the rest of the current phase, or the whole next one if this one is complete."""
        later = [end for end in self._group_ends() if end > self.k]
        if later:
            self.k = later[0]
            return self._shown()
        if self.can_enter(self.epoch + 1):
            self.epoch += 1
            self.k = self._group_ends()[0]
            return True
        return False

    def prev_phase(self) -> bool:
        """Go back to the start of the current phase (its first sub-step the current one) or, when
        already there, to the start of the previous phase: across rounds, and from round 1's first
        sub-step to the very start."""
        earlier = [start for start in self._group_starts() if start < self.k]
        if earlier:
            self.k = earlier[-1]
            return True
        if self.epoch > 0:
            self.epoch -= 1
            self.k = self._group_starts()[-1]
            return True
        if self.k:
            self.k = 0
            return True
        return False

    # --- new values computed but not applied yet -------------------------------------------

    def pending(self, k: int | None = None) -> tuple[str, ...]:
        """The weights and biases whose new value (`w5+`) is shown but not applied yet at position k
        of the current round (default: where the stepper is), in the order they were shown.

        With update = "after-gradient" a new value is written right after its gradient, but the
        backward pass goes on with the old one: the new values apply together once the sample's
        backward pass is over (with hidden_deltas_use = "updated", once their layer's section is).
        Until then they are pending. With update = "end" nothing is ever pending.
        """
        k = self.k if k is None else k
        following = self.window(k, k + 1)
        scope = self._applied_with(following[0]) if following and k > 0 else None
        if scope is None:
            return ()
        params = frozenset(self.layout.all_weight_names()) | frozenset(self.layout.bias_names())
        found: list[str] = []
        while k > 0:  # back through the revealed part of the scope, a window at a time
            chunk = self.window(max(0, k - 256), k)
            for step in reversed(chunk):
                if self._applied_with(step) != scope:
                    return tuple(reversed(found))
                if step.quantity.endswith("+") and step.quantity[:-1] in params:
                    found.append(step.quantity[:-1])
            k -= len(chunk)
        return tuple(reversed(found))

    def _applied_with(self, step: Step):
        """What a new value written at `step` is applied with: the end of the same (sample, section)."""
        if phase_kind(step.phase) != "backward":
            return None
        if self.scenario.hidden_deltas_use == "updated":
            return step.sample, step.phase
        return step.sample

    def finish_round(self) -> bool:
        """Reveal the rest of the current round; at its end, run the whole next round."""
        if self.k < len(self.records):
            self.k = len(self.records)
            return self._shown()
        if self.can_enter(self.epoch + 1):
            self.epoch += 1
            self.k = len(self.records)
            return self._shown()
        return False

    def goto_epoch(self, completed: int) -> int:
        """Show the end of round `completed` (0: the very start). Stops at a divergence."""
        completed = max(0, completed)
        reached = min(completed, self.extend_to(completed))
        if self.diverged_at is not None:
            reached = min(reached, self.diverged_at)
        if reached == 0:
            self.epoch, self.k = 0, 0
        else:
            self.epoch = reached - 1
            self.k = len(self.records)
        return reached

    def goto_step(self, epoch: int, k: int) -> bool:
        """Show sub-step k of round epoch + 1 (its first k records revealed; k is clipped to the
        round). Where training diverged before that round, stop at the last round it reaches.
        True when the stepper got there."""
        reached = self.goto_epoch(epoch)  # the end of round `epoch`, or of the last reachable one
        if reached != epoch or not self.can_enter(epoch):
            return False
        self.epoch, self.k = epoch, min(max(0, k), self.count)
        self._shown()  # (the errors of the completed rounds, for the chart)
        return self.k == k

    def reset(self) -> None:
        self.epoch, self.k = 0, 0


def _replace_param(params, layout, bias_mode: str, name: str, value: float):
    """A copy of params with the weight or bias called `name` set to `value`."""
    from .network import Params

    weights = [[list(row) for row in layer] for layer in params.weights]
    biases = None if params.biases is None else [list(b) if isinstance(b, list) else b for b in params.biases]
    for l, layer in enumerate(layout.weight_names):
        for j, row in enumerate(layer):
            if name in row:
                weights[l][j][row.index(name)] = value
                return Params(weights, biases)
    for l in range(len(layout.layers) - 1):
        for j in range(layout.layers[l + 1] if bias_mode == "per-neuron" else 1):
            if layout.bias_name(l, j) == name:
                if bias_mode == "shared":
                    biases[l] = value
                else:
                    biases[l][j] = value
                return Params(weights, biases)
    raise ValueError(f"no weight or bias called {name!r}")
