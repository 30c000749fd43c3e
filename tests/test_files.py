"""Atomic file writing: all or nothing, never over an existing file unless forced, clear errors."""

import codecs
import errno
import os
import shutil
import tempfile

import pytest

from bp_tui.study import files
from bp_tui.study.files import FileExists, WriteError, write_atomically


def leftovers(folder):
    """Temporary files a write left behind (there must never be any)."""
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_writes_text_and_bytes(tmp_path):
    write_atomically(tmp_path / "a.md", "héllo\n")
    write_atomically(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "héllo\n"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert leftovers(tmp_path) == []


def test_a_new_file_gets_the_umask_permissions_not_mkstemp_private_ones(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "shared.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "shared.md").stat().st_mode & 0o777 == 0o644


def test_refuses_to_overwrite_without_force_and_leaves_the_file_untouched(tmp_path):
    target = tmp_path / "keep.md"
    target.write_text("original")
    with pytest.raises(FileExists) as caught:
        write_atomically(target, "new")
    assert target.read_text() == "original"
    assert str(target) in str(caught.value) and "\n" not in str(caught.value)
    assert leftovers(tmp_path) == []


def test_force_replaces_and_keeps_the_old_permissions(tmp_path):
    target = tmp_path / "keep.md"
    target.write_text("original")
    target.chmod(0o600)
    write_atomically(target, "new", force=True)
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_dangling_symlink_counts_as_existing(tmp_path):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileExists):
        write_atomically(link, "x")


def test_missing_folder_and_folder_as_target_are_clear_errors(tmp_path):
    with pytest.raises(WriteError, match="does not exist"):
        write_atomically(tmp_path / "no" / "such.md", "x")
    with pytest.raises(WriteError, match="is a folder"):
        write_atomically(tmp_path, "x", force=True)


def test_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    """Root may write anywhere, so the refusal is simulated where the OS would raise it."""
    def refuse(**_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(WriteError) as caught:
        write_atomically(tmp_path / "x.md", "x")
    assert "permission denied" in str(caught.value) and str(tmp_path) in str(caught.value)
    assert not (tmp_path / "x.md").exists()


def as_a_user(job) -> str:
    """`job()`'s result (a string), run as an ordinary user: root ignores folder permissions, so as root
    it runs in a forked child that has become `nobody` first (everything it needs already imported)."""
    if os.geteuid() != 0:
        return job()
    for encoding in ("ascii", "utf-8"):  # looked up now: the child cannot read Python's own files
        codecs.lookup(encoding)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, do the job, say what happened, leave without cleaning up
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            said = job()
        except BaseException as exc:  # noqa: BLE001  (whatever it is, the parent reports it)
            said = f"raised {exc!r}"
        os.write(writer, said.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as said:
        result = said.read().decode()
    os.waitpid(pid, 0)
    return result


def test_read_only_folder_for_real():
    base = tempfile.mkdtemp(prefix="bp-tui-ro-")  # not under tmp_path: its parents are private to root
    folder = os.path.join(base, "ro")
    os.mkdir(folder)
    os.chmod(base, 0o755)
    os.chmod(folder, 0o555)

    def write() -> str:
        try:
            write_atomically(os.path.join(folder, "x.md"), "x")
        except WriteError as exc:
            return f"WriteError: {exc}"
        return "written"

    try:
        said = as_a_user(write)
        assert said.startswith("WriteError: ") and "permission denied" in said, said
        assert os.listdir(folder) == []
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(base)


def test_a_failure_while_writing_removes_the_temporary_file(tmp_path, monkeypatch):
    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(WriteError, match="no space left on device"):
        write_atomically(tmp_path / "x.md", "x")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_appears_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    target = tmp_path / "race.md"
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_someone_else_writes(**kwargs):
        made = real_mkstemp(**kwargs)
        target.write_text("theirs")
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_someone_else_writes)
    with pytest.raises(FileExists):
        write_atomically(target, "mine")
    assert target.read_text() == "theirs"
    assert leftovers(tmp_path) == []


def test_without_hard_links_it_still_writes(tmp_path, monkeypatch):
    def no_links(*_args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_atomically(tmp_path / "x.md", "x")
    assert (tmp_path / "x.md").read_text() == "x"
    with pytest.raises(FileExists):
        write_atomically(tmp_path / "x.md", "y")
    assert leftovers(tmp_path) == []


def test_umask_is_read_without_changing_it():
    before = os.umask(0o027)
    try:
        assert files._umask() == 0o027
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(before)
