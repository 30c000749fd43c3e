"""Where a learner stopped: round, sub-step and quiz score, per scenario, in the user's state folder.

A scenario is identified by the hash of its file's bytes, so editing the file starts afresh. A
place counts sub-steps, so it also records the order it counted them in (records.ORDER_VERSION): a
place saved by a bp-tui that ordered a round differently would point at another sub-step, so it
starts afresh too. Nothing here ever stops the app: a missing, corrupt, unwritable or outdated
state gives None or a one-line warning for the caller to show.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import NamedTuple

from ..engine.records import ORDER_VERSION
from .files import WriteError, write_atomically

MAX_STATE_BYTES = 65_536


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "bp-tui"


class Place(NamedTuple):
    """Where the learner stopped on a scenario."""

    epoch: int  # rounds completed before the current one
    k: int  # sub-steps revealed in the current round
    score: dict | None = None  # quiz score (quiz.Score.as_dict()), if the quiz was used


def _path(digest: str) -> Path:
    return state_dir() / f"{digest[:40]}.json"


def load(digest: str) -> tuple[Place | None, str | None]:
    """(the saved place or None, a warning or None)."""
    if not digest:
        return None, None
    path = _path(digest)
    try:
        if not path.is_file():
            return None, None
        if path.stat().st_size > MAX_STATE_BYTES:
            return None, f"ignored saved place {path}: file too large"
        import json  # here, not at the top: a first start has no place to read (issue 6)

        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        if data.get("order") != ORDER_VERSION:  # absent before version 2
            return None, f"the saved place in {path} counts sub-steps in an order this bp-tui does not use"
        epoch, k = data["epoch"], data["k"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 10**8 for v in (epoch, k)):
            raise ValueError("bad position")
        score = data.get("score")
        return Place(epoch, k, score if isinstance(score, dict) else None), None
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        return None, f"ignored saved place {path}: {type(exc).__name__}"


def save(digest: str, place: Place, title: str = "") -> str | None:
    """Write the place; returns a one-line warning instead of raising when it cannot."""
    if not digest:
        return None
    folder = state_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot save your place in {folder}: {exc.strerror or exc}"
    import json

    data = {"order": ORDER_VERSION, "epoch": place.epoch, "k": place.k, "score": place.score, "title": title[:200],
            "saved": time.strftime("%Y-%m-%dT%H:%M:%S")}
    try:
        write_atomically(_path(digest), json.dumps(data), force=True)
    except WriteError as exc:
        return f"cannot save your place: {exc}"
    return None


def forget(digest: str) -> None:
    try:
        _path(digest).unlink()
    except OSError:
        pass
