"""Writing files safely: all or nothing, and never over an existing file unless asked to.

`write_atomically` writes to a temporary file in the destination's own folder, flushes it to disk,
then moves it into place in one step, so a reader (or a crash) sees either the old state or the
complete new file, never half of one. Every failure becomes a `WriteError` whose message is one
line naming the file and the reason, for the CLI to print and the app to show as a notification.
Exports, saved scenarios and the resume state all go through here.
"""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, TextIO

__all__ = ["FileExists", "WriteError", "atomic_file", "write_atomically"]


class WriteError(Exception):
    """A file could not be written. The message is one line: the path, then what went wrong."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class FileExists(WriteError):
    """The destination exists and overwriting was not allowed."""


def write_atomically(path, data: str | bytes, force: bool = False) -> Path:
    """Write `data` (str as UTF-8, or bytes) to `path` in one atomic step; return the path.

    Without `force`, an existing file (or anything else at that path) is left untouched and
    `FileExists` is raised. With `force`, the file is replaced; a symbolic link at the path is
    replaced by the new file rather than written through. Raises `WriteError` for every other
    failure (missing or read-only folder, full disk, ...); the temporary file never stays behind.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    with atomic_file(path, force) as stream:
        stream.write(payload)
    return Path(path)


@contextmanager
def atomic_file(path, force: bool = False, text: bool = False) -> Iterator[BinaryIO | TextIO]:
    """A stream to write `path` with as the data comes (bytes, or UTF-8 text with `text`): it goes to
    a temporary file in the same folder, which becomes `path` in one step when the block ends. If the
    block ends with an exception (a write error, ctrl+c), the temporary file is removed and `path` is
    left as it was. Errors as write_atomically's."""
    target = Path(path)
    folder = target.parent
    try:
        if target.is_dir():
            raise WriteError(target, "is a folder, not a file")
        if not force and (target.exists() or target.is_symlink()):
            raise FileExists(target, "already exists; it was not overwritten")
        if not folder.is_dir():
            raise WriteError(target, f"folder {str(folder)!r} does not exist")
    except OSError as exc:  # e.g. a folder on the way that may not be searched
        raise WriteError(target, _reason(exc)) from None
    try:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(target, f"cannot write in folder {str(folder)!r}: {_reason(exc)}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "w" if text else "wb", **({"encoding": "utf-8", "newline": ""} if text else {})) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _new_file_mode(target))
        if force:
            os.replace(temp, target)
        else:
            _move_without_overwriting(temp, target)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(target, _reason(exc)) from None
    finally:
        if temp.exists():
            try:
                temp.unlink()
            except OSError:
                pass
    _sync_folder(folder)


def _move_without_overwriting(temp: Path, target: Path) -> None:
    """Put temp at target unless something is already there, with no window for a race.

    A hard link fails if the target exists, atomically. On file systems without hard links, fall
    back to a check followed by a rename (a race is possible there, but only there).
    """
    try:
        os.link(temp, target)
    except FileExistsError:
        raise FileExists(target, "already exists; it was not overwritten") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                             errno.ENOSYS):
            raise
        if target.exists() or target.is_symlink():
            raise FileExists(target, "already exists; it was not overwritten") from None
        os.replace(temp, target)
    else:
        temp.unlink()


def _new_file_mode(target: Path) -> int:
    """Keep an existing file's permissions; give a new one what the user's umask allows.

    mkstemp makes private (0600) files, which would surprise someone sharing an export.
    """
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, briefly, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    """A short, lower-case reason for an OS error (permission denied, no space left on device...)."""
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]
