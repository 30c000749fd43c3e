"""The error charts as text: honest scaling (issue 19.7), axes, two series told apart without colour."""

import pytest

from bp_tui.engine.scenario import load_scenario
from bp_tui.engine.training import train
from bp_tui.views.chart import Series, bounds_text, chart_lines, compact_lines
from bp_tui.views.styled import ansi, plain

SOFTMAX_ROUND_1 = [1.105732, 1.105631]  # softmax-cross-entropy's error before and after round 1


def errors(name, epochs):
    return train(load_scenario(name), epochs).errors


def bar_heights(lines):
    """Each column's height in eighths of a cell, from the compact chart's bar rows."""
    rows = [plain([line]).ljust(len(line[0].text)) for line in lines[:-1]]
    levels = " ▁▂▃▄▅▆▇█"
    return [sum(levels.index(row[c]) for row in rows) for c in range(len(rows[0]))]


def test_the_softmax_case_of_issue_19_7_looks_flat_and_says_so():
    lines = compact_lines(SOFTMAX_ROUND_1, 30, 6)
    heights = bar_heights(lines)
    # before: the first bar full height, the last at the bottom; now a change of 0.01% is level
    assert max(heights) - min(heights) <= 1
    assert 10 <= heights[0] <= 30  # nowhere near either end of the axis
    label = plain(lines[-1:])
    assert label == "lin ▁ 1.08 … █ 1.13"  # the axis's bounds, to the digits in which they differ


def test_the_article_first_round_falls_visibly_but_is_no_cliff():
    heights = bar_heights(compact_lines(errors("mazur", 1), 30, 6))
    assert heights[0] > heights[-1] + 8  # 0.298 -> 0.291 (2.5%) shows as a fall ...
    assert heights[0] < 5 * 8 and heights[-1] > 8  # ... of less than the whole height


def test_a_real_descent_fills_the_height_on_a_log_scale():
    lines = compact_lines(errors("mazur", 1000), 30, 6)
    heights = bar_heights(lines)
    assert heights[0] == 5 * 8 and heights[-1] == 1  # from the top to the lowest bar
    assert heights == sorted(heights, reverse=True)
    assert plain(lines[-1:]) == "log ▁ 0.00111 … █ 0.298"


def test_bounds_are_printed_to_the_digits_that_differ():
    assert bounds_text(1.105631, 1.105732) == ("1.1056", "1.1057")
    assert bounds_text(0.001114349, 0.298371109) == ("0.00111", "0.298")
    assert bounds_text(2.0, 2.0)[0] == bounds_text(2.0, 2.0)[1]  # nothing to tell apart


def test_compact_chart_before_any_round_and_when_too_small():
    assert plain(compact_lines([0.298371109], 30, 6)) == "the curve starts after round 1"
    assert "needs at least" in plain(compact_lines(errors("mazur", 5), 5, 1))


def test_a_diverged_run_is_drawn_up_to_its_last_finite_error():
    run = errors("too-fast", 100)
    assert run[-1] == float("inf")
    lines = compact_lines(run, 30, 6)
    assert plain(lines[-1:]) == "log ▁0.421…█1.01e+149 ✗inf/NaN"
    assert plain(compact_lines(run, 50, 6)[-1:]) == "log ▁ 0.421 … █ 1.01e+149 then inf/NaN"
    assert "inf" not in plain(chart_lines([Series("too-fast", run)], 60, 10))


@pytest.mark.parametrize("width", [24, 40, 80, 132])
@pytest.mark.parametrize("height", [6, 12, 24])
def test_the_chart_fills_exactly_the_size_it_is_given(width, height):
    lines = chart_lines([Series("A", errors("momentum", 300)), Series("B", errors("momentum-off", 300))],
                        width, height)
    assert len(lines) == height
    assert all(len(line) <= width for line in plain(lines).splitlines())


def test_too_small_a_chart_says_how_much_room_it_needs():
    assert plain(chart_lines([Series("A", [1.0, 0.5])], 23, 10)) == "the chart needs at least 24×6 cells"


def test_two_series_differ_by_glyph_without_colour():
    text = plain(chart_lines([Series("momentum", errors("momentum", 1000)),
                              Series("momentum-off", errors("momentum-off", 1000))], 80, 16))
    legend, *plot = text.splitlines()
    assert legend.startswith("● momentum  ○ momentum-off  ◉ both")
    body = "\n".join(plot[:-2])
    assert "●" in body and "○" in body
    assert plot[0].split("┤")[1].startswith("◉")  # the same start: both curves in one cell
    assert "\x1b" not in text


def test_the_axes_are_labelled_with_the_scale_and_the_epochs():
    text = plain(chart_lines([Series("mazur", errors("mazur", 1000))], 80, 16)).splitlines()
    assert text[1].strip().startswith("0.298 ┤")  # top: the starting error
    assert text[-3].strip().startswith("0.00111 ┤")  # bottom: the last
    assert any(line.strip().startswith("0.01 ┤") for line in text)  # a decade between
    assert text[-1].split() == ["0", "epoch", "(error:", "log", "scale)", "1000"]
    flat = plain(chart_lines([Series("softmax", SOFTMAX_ROUND_1)], 40, 8)).splitlines()
    assert flat[-1].split() == ["0", "epoch", "(error:", "linear", "scale)", "1"]
    assert [line.split("┤")[0].strip() for line in flat[1:-2] if "┤" in line] == ["1.13", "1.11", "1.08"]


def test_a_falling_curve_is_drawn_from_the_top_left_to_the_bottom_right():
    text = plain(chart_lines([Series("mazur", errors("mazur", 1000))], 60, 12)).splitlines()
    plot = [line.split("┤" if "┤" in line else "│")[1] for line in text[1:-2]]
    assert plot[0].index("●") == 0
    assert len(plot[-1].rstrip()) == max(len(row.rstrip()) for row in plot)  # it ends lowest, at the right


def test_colour_marks_the_series_on_a_terminal():
    lines = chart_lines([Series("A", errors("mazur", 50)), Series("B", errors("too-fast", 50))], 60, 10)
    coloured = ansi(lines)
    assert "\x1b[36m●" in coloured and "\x1b[35m○" in coloured


def test_epoch_0_alone_is_one_point_at_the_left():
    text = plain(chart_lines([Series("mazur", [0.298371109]), Series("tanh", [0.28])], 40, 8)).splitlines()
    plot = [line.split("┤" if "┤" in line else "│")[1] for line in text[1:-2]]
    assert sorted(row.rstrip() for row in plot if row.strip()) == ["○", "●"]
