"""`bp-tui show SCENARIO --picture`: the network drawn as in the app, at the start or at a sub-step.

Plain text on a pipe (or with NO_COLOR), ANSI colour on a terminal. The picture is as wide as the
terminal (120 columns when there is none) unless --width says otherwise; a network too large for
that width is a usage error that says how many columns it needs.
"""

from __future__ import annotations

import os
import sys

from ..engine.scenario import ScenarioError, load_scenario
from ..engine.notation import value_text
from ..engine.stepper import Stepper
from ..views.picture import draw, legend, needed, shape_of, state_of
from ..views.styled import ansi, plain
from .common import USAGE_ERROR, colour_wanted, size_arg

PIPE_WIDTH = 120
TALLEST = 200  # rows: on paper the picture may be as tall as it needs


def add_arguments(show) -> None:
    show.add_argument("--picture", action="store_true",
                      help="draw the network (NAME may also be a scenario file) instead of printing its TOML")
    show.add_argument("--width", type=size_arg(20, 2000), metavar="COLUMNS",
                      help="the picture's width (default: the terminal's, else 120)")
    show.add_argument("--step", metavar="QUANTITY",
                      help="light up round 1 at the first sub-step computing QUANTITY, e.g. dE_total/dw5")


def terminal_width() -> int:
    """$COLUMNS, else the width of the terminal that stdout or stderr is (`show ... | head` in a
    terminal draws for that terminal), else PIPE_WIDTH."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    for stream in (sys.stdout, sys.stderr):
        try:
            return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            continue
    return PIPE_WIDTH


def step_number(stepper, written: str, name: str) -> int:
    """How many steps into round 1 the first sub-step computing `written` is; the name may be
    spelled as on a page for `bp-tui check` (dE/dw5, δ_o1, w5_new)."""
    from ..study.page import canonical, quantity_keys

    round_one = stepper.window(0, stepper.count)
    quantity = quantity_keys(step.quantity for step in round_one).get(canonical(written))
    found = next((k for k, step in enumerate(round_one, 1) if step.quantity == quantity), None)
    if found is None:
        raise ScenarioError(f"{name}: --step: no sub-step of round 1 computes {written!r} "
                            f"(see `bp-tui trace {name}`)")
    return found


def show_picture(args) -> int:
    scenario = load_scenario(args.name)
    name = args.name
    width = args.width or terminal_width()
    stepper = Stepper(scenario)
    if args.step is not None:
        for _ in range(step_number(stepper, args.step, name)):
            stepper.next()
    shape = shape_of(scenario)
    lines = draw(shape, state_of(stepper), width, TALLEST)
    if lines is None:
        columns, rows = needed(shape)
        if columns > width and args.width:
            print(f"bp-tui: {name}: --width: the picture needs at least {columns} columns, got {width}",
                  file=sys.stderr)
        elif columns > width:  # the width is the terminal's: say how to get a wider picture
            print(f"bp-tui: {name}: the picture needs at least {columns} columns and the terminal has {width}; "
                  f"try --width {columns} | less -S", file=sys.stderr)
        else:
            print(f"bp-tui: {name}: the network is too large to draw: it would take {rows} rows",
                  file=sys.stderr)
        return USAGE_ERROR
    print((ansi if colour_wanted() else plain)(lines))
    step = stepper.current
    if step is not None:
        print(f"\n{step.formula} = {step.substituted} = {value_text(step.value)}")
    print()
    print("\n".join(legend(scenario)))
    return 0
