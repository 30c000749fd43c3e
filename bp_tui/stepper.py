"""The state machine a learner walks: rounds (epochs) of sub-steps, forward and back.

Position is (epoch, k): `epoch` rounds are complete and the current round is number epoch + 1;
its first k records are revealed. (0, 0) is the very start. Moving past the end of a round enters
the next one; stepping back before its first record returns to the end of the previous one.

Only what is needed to recompute is kept: a checkpoint of the parameters every CHECKPOINT_EVERY
epochs, the training-set error of every epoch reached, and the records of the round on screen.
Records are rebuilt from a checkpoint with the same functions as `train`, so values are identical
however the learner got there.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from .network import Network
from .records import EpochWriter, Step
from .scenario import Expect, Scenario
from .training import State, Trainer, healthy, initial_state

CHECKPOINT_EVERY = 64


@dataclass(frozen=True)
class ExpectResult:
    expect: Expect
    actual: float | None  # None when the quantity was not found in that round

    @property
    def ok(self) -> bool:
        return self.actual is not None and self.expect.holds(self.actual)


class Stepper:
    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.net = Network(scenario)
        self._trainer = Trainer(self.net)
        self.layout = scenario.layout
        start = initial_state(self.net)
        self._checkpoints: dict[int, State] = {0: start}
        self._recent: OrderedDict[int, State] = OrderedDict()
        self._rounds: OrderedDict[int, list[Step]] = OrderedDict()
        error = self._trainer.error(start)
        self.errors: list[float] = [error]  # training-set error after 0, 1, 2, ... epochs
        self.diverged_at: int | None = None if healthy(start, error) else 0
        self._expects = {(e.epoch, e.quantity, e.sample): e for e in scenario.expects}
        self.epoch = 0
        self.k = 0

    # --- computing epochs ----------------------------------------------------------------

    @property
    def computed(self) -> int:
        """How many epochs have been computed (errors known) so far."""
        return len(self.errors) - 1

    def extend_to(self, target: int, should_stop=None, progress=None) -> int:
        """Compute epochs up to `target` (or divergence, or until should_stop() says so).

        Returns the number of epochs computed. Safe to run in a worker thread while the UI only reads.
        """
        while self.computed < target and self.diverged_at is None:
            start = self.computed
            # run to the next checkpoint boundary (or the target), then store the checkpoint
            chunk = min(target, (start // CHECKPOINT_EVERY + 1) * CHECKPOINT_EVERY) - start
            state, done, diverged = self._trainer.run(self.state_at(start), chunk, self.errors, should_stop)
            reached = start + done
            if done:
                if reached % CHECKPOINT_EVERY == 0:
                    self._checkpoints[reached] = state
                self._remember(reached, state)
            if diverged:
                self.diverged_at = reached
            if progress is not None and done:
                progress(reached)
            if done < chunk and not diverged:
                break  # should_stop said so
        return self.computed

    def state_at(self, epoch: int) -> State:
        """Parameters after `epoch` epochs, replayed from the nearest checkpoint."""
        if epoch in self._recent:
            self._recent.move_to_end(epoch)
            return self._recent[epoch]
        base = max(e for e in self._checkpoints if e <= epoch)
        state = self._checkpoints[base]
        if epoch > base:
            state, _done, _diverged = self._trainer.run(state, epoch - base, [])
        self._remember(epoch, state)
        return state

    def _remember(self, epoch: int, state: State) -> None:
        self._recent[epoch] = state
        self._recent.move_to_end(epoch)
        while len(self._recent) > 4:
            self._recent.popitem(last=False)

    def round_records(self, epoch: int) -> list[Step]:
        """The records of round epoch + 1 (built from the parameters after `epoch` epochs)."""
        if epoch in self._rounds:
            self._rounds.move_to_end(epoch)
            return self._rounds[epoch]
        before = self.state_at(epoch)
        traces, after, evaluation, mean_grads = self._trainer.epoch_traces(before)
        self._remember(epoch + 1, after)
        records = EpochWriter(self.net, self.layout, epoch + 1).round(before, traces, after, evaluation, mean_grads)
        self._rounds[epoch] = records
        while len(self._rounds) > 3:
            self._rounds.popitem(last=False)
        return records

    # --- what is on screen ---------------------------------------------------------------

    @property
    def records(self) -> list[Step]:
        return self.round_records(self.epoch)

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

    def expectation(self, step: Step) -> ExpectResult | None:
        expect = self._expects.get((step.epoch, step.quantity, step.sample or 0))
        return None if expect is None else ExpectResult(expect, step.value)

    def check_expects(self) -> list[ExpectResult]:
        """Every [[expect]] figure of the scenario against the engine's value."""
        results = []
        for expect in sorted(self.scenario.expects, key=lambda e: e.epoch):
            if self.extend_to(expect.epoch - 1) < expect.epoch - 1:
                results.append(ExpectResult(expect, None))
                continue
            found = [s for s in self.round_records(expect.epoch - 1)
                     if s.quantity == expect.quantity and (s.sample or 0) == expect.sample]
            results.append(ExpectResult(expect, found[0].value if found else None))
        return results

    # --- moving --------------------------------------------------------------------------

    def can_enter(self, epoch: int) -> bool:
        """Whether round epoch + 1 can be shown (rounds after a divergence cannot)."""
        self.extend_to(epoch)
        return self.diverged_at is None or epoch < self.diverged_at

    def next(self) -> bool:
        if self.k < len(self.records):
            self.k += 1
            return True
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

    def next_phase(self) -> bool:
        """Show the rest of the current phase, or the whole next one if this one is complete."""
        later = [end for end in self._group_ends() if end > self.k]
        if later:
            self.k = later[0]
            return True
        if self.can_enter(self.epoch + 1):
            self.epoch += 1
            self.k = self._group_ends()[0]
            return True
        return False

    def prev_phase(self) -> bool:
        """Go back to the end of the previous phase."""
        earlier = [end for end in self._group_ends() if end < self.k]
        if earlier:
            self.k = earlier[-1]
            return True
        if self.epoch > 0:
            self.epoch -= 1
            self.k = len(self.records)  # the end of the previous round ends its last phase
            return True
        if self.k:
            self.k = 0
            return True
        return False

    def finish_round(self) -> bool:
        """Reveal the rest of the current round; at its end, run the whole next round."""
        if self.k < len(self.records):
            self.k = len(self.records)
            return True
        if self.can_enter(self.epoch + 1):
            self.epoch += 1
            self.k = len(self.records)
            return True
        return False

    def goto_epoch(self, completed: int) -> int:
        """Show the end of round `completed` (0: the very start). Stops at a divergence."""
        completed = max(0, completed)
        reached = self.extend_to(completed)
        if self.diverged_at is not None:
            reached = min(reached, self.diverged_at)
        if reached == 0:
            self.epoch, self.k = 0, 0
        else:
            self.epoch = reached - 1
            self.k = len(self.records)
        return reached

    def reset(self) -> None:
        self.epoch, self.k = 0, 0
