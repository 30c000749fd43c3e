"""`bp-tui export`: the first rounds as a worked example, to stdout or a file."""

from __future__ import annotations

import sys

from ..engine.scenario import load_scenario
from .common import USAGE_ERROR, epochs_arg

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
    export.set_defaults(handler=cmd_export)


def cmd_export(args) -> int:
    """The worked example goes to stdout, or atomically to -o FILE (never over a file without --force)."""
    from ..study.export import export
    from ..study.files import FileExists, WriteError, write_atomically

    if args.derive and args.format not in ("md", "tex"):
        print(f"bp-tui: --derive goes with --format md or tex, not {args.format}", file=sys.stderr)
        return USAGE_ERROR
    scenario = load_scenario(args.scenario)
    if args.format == "numpy":
        from ..study.export.numpy_script import DEFAULT_EPOCHS, numpy_script

        text = numpy_script(scenario, args.epochs or DEFAULT_EPOCHS)
    else:
        text = export(scenario, args.format, args.epochs or 1, derive=args.derive)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        write_atomically(args.output, text, force=args.force)
    except FileExists as exc:
        print(f"bp-tui: {exc} (add --force to replace it)", file=sys.stderr)
        return USAGE_ERROR
    except WriteError as exc:
        print(f"bp-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR
    print(f"bp-tui: wrote {args.output}", file=sys.stderr)
    return 0
