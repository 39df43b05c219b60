"""Memory estimates for inference, full fine-tuning, LoRA and QLoRA, set against this machine.

    chatforge models recommend default --json
    chatforge models recommend --params 7e9 --batch 4 --seq 2048 --json

Symbols: P parameters, L layers, h hidden size, q = heads x head_dim, k = kv_heads x head_dim,
I MLP width, V vocabulary, b batch, s sequence length, w bytes per weight/activation
(4 on CPU in fp32, 2 on CUDA in bf16), r LoRA rank. All results are bytes.

    weights          P * w
    kv_cache         2 * L * b * s * k * w
    act_inference    b * s * (2h + I) * w  +  b * s * V * 4         (one layer's transient + fp32 logits)
    act_training     b * s * L * (9h + 3k + 4I) * w  +  2 * b * s * V * 4
                     (what a Llama block keeps for backward: norms, q/k/v before and after RoPE,
                      attention and projection outputs, the four SwiGLU tensors; SDPA keeps no s x s
                      matrix; fp32 logits and their gradient)
    full FT (AdamW)  weights + gradients P*w + optimizer 8P (fp32 m and v) (+ 4P fp32 master copy when w = 2)
                     -> 16 bytes per parameter either way, plus act_training
    LoRA             frozen weights P*w + trainable T = r * L * (7h + 2q + 2k + 3I) (q,k,v,o,gate,up,down
                     adapted) at 16 bytes each (weight, gradient, m, v in fp32) + act_training
    QLoRA            linear weights in NF4 with double quantisation, 4.127 bits = 0.516 bytes per parameter
                     (Dettmers et al. 2023); embeddings, norms and lm_head stay at 2 bytes; LoRA as above;
                     activations in bf16. Needs CUDA (bitsandbytes).
    overhead         0.4 GiB for Python, torch, transformers and the tokenizer (measured on CPU)

Activations are the largest uncertainty; gradient checkpointing divides act_training by
about L. With only `--params N`, the shape is guessed as L = round((N / 49152)^(1/3)),
h = 64 L, heads = h / 64, I = 8h/3, V = 32000 (so that 12 L h^2 ~ N).
Verdicts: "fits" when the total is within available memory, "tight" when within total
memory, else "does not fit"; GPU totals are used for training when a GPU is present.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

GiB = 1024**3
OVERHEAD = int(0.4 * GiB)
NF4_BYTES = 4.127 / 8


@dataclass
class Shape:
    """What the estimates need to know about a model."""

    params: int
    n_layer: int
    hidden: int
    q_dim: int
    kv_dim: int
    intermediate: int
    vocab: int
    linear_params: int  # parameters inside the transformer blocks' projections (what QLoRA quantises)
    name: str = ""


def shape_from_params(n: float, vocab: int = 32000) -> Shape:
    n = int(n)
    n_layer = max(1, round((n / 49152) ** (1 / 3)))
    hidden = 64 * n_layer
    inter = 8 * hidden // 3
    linear = n_layer * (4 * hidden * hidden + 3 * hidden * inter)
    return Shape(
        n, n_layer, hidden, hidden, hidden, inter, vocab, min(linear, n), name=f"{n:.3g} parameters (shape guessed)"
    )


def shape_from_config(config, name: str = "") -> Shape:
    """Exact parameter counts from a transformers config, by building the model on the meta device."""
    import torch
    from transformers import AutoModelForCausalLM

    cfg = getattr(config, "text_config", None) or config
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    params = sum(p.numel() for p in model.parameters())
    linear = sum(
        m.weight.numel() for n_, m in model.named_modules() if isinstance(m, torch.nn.Linear) and ".layers." in f".{n_}"
    )
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    n_kv = getattr(cfg, "num_key_value_heads", None) or cfg.num_attention_heads
    return Shape(
        params,
        cfg.num_hidden_layers,
        cfg.hidden_size,
        cfg.num_attention_heads * head_dim,
        n_kv * head_dim,
        getattr(cfg, "intermediate_size", 4 * cfg.hidden_size),
        cfg.vocab_size,
        linear,
        name=name,
    )


def lora_params(shape: Shape, r: int) -> int:
    h, q, k, i = shape.hidden, shape.q_dim, shape.kv_dim, shape.intermediate
    return r * shape.n_layer * (7 * h + 2 * q + 2 * k + 3 * i)


def activations_training(shape: Shape, batch: int, seq: int, w: int) -> int:
    per_token = shape.n_layer * (9 * shape.hidden + 3 * shape.kv_dim + 4 * shape.intermediate) * w + 2 * shape.vocab * 4
    return batch * seq * per_token


def activations_inference(shape: Shape, batch: int, seq: int, w: int) -> int:
    return batch * seq * ((2 * shape.hidden + shape.intermediate) * w + shape.vocab * 4)


def estimate(shape: Shape, batch: int = 1, seq: int = 512, w: int = 4, lora_r: int = 16) -> dict[str, dict[str, int]]:
    """Bytes per component and total for each method."""
    P = shape.params
    kv = 2 * shape.n_layer * batch * seq * shape.kv_dim * w
    act_train = activations_training(shape, batch, seq, w)
    T = lora_params(shape, lora_r)
    out = {
        "inference": {"weights": P * w, "kv_cache": kv, "activations": activations_inference(shape, batch, seq, w)},
        "full": {
            "weights": P * w,
            "gradients": P * w,
            "optimizer": 8 * P + (4 * P if w == 2 else 0),
            "activations": act_train,
        },
        "lora": {"weights": P * w, "trainable": T, "gradients": 4 * T, "optimizer": 12 * T, "activations": act_train},
        "qlora": {
            "weights": int(shape.linear_params * NF4_BYTES + (P - shape.linear_params) * 2),
            "trainable": T,
            "gradients": 4 * T,
            "optimizer": 12 * T,
            "activations": activations_training(shape, batch, seq, 2),
        },
    }
    for parts in out.values():
        parts["overhead"] = OVERHEAD
        parts["total"] = sum(v for k_, v in parts.items() if k_ not in ("trainable",))
    return out


def hardware() -> dict:
    """This machine's RAM and the first CUDA GPU, if any."""
    import psutil
    import torch

    vm = psutil.virtual_memory()
    hw = {"ram_total": vm.total, "ram_available": vm.available, "gpu": None}
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        free, _ = torch.cuda.mem_get_info(0)
        hw["gpu"] = {"name": props.name, "memory_total": props.total_memory, "memory_available": free}
    return hw


def _verdict(need: int, available: int, total: int) -> str:
    return "fits" if need <= available else "tight" if need <= total else "does not fit"


def recommend(shape: Shape, batch: int = 1, seq: int = 512, lora_r: int = 16, hw: dict | None = None) -> dict:
    """Estimates for every method on the device it would run on here, each with a verdict."""
    hw = hw or hardware()
    gpu = hw.get("gpu")
    w = 2 if gpu else 4
    est = estimate(shape, batch, seq, w, lora_r)
    methods = {}
    for method, parts in est.items():
        if method == "qlora" and not gpu:
            verdict, device = "needs a CUDA GPU (bitsandbytes)", "cuda"
        elif gpu:
            device = "cuda"
            verdict = _verdict(parts["total"], gpu["memory_available"], gpu["memory_total"])
        else:
            device = "cpu"
            verdict = _verdict(parts["total"], hw["ram_available"], hw["ram_total"])
        methods[method] = {**parts, "total_gib": round(parts["total"] / GiB, 2), "device": device, "verdict": verdict}
    return {
        "model": shape.name,
        "shape": asdict(shape),
        "batch": batch,
        "seq": seq,
        "lora_r": lora_r,
        "bytes_per_value": w,
        "hardware": hw,
        "methods": methods,
    }
