"""Training: one epoch at a time (shared with the stepper), and `train` for N epochs without records."""

from __future__ import annotations

import math
from functools import cached_property
from typing import NamedTuple

from .maths import add_all
from .network import Evaluation, Network, Params, SampleTrace, State
from .scenario import Scenario


def initial_state(net: Network) -> State:
    params = Params.from_scenario(net.scenario)
    return State(params, net.zero_velocity(params))


def run_epoch(net: Network, state: State, traces: list[SampleTrace] | None = None) -> State:
    """One epoch over the samples in file order: an update per sample (online) or one per epoch (batch).

    When `traces` is a list, each sample's intermediate quantities are appended to it; the numbers
    are the same either way, which is what keeps the stepper and `train` identical.
    """
    scenario = net.scenario
    if scenario.mode == "online":
        for x, t in zip(scenario.inputs, scenario.targets):
            trace = net.backprop(state.params, x, t, state.velocity, update=True)
            if traces is not None:
                traces.append(trace)
            state = State(trace.after, trace.velocity_after)
        return state
    batch = [net.backprop(state.params, x, t) for x, t in zip(scenario.inputs, scenario.targets)]
    if traces is not None:
        traces.extend(batch)
    weight_grads, bias_grads = net.mean_grads(batch)
    params, velocity = net.apply(state.params, state.velocity, weight_grads, bias_grads,
                                 range(net.depth - 1, -1, -1))
    return State(params, velocity)


KERNEL_EVALUATION_MIN_WORK = 20_000  # samples x weights from which compiling the kernel to evaluate pays
NUMPY_MIN_WORK = 4000  # samples x weights from which numpy beats the written-out kernel (batch mode)
# Online, numpy takes a sample through a layer in about 25 us whatever its size, the written-out
# kernel about 0.2 us a weight: numpy is the faster from about 128 weights a layer on average.
NUMPY_ONLINE_WEIGHTS_PER_LAYER = 128


def weight_count(scenario: Scenario) -> int:
    return sum(a * b for a, b in zip(scenario.layers, scenario.layers[1:]))


def wants_numpy(scenario: Scenario) -> bool:
    weights = weight_count(scenario)
    if scenario.mode == "batch":
        return weights * len(scenario.inputs) >= NUMPY_MIN_WORK
    return weights >= NUMPY_ONLINE_WEIGHTS_PER_LAYER * (len(scenario.layers) - 1)


class Trainer:
    """Runs epochs without records: numpy for large networks (a batch at once, or online a sample
    at a time), else the written-out kernel when the network is small enough, else the general
    per-neuron loop. Each gives the same numbers as the stepper's records on it."""

    def __init__(self, net: Network):
        self.net = net
        self.numpy = None  # the numpy backend, when this scenario trains with numpy
        if wants_numpy(net.scenario):  # numpy is imported only for scenarios that use it
            if net.scenario.mode == "batch":
                from .vectorized import BatchBackend

                self.numpy = BatchBackend(net)
            else:
                from .vectorized_online import OnlineBackend

                self.numpy = OnlineBackend(net)

    @cached_property
    def kernel(self):
        """The written-out loop, compiled once per trainer when first run (stepping through rounds
        never needs it, so the app's first frame does not wait for it); None when numpy does the
        work or the network is too big for it."""
        if self.numpy is not None:
            return None
        from .kernel import Kernel

        return Kernel.for_network(self.net)

    def evaluate(self, state: State):
        """Outputs and errors at a state, computed the way this trainer computes its errors."""
        if self.numpy is not None:
            return self.numpy.evaluation(*self.numpy.arrays(state.params))
        scenario = self.net.scenario
        if len(scenario.inputs) * weight_count(scenario) >= KERNEL_EVALUATION_MIN_WORK and self.kernel is not None:
            nets, outputs, losses = self.kernel.evaluation(state.params)
            return Evaluation(nets, outputs, losses, add_all(losses) / len(losses))
        return self.net.evaluate(state.params)

    def error(self, state: State) -> float:
        return self.evaluate(state).mean

    def run(self, state: State, epochs: int, errors: list, should_stop=None, checkpoints: dict | None = None,
            start: int = 0, every: int = 0) -> tuple[State, int, bool]:
        """Train up to `epochs` epochs from `state`, appending each epoch's training-set error.

        Returns (new state, epochs done, diverged). `should_stop()` is asked before every epoch.
        With `checkpoints`, `state` is taken to be after `start` epochs, and the state after every
        epoch count that is a multiple of `every` is stored in it under that count (the stepper's
        checkpoints; the written-out kernel takes them without leaving its loop; read them through
        `kept_state`).
        """
        if checkpoints is not None:
            return self._run_keeping(state, epochs, errors, should_stop, checkpoints, start, every)
        fast = self.numpy or self.kernel
        if fast is not None:
            params, velocity, done, diverged = fast.run(state.params, state.velocity, epochs, errors,
                                                               should_stop)
            return State(params, velocity), done, diverged
        done = 0
        while done < epochs:
            if should_stop is not None and should_stop():
                break
            state = run_epoch(self.net, state)
            error = self.net.dataset_error(state.params)[2]
            errors.append(error)
            done += 1
            if not healthy(state, error):
                return state, done, True
        return state, done, False

    def kept_state(self, kept) -> State:
        """A checkpoint `run` kept, as a State. The kernel keeps (flat params, flat velocity): a long
        fast-forward keeps thousands, few are ever read, and building them all would cost the run
        several per cent of its time (and the garbage collector's passes over the new lists)."""
        return kept if isinstance(kept, State) else State(*self.kernel.params_of(*kept))

    def _run_keeping(self, state, epochs, errors, should_stop, checkpoints, start, every):
        first = every - start % every  # epochs of this run until the first multiple of `every`
        if self.kernel is not None:  # kept as the kernel's flat lists: see kept_state
            marks: list = []
            params, velocity, done, diverged = self.kernel.run(state.params, state.velocity, epochs, errors,
                                                               should_stop, marks, first, every)
            checkpoints.update(zip(range(start + first, start + done + 1, every), marks))
            return State(params, velocity), done, diverged
        done, diverged = 0, False  # other backends: run to each multiple of `every`, keep, go on
        while done < epochs and not diverged:
            chunk = min(epochs - done, first if done == 0 else every)
            state, did, diverged = self.run(state, chunk, errors, should_stop)
            done += did
            if did == chunk and (start + done) % every == 0:
                checkpoints[start + done] = state
            if did < chunk and not diverged:
                break  # should_stop said so
        return state, done, diverged


def healthy(state: State, error: float) -> bool:
    """False once anything is infinite or NaN: the run has diverged."""
    return math.isfinite(error) and state.params.finite() and (
        state.velocity is None or state.velocity.finite())


class TrainResult(NamedTuple):
    """What `train` returns. Lists nest like the scenario file's."""

    errors: list[float]  # training-set error after 0, 1, ..., N epochs (fewer if it diverged)
    weights: list
    biases: list | None
    outputs: list[list[float]]  # network outputs for each sample after the last epoch
    epochs: int  # epochs completed
    diverged_at: int | None = None  # the epoch after which a value was first infinite or NaN

    def as_dict(self) -> dict:
        return {"epochs": self.epochs, "errors": self.errors, "weights": self.weights,
                "biases": self.biases, "outputs": self.outputs, "diverged_at": self.diverged_at}


def train(scenario: Scenario, epochs: int, should_stop=None) -> TrainResult:
    """Train `epochs` epochs from the scenario's start, recording the training-set error after each.

    `should_stop`, if given, is called between epochs; returning True ends the run early.
    """
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0, got {epochs!r}")
    net = Network(scenario)
    state = initial_state(net)
    trainer = Trainer(net)
    error = trainer.error(state)
    errors = [error]
    done, diverged_at = 0, None
    if not healthy(state, error):
        diverged_at = 0
    elif epochs:
        state, done, diverged = trainer.run(state, epochs, errors, should_stop)
        diverged_at = done if diverged else None
    outputs = trainer.evaluate(state).outputs
    return TrainResult(errors, export_weights(state.params), export_biases(state.params, scenario.bias),
                       outputs, done, diverged_at)


def export_weights(params: Params) -> list:
    return [[list(row) for row in layer] for layer in params.weights]


def export_biases(params: Params, mode: str) -> list | None:
    if params.biases is None:
        return None
    return [list(b) if mode == "per-neuron" else b for b in params.biases]
