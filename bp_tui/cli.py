"""The `bp-tui` command: the app by default, and headless subcommands for scripts and pipes.

Textual is imported only when the app starts, so the headless commands stay quick; argparse and json
only when a command needs them, so the app starts without them (issue 6). Every bad input ends with
one line on stderr naming the file and the field, and exit status 2.
"""

from __future__ import annotations

import gc
import math
import sys
from contextlib import contextmanager

from . import records as rec
from .scenario import ScenarioError, builtin_dir, builtin_names, load_scenario, printable
from .stepper import Stepper
from .training import train

USAGE_ERROR = 2
COMMANDS = ("list", "show", "validate", "run", "trace", "export", "gradcheck")


def new_parser(**kwargs):
    """An argparse parser that reports a usage error in one line with exit status 2 (its default is
    the same)."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.exit(USAGE_ERROR, f"{self.prog}: {message} (see --help)\n")

    return Parser(**kwargs)


def epochs_arg(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of epochs, got {text!r}") from None
    if not 0 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError(f"epochs must be between 0 and 10000000, got {value}")
    return value


def build_parser():
    parser = new_parser(prog="bp-tui", description="Backpropagation, one sub-step at a time.")
    sub = parser.add_subparsers(dest="command", parser_class=type(parser))
    sub.add_parser("list", help="list the built-in scenarios")
    show = sub.add_parser("show", help="print a built-in scenario's TOML (to copy and edit)")
    show.add_argument("name")
    validate = sub.add_parser("validate", help="check scenario files; exit 0 when all are valid, else 2")
    validate.add_argument("files", nargs="+")
    run = sub.add_parser("run", help="train headless and print the result")
    run.add_argument("scenario")
    run.add_argument("--epochs", type=epochs_arg, default=1000)
    run.add_argument("--json", action="store_true", help="print one JSON object, full precision")
    trace = sub.add_parser("trace", help="print every sub-step of the first epochs")
    trace.add_argument("scenario")
    trace.add_argument("--epochs", type=epochs_arg, default=1)
    trace.add_argument("--plain", action="store_true", help="no colour or box drawing (for pipes)")
    export = sub.add_parser("export", help="write the first rounds as a worked example (md, tex, csv, json)")
    export.add_argument("scenario")
    export.add_argument("--format", required=True, choices=("md", "tex", "csv", "json"),
                        help="md: Markdown with LaTeX maths; tex: a LaTeX document; csv or json: the records")
    export.add_argument("--epochs", type=export_epochs_arg, default=1, help="rounds to write (default 1)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    gradcheck = sub.add_parser("gradcheck", help="compare backprop's gradients with numerical ones; "
                               "exit 0 on pass, 1 on fail")
    gradcheck.add_argument("scenario")
    gradcheck.add_argument("--epochs", type=epochs_arg, default=0,
                           help="train this many epochs first (default 0: check at the start)")
    return parser


MAX_EXPORT_EPOCHS = 1000


def export_epochs_arg(text: str) -> int:
    import argparse

    value = epochs_arg(text)
    if not 1 <= value <= MAX_EXPORT_EPOCHS:
        raise argparse.ArgumentTypeError(f"export writes 1 to {MAX_EXPORT_EPOCHS} rounds, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            return dispatch(build_parser().parse_args(argv))
        return start_app(argv)
    except ScenarioError as exc:
        print(f"bp-tui: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `bp-tui trace mazur | head`
        sys.stderr.close()
        return 0


def dispatch(args) -> int:
    handler = {"list": cmd_list, "show": cmd_show, "validate": cmd_validate, "run": cmd_run,
               "trace": cmd_trace}
    extra = _extra_commands()
    handler.update(extra)
    return handler[args.command](args)


def _extra_commands() -> dict:
    """Commands that live in their own modules (export, gradcheck) register here when present."""
    return {"export": cmd_export, "gradcheck": cmd_gradcheck}


def start_app(argv: list[str]) -> int:
    if len(argv) <= 1 and not any(arg.startswith("-") for arg in argv):
        # `bp-tui` or `bp-tui SCENARIO`, what the parser below would read, without importing argparse
        scenario_name, quiz, fresh = (argv[0] if argv else "mazur"), False, False
    else:
        args = app_parser().parse_args(argv)
        scenario_name, quiz, fresh = args.scenario, args.quiz, args.fresh
    scenario = load_scenario(scenario_name)  # a bad file fails here, before the screen changes
    with long_lived_imports():
        from .app.app import run_app  # Textual is imported only now

    return run_app(scenario, quiz=quiz, fresh=fresh)


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
    parser = new_parser(prog="bp-tui", description="Backpropagation, one sub-step at a time. "
                        f"Subcommands: {', '.join(COMMANDS)} (bp-tui COMMAND --help).")
    parser.add_argument("scenario", nargs="?", default="mazur",
                        help="a scenario file or a built-in name (default: mazur, the article)")
    parser.add_argument("--quiz", action="store_true",
                        help="quiz mode: type each sub-step's value before it is shown (k toggles it)")
    parser.add_argument("--fresh", action="store_true",
                        help="start at the beginning, not where you stopped on this scenario last time")
    parser.epilog = ("bp-tui remembers, per scenario, the round, sub-step and quiz score where you quit "
                     "(in $XDG_STATE_HOME/bp-tui, default ~/.local/state/bp-tui) and resumes there; r "
                     "starts over. In the app, ? lists every key: k quiz, x export the round, g check "
                     "the gradients, e edit the learning rate, momentum, a weight or a bias, w save the "
                     "edited network as a scenario file.")
    return parser


# --- subcommands --------------------------------------------------------------------------


def cmd_list(_args) -> int:
    names = builtin_names()
    width = max(map(len, names), default=0)
    for name in names:
        print(f"{name:<{width}}  {load_scenario(name).title}")
    return 0


def cmd_show(args) -> int:
    path = builtin_dir() / f"{args.name}.toml"
    if args.name not in builtin_names():
        raise ScenarioError(f"{args.name}: no built-in scenario of that name (see `bp-tui list`)")
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def cmd_validate(args) -> int:
    status = 0
    for name in args.files:
        try:
            scenario = load_scenario(name)
        except ScenarioError as exc:
            print(f"bp-tui: {exc}", file=sys.stderr)
            status = USAGE_ERROR
        else:
            print(f"{printable(name)}: ok ({'-'.join(map(str, scenario.layers))}, {len(scenario.inputs)} sample(s))")
    return status


def cmd_run(args) -> int:
    scenario = load_scenario(args.scenario)
    result = train(scenario, args.epochs)
    if result.diverged_at is not None:
        print(f"bp-tui: {scenario.origin}: diverged at epoch {result.diverged_at}: a value became "
              "infinite or NaN (try a smaller learning_rate)", file=sys.stderr)
    if args.json:
        import json

        print(json.dumps(_finite_or_null(result.as_dict()), allow_nan=False))
        return 0
    print(scenario.display_title)
    print(f"epochs: {result.epochs}")
    print(f"error before training: {rec.value_text(result.errors[0])}")
    print(f"error after {result.epochs} epoch(s): {rec.value_text(result.errors[-1])}")
    for s, outputs in enumerate(result.outputs):
        shown = ", ".join(rec.value_text(o) for o in outputs)
        targets = ", ".join(rec.num(t) for t in scenario.targets[s])
        print(f"sample {s + 1}: outputs {shown}  (targets {targets})")
    names = scenario.layout.weight_names
    for l, layer in enumerate(result.weights):
        print("  ".join(f"{names[l][j][k]}={rec.value_text(w)}" for j, row in enumerate(layer)
                        for k, w in enumerate(row)))
    return 0


def _finite_or_null(value):
    """JSON has no NaN or infinity: write null for them (the divergence is reported on stderr)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite_or_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite_or_null(v) for v in value]
    return value


def cmd_trace(args) -> int:
    scenario = load_scenario(args.scenario)
    stepper = Stepper(scenario)
    plain = args.plain or not sys.stdout.isatty()
    for epoch in range(args.epochs):
        if not stepper.can_enter(epoch):
            print(f"diverged at epoch {stepper.diverged_at}: later rounds cannot be computed")
            break
        print_round(stepper, epoch, plain)
    return 0


def print_round(stepper: Stepper, epoch: int, plain: bool) -> None:
    """One round as text: a heading per phase, then `quantity = formula = numbers = value` lines."""
    heading = None
    for step in stepper.round_records(epoch):
        label = rec.PHASE_LABELS[step.phase]
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


def cmd_export(args) -> int:
    """The worked example goes to stdout, or atomically to -o FILE (never over a file without --force)."""
    from .export import export
    from .files import FileExists, WriteError, write_atomically

    text = export(load_scenario(args.scenario), args.format, args.epochs)
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


def cmd_gradcheck(args) -> int:
    """Exit status 0 when every gradient passes, 1 when one fails (or training diverged first)."""
    from .gradcheck import Diverged, check_scenario, report_lines

    scenario = load_scenario(args.scenario)
    when = "at the start" if args.epochs == 0 else f"after {args.epochs} epoch(s) of training"
    title = "".join(c if c.isprintable() else " " for c in scenario.display_title)  # no terminal escapes
    print(f"gradient check of {title}, {when}")
    try:
        report = check_scenario(scenario, args.epochs)
    except Diverged as exc:
        print(f"FAIL: {exc}")
        return 1
    print("\n".join(report_lines(report, scenario)))
    return 0 if report.passed else 1
