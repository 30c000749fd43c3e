"""Write the README's screenshots, drawn by the app itself: python -m bp_tui.app.screenshot [PATH].

The main one: the app runs headless on the article's example, steps to the gradient of w5 in round 1
(the backward pass, with the article's figures ticked) and exports the screen as SVG. With no PATH
the pictures of the views are rewritten too (SHOTS): the decision boundary of XOR after 2,000 rounds
with the hidden neurons' lines, and momentum compared with the same network without it. A test
checks that each file in docs/ still matches, so the pictures change whenever the screen does.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Awaitable, Callable

from ..engine.scenario import load_scenario
from .app import BackpropApp

SIZE = (100, 30)
# Two whole phases (forward pass, error), then seven sub-steps into the backward pass: dE_total/dw5.
KEYS = ["right_square_bracket"] * 2 + ["space"] * 7
DEFAULT_PATH = Path("docs/screen.svg")
TITLE = "bp-tui · Mazur's example, round 1, backward pass"


async def render_screen(name: str = "mazur", drive: Callable[..., Awaitable[None]] | None = None,
                        title: str = TITLE) -> str:
    """The screen of scenario `name` once `drive(pilot)` is done (by default: KEYS pressed), as SVG."""
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=SIZE) as pilot:
        await (drive(pilot) if drive is not None else pilot.press(*KEYS))
        await pilot.pause()
        return app.export_screenshot(title=title)


async def settle(pilot, done: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """Wait until `done()` holds (a box is up or closed, a fast-forward or the second run of a
    comparison has ended), then a little longer for the screen to be drawn."""
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise TimeoutError(f"waited {seconds:g} s for {what}, in vain")
        await pilot.pause(0.05)
    await pilot.pause(0.3)


async def fast_forward(pilot, epochs: str) -> None:
    from .screens.fast_forward import FastForwardRun

    await pilot.press("f", *epochs, "enter")
    await settle(pilot, lambda: not isinstance(pilot.app.screen, FastForwardRun), "the fast-forward to end")


async def boundary_shot(pilot) -> None:
    await fast_forward(pilot, "2000")
    await pilot.press("b", "l")


async def comparison_shot(pilot) -> None:
    from .screens.open import OpenScreen

    # The box lists every built-in scenario, which takes a moment on a busy machine: keys typed
    # before it is up would go to the stepper instead.
    await pilot.press("c")
    await settle(pilot, lambda: isinstance(pilot.app.screen, OpenScreen), "the box to choose a scenario")
    await pilot.press("tab", *"momentum-off", "enter")
    await settle(pilot, lambda: not isinstance(pilot.app.screen, OpenScreen), "the box to close on momentum-off")
    await fast_forward(pilot, "1000")
    panel = pilot.app.screen.query_one("#comparison")
    await settle(pilot, lambda: panel.other.computed >= pilot.app.stepper.completed, "the second run to catch up")


SHOTS = {  # path: (scenario, drive, title)
    DEFAULT_PATH: ("mazur", None, TITLE),
    Path("docs/boundary.svg"): ("xor-online", boundary_shot, "bp-tui · XOR's decision boundary after 2,000 rounds"),
    Path("docs/comparison.svg"): ("momentum", comparison_shot, "bp-tui · momentum compared with momentum-off"),
}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    shots = {Path(args[0]): SHOTS[DEFAULT_PATH]} if args else SHOTS
    for path, (name, drive, title) in shots.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(asyncio.run(render_screen(name, drive, title)), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
