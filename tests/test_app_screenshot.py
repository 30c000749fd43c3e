"""The README's screenshot is drawn by the app; it must show the screen as it is today."""

import asyncio
from pathlib import Path

from bp_tui.app.screenshot import DEFAULT_PATH, render_screen

ROOT = Path(__file__).resolve().parent.parent


def test_readme_screenshot_matches_the_app():
    saved = (ROOT / DEFAULT_PATH).read_text(encoding="utf-8")
    assert asyncio.run(render_screen()) == saved, (
        "the screen changed: regenerate the README's picture with `python -m bp_tui.app.screenshot`")
