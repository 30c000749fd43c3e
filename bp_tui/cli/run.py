"""`bp-tui run`: train without the screen and print the result."""

from __future__ import annotations

import math
import sys

from ..engine import records as rec
from ..engine.scenario import load_scenario
from ..engine.training import train
from .common import epochs_arg
from .progress import Bar, add_options, plan_work, seconds_each

DEFAULT_EPOCHS = 1000


def add_parsers(sub) -> None:
    run = sub.add_parser("run", help="train headless and print the result")
    run.add_argument("scenario")
    run.add_argument("--epochs", type=epochs_arg, default=DEFAULT_EPOCHS,
                     help=f"epochs to train (default {DEFAULT_EPOCHS})")
    run.add_argument("--json", action="store_true", help="print one JSON object, full precision, with "
                     "diverged_at (the epoch training diverged at, or null)")
    add_options(run)
    run.set_defaults(handler=cmd_run)


def cmd_run(args) -> int:
    scenario = load_scenario(args.scenario)
    seconds = seconds_per_epoch(scenario, args.epochs) * args.epochs
    plan_work(f"run of {scenario.origin}: {args.epochs:,} epochs,", seconds, args.yes)
    result = train_with_bar(scenario, args.epochs, args.quiet)
    where = ""
    if result.diverged_at is not None:
        where = divergence_words(scenario, result.diverged_at)
        print(f"bp-tui: {scenario.origin}: diverged at epoch {result.diverged_at}: a value became "
              f"infinite or NaN{where} (try a smaller learning_rate)", file=sys.stderr)
    if args.json:
        import json

        print(json.dumps(_finite_or_null(result.as_dict()), allow_nan=False))
        return 0
    print(scenario.display_title)
    print(f"epochs: {result.epochs}")
    if result.diverged_at is not None:
        print(f"diverged at epoch {result.diverged_at}{where}; training stopped there")
    print(f"error before training: {rec.value_text(result.errors[0])}")
    print(f"error after {result.epochs} epoch(s): {rec.value_text(result.errors[-1])}")
    for s, outputs in enumerate(result.outputs):
        shown = ", ".join(rec.value_text(o) for o in outputs)
        targets = ", ".join(rec.num(t) for t in scenario.targets[s])
        print(f"sample {s + 1}: outputs {shown}  (targets {targets})")
    layout = scenario.layout
    names = layout.weight_names
    for l, layer in enumerate(result.weights):
        print("  ".join(f"{names[l][j][k]}={rec.value_text(w)}" for j, row in enumerate(layer)
                        for k, w in enumerate(row)))
    if scenario.train_biases and result.biases is not None:
        flat = [b for layer in result.biases for b in (layer if isinstance(layer, list) else [layer])]
        print("  ".join(f"{name}={rec.value_text(b)}" for name, b in zip(layout.bias_names(), flat)))
    return 0


def seconds_per_epoch(scenario, most: int) -> float:
    """How long an epoch of training takes, timed once the trainer is warm (numpy imported, the
    kernel compiled): the first call's costs are not the run's."""
    from ..engine.network import Network
    from ..engine.training import Trainer, initial_state

    net = Network(scenario)
    trainer, state = Trainer(net), initial_state(net)
    trainer.run(state, 1, [])
    return seconds_each(lambda n: trainer.run(state, n, []), most)


def train_with_bar(scenario, epochs: int, quiet: bool):
    """`train`, with a progress bar on a terminal (told between two epochs how far it has got)."""
    bar = Bar(epochs, "epochs", quiet)
    if not bar.shown:
        return train(scenario, epochs)
    done = 0

    def between_epochs() -> bool:
        nonlocal done
        done += 1
        if not done % 64:
            bar.update(done)
        return False

    try:
        return train(scenario, epochs, should_stop=between_epochs)
    finally:
        bar.close()


def divergence_words(scenario, diverged_at: int) -> str:
    """", first E_total+ = inf in round 10": the first value that became infinite or NaN, when the
    round can tell (it is rebuilt from the start: a replay of the training, only on divergence)."""
    from ..engine.divergence import first_non_finite

    step = first_non_finite(scenario, diverged_at)
    if step is None:
        return ""
    sample = "" if step.sample is None or len(scenario.inputs) == 1 else f", sample {step.sample + 1}"
    return f", first {step.quantity} = {rec.num(step.value)} in round {step.epoch}{sample}"


def _finite_or_null(value):
    """JSON has no NaN or infinity: write null for them (the divergence is reported on stderr)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_or_null(v) for v in value]
    return value
