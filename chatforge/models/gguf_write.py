"""Write a Llama-architecture model with a byte-level BPE tokenizer as a GGUF file, without llama.cpp.

    chatforge export --model runs/sft --out runs/sft-merged --merge --gguf    # uses this for Llama models

The layout is the one llama.cpp's `convert_hf_to_gguf.py` writes for `LlamaForCausalLM`: the
`llama` architecture keys, the vocabulary as a `gpt2` (byte-level BPE) token list with its
merges, `token_embd` / `blk.N.*` / `output_norm` / `output` tensors, and the q / k projection
rows permuted per rotary pair (llama.cpp's rope layout; transformers undoes the permutation when
it loads a GGUF). Other architectures and SentencePiece tokenizers go through llama.cpp's
converter (models/export.py). Matrices are stored as `F32`, `F16` or `Q8_0` (32-value blocks);
norms stay F32, as the converter keeps them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from chatforge.errors import ConfigError

QUANTS = ("F32", "F16", "Q8_0")
_BLOCK = {
    "input_layernorm": "attn_norm",
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "post_attention_layernorm": "ffn_norm",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}


def _permute(w: np.ndarray, n_head: int) -> np.ndarray:
    # llama.cpp stores q/k rows interleaved per rotary pair; transformers undoes this on load.
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def why_not_writable(model, tokenizer) -> str | None:
    """None when `write_llama_gguf` can write this model, else the reason (then llama.cpp's converter is needed)."""
    if getattr(model.config, "model_type", None) != "llama":
        return f"architecture {getattr(model.config, 'model_type', '?')!r} is not llama"
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None or json.loads(backend.to_str())["model"].get("type") != "BPE":
        return "the tokenizer is not a byte-level BPE tokenizer.json"
    return None


def write_llama_gguf(model, tokenizer, path: str | Path, architecture: str = "llama", quant: str = "F32") -> Path:
    """Write `model` and `tokenizer` to `path`; `quant` F32, F16 or Q8_0 for the block matrices."""
    import gguf

    if quant not in QUANTS:
        raise ConfigError(f"GGUF type {quant!r}: choose one of {', '.join(QUANTS)}")
    path = Path(path)
    cfg = model.config
    w = gguf.GGUFWriter(str(path), architecture)
    w.add_name(getattr(cfg, "_name_or_path", "") or path.stem)
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_block_count(cfg.num_hidden_layers)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    w.add_rope_freq_base(float(cfg.rope_parameters["rope_theta"]) if getattr(cfg, "rope_parameters", None) else 10000.0)
    w.add_rope_dimension_count(cfg.hidden_size // cfg.num_attention_heads)
    w.add_vocab_size(cfg.vocab_size)
    w.add_file_type(
        {
            "F32": gguf.LlamaFileType.ALL_F32,
            "F16": gguf.LlamaFileType.MOSTLY_F16,
            "Q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
        }[quant]
    )
    vocab = tokenizer.get_vocab()
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    special = set(tokenizer.all_special_tokens)
    merges = json.loads(tokenizer.backend_tokenizer.to_str())["model"]["merges"]
    w.add_tokenizer_model("gpt2")
    w.add_token_list(tokens)
    w.add_token_types([3 if t in special else 1 for t in tokens])  # 3 = control, 1 = normal
    w.add_token_merges([m if isinstance(m, str) else " ".join(m) for m in merges])
    bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
    w.add_bos_token_id(bos)
    w.add_eos_token_id(tokenizer.eos_token_id)
    if tokenizer.pad_token_id is not None:
        w.add_pad_token_id(tokenizer.pad_token_id)
    if getattr(tokenizer, "chat_template", None):
        w.add_chat_template(tokenizer.chat_template)
    sd = {k: v.detach().float().cpu().numpy() for k, v in model.state_dict().items()}

    def add(name: str, t: np.ndarray, matrix: bool) -> None:
        if not matrix or quant == "F32":
            w.add_tensor(name, t.astype(np.float32))
        elif quant == "F16":
            w.add_tensor(name, t.astype(np.float16))
        else:
            qtype = gguf.GGMLQuantizationType.Q8_0
            w.add_tensor(name, gguf.quants.quantize(t, qtype), raw_dtype=qtype)

    add("token_embd.weight", sd["model.embed_tokens.weight"], matrix=True)
    add("output_norm.weight", sd["model.norm.weight"], matrix=False)
    if "lm_head.weight" in sd and not getattr(cfg, "tie_word_embeddings", False):
        add("output.weight", sd["lm_head.weight"], matrix=True)
    for i in range(cfg.num_hidden_layers):
        for hf, gg in _BLOCK.items():
            t = sd[f"model.layers.{i}.{hf}.weight"]
            if gg == "attn_q":
                t = _permute(t, cfg.num_attention_heads)
            elif gg == "attn_k":
                t = _permute(t, cfg.num_key_value_heads)
            add(f"blk.{i}.{gg}.weight", t, matrix=not gg.endswith("norm"))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
