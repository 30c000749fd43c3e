"""Soak: random keys through Pilot, across every built-in scenario, with the invariants checked after
every key. tests/test_soak.py runs a CI-sized soak with a fixed seed; `python bench/run.py soak` runs
a long one (5 minutes) with a fresh seed, and prints it with the keys per second.

    python bench/run.py soak
    BP_TUI_SOAK_SEED=1234 BP_TUI_SOAK_SECONDS=60 python bench/run.py soak   # replay / shorten

Keys come from the app's key table (bp_tui/app/commands.py, all but quit) and from the printable
characters, with escape, tab and the arrows to leave and move in prompts, plus resizes from 20x6 to
250x80. After every key:

- the app is still running (an unhandled exception ends it, and run_test raises it);
- the position is within bounds: 0 <= k <= len(records), and never past a divergence;
- every revealed value is finite, or the divergence is known and the screen says "diverged";
- at random points, stepping back then forward lands on the same record with the same value (from
  a round not started yet, on its first sub-step);
- and once each app has closed, no call it left on the event loop raises when it comes due.

A failure names the seed, the scenario and the last keys, so `BP_TUI_SOAK_SEED` replays it (the
fast-forward runs in a thread, so how far it gets can differ from run to run).
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import string
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from textual.widgets import Input  # noqa: E402

from bp_tui.app.app import BackpropApp  # noqa: E402
from bp_tui.app.commands import COMMANDS  # noqa: E402
from bp_tui.engine.scenario import builtin_names, load_scenario  # noqa: E402
from tests.helpers import brisk_pilot, screen_text  # noqa: E402  (how the tests drive and read the app)

QUIT_KEYS = {"q", "ctrl+q", "ctrl+c"}
TABLE_KEYS = [key for c in COMMANDS if c.action != "quit" for key in c.keys.split(",")]
PRINTABLE = [ch for ch in string.ascii_letters + string.digits + string.punctuation + " " if ch != "q"]
MOVING = ["escape", "tab", "shift+tab", "up", "down", "home", "end", "enter", "backspace"]
SIZES = [(80, 24), (120, 40), (100, 30), (60, 20), (250, 80), (59, 20), (20, 6), (61, 21)]


class SoakFailure(AssertionError):
    pass


def random_key(rng: random.Random, app: BackpropApp) -> str:
    """A key from the table, a key that moves in prompts, or a printable character. Over another
    screen, often escape; in a box (a prompt, a quiz answer), often enter: else the soak would spend
    most of its keys typing into boxes."""
    roll = rng.random()
    if isinstance(app.focused, Input) and roll < 0.3:
        return "enter"
    if app.screen is not app.screen_stack[0] and roll < 0.3:
        return "escape"
    if roll < 0.6:
        return rng.choice(TABLE_KEYS)
    if roll < 0.8:
        return rng.choice(MOVING)
    return rng.choice(PRINTABLE)


def same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


class Soak:
    def __init__(self, seed: int):
        self.seed = seed
        self.rng = random.Random(seed)
        self.keys = 0
        self.round_trips = 0
        self.scenarios: list[str] = []  # each run started, in order
        self.recent: list[str] = []
        self.loop_errors: list[dict] = []  # what the event loop caught from callbacks (see scenario)

    def fail(self, app: BackpropApp, what: str) -> None:
        raise SoakFailure(f"{what}\n  seed {self.seed}, scenario {app.stepper.scenario.origin!r}, "
                          f"key {self.keys}, last keys: {' '.join(self.recent[-25:])}")

    def check(self, app: BackpropApp) -> None:
        if not app.is_running:
            self.fail(app, "the app stopped")
        stepper = app.stepper
        records = stepper.records
        if not 0 <= stepper.k <= len(records) or stepper.epoch < 0:
            self.fail(app, f"position out of bounds: epoch {stepper.epoch}, k {stepper.k} of {len(records)}")
        diverged = stepper.diverged_at
        if diverged is not None and stepper.epoch > diverged:
            self.fail(app, f"round {stepper.epoch + 1} shown, but training diverged at epoch {diverged}")
        bad = [step.quantity for step in stepper.revealed if not math.isfinite(step.value)]
        if bad:
            if diverged is None:
                self.fail(app, f"{bad[0]} is {stepper.revealed[-1].value} but no divergence is known")
            if app.screen is app.screen_stack[0] and "diverged" not in screen_text(app):
                self.fail(app, f"{bad[0]} is not finite and the screen does not say 'diverged'")

    def plain(self, app: BackpropApp) -> bool:
        """The stepper's own screen is on top and its keys go to the stepper (not to a prompt)."""
        return app.screen is app.screen_stack[0] and not isinstance(app.focused, Input)

    async def back_and_forth(self, pilot) -> None:
        app = pilot.app
        stepper = app.stepper
        if not self.plain(app) or app.size.width < 60 or app.size.height < 20:
            return
        if (stepper.epoch, stepper.k) == (0, 0):  # nothing to go back to yet: take the first sub-step
            await pilot.press("space")
            self.recent.append("space")
            self.check(app)
        before = (stepper.epoch, stepper.k)
        if before == (0, 0):
            return  # (the key went elsewhere)
        step = stepper.current
        await pilot.press("left")
        if (stepper.epoch, stepper.k) == before:
            return  # the key went elsewhere (a quiz waiting for an answer, say)
        await pilot.press("right")
        after = (app.stepper.epoch, app.stepper.k)
        # From a round not started yet (k = 0, as after an edit), back shows the previous round's
        # end, and forward from there enters this round at its first sub-step, as it always does.
        expected = (before[0], 1) if before[1] == 0 else before
        if after != expected:
            self.fail(app, f"back then forward went from {before} to {after}")
        again = app.stepper.current
        if step is not None and (again.quantity != step.quantity or not same(again.value, step.value)):
            self.fail(app, f"back then forward: {step.quantity} = {step.value}, "
                           f"then {again.quantity} = {again.value}")
        self.round_trips += 1
        self.recent += ["left", "right"]

    async def press(self, pilot) -> None:
        app = pilot.app
        if self.rng.random() < 0.04:
            size = self.rng.choice(SIZES) if self.rng.random() < 0.7 else (
                self.rng.randint(20, 250), self.rng.randint(6, 80))
            self.recent.append(f"resize:{size[0]}x{size[1]}")
            await pilot.resize_terminal(*size)
        elif (app.size.width < 60 or app.size.height < 20) and self.rng.random() < 0.3:
            self.recent.append("resize:80x24")
            await pilot.resize_terminal(80, 24)  # don't spend long under the too-small message
        key = random_key(self.rng, app)
        self.recent.append(key)
        self.recent = self.recent[-40:]
        await pilot.press(key)
        self.keys += 1
        self.check(app)
        if self.rng.random() < 0.2:
            await self.back_and_forth(pilot)
            self.check(app)

    async def scenario(self, name: str, keys: int, deadline: float) -> None:
        app = BackpropApp(load_scenario(name))
        self.scenarios.append(name)
        self.loop_errors.clear()
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(keys):
                if time.monotonic() > deadline:
                    break
                await self.press(pilot)
            if not app.is_running:
                self.fail(app, "the app stopped")
        # A call the app left on the event loop (drawing ahead, say) may come due after it closed:
        # it must not raise then either. The loop only logs what its callbacks raise and goes on,
        # so look at what it caught, during the run or after.
        await asyncio.sleep(0.05)
        if self.loop_errors:
            context = self.loop_errors[0]
            self.fail(app, f"the event loop caught: {context['message']}: {context.get('exception')!r}")


async def soak(seed: int, keys_per_scenario: int, seconds: float, again: bool = False) -> Soak:
    """Every built-in scenario in turn (`again`: over and over until the time is up), in a scratch
    folder: exports and saved scenarios land there, and the saved places in its state/."""
    run = Soak(seed)
    deadline = time.monotonic() + seconds
    asyncio.get_running_loop().set_exception_handler(lambda _loop, context: run.loop_errors.append(context))
    cwd, state = os.getcwd(), os.environ.get("XDG_STATE_HOME")
    with tempfile.TemporaryDirectory(prefix="bp-tui-soak-") as scratch, brisk_pilot():
        os.chdir(scratch)
        os.environ["XDG_STATE_HOME"] = str(Path(scratch) / "state")
        try:
            while time.monotonic() < deadline:
                names = builtin_names()
                for name in run.rng.sample(names, len(names)):
                    await run.scenario(name, keys_per_scenario, deadline)
                if not again:
                    break
        finally:
            os.chdir(cwd)
            if state is None:
                os.environ.pop("XDG_STATE_HOME", None)
            else:
                os.environ["XDG_STATE_HOME"] = state
    return run


def bench_soak() -> None:
    from report import verdict

    seed = int(os.environ.get("BP_TUI_SOAK_SEED") or random.SystemRandom().randrange(10**6))
    seconds = float(os.environ.get("BP_TUI_SOAK_SECONDS") or 300)
    print(f"soak: seed {seed}, {seconds:g} s (replay with BP_TUI_SOAK_SEED={seed})", flush=True)
    start = time.monotonic()
    try:
        run = asyncio.run(soak(seed, keys_per_scenario=200, seconds=seconds, again=True))
    except AssertionError as exc:
        verdict("soak: random keys, every built-in scenario", False, str(exc).splitlines()[0])
        print(exc)
        return
    elapsed = time.monotonic() - start
    verdict("soak: random keys, every built-in scenario", True,
            f"{run.keys} keys in {elapsed:.0f} s ({run.keys / elapsed:.1f} keys/s), {run.round_trips} "
            f"back-and-forth checks, seed {seed}")
