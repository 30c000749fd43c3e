"""bp-tui serve in a real browser: Debian's headless Chromium, driven by Playwright (tests/browser.py).

These run wherever Chromium is found (.ci/run installs Debian's `chromium` package when it is
missing); elsewhere they are skipped, saying so. Select them with `-m browser`.
"""

from __future__ import annotations

import pytest

from .browser import BrowserTab, chromium, find_chromium
from .helpers import wait_for
from .serving import ServerProcess

pytest.importorskip("playwright", reason="the browser tests need playwright: pip install -c constraints.txt '.[test]'")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(find_chromium() is None, reason="no Chromium found (apt-get install chromium, or set "
                                                       "BP_TUI_CHROMIUM to its path)"),
]

NOT_STARTED = "step 0 of 46"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with ServerProcess(state_home=tmp_path_factory.mktemp("state")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


def test_a_tab_opens_the_app_and_steps_to_net_h1(server, browser):
    tab = BrowserTab(browser, server.url)
    tab.until(lambda text: NOT_STARTED in text and "Mazur's worked example" in text)
    tab.press("Space")
    text = tab.until(lambda text: "step 1 of 46" in text)
    assert "net_h1 = w1*i1 + w2*i2 + b1*1" in text and "0.3775" in text
    assert tab.page.is_hidden("#closed")
    tab.page.close()


def test_two_tabs_step_independently(server, browser):
    first, second = BrowserTab(browser, server.url), BrowserTab(browser, server.url)
    first.until(lambda text: NOT_STARTED in text)
    second.until(lambda text: NOT_STARTED in text)
    first.press("Space", "Space", "Space")
    first.until(lambda text: "step 3 of 46" in text and "net_h2" in text)
    second.press("Enter")  # a whole round, in the second tab only
    second.until(lambda text: "0.291027774" in text)
    assert "step 3 of 46" in first.text() and "0.291027774" not in first.text()
    first.page.close()
    second.page.close()


def test_the_export_key_delivers_the_rounds_markdown_as_a_download(server, browser, tmp_path):
    downloads = []

    def watch(page):  # the download opens in a page of its own
        page.on("download", lambda download: downloads.append(download))

    browser.on("page", watch)
    tab = BrowserTab(browser, server.url)
    tab.until(lambda text: NOT_STARTED in text)
    tab.press("Space", "x")
    tab.until(lambda text: "Name of the download" in text)
    tab.press("Enter")
    tab.until(lambda text: "your browser downloads mazur-round-1.md" in text)
    wait_for(lambda: downloads, "the browser to start the download", 10, poll=0.05,
             sleep=lambda pause: tab.page.wait_for_timeout(pause * 1000))
    download, = downloads
    assert download.suggested_filename == "mazur-round-1.md"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    markdown = saved.read_text(encoding="utf-8")
    assert markdown.startswith("# ") and "0.593269992" in markdown and "0.291027774" in markdown
    browser.remove_listener("page", watch)
    tab.page.close()
