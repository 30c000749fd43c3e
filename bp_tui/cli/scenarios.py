"""`bp-tui list`, `show` and `validate`: the built-in scenarios, and checking files."""

from __future__ import annotations

import sys

from ..engine.scenario import ScenarioError, builtin_dir, builtin_names, load_scenario, printable
from .picture import add_arguments, show_picture
from .common import USAGE_ERROR


def add_parsers(sub) -> None:
    sub.add_parser("list", help="list the built-in scenarios").set_defaults(handler=cmd_list)
    show = sub.add_parser("show", help="print a built-in scenario's TOML (to copy and edit), or draw it")
    show.add_argument("name")
    add_arguments(show)
    show.set_defaults(handler=cmd_show)
    validate = sub.add_parser("validate", help="check scenario files; exit 0 when all are valid, else 2")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(handler=cmd_validate)


def cmd_list(_args) -> int:
    names = builtin_names()
    width = max(map(len, names), default=0)
    for name in names:
        print(f"{name:<{width}}  {load_scenario(name).title}")
    return 0


def cmd_show(args) -> int:
    if args.picture or args.width is not None or args.step is not None:
        return show_picture(args)
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
