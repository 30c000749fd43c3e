"""The pictures issue 14 names, as plain text (what NO_COLOR and a pipe show): the article's
network at 80x24 at the start, net_h1, dE_total/dw5, delta_h1 and w1+; deep and
softmax-cross-entropy at 120x40. After a change to the drawing, look at the diff, then
`python -m pytest tests/test_picture_snapshots.py --snapshot-update`."""

import pytest

from bp_tui.engine.scenario import load_scenario
from bp_tui.engine.stepper import Stepper
from bp_tui.views.picture import draw, shape_of, state_of
from bp_tui.views.styled import plain


def picture_at(name: str, quantity: str | None, width: int, height: int) -> str:
    stepper = Stepper(load_scenario(name))
    while quantity is not None and (stepper.current is None or stepper.current.quantity != quantity):
        assert stepper.next() and stepper.epoch == 0, f"no {quantity} in round 1 of {name}"
    return plain(draw(shape_of(stepper.scenario), state_of(stepper), width, height))


@pytest.mark.parametrize("quantity", [None, "net_h1", "dE_total/dw5", "delta_h1", "w1+"])
def test_the_article_network_at_80x24(quantity, snapshot):
    assert picture_at("mazur", quantity, 80, 24) == snapshot


@pytest.mark.parametrize("name, quantity", [("deep", None), ("deep", "dE_total/dout_h1_1"),
                                            ("softmax-cross-entropy", "delta_o1")])
def test_the_larger_networks_at_120x40(name, quantity, snapshot):
    assert picture_at(name, quantity, 120, 40) == snapshot
