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
