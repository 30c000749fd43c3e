"""The matrix form (issue 16.2): every element of every matrix equals the engine's per-neuron numbers."""

import pytest

import bp_tui
from bp_tui.engine.network import Network, Params
from bp_tui.engine.scenario import builtin_names, parse_scenario
from bp_tui.study.matrix import matrix_form
from bp_tui.study.matrix_parts import Matrix
from bp_tui.study.matrix_text import text_lines

from .scenario_factory import feature_grid, scenario_text


class Engine:
    """The numbers a Ref may name, found here independently of the study code: records of round 1,
    the scenario's parameters, inputs and targets, and a forward pass after round 1."""

    def __init__(self, scenario):
        self.sc = scenario
        self.layout = scenario.layout
        self.stepper = bp_tui.Stepper(scenario)
        self.records = self.stepper.round_records(0)
        self.values = {(s.quantity, s.sample): s.value for s in self.records}
        self.start = {}
        for l, layer in enumerate(self.layout.weight_names):
            for j, row in enumerate(layer):
                for k, name in enumerate(row):
                    self.start[name] = scenario.weights[l][j][k]
        for l, bias in enumerate(scenario.biases or ()):
            for j, value in enumerate(bias if isinstance(bias, tuple) else (bias,)):
                self.start[self.layout.bias_name(l, j)] = value
        trained = bp_tui.train(scenario, 1)
        self.after = Params(trained.weights, trained.biases)
        self.names = self.layout.neuron_names

    def value(self, ref):
        online = self.sc.mode == "online"
        if ref.before:  # momentum's running gradient before the update: zero in round 1
            return self.values[(ref.quantity, ref.sample - 1)] if online and ref.sample else 0.0
        if (ref.quantity, ref.sample) in self.values:
            return self.values[(ref.quantity, ref.sample)]
        if ref.quantity in self.start:
            if online and ref.sample and (ref.quantity + "+", ref.sample - 1) in self.values:
                return self.values[(ref.quantity + "+", ref.sample - 1)]
            return self.start[ref.quantity]
        if ref.quantity.startswith("target_"):
            return self.sc.targets[ref.sample][self.names[-1].index(ref.quantity[7:])]
        if ref.quantity in self.names[0]:
            return self.sc.inputs[ref.sample][self.names[0].index(ref.quantity)]
        kind, _, name = ref.quantity.rstrip("+").partition("_")  # out_h1+, net_o1+: after the round
        nets, outs = Network(self.sc).forward(self.after, self.sc.inputs[ref.sample])
        layer = next(L for L, names in enumerate(self.names) if name in names)
        return (outs if kind == "out" else nets)[layer][self.names[layer].index(name)]


def close(a, b):
    return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1e-300)


def check_every_element(scenario):
    engine = Engine(scenario)
    shown = 0
    for step in engine.records:
        form = matrix_form(step, engine.stepper)
        assert form is not None, step.quantity
        matrices = [t for t in form.terms if isinstance(t, Matrix)]
        assert form.result is matrices[0]
        named = set()
        for matrix in matrices:
            assert len(matrix.values) == len(matrix.refs) == len(matrix.rows)
            for values, refs in zip(matrix.values, matrix.refs):
                assert len(values) == len(refs) == len(matrix.cols)
                for value, ref in zip(values, refs):
                    expected = engine.value(ref)
                    assert close(value, expected), (step.quantity, matrix.symbol, ref, value, expected)
                    named.add((ref.quantity, ref.sample))
                    shown += 1
        if not step.quantity.startswith("out_") or not step.quantity.endswith("+"):
            assert (step.quantity, step.sample) in named, step.quantity  # the step's own value is in it
    return shown


@pytest.mark.parametrize("name", builtin_names())
def test_every_element_of_round_1_equals_the_engines_numbers(name):
    assert check_every_element(bp_tui.load_scenario(name)) > 0


@pytest.mark.parametrize("case_id, kwargs", feature_grid()[::2], ids=[c for c, _k in feature_grid()[::2]])
def test_every_kind_of_network(case_id, kwargs):
    check_every_element(parse_scenario(scenario_text(**kwargs), case_id))


def form_of(name, quantity, sample=0):
    stepper = bp_tui.Stepper(bp_tui.load_scenario(name))
    step = next(s for s in stepper.round_records(0) if s.quantity == quantity and s.sample == sample)
    return matrix_form(step, stepper)


def test_the_forward_pass_of_a_layer_with_the_matrices_filled_in():
    assert text_lines(form_of("mazur", "net_h2")) == [
        "net_h = W¹ · i + b₁",
        "shapes: (2×1) = (2×2) · (2×1) + (1×1)",
        "   net_h      W¹            i        b₁",
        "h1 [0.3775] = [0.15  0.2] · [0.05] + 0.35",
        "h2 [0.3925]   [0.25  0.3]   [ 0.1]",
        "W¹ = [w1 w2; w3 w4] (a row per receiving neuron)",
    ]


@pytest.mark.parametrize("name, quantity, equation, shapes", [
    ("mazur", "delta_h1", "δ_h = (W²)ᵀ δ_o ⊙ σ′(net_h)", "(2×1) = (2×1) ⊙ (2×1)"),
    ("mazur", "dE_total/dout_h2", "∂E/∂out_h = (W²)ᵀ · δ_o", "(2×1) = (2×2) · (2×1)"),
    ("mazur", "w5+", "W²+ = W² − η · ∂E/∂W²   (η = 0.5)", "(2×2) = (2×2) − 0.5 · (2×2)"),
    ("mazur", "dE_total/dw1", "∂E/∂W¹ = δ_h ⊗ i = δ_h · iᵀ", "(2×2) = (2×1) · (1×2)"),
    ("mazur-article-summary", "dE_total/dout_h1", "∂E/∂out_h = (W²+)ᵀ · δ_o", "(2×1) = (2×2) · (2×1)"),
    ("xor-batch", "net_h1", "net_h = i · (W¹)ᵀ + b_hᵀ", "(4×2) = (4×2) · (2×2) + (1×2)"),
    ("xor-batch", "delta_h2", "δ_h = δ_o · W² ⊙ σ′(net_h)", "(4×2) = (4×2) ⊙ (4×2)"),
    ("momentum", "v_w5", "V² = μ · V² + ∂E/∂W²   (μ = 0.9)", "(2×2) = 0.9 · (2×2) + (2×2)"),
    ("softmax-cross-entropy", "delta_o2", "δ_o = out_o − t", "(3×1) = (3×1) − (3×1)"),
])
def test_equations_and_shapes(name, quantity, equation, shapes):
    form = form_of(name, quantity, None if name == "xor-batch" and quantity.startswith("dE_mean") else 0)
    assert (form.equation, form.shapes) == (equation, shapes)


def test_batch_mode_has_the_samples_as_rows():
    form = form_of("xor-batch", "dE_mean/dw1", None)
    assert form.equation == "∂E_mean/∂W¹ = (1/4) · δ_hᵀ · i"
    inputs = form.terms[-1]
    assert inputs.rows == ("s1", "s2", "s3", "s4") and inputs.values == ((0, 0), (0, 1), (1, 0), (1, 1))


def test_a_wide_layer_is_cut_down_on_screen_but_kept_whole():
    scenario = parse_scenario(scenario_text(layers=(2, 12, 2), samples=1), "wide")
    stepper = bp_tui.Stepper(scenario)
    step = next(s for s in stepper.round_records(0) if s.quantity == "dE_total/dw30")
    form = matrix_form(step, stepper)
    assert len(form.result.values) == 2 and len(form.result.values[0]) == 12
    text = "\n".join(text_lines(form, width=200))
    assert "…" in text and "(2×12)" in text
    narrow = text_lines(form, width=40)
    assert any(line.startswith("  δ_o (2×1):") for line in narrow)  # one matrix under another
