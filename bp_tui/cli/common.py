"""What every subcommand shares: the exit status of a usage error, and the argument types."""

from __future__ import annotations

USAGE_ERROR = 2


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


def colour_wanted(plain: bool = False) -> bool:
    """ANSI colour only on a terminal, unless --plain or the NO_COLOR convention says no."""
    import os
    import sys

    return not plain and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def add_size_options(parser, width: tuple[int, int, int], height: tuple[int, int, int], what: str) -> None:
    """--width, --height (each (least, most, default) cells) and --plain, for a text picture."""
    parser.add_argument("--width", type=size_arg(*width[:2]), default=width[2],
                        help=f"cells across (default {width[2]})")
    parser.add_argument("--height", type=size_arg(*height[:2]), default=height[2],
                        help=f"lines of {what} (default {height[2]})")
    parser.add_argument("--plain", action="store_true", help="no colour (also when not a terminal, or NO_COLOR)")


def size_arg(low: int, high: int):
    """An argument type for a size in cells, `low` to `high`."""
    return whole_arg(low, high, "number of cells")


def whole_arg(low: int, high: int, what: str):
    """An argument type for a whole number (`what` it counts, for the message), `low` to `high`."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole {what}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {value}")
        return value

    return parse


def folder_arg(text: str):
    """An argument type for an existing folder, as an absolute path (links resolved)."""
    import argparse
    from pathlib import Path

    try:
        path = Path(text).expanduser()
    except RuntimeError:  # ~someone for a user this system does not know
        path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: no such folder")
    return path.resolve()
