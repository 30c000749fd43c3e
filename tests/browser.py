"""A real browser for `bp-tui serve`'s tests: Debian's headless Chromium, driven by Playwright.

Playwright is told where Chromium is (`executable_path`): its own browser download is not needed.
The page draws the terminal on a canvas, so a tab's screen is read where the page gets it: every
frame its websocket receives goes through a `TerminalScreen` of the page's size, which gives the
characters the canvas shows.

    python -m tests.browser docs/serve.png    # the README's screenshot of a served tab, 1280x800
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .helpers import wait_for
from .serving import ServerProcess, TerminalScreen

# Quiet and alone: no sandbox (CI runs as root), no GPU, nothing fetched from the internet.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1280, "height": 800}


def find_chromium() -> str | None:
    """$BP_TUI_CHROMIUM, else chromium (Debian's package) or chromium-browser on the PATH."""
    named = os.environ.get("BP_TUI_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextmanager
def chromium(viewport: dict = VIEWPORT):
    """A browser context with a fresh profile of its own, gone afterwards."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bp-tui-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=find_chromium(), args=CHROMIUM_FLAGS, headless=True, viewport=viewport,
            accept_downloads=True)
        try:
            yield context
        finally:
            context.close()


class BrowserTab:
    """A page showing the served app; `screen` is what its terminal shows."""

    def __init__(self, context, url: str):
        self.page = context.new_page()
        self.screen: TerminalScreen | None = None
        self.page.on("websocket", self.watch)
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", timeout=30_000)
        self.page.focus(".xterm-helper-textarea")  # keys go to the terminal, as after a click on it

    def watch(self, websocket) -> None:
        size = parse_qs(urlparse(websocket.url).query)
        self.screen = TerminalScreen(int(size["width"][0]), int(size["height"][0]))
        websocket.on("framereceived", self.received)
        websocket.on("framesent", self.sent)

    def received(self, payload) -> None:
        if isinstance(payload, bytes):
            self.screen.feed(payload)

    def sent(self, payload) -> None:
        message = json.loads(payload) if isinstance(payload, str) else None
        if message and message[0] == "resize":  # the page fitted the terminal to the window again
            self.screen = TerminalScreen(message[1]["width"], message[1]["height"])

    def text(self) -> str:
        return self.screen.text() if self.screen is not None else ""

    def until(self, condition, seconds: float = 30) -> str:
        """Wait until `condition(screen text)` holds; that text."""
        wait_for(lambda: condition(self.text()), "the page to show it", seconds, state=self.text, poll=0.05,
                 sleep=lambda pause: self.page.wait_for_timeout(pause * 1000))
        return self.text()

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)


def make_screenshot(path: Path) -> None:
    """A served tab at 1280x800 where the article computes w5+, as a PNG."""
    with tempfile.TemporaryDirectory() as state, ServerProcess(state_home=Path(state)) as server, \
            chromium() as context:
        tab = BrowserTab(context, server.url)
        tab.until(lambda text: "step 0 of 46" in text)
        tab.press("]", "]")  # the forward pass and the error
        tab.until(lambda text: "E_total" in text)
        while "w5+ = w5" not in tab.text():
            tab.press("Space")
            tab.page.wait_for_timeout(100)
        tab.page.wait_for_timeout(500)  # (the canvas draws what it received)
        tab.page.screenshot(path=str(path))


if __name__ == "__main__":
    make_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/serve.png"))
