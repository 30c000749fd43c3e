"""The chain rule (d) and the matrix form (m) in the step panel's place (issue 16.1, 16.2): what the
learner reads there, checked against the engine's records."""

from __future__ import annotations

import re

import pytest
from textual.worker import Worker

from bp_tui import load_scenario, parse_scenario
from bp_tui.app.app import BackpropApp
from bp_tui.app.screens.stepper import StepperScreen
from bp_tui.app.study import Study
from bp_tui.app.widgets.worked import INLINE_MAX_STEPS
from bp_tui.engine.records import num, value_text
from bp_tui.engine.stepper import Stepper
from bp_tui.study.derive import derive
from bp_tui.study.explain import matrix_lines
from bp_tui.study.matrix import matrix_form
from bp_tui.study.matrix_parts import Matrix

from .helpers import SMALL, panel_rows, screen_text, step_on, wait_until
from .scenario_factory import scenario_text
from .test_app_layout import assert_fits
from .test_app_repaint import settled_screen

LAST_VALUE = re.compile(r"^\s*= (\S+)$")  # `             = 0.082167041`, the end of an equation


def view_text(app: BackpropApp, selector: str) -> list[str]:
    """Every row of a panel's text as the panel draws it (what scrolling it shows), without its
    scrollbar column."""
    return [row.text.rstrip() for row in app.query_one(selector).rows()]


def minus(text: str) -> str:
    return text.replace("−", "-")


# --- the chain rule ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name, rounds", [("mazur", 0), ("xor-batch", 1), ("deep", 0), ("momentum", 1)])
async def test_every_derivation_ends_on_the_value_of_its_record(name, rounds):
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(*["enter"] * rounds, "d", "space")
        derivations = 0
        for k in range(app.stepper.count):
            if k:
                step_on(app)
            step = app.stepper.current
            rows = view_text(app, "#chain-rule")
            assert rows[0].startswith(f"{step.quantity} = {value_text(step.value)}"), rows[0]
            if derive(step, app.stepper) is None:
                assert "takes no derivative" in rows[0], (step.quantity, rows)
                continue
            derivations += 1
            ends = [match.group(1) for row in rows if (match := LAST_VALUE.match(row))]
            assert minus(ends[-1]) == value_text(step.value), (step.quantity, rows)
            if "Check by nudging" in " ".join(rows):  # a hidden neuron's sum of paths, checked numerically
                assert "they agree" in " ".join(rows[-3:]), rows
        assert derivations > 20


async def test_d_again_or_escape_returns_to_the_step_panel():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket", "space", "d")
        assert "─ the chain rule ─" in screen_text(app) and not app.query_one("#formula").display
        assert panel_rows(app, "#chain-rule")[0].startswith("dE_total/dout_o1 = 0.741365070, by the chain rule:")
        await pilot.press("d")
        assert "─ this step ─" in screen_text(app) and "─ the chain rule ─" not in screen_text(app)
        await pilot.press("d", "space", "escape")
        await pilot.pause()
        text = screen_text(app)
        assert "─ this step ─" in text and "dout_o1/dnet_o1 = out_o1*(1 - out_o1)" in text


async def test_a_sub_step_without_a_derivative_says_so_plainly():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        assert panel_rows(app, "#chain-rule")[0].startswith("Nothing computed yet")
        await pilot.press("space")
        rows = panel_rows(app, "#chain-rule")
        assert rows[0].strip() == ("net_h1 = 0.377500000 takes no derivative: there is no chain rule to write "
                                   "out here.")[:len(rows[0].strip())]
        assert "takes no derivative" in rows[0]


async def test_at_80x24_the_chain_rule_fits_and_scrolls_inside_its_panel():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*["right_square_bracket"] * 3, *["space"] * 3, "d")  # dE_total/dout_h1, the longest
        await pilot.pause()
        assert_fits(app, "the chain rule")
        rows = panel_rows(app, "#chain-rule")
        assert "▐" in "".join(row[-1] for row in rows)  # a thumb: there is more below
        assert not any("they agree" in row for row in rows)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert any("they agree" in row for row in panel_rows(app, "#chain-rule"))
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert panel_rows(app, "#chain-rule")[0].startswith("dE_total/dout_h1 = 0.036350306")


async def test_in_quiz_mode_the_question_takes_the_place_of_the_chain_rule_until_answered():
    app = BackpropApp(load_scenario("mazur"), quiz=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*"0.3775", "enter", "d")  # the first value answered, then its chain rule
        await pilot.pause()
        assert panel_rows(app, "#chain-rule")[0].startswith("net_h1 = 0.377500000 takes no derivative")
        await pilot.press("space")  # the next value is asked: its formula takes the chain rule's place
        await pilot.pause()
        text = screen_text(app)
        assert "─ this step ─" in text and "─ the chain rule ─" not in text and "0.593269992" not in text
        assert "= 1/(1 + e^(-0.3775))" in text
        await pilot.press(*"0.5933", "enter")
        await pilot.pause()
        assert "─ the chain rule ─" in screen_text(app)
        assert panel_rows(app, "#chain-rule")[0].startswith("out_h1 = 0.593269992 takes no derivative")


async def test_on_a_large_network_the_work_is_done_off_the_ui_thread():
    scenario = parse_scenario(scenario_text(layers=(2, 24, 24, 2)), "large")
    workers: list[Worker] = []

    def hook(message) -> None:
        if isinstance(message, Worker.StateChanged) and message.worker.group == "worked-out":
            workers.append(message.worker)

    app = BackpropApp(scenario)
    async with app.run_test(size=SMALL, message_hook=hook) as pilot:
        assert app.stepper.count > INLINE_MAX_STEPS
        await pilot.press(*["right_square_bracket"] * 4, "space", "d")
        step = app.stepper.current
        await wait_until(pilot, lambda: not view_text(app, "#chain-rule")[0].startswith("Working out"),
                         "the chain rule worked out")
        ends = [m.group(1) for row in view_text(app, "#chain-rule") if (m := LAST_VALUE.match(row))]
        assert minus(ends[-1]) == value_text(step.value)
        assert workers  # (the text was worked out by a worker thread)


@pytest.mark.slow
async def test_every_key_in_the_chain_rule_leaves_the_screen_a_new_one_shows():
    keys = ["right_square_bracket"] * 2 + ["space"] * 8 + ["left", "left", "right_square_bracket", "enter", "space"]
    seen = []
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("d")
        for key in keys:
            await pilot.press(key)
            seen.append((key, app.stepper.epoch, app.stepper.k, app.main.view_ask, await settled_screen(pilot)))
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        for key, epoch, k, steady, rows in seen:
            stepper = Stepper(load_scenario("mazur"))
            stepper.goto_step(epoch, k)
            screen = StepperScreen(stepper, Study())
            await app.push_screen(screen)
            screen.show_step_view("chain-rule")
            # (The view keeps the most rows it asked for since it opened: the new one is told those.)
            screen.view_ask = steady
            screen.fit_panels()
            assert await settled_screen(pilot) == rows, f"after {key!r} at round {epoch + 1} step {k}"
            await app.pop_screen()


# --- the matrix form ---------------------------------------------------------------------------


def result_row(rows: list[str], label: str) -> list[str]:
    """The numbers of the result matrix's row `label` on screen (its first bracket)."""
    line = next(row for row in rows if row.lstrip().startswith(f"{label} ["))
    return line[line.index("[") + 1:line.index("]")].split()


@pytest.mark.slow
@pytest.mark.parametrize("name, rounds", [("mazur", 0), ("xor-batch", 2), ("softmax-cross-entropy", 1)])
async def test_every_element_of_the_matrix_form_equals_the_record_it_names(name, rounds):
    app = BackpropApp(load_scenario(name))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*["enter"] * rounds, "m", "space")
        assert app.stepper.epoch == rounds and app.stepper.k == 1
        records = {(s.quantity, s.sample): s.value for s in app.stepper.window(0, app.stepper.count)}
        await pilot.press("left")
        width = app.query_one("#matrix").content_width
        checked = 0
        for k in range(app.stepper.count):
            if k:
                step_on(app)
            else:
                await pilot.press("space")
            step, rows = app.stepper.current, view_text(app, "#matrix")
            assert rows[0].startswith(f"{step.quantity} = {value_text(step.value)} is one element")
            assert rows[1:] == [line.rstrip() for line in matrix_lines(step, app.stepper, width)]
            form = matrix_form(step, app.stepper)
            for matrix in (term for term in form.terms if isinstance(term, Matrix)):
                for values, refs in zip(matrix.values, matrix.refs):
                    for value, ref in zip(values, refs):
                        if ref is not None and (ref.quantity, ref.sample) in records and not ref.before:
                            assert value == pytest.approx(records[ref.quantity, ref.sample], rel=1e-12, abs=1e-300)
                            checked += 1
            result = form.result
            if len(result.values) > 1 or len(result.values[0]) > 1:  # (a scalar is written without a row)
                for label, values in zip(result.rows, result.values):
                    assert result_row(rows, label) == [num(v) for v in values]
        assert checked > 100


async def test_m_switches_between_the_formula_and_the_matrix_form_and_back():
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("space", "m")
        await pilot.pause()
        assert_fits(app, "the matrix form")
        rows = panel_rows(app, "#matrix")
        assert rows[1].strip() == "net_h = W¹ · i + b₁" and rows[2].strip().startswith("shapes: (2×1) = (2×2)")
        assert any(row.lstrip().startswith("h1 [0.3775] = [0.15  0.2] · [0.05] + 0.35") for row in rows)
        await pilot.press("d")  # the chain rule in its place
        assert not app.query_one("#matrix").display and app.query_one("#chain-rule").display
        await pilot.press("m", "m")
        assert app.query_one("#formula").display and "net_h1 = w1*i1 + w2*i2 + b1*1" in screen_text(app)


async def test_a_matrix_wider_than_the_panel_is_cut_and_says_how_wide_it_is():
    scenario = parse_scenario(scenario_text(layers=(2, 12, 12, 2)), "wide")
    app = BackpropApp(scenario)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(*["right_square_bracket"] * 4, "space", "m")
        await wait_until(pilot, lambda: not view_text(app, "#matrix")[0].startswith("Working out"),
                         "the matrix form worked out")
        rows = view_text(app, "#matrix")
        width = app.query_one("#matrix").content_width
        assert all(len(row) <= width for row in rows)
        assert rows[1].startswith("These matrices need ") and "…" in "".join(rows[2:])


async def test_the_network_keeps_its_rows_while_stepping_with_the_chain_rule_open():
    """A derivation is longer on some sub-steps than others; the view keeps the most rows it has
    asked for, so the picture above it does not shrink and grow on every key."""
    app = BackpropApp(load_scenario("mazur"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("right_square_bracket", "d")

        def title_row() -> int:
            return next(y for y, row in enumerate(screen_text(app).splitlines()) if "─ the chain rule ─" in row)

        rows = []
        for _ in range(14):
            await pilot.press("space")
            rows.append(title_row())
        assert len(set(rows)) > 1, rows  # the view did grow on a longer derivation ...
        assert rows == sorted(rows, reverse=True), rows  # ... and never gave the rows back
        await pilot.press("escape", "r", "d")
        assert title_row() > rows[-1]  # opened afresh, it is sized to its text again
