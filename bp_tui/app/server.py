"""`bp-tui serve`'s web server: the app in a browser tab for every learner of a class.

textual-serve does the serving: its page and JavaScript draw a terminal in the browser, and for each
tab that connects it starts the app as a process of its own (`AppService`) and passes keys and screen
updates over a websocket. This subclass adds what a classroom needs, through the public methods
textual-serve's `Server` lets a subclass override:

- at most `max_sessions` tabs at once: one more is closed at once, with a message that says why;
- a tab with no key pressed for `idle_seconds` is closed with a message, its app process ended;
- sizes a page asks for are kept within reason (a huge terminal would cost the server its memory);
- Ctrl+C (or SIGTERM) closes every tab with a message, ends every app process, then the server;
- a page of our own (templates/app_index.html) that needs no internet (textual-serve's fetches a
  web font) and writes in the browser why a session was closed.

The command each tab runs is built by cli/serve.py from validated values, every part quoted.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import json
import logging
import time
from pathlib import Path
from typing import Callable

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).with_name("templates")
HEARTBEAT_SECONDS = 15
WIDTH_RANGE, HEIGHT_RANGE = (20, 500), (8, 200)  # the terminal sizes a page may ask for, in cells

# Why a session was closed, for the page (a websocket close code from the range kept for
# applications, and a reason of at most 123 bytes that the page shows).
CLOSED_IDLE, CLOSED_FULL, CLOSED_STOPPING = 4001, 4002, 4003
STOP_SECONDS = 10  # on stopping, how long to wait for the app processes to end before going on


def clamp(value: object, limits: tuple[int, int], default: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(limits[0], min(limits[1], number))


def counted(number: float, thing: str) -> str:
    return f"{number:g} {thing}{'' if number == 1 else 's'}"


def child_processes() -> set[int]:
    """The ids of this process's child processes, ended ones not yet reaped included (Linux's
    /proc; elsewhere none are found, and stopping does not wait for them)."""
    found: set[int] = set()
    for children in Path("/proc/self/task").glob("*/children"):
        try:
            found.update(int(pid) for pid in children.read_text().split())
        except (OSError, ValueError):
            continue
    return found


class Session:
    """One browser tab: its websocket, its app process, and when its learner last pressed a key."""

    def __init__(self, number: int, websocket: web.WebSocketResponse):
        self.number, self.websocket = number, websocket
        self.last_input = time.monotonic()
        self.stopped = asyncio.Event()  # set once its app has been told to quit and has stopped writing
        self.ended = "ended"  # how the teacher's terminal says it ended

    async def close(self, code: int, reason: str, ended: str) -> None:
        """Close the tab; `reason` is what the page shows, `ended` what the teacher reads."""
        self.ended = ended
        await self.websocket.close(code=code, message=reason.encode("utf-8")[:123])


class ClassroomServer(Server):
    def __init__(self, command: str, *, host: str, port: int, url: str, max_sessions: int, idle_seconds: float,
                 say: Callable[[str], None] = print):
        """`command` is the shell command each tab runs; `url` what the teacher is told to open; `say`
        writes a line for the teacher."""
        super().__init__(command, host=host, port=port, title="bp-tui", templates_path=TEMPLATES)
        self.url, self.max_sessions, self.idle_seconds, self.say = url, max_sessions, idle_seconds, say
        self.sessions: set[Session] = set()
        self.numbers = itertools.count(1)
        self.watch: asyncio.Task | None = None
        self.greeting: asyncio.Task | None = None

    # --- the server's life -----------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """Only textual-serve's warnings and errors, not a line per request."""
        logging.basicConfig(level=logging.WARNING, format="bp-tui serve: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        self.watch = asyncio.create_task(self.close_idle_sessions())
        self.greeting = asyncio.create_task(self.greet())

    async def greet(self) -> None:
        """Tell the teacher where to go, once the server answers there (startup comes before the
        server listens)."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        for _ in range(200):
            try:
                _, writer = await asyncio.open_connection(host, self.port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            break
        self.say(f"bp-tui serve: open {self.url} in a web browser; each tab is a learner of its own.")
        self.say(f"At most {counted(self.max_sessions, 'session')} at once; one idle for "
                 f"{counted(self.idle_seconds / 60, 'minute')} is closed. Ctrl+C stops the server and every session.")

    async def on_shutdown(self, app: web.Application) -> None:
        for task in (self.watch, self.greeting):
            if task is not None:
                task.cancel()
        sessions = list(self.sessions)
        if sessions:
            self.say(f"Stopping: closing {counted(len(sessions), 'session')}.")
        await asyncio.gather(*(session.close(CLOSED_STOPPING, "The teacher stopped the server.", "closed")
                               for session in sessions))
        await self.until_the_apps_have_ended(sessions)

    async def until_the_apps_have_ended(self, sessions: list[Session]) -> None:
        """Wait for each session's app process to end and for asyncio to take note, then let the
        collector finish what is left of them, all while the event loop still runs. A process's
        transport finished only after the loop has closed writes a traceback ("Event loop is
        closed") on the teacher's terminal."""
        if sessions:
            await asyncio.wait([asyncio.create_task(session.stopped.wait()) for session in sessions],
                               timeout=STOP_SECONDS)
        end = time.monotonic() + STOP_SECONDS
        while child_processes() and time.monotonic() < end:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.02)  # (the exit notices the child watcher has posted to the loop)
        gc.collect()

    async def close_idle_sessions(self) -> None:
        every = max(0.05, min(30.0, self.idle_seconds / 10))
        reason = f"Closed after {counted(self.idle_seconds / 60, 'minute')} without a key: start a new session to go on."
        while True:
            await asyncio.sleep(every)
            now = time.monotonic()
            idle = [session for session in self.sessions if now - session.last_input >= self.idle_seconds]
            await asyncio.gather(*(session.close(CLOSED_IDLE, reason, "closed: idle") for session in idle))

    # --- one tab ---------------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab connects: start its app, pass its keys and sizes on until either side closes."""
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        await websocket.prepare(request)
        if len(self.sessions) >= self.max_sessions:
            self.say(f"Refused a session: the class is full (--max-sessions {self.max_sessions}).")
            await websocket.close(code=CLOSED_FULL, message=(
                f"The class is full ({counted(self.max_sessions, 'session')}): try again in a while.").encode())
            return websocket
        session = Session(next(self.numbers), websocket)
        self.sessions.add(session)
        self.say(f"Session {session.number} opened ({len(self.sessions)} open).")
        service = AppService(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                             close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        try:
            await service.start(clamp(request.query.get("width"), WIDTH_RANGE, 80),
                                clamp(request.query.get("height"), HEIGHT_RANGE, 24))
            await self.pass_messages(session, service)
        except (asyncio.CancelledError, ConnectionError):
            pass
        finally:
            self.sessions.discard(session)
            await service.stop()
            if not websocket.closed:
                await websocket.close()
            self.say(f"Session {session.number} {session.ended} ({len(self.sessions)} open).")
            session.stopped.set()
        return websocket

    async def pass_messages(self, session: Session, service: AppService) -> None:
        """The page's messages: keys (which count as activity), sizes, focus and pings. Anything else,
        or anything malformed, is ignored."""
        async for message in session.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *rest = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            value = rest[0] if rest else None
            if kind == "stdin" and isinstance(value, str):
                session.last_input = time.monotonic()
                await service.send_bytes(value.encode("utf-8"))
            elif kind == "resize" and isinstance(value, dict):
                await service.set_terminal_size(clamp(value.get("width"), WIDTH_RANGE, 80),
                                                clamp(value.get("height"), HEIGHT_RANGE, 24))
            elif kind == "ping" and isinstance(value, str):
                await session.websocket.send_json(["pong", value])
            elif kind == "focus":
                await service.focus()
            elif kind == "blur":
                await service.blur()
