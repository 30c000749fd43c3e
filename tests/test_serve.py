"""`bp-tui serve`: its command line, and the server run as a teacher runs it, with tabs speaking to it as
the page does (tests/serving.py). What a real browser shows is tests/test_browser.py's."""

from __future__ import annotations

import asyncio
import shlex
import socket
import sys
import time
from pathlib import Path

import pytest

from bp_tui.cli.serve import INSTALL_HINT, app_command, exposure_warning
from bp_tui.engine.scenario import builtin_dir

from .helpers import bp_tui_here, python_code, wait_for
from .serving import ServerProcess, Tab

aiohttp = pytest.importorskip("aiohttp", reason="bp-tui serve's tests need the serve extra: pip install '.[test]'")

NOT_STARTED, FIRST_STEP = "step 0 of 46", "step 1 of 46"


# --- the command line ------------------------------------------------------------------------------


def test_without_textual_serve_the_command_says_how_to_get_it():
    code = ("import sys; sys.modules['textual_serve'] = None\n"  # (as if the package were not installed)
            "from bp_tui.cli import main; sys.exit(main(['serve']))")
    done = python_code(code)
    assert (done.returncode, done.stderr, done.stdout) == (2, INSTALL_HINT + "\n", "")


@pytest.fixture
def never_serving(monkeypatch):
    """For `bp-tui serve` run in this process (bp_tui_here): the same parsing, checks, messages and
    exit status as in a child, without an interpreter to start for each. Should the command accept
    what it must refuse, the server it then starts fails the test at once, rather than serving for
    ever inside pytest."""
    from bp_tui.app.server import ClassroomServer

    def serve(self, *args, **kwargs):
        raise AssertionError("bp-tui serve started its server")

    monkeypatch.setattr(ClassroomServer, "serve", serve)


@pytest.mark.parametrize("args, says", [
    (["--port", "0"], "argument --port: must be between 1 and 65535, got 0"),
    (["--port", "http"], "expected a whole port number, got 'http'"),
    (["--host", "a b"], "not a host name or an IP address: 'a b'"),
    (["--host", "x;rm -rf ~"], "not a host name or an IP address"),
    (["--max-sessions", "0"], "--max-sessions: must be between 1 and 1000, got 0"),
    (["--idle-minutes", "nan"], "minutes must be between 0.01 and 10080"),
    (["--scenarios", "/no/such/folder"], "/no/such/folder: no such folder"),
    (["no-such-scenario"], "no-such-scenario"),
])
def test_a_bad_value_is_one_line_and_exit_2(args, says, never_serving):
    done = bp_tui_here("serve", *args)  # (a traceback would be raised here, failing the test)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and says in done.stderr and "Traceback" not in done.stderr


def test_a_port_in_use_is_one_line_before_any_address_is_given(never_serving):
    # The port is held by a socket listening as the server's own does (asyncio sets SO_REUSEADDR on
    # Unix): the kernel refuses the command's bind just as with a first `bp-tui serve` there, without
    # the second or so of CPU such a server takes to start.
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = bp_tui_here("serve", "--port", str(port))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"bp-tui serve: cannot listen on 127.0.0.1 port {port}: Address already in use\n"


def test_each_tabs_command_line_is_quoted_part_by_part(tmp_path):
    odd = tmp_path / "it's a $(touch pwned); `x` \"name\".toml"
    command = app_command(str(odd), quiz=True, folder=tmp_path / "a folder")
    assert command.startswith("exec ")
    assert shlex.split(command[5:]) == [sys.executable, "-m", "bp_tui", "--served", "--quiz",
                                        "--scenarios", str(tmp_path / "a folder"), "--", str(odd)]


@pytest.mark.parametrize("host, warned", [
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False),
    ("0.0.0.0", True), ("::", True), ("192.0.2.7", True), ("classroom.example", True),
])
def test_listening_beyond_this_machine_is_warned_in_one_line(host, warned):
    warning = exposure_warning(host, 8000)
    assert (warning is not None) == warned
    if warned:
        assert "\n" not in warning and "anyone" in warning and "--host 127.0.0.1" in warning


def running(pids: list[int]) -> list[int]:
    """Those of the processes that have not ended (a zombie has)."""
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"]


def gone(pids: list[int], seconds: float = 10) -> bool:
    """The processes end (within `seconds`: one may be finishing its last write); fails saying which
    are still running."""
    wait_for(lambda: not running(pids), f"the app processes {pids} to end", seconds, state=lambda: running(pids),
             poll=0.02)
    return True


def test_the_address_to_open_names_this_machine_when_listening_everywhere():
    import socket

    from bp_tui.cli.serve import address

    assert address("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert address("::1", 8080) == "http://[::1]:8080/"
    assert address("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000/"


# --- the server ------------------------------------------------------------------------------------


@pytest.fixture
def state_home(tmp_path) -> Path:
    return tmp_path / "state"


@pytest.mark.slow
async def test_tabs_are_learners_of_their_own_and_the_class_has_a_size(state_home):
    server = ServerProcess("--max-sessions", "2", state_home=state_home)
    try:
        async with aiohttp.ClientSession() as client:
            first, second, third = (Tab(client, server.url) for _ in range(3))
            await first.open()
            await second.open()
            await first.until(lambda text: NOT_STARTED in text)
            await second.until(lambda text: NOT_STARTED in text)
            await first.press(" ")
            await first.until(lambda text: FIRST_STEP in text and "net_h1" in text and "0.3775" in text)
            await second.press("]")  # the whole forward pass, in the second tab only
            await second.until(lambda text: "out_o2" in text and "0.772928465" in text)
            assert FIRST_STEP in first.screen.text() and "out_o2" not in first.screen.text()

            await third.open()
            code, reason = await third.wait_closed()
            assert code == 4002 and reason == "The class is full (2 sessions): try again in a while."
            apps = server.app_processes()
            assert len(apps) == 2
            await first.close()
            await second.close()
        server.wait_for("Session 1 ended")
        server.wait_for("Session 2 ended")
        assert gone(apps)
    finally:
        assert server.stop() == 0
    assert "Refused a session: the class is full (--max-sessions 2)." in server.output
    assert "Traceback" not in server.output
    assert not state_home.exists()  # no place saved for anyone


@pytest.mark.slow
async def test_an_idle_session_is_closed_with_a_message(state_home):
    server = ServerProcess("--idle-minutes", "0.05", state_home=state_home)  # 3 seconds
    try:
        async with aiohttp.ClientSession() as client:
            tab = Tab(client, server.url)
            start = time.monotonic()
            await tab.open()
            await tab.until(lambda text: NOT_STARTED in text)
            apps = server.app_processes()
            code, reason = await tab.wait_closed(30)
            assert code == 4001 and time.monotonic() - start >= 2
            assert reason == "Closed after 0.05 minutes without a key: start a new session to go on."
        server.wait_for("Session 1 closed: idle (0 open).")
        assert gone(apps)
    finally:
        assert server.stop() == 0


@pytest.mark.slow
async def test_ctrl_c_closes_every_session_and_ends_every_app(state_home):
    server = ServerProcess(state_home=state_home)
    async with aiohttp.ClientSession() as client:
        tabs = [Tab(client, server.url) for _ in range(3)]
        for tab in tabs:
            await tab.open()
        for tab in tabs:
            await tab.until(lambda text: NOT_STARTED in text)
        apps = server.app_processes()
        assert len(apps) == 3
        assert await asyncio.to_thread(server.stop) == 0  # (the tabs answer the server's goodbyes meanwhile)
        for tab in tabs:
            assert await tab.wait_closed() == (4003, "The teacher stopped the server.")
    assert gone(apps)
    assert "Stopping: closing 3 sessions." in server.output and "Traceback" not in server.output


@pytest.mark.slow
async def test_ctrl_c_while_a_class_is_still_connecting(state_home):
    """Tabs whose apps are still starting are closed with the message too."""
    server = ServerProcess(state_home=state_home)
    async with aiohttp.ClientSession() as client:
        tabs = [Tab(client, server.url) for _ in range(6)]
        opening = [asyncio.create_task(tab.open()) for tab in tabs]
        await asyncio.to_thread(server.wait_for, "Session 6 opened")
        assert await asyncio.to_thread(server.stop) == 0
        await asyncio.gather(*opening)
        for tab in tabs:
            assert await tab.wait_closed() == (4003, "The teacher stopped the server.")
    assert "Traceback" not in server.output and server.output.count(" closed (") == 6


@pytest.mark.slow
async def test_a_page_cannot_make_the_server_draw_a_huge_terminal_or_trip_on_nonsense(state_home):
    server = ServerProcess(state_home=state_home)
    try:
        async with aiohttp.ClientSession() as client:
            tab = Tab(client, server.url, width=3000, height=20)
            await tab.open()
            await tab.until(lambda text: NOT_STARTED in text)
            header = tab.screen.text().splitlines()[0]
            assert 400 < len(header) <= 500  # drawn 500 wide at most
            for nonsense in ("not json", '["stdin", 5]', '["resize", "big"]', '{"a": 1}', "[]", '["resize", {}]'):
                await tab.websocket.send_str(nonsense)
            await tab.press(" ")
            await tab.until(lambda text: FIRST_STEP in text)
            await tab.close()
    finally:
        assert server.stop() == 0
    assert "Traceback" not in server.output


@pytest.mark.slow
async def test_a_scenario_file_with_an_odd_name_opens_and_runs_nothing(tmp_path, state_home):
    odd = tmp_path / "it's $(touch pwned); `touch pwned2`.toml"
    mazur = (builtin_dir() / "mazur.toml").read_text(encoding="utf-8")
    odd.write_text(mazur.replace('title = "', 'title = "Odd: ', 1), encoding="utf-8")
    server = ServerProcess(str(odd), "--scenarios", str(tmp_path), state_home=state_home)
    try:
        assert f"Offering 1 scenario file(s) from {tmp_path} besides the built-in ones." in server.output
        async with aiohttp.ClientSession() as client:
            tab = Tab(client, server.url)
            await tab.open()
            await tab.until(lambda text: "Odd: Mazur" in text)
            await tab.close()
    finally:
        assert server.stop() == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [odd.name]  # nothing was run by a shell
