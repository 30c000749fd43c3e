"""The network panel draws the picture wherever it fits, falls back to the table with a hint where
it does not, and t switches between them; both show every weight with the same value."""

from __future__ import annotations

import re

import pytest
from rich.style import Style

from bp_tui import load_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.heights import QUANTITY_ROWS
from bp_tui.app.widgets.styles import tag_style

from .helpers import SMALL, panel_rows, screen_text, step_on

AT_80 = ["mazur", "mazur-biases", "mazur-per-neuron-bias", "xor-online", "xor-batch", "momentum",
         "momentum-off", "relu", "tanh"]
AT_120 = ["deep", "softmax-cross-entropy"]
VALUE = r"(-?\d+(?:\.\d+)?(?:e[+-]\d+)?)(…?)"  # a value as the network panel writes it, … when waiting
PICTURE_LABEL = re.compile(r"(?<![\w+])([wb]\w*?)(\+?) " + VALUE + r"(?![\w.])")
TABLE_LABEL = re.compile(r"(?<![\w+])([wb]\w*?)(\+?) +(?:\w+→\w+|bias) +" + VALUE)


def network_title(app: BackpropApp) -> str:
    return screen_text(app).splitlines()[app.query_one("#network").region.y]


def labels(rows: list[str], pattern: re.Pattern) -> dict[str, tuple[str, float, str]]:
    """Each weight's and bias's label on screen: name -> (+ or "", value, … or ""); each once."""
    found: dict[str, tuple[str, float, str]] = {}
    for row in rows:
        for name, plus, value, waiting in pattern.findall(row):
            assert name not in found, f"{name} is written twice"
            found[name] = (plus, float(value), waiting)
    for above, below in zip(rows, rows[1:]):  # a shared bias drawn as its name over its value
        for match in re.finditer(r"(?<![\w+])(b\d+)(\+?)(?= )", above):
            value = re.match(VALUE, below[match.start():])
            if match.group(1) not in found and value:
                found[match.group(1)] = (match.group(2), float(value.group(1)), value.group(2))
    return found


def parameter_names(app: BackpropApp) -> set[str]:
    layout = app.stepper.layout
    return set(layout.all_weight_names()) | set(layout.bias_names())


@pytest.mark.parametrize("name, size", [(name, SMALL) for name in AT_80] + [(name, (120, 40)) for name in AT_120])
async def test_the_picture_is_drawn_in_full_beside_the_other_panels(name, size):
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=size) as pilot:
        await pilot.press("space")
        await pilot.pause()
        rows = panel_rows(app, "#network")
        assert "too " not in network_title(app) and "cut" not in network_title(app)
        assert set(labels(rows, PICTURE_LABEL)) == parameter_names(app), name  # every weight: the picture
        assert not any(row.endswith("▐") for row in rows)  # all of it, not scrolled
        text = screen_text(app)
        assert "this step" in text and "training error" in text
        assert len(panel_rows(app, "#quantities")) >= QUANTITY_ROWS
        assert "= " in " ".join(panel_rows(app, "#formula")[:3])  # the step's formula and numbers


async def test_where_the_picture_does_not_fit_the_table_shows_and_resizing_switches_back():
    app = BackpropApp(load_scenario("deep"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")
        await pilot.pause()
        assert "too small for the picture at this size: t toggles" in network_title(app)
        assert "i1→h1_1" in " ".join(panel_rows(app, "#network"))  # the table, with both ends of a weight
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert "too " not in network_title(app)
        assert set(labels(panel_rows(app, "#network"), PICTURE_LABEL)) == parameter_names(app)
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert "too small for the picture" in network_title(app)


async def test_t_switches_to_the_table_and_back_at_any_size():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space", "t")
        await pilot.pause()
        assert "table (t: picture)" in network_title(app)
        assert "w1  i1→h1 0.15" in " ".join(panel_rows(app, "#network"))
        assert "The network as a table" in screen_text(app)  # the status line says what happened
        await pilot.press("t")
        await pilot.pause()
        assert "table" not in network_title(app) and "w1 0.15 " in " ".join(panel_rows(app, "#network"))

    app = BackpropApp(load_scenario("deep"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("t")  # where it does not fit, the picture all the same: cut, and said so
        await pilot.pause()
        assert "picture cut at the right: it needs 110 columns (t: table)" in network_title(app)
        assert "w1 0.15 " in " ".join(panel_rows(app, "#network"))
        await pilot.press("t")
        await pilot.pause()
        assert "table (t: picture)" in network_title(app)


async def test_the_footer_and_the_help_name_the_toggle():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert " t table " in screen_text(app).splitlines()[-1]
        await pilot.press("question_mark")
        text = " ".join(screen_text(app).split())
        assert "the network as a picture or as a table" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mazur", "mazur-per-neuron-bias"])
async def test_the_picture_and_the_table_agree_on_every_weight_at_every_sub_step_of_round_1(name):
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=(120, 40)) as pilot:
        names = parameter_names(app)

        async def walk(label) -> list:
            """What the network panel draws at each sub-step of round 1: (where, labels). (Its rows as
            drawn, moved on as space does: helpers.step_on.)"""
            seen = []
            panel = app.query_one("#network")
            for k in range(app.stepper.count + 1):
                if k:
                    step_on(app)
                where = (name, app.stepper.k, app.stepper.current and app.stepper.current.quantity)
                seen.append((where, labels([row.text for row in panel.rows()], label)))
            await pilot.press("space")
            return seen

        # The round walked as a picture, then again from its start as a table (one switch, rather than
        # two at every sub-step: each is a new layout of the screen).
        pictures = await walk(PICTURE_LABEL)
        await pilot.press("t", "r")
        assert (app.stepper.epoch, app.stepper.k) == (0, 0)
        tables = await walk(TABLE_LABEL)
        assert [where for where, _ in pictures] == [where for where, _ in tables]
        for (where, picture), (_, table) in zip(pictures, tables):
            assert set(picture) == set(table) == names, where
            for param in names:
                (plus, drawn, waiting), (table_plus, listed, table_waiting) = picture[param], table[param]
                assert (plus, waiting) == (table_plus, table_waiting), (where, param)
                assert abs(drawn - listed) <= 0.5e-4 * (1 + 1e-9), (where, param, drawn, listed)


def styled_segments(app: BackpropApp) -> list[tuple[str, Style]]:
    """The network panel's text as (text, style) segments, as it hands them to Textual (whose NO_COLOR
    filter then drops the colours only: bold and reverse video reach the terminal)."""
    panel = app.query_one("#network")
    return [(segment.text, segment.style or Style()) for y in range(panel.size.height)
            for segment in panel.render_line(y)]


async def test_no_color_keeps_the_highlight_and_the_sign_in_the_characters(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = BackpropApp(load_scenario("xor-online"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space")  # net_h1: i1, i2 and b_h1 into h1; w1 is negative
        await pilot.pause()
        assert app.no_color
        text = " ".join(panel_rows(app, "#network"))
        assert "╍ w1 -0.55 ╍" in text  # lit (heavy) and negative (dashed), without colour
        assert "━ w2 0.92 ━" in text and "▶" in text  # lit, with the direction of flow
        assert "╌ w3 -0.75 ╌" in text and "─ w4 0.41 ─" in text  # not lit: light, dashed when negative
        lit = [style for part, style in styled_segments(app) if "━" in part or "╍" in part]
        assert lit and all(style.bold and not style.reverse for style in lit)
        focus = [part for part, style in styled_segments(app) if style.reverse]
        assert focus == ["1"]  # net_h1's value, the one the step computes, in reverse video


def test_every_highlight_survives_without_colour():
    # (Textual turns colours to greys under NO_COLOR: what marks the step must be bold or reverse.)
    for tags in ({"hot"}, {"hot", "pos"}, {"hot", "neg"}, {"hot", "pending"}, {"hot", "updated"}):
        style = tag_style(frozenset(tags))
        assert style.bold and not style.reverse, tags  # bold on heavy glyphs; reverse would hide them
    assert tag_style(frozenset({"focus"})).reverse and tag_style(frozenset({"focus", "neg"})).reverse
    colours = {tag: tag_style(frozenset({tag})).color for tag in ("hot", "pos", "neg", "pending", "updated")}
    assert len(set(colours.values())) == len(colours), colours  # each its own colour where there is colour
    assert tag_style(frozenset({"pending"})).italic and Style(italic=True) != tag_style(frozenset({"updated"}))
