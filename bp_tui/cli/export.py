"""`bp-tui export`: the first rounds as a worked example, to stdout or a file."""

from __future__ import annotations

import sys

from ..engine.scenario import load_scenario
from .common import USAGE_ERROR, epochs_arg
from .progress import Bar, add_options, estimate, plan_work

MAX_EXPORT_EPOCHS = 1000


def export_epochs_arg(text: str) -> int:
    import argparse

    value = epochs_arg(text)
    if not 1 <= value <= MAX_EXPORT_EPOCHS:
        raise argparse.ArgumentTypeError(f"export writes 1 to {MAX_EXPORT_EPOCHS} rounds, got {value}")
    return value


def add_parsers(sub) -> None:
    export = sub.add_parser("export", help="write the first rounds as a worked example (md, tex, csv, json), "
                            "or a numpy script that trains the scenario")
    export.add_argument("scenario")
    export.add_argument("--format", required=True, choices=("md", "tex", "csv", "json", "numpy"),
                        help="md: Markdown with LaTeX maths; tex: a LaTeX document; csv or json: the records; "
                             "numpy: a Python script that trains the scenario in matrix steps")
    export.add_argument("--epochs", type=export_epochs_arg, default=None,
                        help="rounds to write (default 1); for numpy, the script's default number of epochs "
                             "(default 1000, as run)")
    export.add_argument("--derive", action="store_true",
                        help="md and tex: the chain rule written out under each derivative sub-step")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_options(export)
    export.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    """The worked example goes to stdout, or atomically to -o FILE (never over a file without --force),
    written as its records are made: the file appears, whole, only when it is complete."""
    from ..study.files import FileExists, WriteError, atomic_file

    if args.derive and args.format not in ("md", "tex"):
        print(f"bp-tui: --derive goes with --format md or tex, not {args.format}", file=sys.stderr)
        return USAGE_ERROR
    scenario = load_scenario(args.scenario)
    to_stdout = args.output in (None, "-")
    try:
        if to_stdout:
            write(scenario, args, sys.stdout)
            return 0
        with atomic_file(args.output, force=args.force, text=True) as out:
            write(scenario, args, out)
    except FileExists as exc:
        print(f"bp-tui: {exc} (add --force to replace it)", file=sys.stderr)
        return USAGE_ERROR
    except WriteError as exc:
        print(f"bp-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR
    if not args.quiet:
        print(f"bp-tui: wrote {args.output}", file=sys.stderr)
    return 0


def write(scenario, args, out) -> None:
    """The document onto `out`: a numpy script, or the worked example (asked about first when it
    would take more than a minute, with a progress bar on a terminal)."""
    if args.format == "numpy":
        from ..study.export.numpy_script import DEFAULT_EPOCHS, numpy_script

        out.write(numpy_script(scenario, args.epochs or DEFAULT_EPOCHS))
        return
    from ..engine.stepper import Stepper
    from ..study.export import step_text, write_export

    epochs = args.epochs or 1
    stepper = Stepper(scenario)
    total = stepper.plan(0).count * epochs  # (fewer if training diverges)
    seconds = estimate(stepper, lambda step: step_text(args.format, step), epochs)
    plan_work(f"export of {scenario.origin}: {total:,} sub-steps as {args.format},", seconds, args.yes)
    bar = Bar(total, "sub-steps", args.quiet)
    done = 0

    def step_written(_step) -> None:
        nonlocal done
        done += 1
        if done % 256 == 0:
            bar.update(done)

    try:
        write_export(scenario, args.format, out, epochs, args.derive, stepper, step_written)
    finally:
        bar.close()
