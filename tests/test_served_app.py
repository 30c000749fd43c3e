"""The app in served mode (bp-tui serve): nothing a student does reaches the server's files.

Opening offers the built-in scenarios and the teacher's folder, from a list only; saving and exporting
go to the browser as downloads; no place is kept in the state folder; ctrl+c does not end a session.
Driven by keys with Pilot, checked by the screen, the downloads handed to Textual, and the files
that exist afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input

from bp_tui import load_scenario, parse_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.open import OpenScreen
from bp_tui.app.served import Served, download_name, offered_files
from bp_tui.cli import main
from bp_tui.engine.scenario import builtin_dir

from .helpers import SMALL, screen_text

TALL = (110, 60)  # room for the whole list of scenarios in the open box


class DeliveringApp(BackpropApp):
    """The app with what it hands Textual to deliver to the browser recorded (a test has no browser:
    tests/test_browser.py follows a download into a real one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.delivered: list[tuple[str, dict]] = []

    def deliver_text(self, path_or_file, **options):
        self.delivered.append((path_or_file.read(), options))
        return "a-delivery-key"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A teacher's folder: one good scenario, one broken, a text file, a sub-folder and a link out."""
    offered = tmp_path / "offered"
    (offered / "sub").mkdir(parents=True)
    mazur = (builtin_dir() / "mazur.toml").read_text(encoding="utf-8")
    (offered / "lesson.toml").write_text(mazur.replace('title = "', 'title = "Lesson 3: ', 1), encoding="utf-8")
    (offered / "broken.toml").write_text("this is not toml", encoding="utf-8")
    (offered / "notes.txt").write_text(mazur, encoding="utf-8")
    (offered / "sub" / "inner.toml").write_text(mazur, encoding="utf-8")
    (tmp_path / "private.toml").write_text(mazur.replace('title = "', 'title = "PRIVATE ', 1), encoding="utf-8")
    (offered / "link.toml").symlink_to(tmp_path / "private.toml")
    return offered


def test_only_toml_files_directly_in_the_folder_are_offered(folder):
    assert [path.name for path in offered_files(folder)] == ["broken.toml", "lesson.toml"]
    assert offered_files(None) == [] and offered_files(folder / "nowhere") == []


@pytest.mark.parametrize("typed, name", [
    ("mazur-round-1.md", "mazur-round-1.md"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\round.md", "round.md"),
    ("my round 1.md", "my-round-1.md"),
    (".hidden", "hidden"),
    ("round\r\nSet-Cookie: x.md", "round-Set-Cookie-x.md"),
    ("/", "fallback.md"),
])
def test_a_download_is_named_by_the_last_part_in_plain_characters(typed, name):
    assert download_name(typed, "fallback.md") == name


async def test_served_open_box_lists_builtins_and_the_folder_with_no_path_box(folder):
    app = BackpropApp(load_scenario("mazur"), served=Served(folder))
    async with app.run_test(size=TALL) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, OpenScreen)
        text = screen_text(app)
        assert "xor-online" in text and "lesson.toml  Lesson 3: Mazur" in text
        for hidden in ("broken", "notes", "inner", "link", "PRIVATE", "path", str(folder)):
            assert hidden not in text
        assert not app.screen.query(Input)  # nothing to type a path into
        await pilot.press("end", "enter")  # the teacher's file, last in the list
        assert not isinstance(app.screen, OpenScreen)
        assert "Lesson 3: Mazur" in screen_text(app)


async def test_a_served_file_gone_from_the_folder_is_not_opened(folder):
    app = BackpropApp(load_scenario("mazur"), served=Served(folder))
    async with app.run_test(size=TALL) as pilot:
        await pilot.press("o")
        (folder / "lesson.toml").unlink()
        await pilot.press("end", "enter")
        assert isinstance(app.screen, OpenScreen)
        text = screen_text(app)
        assert "Not opened: lesson.toml is no longer offered" in text and str(folder) not in text


async def test_served_without_a_folder_offers_the_builtins_alone():
    app = BackpropApp(load_scenario("mazur"), served=Served())
    async with app.run_test(size=TALL) as pilot:
        await pilot.press("o", "enter")  # the first built-in scenario: deep
        assert "Two hidden layers" in screen_text(app)


async def test_served_export_is_a_download_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = DeliveringApp(load_scenario("mazur"), served=Served())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space", "x")
        assert "Name of the download" in screen_text(app) and str(tmp_path) not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        (text, options), = app.delivered
        assert options == {"save_filename": "mazur-round-1.md"}
        for figure in ("0.3775", "0.593269992", "0.298371109", "0.358916480", "0.291027774"):
            assert figure in text
        assert "Round 1 exported (md): your browser downloads mazur-round-1.md" in screen_text(app)

        # A folder typed is dropped: the name is only the download's.
        await pilot.press("x", "tab", "ctrl+u", *"../../tmp/evil.md", "enter")
        await pilot.pause()
        assert app.delivered[-1][1] == {"save_filename": "evil.md"}
    assert os.listdir(tmp_path) == []


async def test_served_save_sends_the_edited_network_as_a_scenario_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = DeliveringApp(load_scenario("mazur"), served=Served())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("enter", "w", "enter")  # round 1 done, then save the network as it stands
        await pilot.pause()
        (text, options), = app.delivered
        assert options == {"save_filename": "mazur-edited.toml"}
        saved = parse_scenario(text, "download")
        assert saved.weights != load_scenario("mazur").weights  # the weights after round 1
        assert "your browser downloads mazur-edited.toml" in screen_text(app)
    assert os.listdir(tmp_path) == []


async def test_served_keeps_no_place_in_the_state_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    app = BackpropApp(load_scenario("mazur"), remember=True, served=Served())  # as run_app makes it
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space", "space", "q")
    assert list(tmp_path.rglob("*")) == []
    assert app.return_code == 0


async def test_ctrl_c_in_a_browser_does_not_end_the_session():
    app = BackpropApp(load_scenario("mazur"), served=Served())
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        assert "q ends this session" in screen_text(app)


async def test_an_app_published_with_textual_serves_web_driver_keeps_the_rules(monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert BackpropApp(load_scenario("mazur"), remember=True).served == Served()


def test_the_app_takes_served_mode_from_its_command_line(folder, monkeypatch, capsys):
    chosen = {}
    monkeypatch.setattr("bp_tui.app.app.run_app", lambda scenario, **flags: chosen.update(flags) or 0)
    assert main(["--served", "--scenarios", str(folder), "--", "mazur"]) == 0
    assert chosen["served"] == Served(folder.resolve())
    with pytest.raises(SystemExit) as exited:
        main(["--served", "--scenarios", str(folder / "nowhere"), "mazur"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().endswith("nowhere: no such folder (see --help)")
