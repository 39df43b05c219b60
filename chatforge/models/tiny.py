"""Tiny Llama models built from a config, with a byte-level BPE tokenizer trained on the fly.

Used by `chatforge pretrain` (the tokenizer and the model it trains from scratch),
by the `tiny` profile and by the tests, which need real models that build in a second
and never touch a hub:

    from chatforge.models.tiny import build_tiny_model
    folder = build_tiny_model("runs/tiny", texts)   # loadable by AutoModelForCausalLM / AutoTokenizer
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

SPECIAL_TOKENS = ["<|endoftext|>", "<|pad|>", "<|im_start|>", "<|im_end|>"]

SAMPLE_TEXT = (
    "Hirondelle Air flies from Nantes to Lyon, Nice and Toulouse. A cabin bag of 10 kg is free. "
    "Checked baggage costs 25 euros online and 45 euros at the airport. "
    "Le vol part de Nantes a 7 h 40 et arrive a Nice a 9 h 15. Les bagages en soute coutent 25 euros. "
    "Passengers can change their flight up to two hours before departure for a fee. "
)


def train_bpe_tokenizer(texts: Iterable[str], vocab_size: int = 512, min_frequency: int = 2):
    """Byte-level BPE (Hugging Face `tokenizers`) wrapped as a PreTrainedTokenizerFast.

    Byte-level means no text is ever unknown; `<|endoftext|>` is both BOS-less document
    separator and EOS, `<|im_start|>` / `<|im_end|>` serve the generic chat template.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token="<|endoftext|>",
        pad_token="<|pad|>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
    )


def llama_config(
    vocab_size: int,
    n_layer: int = 2,
    n_embd: int = 64,
    n_head: int = 4,
    context_length: int = 128,
    eos_token_id: int = 0,
    pad_token_id: int | None = None,
    tie_word_embeddings: bool = True,
):
    """A LlamaConfig in nanoGPT terms: SwiGLU MLP at ~8/3 n_embd (rounded up to 32), RoPE, RMSNorm."""
    from transformers import LlamaConfig

    if n_embd % n_head:
        raise ValueError(f"n_embd ({n_embd}) must be a multiple of n_head ({n_head})")
    intermediate = ((8 * n_embd // 3 + 31) // 32) * 32
    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=n_embd,
        intermediate_size=intermediate,
        num_hidden_layers=n_layer,
        num_attention_heads=n_head,
        num_key_value_heads=n_head,
        max_position_embeddings=context_length,
        rms_norm_eps=1e-5,
        tie_word_embeddings=tie_word_embeddings,
        bos_token_id=eos_token_id,
        eos_token_id=eos_token_id,
        pad_token_id=pad_token_id,
    )


def tiny_llama(
    tokenizer, n_layer: int = 2, n_embd: int = 64, n_head: int = 4, context_length: int = 128, seed: int = 0
):
    """A freshly initialised LlamaForCausalLM sized for `tokenizer` (deterministic for a seed)."""
    import torch
    from transformers import LlamaForCausalLM

    torch.manual_seed(seed)
    cfg = llama_config(
        len(tokenizer),
        n_layer,
        n_embd,
        n_head,
        context_length,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return LlamaForCausalLM(cfg)


def build_tiny_model(out_dir: str | Path, texts: Iterable[str] | None = None, vocab_size: int = 384, **sizes) -> Path:
    """Write a tiny, untrained Llama + tokenizer folder (seconds on CPU) and return it."""
    out = Path(out_dir)
    tokenizer = train_bpe_tokenizer(list(texts) if texts is not None else [SAMPLE_TEXT] * 20, vocab_size)
    model = tiny_llama(tokenizer, **sizes)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
