"""The state machine a learner walks: rounds (epochs) of sub-steps, forward and back.

Position is (epoch, k): `epoch` rounds are complete and the current round is number epoch + 1;
its first k records are revealed. (0, 0) is the very start. Moving past the end of a round enters
the next one; stepping back before its first record returns to the end of the previous one. A
phase is a run of one sample's records of one phase id (records.phase_label names it): `]` shows
the rest of it, `[` goes back to its first sub-step.

The stepper is the cursor; its other jobs live beside it: the training history (errors,
checkpoints, divergence) in history.py, edits in edits.py, and a round's records in rounds.py,
made only as far as they are read. Readers of part of a round ask `count` and `window(start,
stop)`; readers of a whole round stream `steps(epoch)`. Nothing holds a whole round, so a round of
millions of sub-steps costs what its window on screen costs.
"""

from __future__ import annotations

from collections import OrderedDict

from .edits import edited, edited_toml
from .expectations import ExpectResult
from .history import CHECKPOINT_EVERY, History  # noqa: F401 (CHECKPOINT_EVERY read through the stepper)
from .network import Network
from .plan import RoundPlan
from .records import EpochWriter, Step, phase_kind
from .round_data import round_data
from .rounds import Round
from .scenario import Scenario
from .training import State
from .work import Work

KEPT_ROUNDS = 2  # the round on screen and the one before or after it


class Stepper:
    def __init__(self, scenario: Scenario):
        self.layout = scenario.layout
        self.work = Work()  # long computations report here, and stop when asked (from another thread)
        self.history = History(scenario, self.work)
        self._plans: dict[int, RoundPlan] = {}  # by id of the segment's scenario
        self._rounds: OrderedDict[int, Round] = OrderedDict()
        self._expects = {(e.epoch, e.quantity, e.sample): e for e in scenario.expects}
        self.edits: list[str] = []  # what the learner changed, in words, for the saved file
        self.edited_from: int | None = None  # rounds after this many epochs run on edited settings
        self.epoch = 0
        self.k = 0
        # (epoch, k, record): the record the last move made there. `current` is read after every move
        # (each key press, each step of a walk), and this spares it a second look-up of the same record.
        self._shown: tuple = (0, 0, None)

    # --- the history, read through the stepper -------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        """The settings in force now (the file's, or as edited)."""
        return self.history.scenario

    @property
    def net(self) -> Network:
        return self.history.segments[-1].net

    @property
    def errors(self) -> list[float]:
        """Training-set error after 0, 1, 2, ... epochs (grows while a worker extends it)."""
        return self.history.errors

    @property
    def diverged_at(self) -> int | None:
        return self.history.diverged_at

    @property
    def computed(self) -> int:
        return self.history.computed

    def extend_to(self, target: int, should_stop=None) -> int:
        return self.history.extend_to(target, should_stop)

    def state_at(self, epoch: int) -> State:
        return self.history.state_at(epoch)

    # --- rounds ----------------------------------------------------------------------------------

    def plan(self, epoch: int) -> RoundPlan:
        """How round epoch + 1 is laid out (its settings may differ after an edit)."""
        scenario = self.history.segment(epoch).scenario
        found = self._plans.get(id(scenario))
        if found is None or found.scenario is not scenario:
            found = self._plans[id(scenario)] = RoundPlan(scenario)
        return found

    def round(self, epoch: int) -> Round:
        """Round epoch + 1 (built from the parameters after `epoch` epochs), its records made on demand."""
        found = self._rounds.get(epoch)
        if found is not None:
            self._rounds.move_to_end(epoch)
            return found
        segment = self.history.segment(epoch)
        writer = EpochWriter(segment.net, self.layout, epoch + 1)

        def data():
            later = self.history.segment(epoch + 1) is segment  # (an edit may start a segment there)
            if not later:
                return round_data(segment.trainer, self.state_at(epoch), self.work)
            return round_data(segment.trainer, self.state_at(epoch), self.work,
                              lambda: self.history.at_hand(epoch + 1),
                              lambda *trained: self.history.accept(epoch + 1, segment.trainer, *trained))

        def finished(after) -> None:
            self.history.remember(epoch + 1, State(*after))

        found = self._rounds[epoch] = Round(self.plan(epoch), writer, data, finished)
        while len(self._rounds) > KEPT_ROUNDS:
            self._rounds.popitem(last=False)
        return found

    def steps(self, epoch: int):
        """Every record of round epoch + 1, one after the other, none of them kept (for a reader
        of a whole round: trace, export)."""
        return iter(self.round(epoch))

    def round_records(self, epoch: int) -> list[Step]:
        """The records of round epoch + 1 as a list: the whole round at once, for small rounds
        (tests, a check of a few figures). Readers of large rounds use `steps` or `window`."""
        return list(self.round(epoch))

    # --- editing while learning ----------------------------------------------------------------

    def edit(self, learning_rate: float | None = None, momentum: float | None = None,
             param: str | None = None, value: float | None = None) -> int:
        """Change settings or one weight/bias; returns the epoch count from which the change applies.

        The change takes effect from the next update not yet shown: the current round when its
        update is still ahead, else the next round. Earlier rounds keep their old values, so
        stepping back still shows what happened before the edit.
        """
        start = self.completed
        scenario, state, words = edited(self.history.segment(start).scenario, self.state_at(start), start,
                                        learning_rate, momentum, param, value)
        self.history.restart(start, scenario, state)
        for epoch in [e for e in self._rounds if e >= start]:
            del self._rounds[epoch]
        self._shown = (0, 0, None)  # the record shown may have changed with the edit: forget it
        self.edits.extend(words)
        self.edited_from = start if self.edited_from is None else min(self.edited_from, start)
        if param is not None and start == self.epoch:
            self.k = 0  # the round's forward pass changes: walk it again from its start
        self.k = min(self.k, self.count)
        return start

    def edited_toml(self) -> str:
        """The scenario as it stands now (settings and parameters after the revealed rounds), as TOML."""
        return edited_toml(self.scenario, self.state_at(self.completed).params, self.completed, self.edits)

    # --- what is on screen -----------------------------------------------------------------------

    @property
    def records(self) -> Round:
        """The current round as a sequence whose records are made as they are read."""
        return self.round(self.epoch)

    @property
    def count(self) -> int:
        """How many sub-steps the current round has (from the layout: nothing is computed)."""
        return self.plan(self.epoch).count

    def window(self, start: int, stop: int) -> list[Step]:
        """Sub-steps start .. stop - 1 of the current round (0-based, clipped to the round).

        Readers that show part of a round (the app's panels) ask for the part they show: a round of a
        large network can have millions of sub-steps, and only a window of them need exist at once.
        """
        return self.round(self.epoch).window(start, stop)

    @property
    def current(self) -> Step | None:
        if not self.k:
            return None
        epoch, k, record = self._shown
        if (epoch, k) == (self.epoch, self.k):  # (not so when epoch and k were set from outside)
            return record
        return self.round(self.epoch)[self.k - 1]

    @property
    def revealed(self) -> list[Step]:
        return self.window(0, self.k)

    @property
    def round_done(self) -> bool:
        return self.k == self.count

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

    def sample_params(self, sample: int, after: bool = False):
        """The parameters sample `sample` of the current round computes with (see Round.sample_params)."""
        return self.round(self.epoch).sample_params(sample, after)

    def forward_values(self, sample: int, stop: int) -> dict[str, float]:
        """Sample `sample`'s net inputs and outputs shown before position `stop` of the current round,
        without making its records (see Round.forward_values)."""
        return self.round(self.epoch).forward_values(sample, stop)

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
            edited_round = self.round_is_edited(expect.epoch)
            if self.extend_to(expect.epoch - 1) < expect.epoch - 1:
                results.append(ExpectResult(expect, None, edited_round))
                continue
            sample = expect.sample if self.plan(expect.epoch - 1).samples > 1 else 0
            found = [s for s in self.round(expect.epoch - 1).sample_steps(sample)
                     if s.quantity == expect.quantity]
            if not found:  # a figure about the whole set (E_mean, E_mean+)
                found = [s for s in self.round(expect.epoch - 1).sample_steps(None) if s.quantity == expect.quantity]
            results.append(ExpectResult(expect, found[0].value if found else None, edited_round))
        return results

    # --- moving ----------------------------------------------------------------------------------
    #
    # A move computes what its new position shows before it moves there (`_go`): when a computation
    # is stopped (Work.stop raises Stopped) the stepper stays where it was.

    def can_enter(self, epoch: int) -> bool:
        """Whether round epoch + 1 can be shown (rounds after a divergence cannot)."""
        reached = self.extend_to(epoch)
        return reached >= epoch and (self.diverged_at is None or epoch < self.diverged_at)

    def _go(self, epoch: int, k: int) -> bool:
        """Move to (epoch, k), once the record shown there (and, at a round's end, the error of every
        completed round, for the chart) is computed."""
        record = None
        if k:
            rnd = self.round(epoch)
            record = rnd[k - 1]  # made now, so a stopped computation leaves no half move
            if k == len(rnd):
                self.extend_to(epoch + 1)
        self.epoch, self.k = epoch, k
        self._shown = (epoch, k, record)
        return True

    def next(self) -> bool:
        if self.k < self.count:
            return self._go(self.epoch, self.k + 1)
        if self.can_enter(self.epoch + 1):
            return self._go(self.epoch + 1, 1)
        return False

    def back(self) -> bool:
        if self.k > 1:
            return self._go(self.epoch, self.k - 1)
        if self.epoch > 0:
            return self._go(self.epoch - 1, self.plan(self.epoch - 1).count)
        if self.k == 1:
            return self._go(0, 0)
        return False

    def next_phase(self) -> bool:
        """Show the rest of the current phase, or the whole next one if this one is complete."""
        end = self.plan(self.epoch).phase_start_after(self.k)
        if end > self.k:
            return self._go(self.epoch, end)
        if self.can_enter(self.epoch + 1):
            return self._go(self.epoch + 1, self.plan(self.epoch + 1).phase_start_after(0))
        return False

    def prev_phase(self) -> bool:
        """Go back to the start of the current phase (its first sub-step the current one) or, when
        already there, to the start of the previous phase: across rounds, and from round 1's first
        sub-step to the very start."""
        start = self.plan(self.epoch).phase_start_before(self.k - 1) if self.k > 1 else None
        if start is not None:
            return self._go(self.epoch, start + 1)
        if self.epoch > 0:
            plan = self.plan(self.epoch - 1)
            return self._go(self.epoch - 1, plan.phase_start_before(plan.count) + 1)
        if self.k:
            return self._go(0, 0)
        return False

    def finish_round(self) -> bool:
        """Reveal the rest of the current round; at its end, run the whole next round."""
        if self.k < self.count:
            return self._go(self.epoch, self.count)
        if self.can_enter(self.epoch + 1):
            return self._go(self.epoch + 1, self.plan(self.epoch + 1).count)
        return False

    def goto_epoch(self, completed: int) -> int:
        """Show the end of round `completed` (0: the very start). Stops at a divergence."""
        completed = max(0, completed)
        reached = min(completed, self.extend_to(completed))
        if self.diverged_at is not None:
            reached = min(reached, self.diverged_at)
        if reached == 0:
            self._go(0, 0)
        else:
            self._go(reached - 1, self.plan(reached - 1).count)
        return reached

    def goto_step(self, epoch: int, k: int) -> bool:
        """Show sub-step k of round epoch + 1 (its first k records revealed; k is clipped to the
        round). Where training diverged before that round, stop at the last round it reaches.
        True when the stepper got there."""
        reached = self.goto_epoch(epoch)  # the end of round `epoch`, or of the last reachable one
        if reached != epoch or not self.can_enter(epoch):
            return False
        self._go(epoch, min(max(0, k), self.plan(epoch).count))
        return self.k == k

    def reset(self) -> None:
        self.epoch, self.k = 0, 0

    # --- new values computed but not applied yet -------------------------------------------------

    def pending(self, k: int | None = None) -> tuple[str, ...]:
        """The weights and biases whose new value (`w5+`) is shown but not applied yet at position k
        of the current round (default: where the stepper is), in the order they were shown.

        With update = "after-gradient" a new value is written right after its gradient, but the
        backward pass goes on with the old one: the new values apply together once the sample's
        backward pass is over (with hidden_deltas_use = "updated", once their layer's section is).
        Until then they are pending. With update = "end" nothing is ever pending.
        """
        k = self.k if k is None else k
        plan, rnd = self.plan(self.epoch), self.round(self.epoch)
        if not 0 < k < plan.count:
            return ()
        following = plan.locate(k)
        scope = self._applied_with(following.sample, following.piece.phase)
        if scope is None:
            return ()
        found: list[tuple[str, ...]] = []
        index = k - 1
        while index >= 0:  # back through the revealed part of the scope, a piece at a time
            place = plan.locate(index)
            if self._applied_with(place.sample, place.piece.phase) != scope:
                break
            if place.start + place.piece.count <= k:
                found.append(place.piece.updates)
            else:  # the piece being revealed: only its new values shown so far
                found.append(tuple(step.quantity[:-1] for step in rnd.window(place.start, k)
                                   if step.quantity[:-1] in place.piece.updates and step.quantity.endswith("+")))
            index = place.start - 1
        return tuple(name for names in reversed(found) for name in names)

    def _applied_with(self, sample: int | None, phase: str):
        """What a new value written in this phase is applied with: the end of the same (sample, section)."""
        if phase_kind(phase) != "backward":
            return None
        if self.scenario.hidden_deltas_use == "updated":
            return sample, phase
        return sample
