"""`bp-tui serve` under a class's load: 20 tabs open at once, each stepping through round 1.

    python bench/run.py serve          (BP_TUI_SERVE_SESSIONS=N for another number of tabs)

A tab here is the page's websocket (tests/serving.py), not a browser: what is measured is the
server and its app processes, on this machine, with every tab pressing its next key as soon as its
screen shows the last one (a class that never pauses to read: the worst case). Reported:

- time to first screen: from the websocket's connection to the app's first screen on it (the page's
  own HTML and JavaScript, served once and cached, come before that);
- key to screen: from a key sent to the screen showing its sub-step, for each of the round's keys;
  median and worst per session, and over all of them;
- memory: the server's and its app processes' resident memory with every tab open, per session
  (RSS counts the pages the processes share in each of them; PSS shares them out).

The verdict: the server stays up, every session reaches the round's last sub-step, and Ctrl+C
then closes them all.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from report import verdict
from tests.serving import ServerProcess, Tab

SESSIONS = int(os.environ.get("BP_TUI_SERVE_SESSIONS", "20"))
STEPS = 46  # the sub-steps of the article's round 1


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return fields.get("Rss", 0) / 1024, fields.get("Pss", 0) / 1024


async def learner(tab: Tab, started: float) -> tuple[float, list[float]]:
    """Open, then step through the round: (seconds to the first screen, seconds per key)."""
    await tab.open()
    await tab.until(lambda text: f"step 0 of {STEPS}" in text, 120)
    first = time.perf_counter() - started
    latencies = []
    for k in range(1, STEPS + 1):
        await tab.press(" ")
        latencies.append(await tab.until(lambda text, k=k: f"step {k} of {STEPS}" in text, 60))
    return first, latencies


async def load(server: ServerProcess) -> tuple[list, list[tuple[float, float]], tuple[float, float]]:
    """Every tab a learner at once: their results, then the apps' memory and the server's (RSS, PSS)."""
    import aiohttp

    async with aiohttp.ClientSession() as client:
        tabs = [Tab(client, server.url, width=120, height=36) for _ in range(SESSIONS)]
        started = time.perf_counter()
        results = await asyncio.gather(*(learner(tab, started) for tab in tabs), return_exceptions=True)
        apps = [memory_mb(pid) for pid in server.app_processes()]
        own = memory_mb(server.process.pid)
        for tab in tabs:
            await tab.close()
    return results, apps, own


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def bench_serve() -> None:
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine is shared)")
    with tempfile.TemporaryDirectory() as state:
        server = ServerProcess("--max-sessions", str(SESSIONS), state_home=Path(state))
        try:
            results, apps, own = asyncio.run(load(server))
            up = server.process.poll() is None
        finally:
            stopped = server.stop() == 0
    failed = [r for r in results if isinstance(r, BaseException)]
    done = [r for r in results if not isinstance(r, BaseException)]
    for number, (first, latencies) in enumerate(done, 1):
        print(f"  session {number:2}: first screen {ms(first)}, key to screen median "
              f"{ms(statistics.median(latencies))}, worst {ms(max(latencies))}")
    if done:
        firsts = [first for first, _ in done]
        every = [latency for _, latencies in done for latency in latencies]
        print(f"  first screen: median {ms(statistics.median(firsts))}, worst {ms(max(firsts))}")
        print(f"  key to screen over {len(every)} keys: median {ms(statistics.median(every))}, "
              f"95% {ms(statistics.quantiles(every, n=20)[-1])}, worst {ms(max(every))}")
    if apps:
        rss, pss = (sum(app[i] for app in apps) / len(apps) for i in (0, 1))
        print(f"  memory with {len(apps)} sessions open: a session's app {rss:.1f} MB RSS, {pss:.1f} MB PSS; "
              f"the server {own[0]:.1f} MB RSS, {own[1]:.1f} MB PSS; in all {own[1] + pss * len(apps):.0f} MB PSS")
    for error in failed[:3]:
        print(f"  a session failed: {error!r}"[:300])
    verdict(f"7. serve: {SESSIONS} sessions at once, a round each", up and stopped and len(done) == SESSIONS,
            f"{len(done)} of {SESSIONS} sessions finished; server {'up' if up else 'DOWN'}; "
            f"Ctrl+C {'closed them all' if stopped else 'FAILED'}")
