"""Helpers for the tests (and the load benchmark) of `bp-tui serve`: the server as a process of its
own, a tab as the page's websocket speaks to it, and the screen a tab's terminal shows.

`TerminalScreen` is the least of a terminal that reads what Textual writes: cursor moves, text, and
the escape sequences it may skip (colours, modes). It is how the tests read a tab's screen as the
browser would draw it, without a browser.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

from .helpers import wait_for

ESCAPE = re.compile(r"\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[^\[\]]")
UNFINISHED = re.compile(r"\x1b(\[[0-?]*[ -/]*|\][^\x07\x1b]*|\x1b?)$")


class TerminalScreen:
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]
        self.row = self.col = 0
        self.decode = codecs.getincrementaldecoder("utf-8")("replace").decode
        self.pending = ""  # an escape sequence cut between two writes

    def feed(self, data: bytes | str) -> None:
        text = self.pending + (self.decode(data) if isinstance(data, bytes) else data)
        cut = UNFINISHED.search(text)
        self.pending, text = (text[cut.start():], text[:cut.start()]) if cut else ("", text)
        at = 0
        for match in ESCAPE.finditer(text):
            self.write(text[at:match.start()])
            if match.group(2):
                self.control(match.group(1), match.group(2))
            at = match.end()
        self.write(text[at:])

    def control(self, params: str, final: str) -> None:
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params[:1] not in "?>=" else []
        if final in "Hf":
            row, col = (numbers + [1, 1])[:2]
            self.row, self.col = max(row, 1) - 1, max(col, 1) - 1
        elif final == "J" and numbers[:1] == [2]:
            self.cells = [[" "] * self.width for _ in range(self.height)]
        elif final == "K" and self.row < self.height:
            self.cells[self.row][self.col:] = [" "] * (self.width - self.col)

    def write(self, text: str) -> None:
        for char in text:
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row += 1
            elif char >= " " and not unicodedata.combining(char):
                if self.row < self.height and self.col < self.width:
                    self.cells[self.row][self.col] = char
                self.col += 2 if unicodedata.east_asian_width(char) in "WF" else 1

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.cells)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`bp-tui serve ARGS` on a free loopback port, its output collected line by line."""

    def __init__(self, *args: str, state_home: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "XDG_STATE_HOME": str(state_home)}
        self.process = subprocess.Popen([sys.executable, "-m", "bp_tui", "serve", "--port", str(self.port), *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.collect, daemon=True)
        self.reader.start()
        self.wait_for("open http://", 30)

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def collect(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, seconds: float = 20) -> None:
        def said() -> bool:
            if text not in self.output and self.process.poll() is not None:
                self.reader.join(5)  # (its last lines)
                if text not in self.output:
                    raise AssertionError(f"the server ended ({self.process.returncode}):\n{self.output}")
            return text in self.output

        wait_for(said, f"the server to say {text!r}", seconds, state=lambda: self.output, poll=0.02)

    def app_processes(self) -> list[int]:
        """The server's children: one app process per open session."""
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            found += [int(pid) for pid in (task / "children").read_text().split()]
        return found

    def stop(self) -> int:
        """Ctrl+C, as the teacher would; the server's exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        self.reader.join(5)  # (it takes the last lines, up to the end of the output)
        return self.process.returncode


class Tab:
    """A browser tab as the server sees it: the page's websocket, with the screen it draws."""

    def __init__(self, session, url: str, width: int = 100, height: int = 30):
        self.session, self.width, self.height = session, width, height
        self.ws_url = url.replace("http://", "ws://") + f"ws?width={width}&height={height}"
        self.screen = TerminalScreen(width, height)
        self.websocket = None
        self.changed = asyncio.Event()
        self.closed: tuple[int, str] | None = None  # the close code and reason the server gave
        self.reader: asyncio.Task | None = None

    async def open(self) -> None:
        self.websocket = await self.session.ws_connect(self.ws_url)
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        from aiohttp import WSMsgType

        while True:
            message = await self.websocket.receive()
            if message.type == WSMsgType.BINARY:
                self.screen.feed(message.data)
                self.changed.set()
            elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                reason = message.extra if message.type == WSMsgType.CLOSE else ""  # (the close frame's reason)
                self.closed = (self.websocket.close_code, reason or "")
                self.changed.set()
                return

    async def until(self, condition, seconds: float = 20) -> float:
        """Wait until `condition(screen text)` holds (or the tab closes); the seconds it took."""
        start = time.perf_counter()
        deadline = start + seconds
        while not condition(self.screen.text()):
            if self.closed is not None:
                raise AssertionError(f"the tab was closed: {self.closed}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - time.perf_counter()))
            except asyncio.TimeoutError:
                raise AssertionError(f"the screen never got there:\n{self.screen.text()}") from None
        return time.perf_counter() - start

    async def press(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def wait_closed(self, seconds: float = 20) -> tuple[int, str]:
        await asyncio.wait_for(self.reader, seconds)
        return self.closed

    async def close(self) -> None:
        if self.websocket is not None and not self.websocket.closed:
            await self.websocket.close()
        if self.reader is not None:
            await asyncio.wait_for(self.reader, 10)
