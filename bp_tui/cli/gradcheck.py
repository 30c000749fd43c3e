"""`bp-tui gradcheck`: backpropagation's gradients against numerical ones."""

from __future__ import annotations

import time

from ..engine.scenario import load_scenario
from .common import epochs_arg
from .progress import Bar, add_options, plan_work


def add_parsers(sub) -> None:
    gradcheck = sub.add_parser("gradcheck", help="compare backprop's gradients with numerical ones; "
                               "exit 0 on pass, 1 on fail")
    gradcheck.add_argument("scenario")
    gradcheck.add_argument("--epochs", type=epochs_arg, default=0,
                           help="train this many epochs first (default 0: check at the start)")
    add_options(gradcheck)
    gradcheck.set_defaults(handler=cmd_gradcheck)


def cmd_gradcheck(args) -> int:
    """Exit status 0 when every gradient passes, 1 when one fails (or training diverged first)."""
    from ..engine.stepper import Stepper
    from ..study.gradcheck import Diverged, ErrorAt, check_gradients, places, report_lines, trained

    scenario = load_scenario(args.scenario)
    stepper = Stepper(scenario)
    params = stepper.state_at(0).params
    count = len(places(stepper.net, params, params.weights, params.biases))
    seconds = 2 * count * seconds_per_error(ErrorAt(stepper.net, params))
    if args.epochs:
        start = time.perf_counter()
        stepper.extend_to(1)
        seconds += (time.perf_counter() - start) * args.epochs
    plan_work(f"gradient check of {scenario.origin}: {count:,} parameters, two passes over the training set "
              "each" + (f", after {args.epochs:,} epochs of training" if args.epochs else "") + ",",
              seconds, args.yes)
    when = "at the start" if args.epochs == 0 else f"after {args.epochs} epoch(s) of training"
    title = "".join(c if c.isprintable() else " " for c in scenario.display_title)  # no terminal escapes
    print(f"gradient check of {title}, {when}", flush=True)
    bar = Bar(args.epochs, "epochs trained", args.quiet)
    try:
        try:
            params = trained(stepper, args.epochs, should_stop=lambda: bar.update(stepper.computed))
        except Diverged as exc:
            bar.close()
            print(f"FAIL: {exc}")
            return 1
        bar.close()
        bar = Bar(count, "parameters checked", args.quiet)
        report = check_gradients(stepper.net, params, progress=lambda done, _total: bar.update(done))
    finally:
        bar.close()
    print("\n".join(report_lines(report, scenario)))
    return 0 if report.passed else 1


def seconds_per_error(error, most: int = 4) -> float:
    """How long one evaluation of the training-set error takes, timed on the first parameters (after
    one to warm up)."""
    error(("w", 0, 0, 0), 0.0)
    start = time.perf_counter()
    for _ in range(most):
        error(("w", 0, 0, 0), 0.0)
    return (time.perf_counter() - start) / most
