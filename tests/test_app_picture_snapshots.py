"""Screenshots of the app with the network picture, at the sub-steps issue 14 names: the article's
network at 80x24 at the start, net_h1, dE_total/dw5, delta_h1 and w1+; deep and
softmax-cross-entropy at 120x40; and without colour (NO_COLOR).

Plain `def` tests: snap_compare runs its own event loop. After a deliberate change to the screen,
look at the differences (pytest writes a report) and accept them with
`python -m pytest tests/test_app_picture_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest

from bp_tui import Stepper, load_scenario
from bp_tui.app.app import BackpropApp


def case_id(case) -> str:
    """A test id without "/" (the snapshot plugin makes file names of ids)."""
    return str(case).replace("/", "-") if case is not None else "start"


def spaces_to(name: str, quantity: str | None) -> list[str]:
    """The space presses from the start that make `quantity` the current sub-step of round 1."""
    if quantity is None:
        return []
    records = Stepper(load_scenario(name)).round_records(0)
    return ["space"] * (next(s.index for s in records if s.quantity == quantity) + 1)


@pytest.mark.parametrize("quantity", [None, "net_h1", "dE_total/dw5", "delta_h1", "w1+"], ids=case_id)
def test_the_article_network_at_80x24(snap_compare, quantity):
    app = BackpropApp(load_scenario("mazur"))
    assert snap_compare(app, press=spaces_to("mazur", quantity), terminal_size=(80, 24))


@pytest.mark.parametrize("name, quantity", [("deep", None), ("deep", "dE_total/dout_h1_1"),
                                            ("softmax-cross-entropy", "delta_o1")], ids=case_id)
def test_the_larger_networks_at_120x40(snap_compare, name, quantity):
    app = BackpropApp(load_scenario(name))
    assert snap_compare(app, press=spaces_to(name, quantity), terminal_size=(120, 40))


@pytest.mark.parametrize("name, quantity", [("mazur", "delta_h1"), ("xor-online", "dE_total/dw1")], ids=case_id)
def test_without_colour(snap_compare, monkeypatch, name, quantity):
    monkeypatch.setenv("NO_COLOR", "1")
    app = BackpropApp(load_scenario(name))
    assert snap_compare(app, press=spaces_to(name, quantity), terminal_size=(80, 24))
