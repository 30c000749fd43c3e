"""`bp-tui boundary`: the decision boundary of a two-input scenario after N epochs, as text."""

from __future__ import annotations

import sys

from ..engine import records as rec
from ..engine.network import Params
from ..engine.scenario import load_scenario
from ..engine.training import train
from .common import USAGE_ERROR, add_size_options, colour_wanted, epochs_arg


def add_parsers(sub) -> None:
    boundary = sub.add_parser(
        "boundary", help="the decision boundary of a two-input network after N epochs",
        description="The network's output over the plane of its two inputs after N epochs of training: "
                    "░ ▒ ▓ █ for the output's four quarters (or, with softmax, a shade per winning "
                    "class), the training samples marked with their targets, and below it each "
                    "sample's outputs.")
    boundary.add_argument("scenario")
    boundary.add_argument("--epochs", type=epochs_arg, default=1000, help="epochs to train first (default 1000)")
    boundary.add_argument("--lines", action="store_true",
                          help="draw each first-hidden-layer neuron's line, where its net input is 0")
    add_size_options(boundary, (20, 400, 80), (8, 200, 22), "the picture and its legend")
    boundary.set_defaults(handler=cmd_boundary)


def cmd_boundary(args) -> int:
    from ..views.boundary import BoundaryView, unsupported
    from ..views.plane import outputs_at
    from ..views.styled import ansi, plain

    scenario = load_scenario(args.scenario)
    problem = unsupported(scenario)
    if problem:
        print(f"bp-tui: {scenario.origin}: network.layers: {problem}", file=sys.stderr)
        return USAGE_ERROR
    result = train(scenario, args.epochs)
    if result.diverged_at is not None:
        print(f"bp-tui: {scenario.origin}: diverged at epoch {result.diverged_at}: the picture shows the "
              "network of that epoch (· where an output is not a number)", file=sys.stderr)
    params = Params(result.weights, result.biases)
    view = BoundaryView(scenario, args.width, args.height, hidden_lines=args.lines)
    render = ansi if colour_wanted(args.plain) else plain
    print(scenario.display_title)
    print(f"after {result.epochs} epoch(s): error {rec.value_text(result.errors[-1])}")
    print(render(view.lines(params)))
    outputs = outputs_at(scenario, params, scenario.inputs)
    for s, (point, out) in enumerate(zip(scenario.inputs, outputs)):
        where = ", ".join(rec.num(x) for x in point)
        shown = ", ".join(rec.value_text(o) for o in out)
        targets = ", ".join(rec.num(t) for t in scenario.targets[s])
        print(f"sample {s + 1} at ({where}): outputs {shown}  (targets {targets})")
    return 0
