"""`bp-tui trace --derive` and `--matrix`: the derivations and matrix forms under the sub-steps."""

from bp_tui.cli import main


def trace(capsys, *args):
    code = main(["trace", *args, "--plain"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_trace_derive_writes_each_derivation_under_its_sub_step(capsys):
    text = trace(capsys, "mazur", "--derive")
    block = text.split("dE_total/dout_o1 = -(target_o1 - out_o1)\n", 1)[1].split("\ndout_o1/dnet_o1 =")[0]
    lines = block.splitlines()
    assert lines[0] == "    = -(0.01 - 0.75136507)" and lines[1].startswith("    = 0.741365070")
    assert lines[2] == "    -- the chain rule, step by step --"  # right under the sub-step's value
    assert "    ∂E_o1/∂out_o1 = 2·½·(target_o1 − out_o1)·(−1)" in block
    # every derivative sub-step of round 1: 3 per output neuron, 5 per hidden one, 8 weight gradients
    assert text.count("-- the chain rule, step by step --") == 24
    assert text.count("they agree") == 2  # the nudge check of out_h1 and of out_h2
    assert "-- the whole layer" not in text


def test_trace_matrix_writes_each_layers_form_once(capsys):
    text = trace(capsys, "mazur", "--matrix")
    assert text.count("-- the whole layer in matrix form --") == 19
    assert "    net_h = W¹ · i + b₁" in text
    assert "    δ_h = (W²)ᵀ δ_o ⊙ σ′(net_h)" in text
    assert "    W²+ = W² − η · ∂E/∂W²   (η = 0.5)" in text
    # net_h's form comes under net_h2, the last of the sub-steps it covers
    assert text.index("net_h = W¹ · i + b₁") > text.index("net_h2 = w3*i1 + w4*i2 + b1*1")
    assert "chain rule" not in text


def test_trace_matrix_in_batch_mode_writes_a_layer_once_for_all_samples(capsys):
    text = trace(capsys, "xor-batch", "--matrix")
    assert text.count("net_h = i · (W¹)ᵀ + b_hᵀ") == 1
    assert text.index("net_h = i · (W¹)ᵀ + b_hᵀ") > text.index("== round 1: forward pass, sample 4 ==")
