"""recommend numbers against values worked out by hand from the formulas in memory.py."""

from chatforge.models.memory import (
    OVERHEAD,
    GiB,
    Shape,
    estimate,
    lora_params,
    recommend,
    shape_from_config,
    shape_from_params,
)
from chatforge.models.tiny import llama_config

# 2 layers, h=8, q=8, k=4, I=16, V=10, P=1000 of which 600 in block projections
SHAPE = Shape(params=1000, n_layer=2, hidden=8, q_dim=8, kv_dim=4, intermediate=16, vocab=10, linear_params=600)


def test_estimates_match_hand_computation():
    e = estimate(SHAPE, batch=2, seq=3, w=4, lora_r=2)
    # kv: 2*L*b*s*k*w = 2*2*2*3*4*4; activations: b*s*((2h+I)*w + V*4) = 6*(32*4 + 40)
    assert e["inference"] == {
        "weights": 4000,
        "kv_cache": 384,
        "activations": 1008,
        "overhead": OVERHEAD,
        "total": 5392 + OVERHEAD,
    }
    # act_training: b*s*(L*(9h+3k+4I)*w + 2*V*4) = 6*(2*148*4 + 80) = 7584
    assert e["full"]["activations"] == 7584
    assert e["full"]["total"] == 4000 + 4000 + 8000 + 7584 + OVERHEAD  # 16 bytes / parameter + activations
    # LoRA T = r*L*(7h + 2q + 2k + 3I) = 2*2*(56+16+8+48) = 512, 16 bytes each
    assert lora_params(SHAPE, 2) == 512
    assert e["lora"]["total"] == 4000 + 512 * 4 + 512 * 12 + 7584 + OVERHEAD
    # QLoRA: 600 * 4.127/8 + 400 * 2 = 1109 bytes of weights; bf16 activations 6*(2*148*2 + 80) = 4032
    assert e["qlora"]["weights"] == 1109 and e["qlora"]["activations"] == 4032
    assert e["qlora"]["total"] == 1109 + 2048 + 6144 + 4032 + OVERHEAD


def test_mixed_precision_full_fine_tuning_is_still_16_bytes_per_parameter():
    e = estimate(SHAPE, batch=1, seq=1, w=2)
    assert e["full"]["weights"] + e["full"]["gradients"] + e["full"]["optimizer"] == 16 * 1000


def test_verdicts_against_given_hardware():
    cpu = {"ram_total": 2 * GiB, "ram_available": 1 * GiB, "gpu": None}
    big = shape_from_params(7e9)
    r = recommend(big, 1, 512, hw=cpu)
    assert r["methods"]["inference"]["verdict"] == "does not fit"
    assert r["methods"]["qlora"]["verdict"].startswith("needs a CUDA GPU")
    assert r["bytes_per_value"] == 4
    gpu = {
        "ram_total": 2 * GiB,
        "ram_available": 1 * GiB,
        "gpu": {"name": "H100", "memory_total": 80 * GiB, "memory_available": 79 * GiB},
    }
    r = recommend(big, 1, 512, hw=gpu)
    assert r["bytes_per_value"] == 2
    assert r["methods"]["inference"]["verdict"] == "fits"  # 14 GB of bf16 weights
    assert r["methods"]["full"]["verdict"] == "does not fit"  # 16 bytes x 7e9 = 112 GB
    assert r["methods"]["qlora"]["verdict"] == "fits"
    small = recommend(SHAPE, 1, 8, hw={"ram_total": 2 * GiB, "ram_available": 0.3 * GiB, "gpu": None})
    assert small["methods"]["full"]["verdict"] == "tight"  # ~0.4 GiB: over what is free, under what is installed


def test_shape_guess_and_exact_count_from_config():
    s = shape_from_params(7e9)
    assert s.n_layer == 52 and s.hidden == 3328  # (7e9/49152)^(1/3) = 52.2
    cfg = llama_config(vocab_size=100, n_layer=2, n_embd=32, n_head=4, context_length=16)
    shape = shape_from_config(cfg)
    # embeddings 100*32 (tied) + per layer: 4*32*32 attention + 3*32*96 MLP + 2*32 norms; final norm 32
    assert shape.params == 3200 + 2 * (4096 + 9216 + 64) + 32
    assert shape.linear_params == 2 * (4096 + 9216) and shape.intermediate == 96
