"""What a model is, without loading its weights: `chatforge models inspect MODEL --json`.

Parameters are counted exactly by building the model on PyTorch's meta device.
`chat_template` says whether the tokenizer ships one; `template_used` is what
chatforge applies (the tokenizer's own, or the family template of templates.py).
"""

from __future__ import annotations

from pathlib import Path

from chatforge.models.load import load_model_config, resolve
from chatforge.models.memory import shape_from_config
from chatforge.models.templates import family


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def inspect(spec: str) -> dict:
    """What `chatforge models inspect` reports of a model spec: name, kind, architecture, sizes, chat template, bytes."""
    from transformers import AutoTokenizer

    res = resolve(spec)
    config = load_model_config(res.source)
    text_config = getattr(config, "text_config", None) or config
    tokenizer = AutoTokenizer.from_pretrained(res.source)
    own = bool(getattr(tokenizer, "chat_template", None))
    shape = shape_from_config(config)
    info = {
        "name": spec,
        "kind": res.kind,
        "source": res.source,
        "architecture": (config.architectures or [type(config).__name__])[0],
        "model_type": config.model_type,
        "parameters": shape.params,
        "layers": shape.n_layer,
        "hidden_size": shape.hidden,
        "context_length": getattr(text_config, "max_position_embeddings", None),
        "vocab_size": shape.vocab,
        "chat_template": own,
        "template_used": "tokenizer" if own else family(config.model_type),
        "dtype": str(getattr(config, "dtype", None) or getattr(config, "torch_dtype", None)),
        "disk_bytes": None,
    }
    if res.kind in ("gguf", "default"):
        info["gguf"] = str(res.gguf)
        info["gguf_bytes"] = res.gguf.stat().st_size
        info["disk_bytes"] = info["gguf_bytes"]
        info["cache_bytes"] = folder_bytes(Path(res.source))
    elif res.kind == "folder":
        info["disk_bytes"] = folder_bytes(Path(res.source))
    elif res.kind == "adapter":  # the adapter on disk; the merged copy lives in the cache
        info["disk_bytes"] = sum(f.stat().st_size for f in Path(spec).glob("adapter_model.*"))
        info["cache_bytes"] = folder_bytes(Path(res.source))
    return info
