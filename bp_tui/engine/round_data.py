"""The numbers one round's records are written from, computed as far as they are asked for.

A round's records (records.py) are written a piece at a time from a sample's trace (SampleData)
or from the round's end (SetData: the batch update, the new error). Nothing here holds a whole
round: online, a sample's trace needs the parameters after the samples before it, so the state
before every few samples is kept (as many as fit in STATE_BYTES) and a trace is replayed from the
nearest one; the last few traces are kept for a learner stepping to and fro. Every backend gives
the numbers `train` gives on it: the same passes, in the same order.

    PythonBatch     batch mode, the per-neuron passes of network.py (small networks)
    SequentialRound online mode, sample after sample: network.py's passes or numpy's (OnlineBackend)
    vectorized.BatchRound   batch mode with numpy
"""

from __future__ import annotations

import math
from collections import OrderedDict

from .network import State
from .records import SampleData, SetData
from .training import run_epoch
from .work import Stopped, Work

STATE_BYTES = 32 * 2**20  # what one round may keep of states before samples
KEPT_TRACES = 3  # sample traces kept per round (the one on screen and its neighbours)


class PythonBatch:
    """Batch mode with network.py: every sample's trace at the round's start, then one update.
    (Only small networks train this way: NUMPY_MIN_WORK sends larger batches to numpy.)"""

    def __init__(self, trainer, state: State, work: Work):
        net = trainer.net
        self.samples = len(net.scenario.inputs)
        self.traces = []
        after = run_epoch(net, state, self.traces)
        self.grads = net.mean_grads(self.traces)
        self.before, self.after = (state.params, state.velocity), (after.params, after.velocity)
        self.evaluation = trainer.evaluate(after)

    def sample(self, s: int) -> SampleData:
        return SampleData(self.traces[s], self.before, None)

    def set_data(self) -> SetData:
        return SetData(self.evaluation, [t.loss for t in self.traces], self.column, self.grads, self.before,
                       self.after)

    def column(self, l: int, j: int | None, k: int | None) -> list[float]:
        if k is not None:
            return [t.weight_grads[l][j][k] for t in self.traces]
        return [t.bias_grads[l] if j is None else t.bias_grads[l][j] for t in self.traces]


class PythonPasses:
    """Online passes of network.py, on states (params, velocity)."""

    bytes_per_value = 32  # a float object and its place in a list

    def __init__(self, trainer):
        self.trainer, self.net = trainer, trainer.net
        self.data = list(zip(trainer.net.scenario.inputs, trainer.net.scenario.targets))

    def native(self, state: State):
        return state.params, state.velocity

    def state_of(self, native) -> tuple:
        return native

    def sample_pass(self, native, s: int, keep: bool = False):
        x, t = self.data[s]
        trace = self.net.backprop(native[0], x, t, native[1], update=True)
        return (trace.after, trace.velocity_after), (trace if keep else None)

    def evaluation(self, native):
        return self.trainer.evaluate(State(*native))


class NumpyPasses:
    """Online passes of vectorized_online.OnlineBackend, on states of arrays."""

    bytes_per_value = 8

    def __init__(self, backend):
        self.backend = backend

    def native(self, state: State):
        return self.backend.native(state.params, state.velocity)

    def state_of(self, native) -> tuple:
        return self.backend.state_of(native)

    def sample_pass(self, native, s: int, keep: bool = False):
        return self.backend.sample_pass(native, s, keep)

    def evaluation(self, native):
        return self.backend.evaluation(native[0], native[1])


class SequentialRound:
    """Online mode: sample after sample, each from the state the one before left."""

    def __init__(self, passes, state: State, samples: int, values: int, work: Work, run_epoch=None):
        """`run_epoch()`, when given, gives the state after the round faster than passing its samples
        here one by one (the written-out kernel: the same numbers, bit for bit)."""
        self.passes, self.samples, self.work, self.run_epoch = passes, samples, work, run_epoch
        per_state = max(1, values * passes.bytes_per_value)
        self.every = max(1, math.ceil(samples * per_state / STATE_BYTES))  # keep the state before every n-th
        self.states = {0: passes.native(state)}
        self.traces: OrderedDict[int, SampleData] = OrderedDict()
        self.end = None  # (native state after the round, its SetData)

    def _walk(self, stop: int, keep: int | None = None):
        """The state before sample `stop` (and sample `keep`'s SampleData on the way, if asked)."""
        base = max(s for s in self.states if s <= (stop if keep is None else keep))
        native, found = self.states[base], None
        if stop - base > 1:
            self.work.begin(f"samples {base + 1} to {stop} of {self.samples}", stop)
        for s in range(base, stop):
            self.work.tick(s)
            after, trace = self.passes.sample_pass(native, s, keep=s == keep)
            if trace is not None:
                found = SampleData(trace, self.passes.state_of(native), (trace.after, trace.velocity_after))
            native = after
            if (s + 1) % self.every == 0 and s + 1 < self.samples:
                self.states[s + 1] = native
        return native, found

    def sample(self, s: int) -> SampleData:
        if s in self.traces:
            self.traces.move_to_end(s)
            return self.traces[s]
        data = self._walk(s + 1, keep=s)[1]
        self.traces[s] = data
        while len(self.traces) > KEPT_TRACES:
            self.traces.popitem(last=False)
        return data

    def set_data(self) -> SetData:
        if self.end is None:
            after = self.run_epoch() if self.run_epoch is not None and max(self.states) < self.samples - 1 else None
            native = self.passes.native(after) if after is not None else self._walk(self.samples)[0]
            self.end = native, SetData(self.passes.evaluation(native))
        return self.end[1]

    @property
    def after(self) -> tuple:
        self.set_data()
        return self.passes.state_of(self.end[0])


def round_data(trainer, state: State, work: Work, known_after=None, trained=None):
    """What the records of the round from `state` are written from, with the same backend the
    trainer's `run` uses, so the numbers match exactly. `known_after()` gives the state after the
    round when the history has it at hand (else None); `trained(after, error, diverged)` is told
    what a run of the round here gave, so that the history need not run the same round again."""
    scenario = trainer.net.scenario
    samples = len(scenario.inputs)
    if scenario.mode == "batch":
        if trainer.numpy is not None:
            from .vectorized import BatchRound

            return BatchRound(trainer.numpy, state.params, state.velocity)
        return PythonBatch(trainer, state, work)
    values = len(state.params.flat()) * (2 if state.velocity is not None else 1)
    passes = NumpyPasses(trainer.numpy) if trainer.numpy is not None else PythonPasses(trainer)
    fast = trainer.numpy is None and trainer.kernel is not None  # network.py's passes cost several kernel's

    def run_epoch() -> State | None:
        """The state after the round without passing its samples here: from the history, or (when
        network.py's passes would be slower) the kernel's run."""
        after = known_after() if known_after is not None else None
        if after is None and fast:
            errors: list[float] = []
            after, done, diverged = trainer.run(state, 1, errors, work.stop_asked)
            if done < 1:
                raise Stopped("the round's end")
            if trained is not None:
                trained(after, errors[0], diverged)
        return after

    return SequentialRound(passes, state, samples, values, work, run_epoch)
