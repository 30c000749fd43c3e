"""Fixtures shared by the test modules (keep this file small; shared helpers live in helpers.py)."""

import compileall
import gc
import os
import sys
from pathlib import Path

import pytest

from .helpers import brisk_pilot


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A blinking text cursor makes screenshots depend on timing; keep it shown."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def brisk_keys():
    """Pilot's keys and pauses wait for the app to fall idle in 4 ms steps rather than 20 ms ones."""
    if os.environ.get("BP_TUI_TEST_PILOT") == "textual":
        yield
        return
    with brisk_pilot():
        yield


def pytest_configure(config):
    # A worker builds and drops hundreds of apps, each thousands of small objects: the collector's
    # default threshold (700 allocations) walks the young ones every few hundred of them. A larger
    # one gives the same collections at a fraction of the passes (about 7% of the app tests' CPU).
    gc.set_threshold(100_000, 50, 100)
    if not hasattr(config, "workerinput"):  # (the run itself, not each of xdist's workers)
        compile_once()
        rewrite_tests_once(config)


def compile_once() -> None:
    """Compile bp_tui's modules, as the benchmark does, and the tests' helper modules to bytecode once
    for the whole run. The tests import bp_tui from the source tree, and about 150 of them start
    `python -m bp_tui` in a child; where bytecode is not written (PYTHONDONTWRITEBYTECODE, as on CI)
    every worker and every child would compile the sources again: about 12 s of CPU in the CLI, pty
    and limits tests alone."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "bench"))
    from pty_bench import compile_bytecode

    compile_bytecode()
    for helper in Path(__file__).parent.glob("*.py"):  # (the test modules are rewritten: see below)
        if not helper.name.startswith("test_") and helper.name != "conftest.py":
            compileall.compile_file(helper, quiet=1)


def rewrite_tests_once(config) -> None:
    """Write the test modules' assertion-rewritten bytecode once, before xdist starts its workers.

    pytest rewrites the asserts of each test module as it imports it, and keeps the result beside the
    source, except where bytecode is not written (PYTHONDONTWRITEBYTECODE, as on CI): there each of
    the three workers parses, rewrites and compiles all the test modules again before its first test,
    about 2 s of CPU apiece. pytest still reads a kept result that matches its source, so the run
    writes them once here. These are pytest's private functions, the one place the tests use them;
    if a release changes them, nothing is written and every worker rewrites as it did before."""
    if not config.getoption("numprocesses", None) or config.getoption("assertmode", "rewrite") != "rewrite":
        return  # (in one process, each module is rewritten once anyway, as it is imported)
    try:
        from _pytest.assertion.rewrite import (PYC_TAIL, _read_pyc, _rewrite_test, _write_pyc, assertstate_key,
                                               get_cache_dir)

        state = config.stash[assertstate_key]
    except (ImportError, KeyError):
        return
    here = Path(__file__).parent
    for source in [here / "conftest.py", *sorted(here.glob("test_*.py"))]:
        kept = get_cache_dir(source) / (source.name[:-3] + PYC_TAIL)
        try:
            if _read_pyc(source, kept) is None:
                kept.parent.mkdir(exist_ok=True)
                stat, code = _rewrite_test(source, config)
                _write_pyc(state, code, stat, kept)
        except (OSError, TypeError, ValueError, SyntaxError):  # (a read-only tree, changed internals)
            return


def pytest_collection_modifyitems(items):
    # Every snapshot test, marked by what it uses rather than by hand: `-m "not snapshot"` leaves them
    # out where another Textual release may draw a pixel differently (constraints-oldest.txt).
    for item in items:
        if "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.snapshot)
    # The modules holding slow tests first, each module's tests together and in order: under -n 3 a
    # test of 10 s drawn last would leave the other core idle meanwhile; drawn first, the quick ones
    # fill in around it (xdist's worksteal).
    slow_modules = {item.module.__name__ for item in items if item.get_closest_marker("slow") and item.module}
    items.sort(key=lambda item: item.module is None or item.module.__name__ not in slow_modules)
