"""Ask for a file name and write a document there: the base of the export (x) and save (w) screens.

The file is written atomically (bp_tui.files). An existing file is never replaced on the first
enter: the screen says so, and a second enter on the same name (and the same document) replaces it.
A name without a folder goes in the folder bp-tui was started from. Failures are one line under
the name, and the screen stays open so the learner can pick another name.

Served (bp-tui serve) nothing is written on the server: the document goes to the learner's browser
as a download (`App.deliver_text`), and the name typed is only the download's (app/served.py).
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from ...study.files import FileExists, WriteError, write_atomically
from ..served import download_name
from .modal import Modal


def shown_path(path: Path) -> str:
    """A path as the status line writes it: relative to the folder bp-tui runs in when inside it,
    else with ~ for the home folder (the status line shortens the folders further if it must)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        pass
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except (ValueError, RuntimeError):
        return str(path)


class SaveFileScreen(Modal[str | None]):
    """Dismissed with a sentence naming the file written, or None when cancelled."""

    def __init__(self, title: str, file_name: str):
        super().__init__()
        self.box_title, self.file_name = title, file_name
        self._confirmed: tuple | None = None  # what a second enter would replace

    # --- for subclasses ------------------------------------------------------------------------

    def compose_choices(self) -> ComposeResult:
        """Widgets above the file name (the export's formats)."""
        yield from ()

    def document(self) -> str:
        raise NotImplementedError

    def kind(self) -> str:
        """What is being written, to tell one document from another at the same name."""
        return ""

    def saved(self, path: Path) -> str:
        return f"Saved {shown_path(path)}"

    def delivered(self, name: str) -> str:
        """Served: what the status line says once the download is on its way."""
        return f"Your browser downloads {name}"

    # --- the prompt ----------------------------------------------------------------------------

    @property
    def served(self) -> bool:
        return getattr(self.app, "served", None) is not None

    def compose_box(self) -> ComposeResult:
        yield from self.compose_choices()
        if self.served:
            yield Static("Name of the download (your browser saves it where you choose):", markup=False)
        else:
            yield Static(f"File name (without a folder, it goes in {Path.cwd()}):", markup=False)
        yield Input(self.file_name, id="file-name")
        yield Static("", markup=False, id="save-error")
        yield Static(f"enter: {'download' if self.served else 'save'} · escape: cancel", markup=False, classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def complain(self, *parts) -> None:
        self.query_one("#save-error", Static).update(Text.assemble(*parts))

    def save(self) -> None:
        name = self.query_one("#file-name", Input).value.strip()
        if not name:
            self.complain(("Type a file name first.", "bold"))
            return
        if self.served:
            self.deliver(name)
            return
        try:
            path = Path(name).expanduser()
        except RuntimeError:  # "~someone/..." for a user this system does not know, or no home at all
            user = name[1:].split("/", 1)[0]
            why = (f"no user named {user!r} here (your home folder is ~/)" if user
                   else "cannot find your home folder")
            self.complain(("✗ Not saved:", "bold reverse"), f" {name}: {why}")
            return
        path = path if path.is_absolute() else Path.cwd() / path
        key = (path, self.kind())
        try:
            write_atomically(path, self.document(), force=key == self._confirmed)
        except FileExists:
            self._confirmed = key
            self.complain(("✗ Already exists:", "bold reverse"), f" {path}\n",
                          "Press enter again to replace it, or change the name.")
        except WriteError as exc:
            self._confirmed = None
            self.complain(("✗ Not saved:", "bold reverse"), f" {exc}")
        else:
            self.dismiss(self.saved(path))

    def deliver(self, typed: str) -> None:
        """Served: send the document to the browser under a safe version of the name typed."""
        name = download_name(typed, self.file_name)
        self.app.deliver_text(StringIO(self.document()), save_filename=name)
        self.dismiss(self.delivered(name))
