"""The `bp-tui` command: the app by default, and headless subcommands for scripts and pipes.

Each subcommand lives in its own module here, which adds its parser and names its handler. Textual is
imported only when the app starts, so the headless commands stay quick; argparse and json only when a
command needs them, so the app starts without them (issue 6). Every bad input ends with one line on
stderr naming the file and the field, and exit status 2.
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager

from ..engine.scenario import ScenarioError, load_scenario
from .common import USAGE_ERROR, Declined, new_parser

# The subcommands, as `bp-tui --help` lists them. Each is defined (parser and handler) in a module of
# this package, imported only when a subcommand is asked for: the app starts without them.
COMMANDS = ("list", "show", "validate", "run", "trace", "check", "export", "gradcheck", "boundary", "compare",
            "serve")


def build_parser(command: str | None = None):
    """`bp-tui`'s parser: with `command`, holding that subcommand alone, which is all `main` parses
    (building all eleven costs about 9 ms, a tenth of a headless command's start); without, all."""
    from . import boundary, check, compare, export, gradcheck, run, scenarios, serve, trace

    parser = new_parser(prog="bp-tui", description="Backpropagation, one sub-step at a time.")
    sub = parser.add_subparsers(dest="command", parser_class=type(parser))
    module_of = {"list": scenarios, "show": scenarios, "validate": scenarios, "run": run, "trace": trace,
                 "check": check, "export": export, "gradcheck": gradcheck, "boundary": boundary,
                 "compare": compare, "serve": serve}
    for module in dict.fromkeys(module_of.values()) if command is None else (module_of[command],):
        module.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = build_parser(argv[0]).parse_args(argv)
            return args.handler(args)
        return start_app(argv)
    except ScenarioError as exc:
        print(f"bp-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except Declined as exc:
        print(exc, file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `bp-tui trace mazur | head`
        sys.stderr.close()
        return 0


def start_app(argv: list[str]) -> int:
    if len(argv) <= 1 and not any(arg.startswith("-") for arg in argv):
        # `bp-tui` or `bp-tui SCENARIO`, what the parser below would read, without importing argparse
        scenario_name, quiz, fresh, served = (argv[0] if argv else "mazur"), False, False, None
    else:
        args = app_parser().parse_args(argv)
        scenario_name, quiz, fresh = args.scenario, args.quiz, args.fresh
        from ..app.served import Served  # (no Textual in it)

        served = Served(args.scenarios) if args.served else None
    scenario = load_scenario(scenario_name)  # a bad file fails here, before the screen changes
    with long_lived_imports():
        from ..app.app import run_app  # Textual is imported only now

    return run_app(scenario, quiz=quiz, fresh=fresh, served=served)


@contextmanager
def long_lived_imports():
    """Import what lives as long as the program without the cyclic garbage collector looking on.

    Importing Textual and the app adds some 45,000 objects the collector tracks (functions, classes,
    dicts) that are never garbage; it would walk them several times while they are made. It is off
    meanwhile, then they are moved out of its way (gc.freeze), so later collections walk only what
    the app makes. Start-up (issue 6): ~26 M instructions, ~2% of the time to the first frame.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def app_parser():
    import argparse

    from .common import folder_arg

    parser = new_parser(prog="bp-tui", description="Backpropagation, one sub-step at a time. "
                        f"Subcommands: {', '.join(COMMANDS)} (bp-tui COMMAND --help).")
    parser.add_argument("scenario", nargs="?", default="mazur",
                        help="a scenario file or a built-in name (default: mazur, the article)")
    parser.add_argument("--quiz", action="store_true",
                        help="quiz mode: type each sub-step's value before it is shown (k toggles it)")
    parser.add_argument("--fresh", action="store_true",
                        help="start at the beginning, not where you stopped on this scenario last time")
    # What `bp-tui serve` runs for each browser tab (cli/serve.py), not for people to type.
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scenarios", type=folder_arg, help=argparse.SUPPRESS)
    parser.epilog = ("bp-tui remembers, per scenario, the round, sub-step and quiz score where you quit "
                     "(in $XDG_STATE_HOME/bp-tui, default ~/.local/state/bp-tui) and resumes there; r "
                     "starts over. In the app, ? lists every key: k quiz, x export the round, g check "
                     "the gradients, e edit the learning rate, momentum, a weight or a bias, w save the "
                     "edited network as a scenario file.")
    return parser
