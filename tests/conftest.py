"""Fixtures shared by the test modules (keep this file small; app helpers live in test_app*.py)."""

import pytest


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """A blinking text cursor makes screenshots depend on timing; keep it shown."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
