"""`bp-tui serve`: the app for a class, in web browsers; every tab a learner of its own.

The server (app/server.py) needs the optional textual-serve package: without it this command says in
one line how to get it. Every value the command line gives is checked here, and the command each tab
runs is built from those values only, each part quoted, since textual-serve hands it to a shell.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from ..engine.scenario import ScenarioError, builtin_names, load_scenario
from .common import USAGE_ERROR, folder_arg, whole_arg

INSTALL_HINT = "bp-tui serve: the textual-serve package is missing: pip install 'bp-tui[serve]'"
SERVE_PACKAGES = ("textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2")  # what the serve extra installs
WILDCARDS = ("0.0.0.0", "::", "")


def add_parsers(sub) -> None:
    serve = sub.add_parser(
        "serve", help="serve the app to web browsers, for a class: each tab a learner of its own",
        description="Serve bp-tui to web browsers: each tab that opens the address is a learner of its own, "
                    "with their own place and quiz score. Nothing a learner does touches this machine's "
                    "files: scenarios are chosen from a list, saved networks and exported rounds are "
                    "downloads, and no place is saved. Ctrl+C stops the server and every session.")
    serve.add_argument("scenario", nargs="?", default="mazur",
                       help="the scenario every tab starts on: a built-in name or a file (default: mazur)")
    serve.add_argument("--host", type=host_arg, default="127.0.0.1",
                       help="the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every "
                            "network it is on)")
    serve.add_argument("--port", type=whole_arg(1, 65535, "port number"), default=8000, help="default 8000")
    serve.add_argument("--quiz", action="store_true", help="every tab starts in quiz mode")
    serve.add_argument("--max-sessions", type=whole_arg(1, 1000, "number of sessions"), default=40, metavar="N",
                       help="tabs open at once; one more is turned away with a message (default 40)")
    serve.add_argument("--scenarios", type=folder_arg, metavar="DIR",
                       help="also offer the scenario files (*.toml) of this folder in the open box (o)")
    serve.add_argument("--idle-minutes", type=minutes_arg, default=30.0, metavar="M",
                       help="close a tab after M minutes without a key (default 30)")
    serve.set_defaults(handler=cmd_serve)


def host_arg(text: str) -> str:
    """A host name or an IP address: letters, digits, dots, dashes and colons."""
    import argparse
    import ipaddress

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    labels = text.split(".")
    if not text or len(text) > 253 or not all(label and label.replace("-", "").isalnum() and label.isascii()
                                              for label in labels):
        raise argparse.ArgumentTypeError(f"not a host name or an IP address: {text!r}")
    return text


def minutes_arg(text: str) -> float:
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of minutes, got {text!r}") from None
    if not (math.isfinite(value) and 0.01 <= value <= 10_080):
        raise argparse.ArgumentTypeError(f"minutes must be between 0.01 and 10080 (a week), got {text}")
    return value


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str | None:
    """One line when the server can be reached from other machines, else None."""
    if is_loopback(host):
        return None
    where = "any network this machine is on" if host in WILDCARDS else f"the network of {host}"
    return (f"bp-tui serve: warning: listening on {host}, so anyone on {where} who can reach port {port} "
            "can open a session (there is no password); --host 127.0.0.1 keeps it to this machine.")


def address(host: str, port: int) -> str:
    """The address to open in a browser."""
    if host in WILDCARDS:
        import socket

        host = socket.gethostname()
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def scenario_argument(name: str) -> str:
    """The scenario as each tab's command line names it: a built-in name, or the file's absolute path.
    Loading it first means a bad one stops here, with the loader's one-line message."""
    load_scenario(name)
    return name if name in builtin_names() else str(Path(name).resolve())


def app_command(scenario: str, quiz: bool, folder: Path | None) -> str:
    """The shell command textual-serve runs for each tab: this Python and bp-tui in served mode.
    `exec` makes the app the tab's process itself, with no shell left between."""
    argv = [sys.executable, "-m", "bp_tui", "--served"]
    if quiz:
        argv.append("--quiz")
    if folder is not None:
        argv += ["--scenarios", str(folder)]
    argv += ["--", scenario]
    return "exec " + shlex.join(argv)


def offered_report(folder: Path) -> list[str]:
    """What the teacher is told about the folder offered: the files students can open, and any that
    cannot be opened (those are left out of the list)."""
    from ..app.served import offered_files  # (no Textual in it)

    files, broken = offered_files(folder), []
    for path in files:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            broken.append(f"  left out: {exc}")
    good = len(files) - len(broken)
    return [f"Offering {good} scenario file(s) from {folder} besides the built-in ones.", *broken]


def can_listen(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port (the port taken, the address not this machine's),
    or None: checked before the server says where to go."""
    import socket

    try:
        family, kind, proto, _, where = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (as the server will)
            probe.bind(where)
    except OSError as exc:
        return f"bp-tui serve: cannot listen on {host} port {port}: {exc.strerror or exc}"
    return None


def cmd_serve(args) -> int:
    try:
        from ..app.server import ClassroomServer
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVE_PACKAGES:
            raise
        print(INSTALL_HINT, file=sys.stderr)
        return USAGE_ERROR
    command = app_command(scenario_argument(args.scenario), args.quiz, args.scenarios)
    problem = can_listen(args.host, args.port)
    if problem:
        print(problem, file=sys.stderr)
        return USAGE_ERROR
    warning = exposure_warning(args.host, args.port)
    if warning:
        print(warning, file=sys.stderr)
    if args.scenarios is not None:
        print("\n".join(offered_report(args.scenarios)))
    server = ClassroomServer(command, host=args.host, port=args.port, url=address(args.host, args.port),
                             max_sessions=args.max_sessions, idle_seconds=args.idle_minutes * 60,
                             say=lambda line: print(line, flush=True))
    try:
        server.serve()
    except OSError as exc:
        print(f"bp-tui serve: cannot listen on {args.host} port {args.port}: {exc.strerror or exc}", file=sys.stderr)
        return USAGE_ERROR
    return 0
