"""`bp-tui trace`: every sub-step of the first rounds, as text, written as it is made."""

from __future__ import annotations

import os
import shutil
import sys

from ..engine.scenario import load_scenario
from ..engine.stepper import Stepper
from ..views.styled import ansi, plain
from ..views.trace import round_lines, step_lines
from .common import epochs_arg
from .progress import Bar, add_options, estimate, plan_work

LINES_AT_ONCE = 512  # lines rendered and written together


def add_parsers(sub) -> None:
    trace = sub.add_parser("trace", help="print every sub-step of the first epochs, each expected figure "
                           "labelled with where it comes from")
    trace.add_argument("scenario")
    trace.add_argument("--epochs", type=epochs_arg, default=1, help="rounds to print (default 1)")
    trace.add_argument("--plain", action="store_true",
                       help="no colour or rules (the default when the output is not a terminal)")
    trace.add_argument("--derive", action="store_true",
                       help="under each derivative sub-step, the chain rule written out with its numbers")
    trace.add_argument("--matrix", action="store_true",
                       help="under each layer's sub-steps, the same step for the whole layer as matrices")
    add_options(trace)
    trace.set_defaults(handler=cmd_trace)


def cmd_trace(args) -> int:
    scenario = load_scenario(args.scenario)
    stepper = Stepper(scenario)
    terminal = not args.plain and sys.stdout.isatty()
    width = min(shutil.get_terminal_size().columns, 100) if terminal else 100
    render = ansi if terminal and not os.environ.get("NO_COLOR") else plain
    total = stepper.plan(0).count * args.epochs  # (fewer if training diverges)
    seconds = estimate(stepper, lambda step: render(step_lines(stepper, step, width)), args.epochs)
    plan_work(f"trace of {scenario.origin}: {total:,} sub-steps, about {3 * total:,} lines,", seconds, args.yes)
    bar = Bar(total, "sub-steps", args.quiet)
    done = 0

    def counted(epoch: int):
        nonlocal done
        for step in stepper.steps(epoch):
            done += 1
            if done % 256 == 0:
                bar.update(done)
            yield step

    out = sys.stdout
    try:
        for epoch in range(args.epochs):
            if not stepper.can_enter(epoch):
                bar.close()
                out.write(f"diverged at epoch {stepper.diverged_at}: later rounds cannot be computed\n")
                break
            extras = None
            if args.derive or args.matrix:
                from ..study.explain import extra_lines

                extras = extra_lines(stepper, stepper.steps(epoch), args.derive, args.matrix, width - 4)
            chunk = []
            for line in round_lines(stepper, epoch, rules=terminal, width=width, extras=extras,
                                    steps=counted(epoch)):
                chunk.append(line)
                if len(chunk) == LINES_AT_ONCE:
                    bar.close()
                    out.write(render(chunk) + "\n")
                    chunk.clear()
            bar.close()
            if chunk:
                out.write(render(chunk) + "\n")
    finally:
        bar.close()
    return 0
