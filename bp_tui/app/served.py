"""Served mode: the rules the app keeps when it runs in a browser tab for `bp-tui serve`.

A served app runs on the teacher's machine for a student who is somewhere else, so nothing the
student types may name a file there:

- opening a scenario offers the built-in ones and the files of the one folder the teacher allowed
  (`bp-tui serve --scenarios DIR`), chosen from a list: there is no box for a path;
- a saved network (w) and an exported round (x) go to the student's browser as downloads
  (`App.deliver_text`); the name typed is only the download's name;
- the learner's place is not saved in the teacher's state folder: each tab is a process of its own,
  and its place lives as long as the tab does.

No Textual here: the screens ask these functions and show what they say.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

MAX_DOWNLOAD_NAME = 100
UNSAFE_IN_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class Served(NamedTuple):
    """How the app is served: `scenarios`, the folder of scenario files the teacher offers, or None."""

    scenarios: Path | None = None


def offered_files(folder: Path | None) -> list[Path]:
    """The scenario files a served app offers: `*.toml` regular files directly in `folder`, by name.

    A link is offered only when it leads to a file in the folder itself: a link out of the folder
    would let a student read a file the teacher never offered.
    """
    if folder is None:
        return []
    try:
        home = folder.resolve(strict=True)
        entries = sorted(home.iterdir())
    except OSError:
        return []
    offered = []
    for entry in entries:
        try:
            real = entry.resolve(strict=True)
        except (OSError, RuntimeError):  # a broken link, or a loop of links
            continue
        if entry.suffix == ".toml" and real.parent == home and real.is_file():
            offered.append(real)
    return offered


def download_name(typed: str, fallback: str) -> str:
    """The file name a download goes by: the last part of what was typed, in letters, digits, dots,
    dashes and underscores (a folder typed means nothing to the server, and the browser saves the
    file where its owner says). `fallback` when nothing usable is left."""
    last = typed.replace("\\", "/").rsplit("/", 1)[-1]
    name = UNSAFE_IN_A_NAME.sub("-", last).strip(".-")[:MAX_DOWNLOAD_NAME]
    return name or fallback
