"""Which weights a fine-tuning run trains: all (`full`), the last N blocks (`freeze`), or adapters (`lora`, `dora`, `qlora`).

Used by `chatforge train sft --method ...`. Adapters are PEFT `LoraConfig`s
(`use_dora=True` for DoRA: the update is split into magnitude and direction,
Liu et al. 2024); the trainer wraps the model with them. QLoRA loads the base in
4-bit NF4 with bitsandbytes, which needs CUDA: on any other machine it is refused
before anything is loaded.
"""

from __future__ import annotations

from chatforge.errors import UserError

METHODS = ("full", "freeze", "lora", "dora", "qlora")
ADAPTER_METHODS = ("lora", "dora", "qlora")

# Attention and MLP projections per `config.model_type`: the set QLoRA (Dettmers et al. 2023)
# found needed to match full fine-tuning. Families not listed get PEFT's "all-linear".
_PROJ = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
LORA_TARGETS = {
    "llama": _PROJ,
    "mistral": _PROJ,
    "qwen2": _PROJ,
    "qwen3": _PROJ,
    "gemma": _PROJ,
    "gemma2": _PROJ,
    "gemma3": _PROJ,
    "gemma3_text": _PROJ,
    "phi3": ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"],
    "gpt2": ["c_attn", "c_proj", "c_fc"],
    "gpt_neox": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
}


class MethodError(UserError, ValueError):
    """A method this machine or model cannot run; the message says why and what to use instead."""


def check_method(method: str) -> None:
    """Fail at once when the method cannot run here (QLoRA without CUDA or bitsandbytes)."""
    if method not in METHODS:
        raise MethodError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method != "qlora":
        return
    import importlib.util

    import torch

    if not torch.cuda.is_available():
        raise MethodError(
            "qlora needs a CUDA GPU (bitsandbytes 4-bit kernels); none is available here. "
            "Use --method lora (same adapters, base kept in full precision) on this machine"
        )
    if importlib.util.find_spec("bitsandbytes") is None:
        raise MethodError(
            "qlora needs the bitsandbytes package: pip install bitsandbytes (CUDA only), or use --method lora"
        )


def quantization_config():
    """4-bit NF4 with double quantisation and bf16 compute, as in the QLoRA paper."""
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.bfloat16,
    )


def default_targets(model_type: str | None) -> list[str] | str:
    return LORA_TARGETS.get(model_type or "", "all-linear")


def lora_config(
    method: str, model_type: str | None, r: int, alpha: int, dropout: float, target_modules: list[str] | None = None
):
    from peft import LoraConfig

    return LoraConfig(
        r=r,
        lora_alpha=alpha,
        lora_dropout=dropout,
        bias="none",
        task_type="CAUSAL_LM",
        target_modules=target_modules or default_targets(model_type),
        use_dora=method == "dora",
    )


def decoder_layers(model):
    """The model's stack of transformer blocks: the ModuleList as long as `num_hidden_layers`."""
    import torch

    n = getattr(model.config, "num_hidden_layers", None)
    stacks = [m for m in model.modules() if isinstance(m, torch.nn.ModuleList) and len(m) == n]
    if not stacks:
        raise MethodError(f"{type(model).__name__}: cannot find its {n} transformer blocks to freeze; use lora or full")
    return stacks[0]


def freeze_all_but_last(model, n_layers: int) -> list[str]:
    """Train only the last `n_layers` blocks; return the names of the trainable parameters."""
    layers = decoder_layers(model)
    if not 1 <= n_layers <= len(layers):
        raise MethodError(f"trainable_layers must be between 1 and {len(layers)} (the model's blocks), got {n_layers}")
    for p in model.parameters():
        p.requires_grad_(False)
    for block in list(layers)[-n_layers:]:
        for p in block.parameters():
            p.requires_grad_(True)
    return [name for name, p in model.named_parameters() if p.requires_grad]


def count_parameters(model) -> tuple[int, int]:
    """(trainable, total) parameter counts."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters())
