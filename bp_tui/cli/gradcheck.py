"""`bp-tui gradcheck`: backpropagation's gradients against numerical ones."""

from __future__ import annotations

from ..engine.scenario import load_scenario
from .common import epochs_arg


def add_parsers(sub) -> None:
    gradcheck = sub.add_parser("gradcheck", help="compare backprop's gradients with numerical ones; "
                               "exit 0 on pass, 1 on fail")
    gradcheck.add_argument("scenario")
    gradcheck.add_argument("--epochs", type=epochs_arg, default=0,
                           help="train this many epochs first (default 0: check at the start)")
    gradcheck.set_defaults(handler=cmd_gradcheck)


def cmd_gradcheck(args) -> int:
    """Exit status 0 when every gradient passes, 1 when one fails (or training diverged first)."""
    from ..study.gradcheck import Diverged, check_scenario, report_lines

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
