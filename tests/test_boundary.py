"""The decision boundary (issue 16.3): the picture's numbers are the engine's, at any size, without colour."""

import json
import math

import pytest

from bp_tui.engine.network import Params
from bp_tui.engine.records import value_text
from bp_tui.engine.scenario import load_scenario
from bp_tui.engine.training import train
from bp_tui.views.boundary import SHADES, BoundaryView, boundary_lines
from bp_tui.views.plane import GridForward, outputs_at, plane_for
from bp_tui.views.styled import ansi, plain

from .helpers import bp_tui_here as bp
from .helpers import bp_tui_on_a_terminal
from .scenario_factory import scenario_text


def trained(name, epochs):
    scenario = load_scenario(name)
    result = train(scenario, epochs)
    return scenario, result, Params(result.weights, result.biases)


@pytest.mark.parametrize("name", ["mazur", "xor-online", "xor-batch", "softmax-cross-entropy", "relu", "deep"])
def test_outputs_at_the_sample_points_are_runs_outputs(name):
    scenario, result, params = trained(name, 300)
    assert outputs_at(scenario, params, scenario.inputs) == result.outputs


def test_the_numpy_grid_agrees_with_the_forward_pass_at_the_samples():
    scenario, result, params = trained("xor-online", 500)
    points = plane_for(scenario, 80, 24).points() + list(scenario.inputs)
    grid = GridForward(scenario, points)
    assert grid.batch is not None  # 1,924 points: numpy computes them
    at_samples = grid.outputs(params)[-len(scenario.inputs):]
    for got, want in zip(at_samples, result.outputs):
        assert got == pytest.approx(want, abs=1e-12)


def test_the_command_prints_runs_outputs_for_each_sample():
    picture = bp("boundary", "xor-online", "--epochs", "500")
    assert picture.returncode == 0, picture.stderr
    run = json.loads(bp("run", "xor-online", "--epochs", "500", "--json").stdout)
    samples = [line for line in picture.stdout.splitlines() if line.startswith("sample ")]
    assert samples[1] == f"sample 2 at (0, 1): outputs {value_text(run['outputs'][1][0])}  (targets 1)"
    assert len(samples) == 4


def cell_near(view, picture_lines, x, y, dx=0):
    """The glyph of the cell one to the right (dx) of the point's own cell (which shows the mark)."""
    column, row = view.plane.cell_of(x, y)
    line = plain(picture_lines[1 + row:2 + row])
    return line[view.label_width + column + dx]


def test_learned_xor_is_high_where_the_target_is_1_and_low_where_it_is_0():
    scenario, _result, params = trained("xor-online", 3000)
    view = BoundaryView(scenario, 60, 20)
    lines = view.lines(params)
    for (x, y), (target,) in zip(scenario.inputs, scenario.targets):
        assert cell_near(view, lines, x, y) == ("●" if target else "○")
        beside = cell_near(view, lines, x, y, dx=1 if x == 0 else -1)
        assert beside in (SHADES[2:] if target else SHADES[:2]), (x, y, beside)


def test_softmax_shows_the_winning_class_and_each_sample_in_its_own_region():
    scenario, _result, params = trained("softmax-cross-entropy", 1000)
    view = BoundaryView(scenario, 60, 20)
    lines = view.lines(params)
    text = plain(lines)
    assert text.splitlines()[0].strip() == "winning class"
    assert "░ o1 wins  ▒ o2 wins  ▓ o3 wins" in text
    for (x, y), targets in zip(scenario.inputs, scenario.targets):
        klass = targets.index(1.0)
        assert cell_near(view, lines, x, y) == "ABC"[klass]
        assert cell_near(view, lines, x, y, dx=1) == SHADES[klass]


def test_independent_outputs_get_a_picture_each():
    scenario, _result, params = trained("mazur", 1000)
    text = plain(BoundaryView(scenario, 80, 20).lines(params)).splitlines()
    assert text[0].split() == ["out_o1", "out_o2"]
    assert "○" in text[1 + plane_row(scenario, 80, 20)] and "●" in text[1 + plane_row(scenario, 80, 20)]


def plane_row(scenario, width, height):
    view = BoundaryView(scenario, width, height)
    return view.plane.cell_of(*scenario.inputs[0])[1]


def test_hidden_lines_run_where_the_net_input_is_zero():
    scenario, _result, params = trained("xor-batch", 3000)
    view = BoundaryView(scenario, 80, 20, hidden_lines=True)
    plane = view.plane
    step_x, step_y = (plane.x1 - plane.x0) / plane.columns, (plane.y1 - plane.y0) / plane.rows
    drawn = 0
    for j, (w0, w1) in enumerate(params.weights[0]):
        cells, _glyph = view.line_cells(w0, w1, params.biases[0][j])
        for column, row in cells:
            x, y = plane.centre(column, row)
            # within one cell of the line: the net input there is at most one cell's change from 0
            assert abs(w0 * x + w1 * y + params.biases[0][j]) <= abs(w0) * step_x + abs(w1) * step_y
        drawn += len(cells)
    assert drawn >= plane.columns  # both lines cross the picture
    text = plain(view.lines(params))
    assert "h1" in text and "h2" in text and text.endswith("╱─╲ net input 0 on the lines named h1 h2")


def test_a_hidden_line_outside_the_plane_is_said_to_be_missing_and_on_which_side():
    """relu's h3 dies in round 1: its net input stays below 0 over the whole plane, so no line."""
    scenario, _result, params = trained("relu", 1000)
    text = plain(BoundaryView(scenario, 80, 22, hidden_lines=True).lines(params))
    assert "net input 0 on the lines named h1 h2; h3: net input below 0 all over" in text
    assert "h1" in text.split("net input 0")[0] and "h3" not in text.split("net input 0")[0]


def test_when_no_hidden_line_crosses_the_plane_the_legend_says_so_for_each_side():
    scenario, _result, params = trained("tanh", 1000)
    text = plain(BoundaryView(scenario, 80, 22, hidden_lines=True).lines(params))
    assert text.splitlines()[-1] == "h1 h2: net input above 0 all over"


def test_the_winning_class_legend_says_which_letter_is_which_class():
    scenario, _result, params = trained("softmax-cross-entropy", 100)
    text = plain(BoundaryView(scenario, 80, 22).lines(params))
    assert "A B C samples whose target is o1 o2 o3" in text


def test_twin_neurons_share_one_line_and_say_so():
    scenario, _result, params = trained("symmetry", 2000)
    assert "h1=h2" in plain(BoundaryView(scenario, 80, 22, hidden_lines=True).lines(params))


@pytest.mark.parametrize("name", ["mazur", "xor-online", "softmax-cross-entropy", "deep"])
@pytest.mark.parametrize("size", [(80, 22), (40, 12), (30, 10), (160, 48)])
def test_every_size_fits_or_says_how_much_room_it_needs(name, size):
    scenario, _result, params = trained(name, 10)
    drawn = boundary_lines(scenario, params, *size, hidden_lines=True)
    lines = plain(drawn).split("\n")
    assert all(len(line) <= size[0] for line in lines)
    if len(lines) == 1:
        assert lines[0].startswith("the decision boundary needs at least ")
        needed = BoundaryView(scenario, *size, hidden_lines=True).needed()
        assert needed[0] > size[0] or needed[1] > size[1]
    else:
        assert len(drawn) == size[1]


def test_at_80_columns_every_built_in_two_input_scenario_draws():
    for name in ("mazur", "deep", "relu", "symmetry", "tanh", "xor-batch", "softmax-cross-entropy"):
        scenario, _result, params = trained(name, 5)
        assert len(boundary_lines(scenario, params, 80, 22)) == 22, name


def test_without_colour_the_shades_still_tell_the_levels_apart():
    scenario, _result, params = trained("xor-online", 3000)
    lines = boundary_lines(scenario, params, 60, 20)
    text = plain(lines)
    assert "\x1b" not in text
    assert all(shade in text for shade in SHADES)
    assert "░<0.25 ▒<0.5 ▓<0.75 █≥0.75" in text
    coloured = ansi(lines)
    assert "\x1b[34m░" in coloured and "\x1b[31m█" in coloured  # shade1 and shade4


def test_a_scenario_without_two_inputs_gets_one_line(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text(scenario_text(layers=(3, 2, 1)))
    scenario = load_scenario(path)
    assert plain(boundary_lines(scenario, Params.from_scenario(scenario), 80, 22)) == (
        "the decision boundary is drawn for networks with two inputs; this one has 3")
    out = bp("boundary", str(path))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == (f"bp-tui: {path}: network.layers: the decision boundary is drawn for networks "
                          "with two inputs; this one has 3\n")


def test_a_diverged_run_is_drawn_as_it_stopped_and_says_so():
    out = bp("boundary", "too-fast", "--epochs", "50")
    assert out.returncode == 0
    assert "diverged at epoch 10" in out.stderr and out.stderr.count("\n") == 1
    assert "after 10 epoch(s): error inf" in out.stdout


def test_outputs_that_are_not_numbers_are_drawn_as_dots():
    scenario = load_scenario("xor-online")
    broken = Params([[[math.nan, 1.0], [1.0, 1.0]], [[1.0, 1.0]]], [[0.0, 0.0], [0.0]])
    text = plain(boundary_lines(scenario, broken, 40, 12))
    assert "·" in text and not any(shade in text.split("░<")[0] for shade in SHADES)


def test_bad_sizes_and_files_are_one_line_with_status_2(tmp_path):
    for args in (["--width", "5"], ["--height", "x"]):
        out = bp("boundary", "mazur", *args)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("[network]\nlayers = [2, 2]\n")
    out = bp("boundary", str(bad))
    assert out.returncode == 2 and out.stderr.startswith(f"bp-tui: {bad}: ") and out.stderr.count("\n") == 1


def test_one_view_redraws_for_new_parameters():
    scenario = load_scenario("xor-online")
    view = BoundaryView(scenario, 40, 12)
    before = plain(view.lines(Params.from_scenario(scenario)))
    after = plain(view.lines(trained("xor-online", 3000)[2]))
    assert before != after and len(before.splitlines()) == len(after.splitlines()) == 12


@pytest.mark.parametrize("width", [40, 56, 60, 80, 90])
def test_unbounded_outputs_keep_the_height_whatever_their_figures(width):
    scenario, _result, params = trained("too-fast", 50)  # linear outputs near -1e224 by then
    assert len(boundary_lines(scenario, params, width, 16)) == 16
    scenario, _result, params = trained("relu", 50)
    assert len(boundary_lines(scenario, params, width, 16)) == 16


def on_a_terminal(*args, **env):
    """The command's output when its stdout is a terminal (a pseudo-terminal here)."""
    status, output = bp_tui_on_a_terminal(*args, env=env)
    assert status == 0, output
    return output


@pytest.mark.pty
def test_colour_on_a_terminal_and_none_under_no_color():
    coloured = on_a_terminal("boundary", "xor-online", "--epochs", "2000")
    assert "\x1b[34m░" in coloured and "\x1b[31m█" in coloured
    plain_text = on_a_terminal("boundary", "xor-online", "--epochs", "2000", NO_COLOR="1")
    assert "\x1b" not in plain_text and "░" in plain_text and "█" in plain_text
    assert "\x1b" not in on_a_terminal("compare", "mazur", "tanh", "--epochs", "50", "--plain")
    assert "\x1b[36m●" in on_a_terminal("compare", "mazur", "tanh", "--epochs", "50")
