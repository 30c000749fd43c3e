"""Long headless work: say how much before it starts, and show how far it has got while it runs.

`plan_work` times a small part of the work, says how long the whole would take, and when that is
more than about a minute asks before going on (a prompt on a terminal, `--yes` to skip it; on a
pipe, without --yes, one line and exit status 2). `Bar` draws a progress bar with an estimate of
the time left on stderr, only when stderr is a terminal and --quiet is not given: nothing on a pipe.
"""

from __future__ import annotations

import os
import sys
import time

from .common import USAGE_ERROR, Declined

ASK_AFTER = 60.0  # seconds of work from which bp-tui asks before starting
REDRAW_EVERY = 0.2  # seconds between two drawings of the bar


def add_options(parser) -> None:
    parser.add_argument("--yes", action="store_true",
                        help="start work that would take more than a minute without asking")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")


def duration(seconds: float) -> str:
    """About how long, in words a reader takes in at a glance: 40 s, 3 min, 2 h 10 min."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h" + (f" {minutes} min" if minutes else "") if hours < 48 else f"{round(hours / 24)} days"


def seconds_each(work, most: int, enough: float = 0.2) -> float:
    """Seconds per unit of `work(n)` (n units at once), timed on 1, 2, 4, ... units until it has
    run `enough` seconds in all (or `most` units)."""
    units, spent, n = 0, 0.0, 1
    while spent < enough and units < most:
        n = min(n, most - units)
        start = time.perf_counter()
        work(n)
        spent += time.perf_counter() - start
        units += n
        n *= 2
    return spent / max(1, units)


def estimate(stepper, write_step, epochs: int = 1) -> float:
    """About how many seconds making and writing (`write_step(step)`) `epochs` rounds takes.

    A round costs its samples' passes (each sample's trace is made once as the round streams) and
    its sub-steps, which differ a lot (a net input of 64 terms costs far more than one gradient):
    one piece of each kind and size (plan.py) is timed, and counted as often as the round has it."""
    plan, round_ = stepper.plan(0), stepper.round(0)
    start = time.perf_counter()
    data = round_.data  # a batch makes its passes here
    made = time.perf_counter()
    data.sample(0)
    passes = (made - start) + (time.perf_counter() - made) * plan.samples
    kinds: dict[tuple, list] = {}  # (block, kind, size) -> [where the first is, how many there are]
    for b, block in enumerate(plan.blocks):
        for offset, piece in zip(block.offsets, block.pieces):
            kind = kinds.setdefault((b, piece.kind, piece.count), [plan.block_starts[b] + offset, 0])
            kind[1] += block.repeats
    writing = 0.0
    for (_b, _kind, size), (at, how_many) in kinds.items():
        if plan.locate(at).sample is None or _kind == "evaluate_sample":
            round_.set_data()  # (its training is counted with the passes)
        begin = time.perf_counter()
        for step in round_.window(at, at + size):
            write_step(step)
        writing += (time.perf_counter() - begin) * how_many
    return epochs * (passes + writing)


def plan_work(what: str, seconds: float, yes: bool) -> None:
    """Go on at once if the work takes under ASK_AFTER seconds (or --yes); else ask. Raises Declined."""
    if seconds < ASK_AFTER or yes:
        return
    question = f"bp-tui: {what} would take about {duration(seconds)}"
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise Declined(f"{question}; add --yes to start it anyway", USAGE_ERROR)
    sys.stderr.write(f"{question}. Start it? [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        raise Declined("bp-tui: not started", 1)


class Bar:
    """A progress bar on stderr: `update(done)` as the work goes, `close()` at the end (also after
    an interruption: the line is cleared)."""

    def __init__(self, total: int, unit: str, quiet: bool = False):
        self.total, self.unit = max(1, total), unit
        self.shown = not quiet and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
        self.started = self.last = time.perf_counter()
        self.drawn = False

    def update(self, done: int) -> None:
        if not self.shown:
            return
        now = time.perf_counter()
        if now - self.last < REDRAW_EVERY:
            return
        self.last = now
        fraction = min(1.0, done / self.total)
        left = (now - self.started) * (1 - fraction) / fraction if fraction > 0 else None
        width = 24
        filled = round(width * fraction)
        estimate = f", about {duration(left)} left" if left is not None and now - self.started > 1 else ""
        line = (f"{fraction:4.0%} [{'#' * filled}{'.' * (width - filled)}] {done:,} of {self.total:,} "
                f"{self.unit}{estimate}")
        sys.stderr.write("\r" + line[: _columns() - 1] + "\x1b[K")
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.drawn = False


def _columns() -> int:
    import shutil

    return shutil.get_terminal_size().columns
