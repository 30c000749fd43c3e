"""The screen fits the terminal: at 80x24 nothing overflows, a long text scrolls inside its own panel,
the quantities keep their rows, and short news goes to the status line, never over what is read."""

from __future__ import annotations

import pytest

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.heights import QUANTITY_ROWS, share_rows
from bp_tui.app.widgets.status import fit, shorten_path

from .helpers import SMALL, panel_rows, screen_text

FOOTER = "space next ← back ] phase enter round f fast-fwd t table o open ? help q quit"


def assert_fits(app: BackpropApp, where: str) -> list[str]:
    """The whole screen in the terminal: header on top, the footer at the bottom, no scrollbar of the
    screen's own, at least QUANTITY_ROWS rows of quantities. Returns the screen's lines."""
    lines = screen_text(app).splitlines()
    assert len(lines) == app.size.height, where
    assert "round " in lines[0] and lines[-1].strip() == FOOTER, (where, lines[0], lines[-1])
    assert not app.screen.show_vertical_scrollbar and app.screen.virtual_size.height <= app.size.height, where
    assert len(panel_rows(app, "#quantities")) >= QUANTITY_ROWS, where
    return lines


@pytest.mark.parametrize("name, keys, quiz", [
    ("mazur", [], False),  # the welcome: the scenario's description is longer than the panel
    ("mazur", ["enter", "left", "left"], False),  # a step with a long note
    ("mazur", ["enter", "k"], True),  # quiz mode with the bar, on the round's last step and its note
    ("deep", [], False),
    ("deep", ["right_square_bracket"] * 3 + ["space"], False),  # its network as tables, scrolled
    ("deep", ["k", "space"], True),
    ("softmax-cross-entropy", ["enter"], False),
])
async def test_at_80x24_every_panel_fits_and_long_text_scrolls_inside_its_panel(name, keys, quiz):
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert_fits(app, f"{name} {keys}")
        if quiz:
            assert app.screen.query_one("#quiz").display


async def test_a_long_text_scrolls_in_the_step_panel_with_a_scrollbar_of_its_own():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        rows = panel_rows(app, "#formula")
        assert rows[0].startswith("Nothing computed yet")
        assert "▐" in "".join(row[-1] for row in rows)  # the thumb: more text below
        assert "description:" in " ".join(rows)  # (the rest is in the help, and below)


async def test_the_network_panel_names_each_layer_s_activation():
    # The picture's headings, or its title where the picture leaves the headings out for want of
    # rows; the table's headings ("hidden · sigmoid", or "hidden" over "· sigmoid").
    for name, size, keys in (("mazur", SMALL, []), ("relu", SMALL, []), ("xor-batch", SMALL, []),
                             ("softmax-cross-entropy", SMALL, []), ("mazur", SMALL, ["t"]),
                             ("mazur", (120, 40), [])):
        app = BackpropApp(load_scenario(name))
        async with app.run_test(size=size) as pilot:
            await pilot.press("space", *keys)
            panel = app.query_one("#network").region
            network = " ".join(screen_text(app).splitlines()[panel.y:panel.bottom])
            for activation in set(app.stepper.scenario.activations):
                assert activation in network, (name, size, keys, network)


def test_the_network_gets_what_it_asks_up_to_a_share_and_the_quantities_keep_their_rows():
    assert share_rows(21, 7, 8) == (7, 8)  # mazur at 80x24: both fit, 6 rows left for the quantities
    assert share_rows(21, 30, 8) == (9, 6)  # a network too tall scrolls; the step keeps its 5 lines
    assert share_rows(18, 7, 8) == (6, 6)  # with the quiz bar: each gives a little
    assert share_rows(45, 30, 8) == (19, 8)  # 160x48: at most half the room
    for rows in range(10, 60):
        for network, step in ((7, 8), (30, 8), (7, 20), (40, 30)):
            net, st = share_rows(rows, network, step)
            if rows >= 17:  # (the smallest terminal with panels, 60x20, has 17 rows for them)
                assert rows - net - st >= QUANTITY_ROWS + 1, (rows, network, step)


def test_a_message_fits_one_row_and_a_file_name_is_never_cut():
    assert fit("Saved mine.toml", 40) == "Saved mine.toml"
    path = "/home/learner/courses/neural-networks/week-3/exports/mazur-round-1.md"
    line = fit(f"Round 1 exported (md) to {path}", 60)
    assert len(line) <= 60 and line.endswith("/mazur-round-1.md") and "…/" in line
    assert shorten_path(path, 10) == "…/mazur-round-1.md"  # the name whole, however little room
    assert fit("x" * 100, 20) == "x" * 19 + "…"


async def test_news_goes_to_the_status_line_and_covers_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        before = screen_text(app).splitlines()
        await pilot.press("x", "enter")  # export round 1
        await pilot.pause()
        after = screen_text(app).splitlines()
        status = app.query_one("#status").region.y
        assert after[status].strip() == "Round 1 exported (md) to mazur-round-1.md"
        assert after[:status] == before[:status]  # every panel as it was: nothing on top of them
