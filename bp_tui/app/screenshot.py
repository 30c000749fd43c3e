"""Write the README's screenshot, drawn by the app itself: python -m bp_tui.app.screenshot [PATH].

The app runs headless on the article's example, steps to the gradient of w5 in round 1 (the
backward pass, with the article's figures ticked) and exports the screen as SVG. A test checks that
docs/screen.svg still matches, so the picture changes whenever the screen does.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from ..engine.scenario import load_scenario
from .app import BackpropApp

SIZE = (100, 30)
# Two whole phases (forward pass, error), then seven sub-steps into the backward pass: dE_total/dw5.
KEYS = ["right_square_bracket"] * 2 + ["space"] * 7
DEFAULT_PATH = Path("docs/screen.svg")


async def render_screen() -> str:
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*KEYS)
        await pilot.pause()
        return app.export_screenshot(title="bp-tui · Mazur's example, round 1, backward pass")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(asyncio.run(render_screen()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
