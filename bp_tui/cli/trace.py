"""`bp-tui trace`: every sub-step of the first rounds, as text."""

from __future__ import annotations

import sys

from ..engine import records as rec
from ..engine.scenario import load_scenario
from ..engine.stepper import Stepper
from .common import epochs_arg


def add_parsers(sub) -> None:
    trace = sub.add_parser("trace", help="print every sub-step of the first epochs")
    trace.add_argument("scenario")
    trace.add_argument("--epochs", type=epochs_arg, default=1)
    trace.add_argument("--plain", action="store_true", help="no colour or box drawing (for pipes)")
    trace.add_argument("--derive", action="store_true",
                       help="under each derivative sub-step, the chain rule written out with its numbers")
    trace.add_argument("--matrix", action="store_true",
                       help="under each layer's sub-steps, the same step for the whole layer as matrices")
    trace.set_defaults(handler=cmd_trace)


def cmd_trace(args) -> int:
    scenario = load_scenario(args.scenario)
    stepper = Stepper(scenario)
    plain = args.plain or not sys.stdout.isatty()
    for epoch in range(args.epochs):
        if not stepper.can_enter(epoch):
            print(f"diverged at epoch {stepper.diverged_at}: later rounds cannot be computed")
            break
        print_round(stepper, epoch, plain, args.derive, args.matrix)
    return 0


def print_round(stepper: Stepper, epoch: int, plain: bool, derive: bool = False, matrix: bool = False) -> None:
    """One round as text: a heading per phase, then `quantity = formula = numbers = value` lines."""
    heading = None
    records = stepper.round_records(epoch)
    extras = None
    if derive or matrix:
        import shutil

        from ..study.explain import extra_lines

        extras = extra_lines(stepper, records, derive, matrix, shutil.get_terminal_size((100, 24)).columns - 4)
    for step in records:
        label = rec.phase_label(step.phase)
        key = (label, step.sample)
        if key != heading:
            heading = key
            sample = "" if step.sample is None or len(stepper.scenario.inputs) == 1 else f", sample {step.sample + 1}"
            title = f"round {step.epoch}: {label}{sample}"
            print(f"\n== {title} ==" if plain else f"\n\x1b[1m{title}\x1b[0m\n{'─' * len(title)}")
        check = stepper.expectation(step)
        mark = "" if check is None else ("  [article: ok]" if check.ok else
                                         f"  [expected {rec.num(check.expect.value)}]")
        value = rec.value_text(step.value)
        print(f"{step.formula}\n    = {step.substituted}\n    = {value}{mark}")
        for line in extras(step) if extras else ():
            print(f"    {line}".rstrip())
