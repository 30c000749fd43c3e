"""Two runs compared (issue 16.4): threshold epochs, divergence, and round 1 keyed by what each value is."""

import json
import random

from bp_tui.engine.scenario import load_scenario
from bp_tui.study.compare import (compare, differences, first_below, round_one_values, summary_rows)

from .helpers import bp_tui_here as bp


def run_errors(name, epochs):
    out = bp("run", name, "--epochs", str(epochs), "--json")
    return json.loads(out.stdout)["errors"]


def first_epoch_below(errors, fraction):
    """Written out here on purpose: the first epoch whose error is under fraction x the start."""
    for epoch, error in enumerate(errors):
        if error is not None and error < fraction * errors[0]:
            return epoch
    return None


def cells(text, title):
    """The two runs' cells of the summary row that starts with `title`."""
    line = next(line for line in text.splitlines() if line.startswith(title))
    return [cell.strip() for cell in line[len(title):].split("  ") if cell.strip()]


def test_threshold_epochs_are_those_of_runs_errors():
    out = bp("compare", "momentum", "momentum-off", "--epochs", "1500")
    assert out.returncode == 0, out.stderr
    a, b = run_errors("momentum", 1500), run_errors("momentum-off", 1500)
    for fraction, title in ((0.1, "below 10% of its start"), (0.01, "below 1% of its start"),
                            (0.001, "below 0.1% of its start")):
        expected = [f"epoch {epoch}" if epoch is not None else "not in 1500"
                    for epoch in (first_epoch_below(a, fraction), first_epoch_below(b, fraction))]
        assert cells(out.stdout, title) == expected, title
    assert cells(out.stdout, "below 10% of its start") == ["epoch 37", "epoch 374"]


def test_threshold_epochs_from_the_api_equal_runs():
    found = compare(("xor-online", load_scenario("xor-online")), ("xor-batch", load_scenario("xor-batch")), 3000)
    for run, name in ((found.a, "xor-online"), (found.b, "xor-batch")):
        errors = run_errors(name, 3000)
        assert run.below == tuple(first_epoch_below(errors, f) for f in (0.1, 0.01, 0.001))
    assert found.a.below[:2] == (364, 902) and found.b.below[0] == 1328


def test_first_below_is_none_when_never_reached_or_the_start_is_not_finite():
    assert first_below([1.0, 0.5, 0.2, 0.1, 0.09], 0.1) == 4  # strictly below
    assert first_below([1.0, 0.5], 0.1) is None
    assert first_below([float("inf"), 0.5], 0.1) is None


def test_which_run_diverged_and_when():
    out = bp("compare", "mazur", "too-fast", "--epochs", "100")
    assert out.returncode == 0
    assert cells(out.stdout, "diverged") == ["no", "at epoch 10"]
    assert "too-fast diverged at epoch 10; the other did not." in out.stdout
    assert "diverged at epoch 10" in bp("run", "too-fast", "--epochs", "100").stderr
    both = bp("compare", "too-fast", "too-fast", "--epochs", "100").stdout
    assert "Both diverged: too-fast at epoch 10 and too-fast at epoch 10." in both
    assert "Neither run diverged in 100 epochs." in bp("compare", "mazur", "tanh", "--epochs", "100").stdout


def test_round_one_lists_only_the_quantities_that_differ():
    out = bp("compare", "momentum", "momentum-off", "--epochs", "10").stdout
    table = out[out.index("Round 1:"):].splitlines()
    assert table[0] == "Round 1: 8 quantities differ, 46 are the same (values to 9 decimals)"
    assert table[-1] == "— : that run has no such quantity in round 1"
    table = table[:-1]
    assert table[1].split() == ["quantity", "sample", "A", "B"]
    # in round 1 momentum's running gradient is the gradient itself: only v_* are new
    assert [line.split()[0] for line in table[2:]] == ["v_w5", "v_w6", "v_w7", "v_w8", "v_w1", "v_w2", "v_w3", "v_w4"]
    assert table[2].split() == ["v_w5", "1", "0.082167041", "—"]


def test_the_same_scenario_twice_differs_in_nothing():
    out = bp("compare", "mazur", "mazur", "--epochs", "10").stdout
    assert "Round 1: all 46 quantities are the same in both runs." in out


def test_round_one_is_keyed_by_name_and_sample_not_position():
    a = round_one_values(load_scenario("xor-online"))
    b = round_one_values(load_scenario("xor-batch"))
    shuffled = list(b.items())
    random.Random(7).shuffle(shuffled)
    found, same = differences(a, b)
    again, same_again = differences(a, dict(shuffled))
    assert same == same_again == 31  # (with one output, the error is one sub-step, E_total)
    assert set(found) == set(again)
    by_key = {(d.quantity, d.sample): d for d in found}
    # sample 2's forward pass: online it sees the weights sample 1 left, batch the epoch's start
    assert round(by_key[("net_h1", 1)].b, 9) == 1.92 and round(by_key[("net_h1", 1)].a, 9) != 1.92
    assert by_key[("E_mean", None)].a is None  # only batch has the error before its update
    assert ("net_h1", 0) not in by_key  # sample 1 starts from the same weights in both


def test_summary_rows_name_start_end_thresholds_and_divergence():
    found = compare(("mazur", load_scenario("mazur")), ("tanh", load_scenario("tanh")), 200)
    titles = [r[0] for r in summary_rows(found)]
    assert titles == ["error at epoch 0", "error after 200 epochs", "below 10% of its start",
                      "below 1% of its start", "below 0.1% of its start", "diverged"]


def test_every_line_fits_80_columns_and_plain_output_has_no_escapes():
    for pair in (("momentum", "momentum-off"), ("xor-online", "xor-batch"), ("mazur", "too-fast")):
        out = bp("compare", *pair, "--epochs", "500").stdout
        assert "\x1b" not in out
        assert max(len(line) for line in out.splitlines()) <= 80, pair
        chart = out.splitlines()[3]
        assert chart.startswith(f"● A: {pair[0]}  ○ B: {pair[1]}  ◉ both")


def test_a_bad_file_stops_before_training_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[network]\nlayers = [2, 2]\n")
    out = bp("compare", "mazur", str(bad))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"bp-tui: {bad}: ") and out.stderr.count("\n") == 1
    missing = bp("compare", "mazur", "no-such-scenario")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


def test_the_readme_examples_are_what_the_commands_print():
    from pathlib import Path

    readme = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text(encoding="utf-8")
    boundary = bp("boundary", "xor-online", "--epochs", "2000", "--width", "50", "--height", "14", "--lines")
    compared = bp("compare", "momentum", "momentum-off", "--width", "64", "--height", "10")
    assert "\n".join(boundary.stdout.splitlines()[2:16]) in readme
    assert "\n".join(compared.stdout.splitlines()[3:21]) in readme


def test_help_says_the_percentages_once():
    text = " ".join(bp("compare", "--help").stdout.split())
    assert "below 10%, 1% and 0.1% of its starting error" in text and "%%" not in text
