"""Whether a model spec names a chat-tuned model or a pretrained base, without loading its weights.

    chatforge serve --model default --index IDX        # a base: served behind the verifier and gate, with a warning
    chatforge serve --model default                    # refused unless --allow-base-model

A pretrained base continues text: asked a question under a grounded prompt it repeats the system
prompt and the passages. `chat_tuned(spec)` says which a spec is, and why, from what is on disk:
- `default` is the packaged Gemma 3 270M pretrained base (no chat tuning);
- `registry:NAME@REF` is a pipeline output: chat-tuned;
- a folder whose `config.yaml` (the provenance every chatforge stage writes) sets `chat_tuned` follows it;
  an adapter folder (LoRA / DoRA from `train sft`) is chat-tuned; a `train pretrain` output (its
  metrics.json says mode scratch or continue) is a base;
- otherwise the tokenizer decides: a chat template of its own (tokenizer_config.json,
  chat_template.jinja, or a GGUF's `tokenizer.chat_template`) means chat-tuned, none means a base;
- a hub id is not checked (nothing is downloaded to look): None.
"""

from __future__ import annotations

import json
from pathlib import Path

from chatforge.models.load import DEFAULT


def _gguf_template(path: Path) -> tuple[bool, str]:
    try:
        from gguf import GGUFReader

        has = "tokenizer.chat_template" in GGUFReader(str(path)).fields
    except Exception as exc:  # an unreadable file is the loader's error to report, not this check's
        return True, f"could not read its metadata ({type(exc).__name__})"
    return (True, "its GGUF carries a chat template") if has else (False, "its GGUF has no chat template")


def _provenance_flag(folder: Path) -> bool | None:
    path = folder / "config.yaml"
    if not path.is_file():
        return None
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    flag = data.get("chat_tuned") if isinstance(data, dict) else None
    return flag if isinstance(flag, bool) else None


def chat_tuned(spec: str | Path) -> tuple[bool | None, str]:
    """(True: chat-tuned / False: a pretrained base / None: not checked, the reason in words)."""
    spec = str(spec)
    if spec == DEFAULT:
        return False, "'default' is the packaged Gemma 3 270M pretrained base, without chat tuning"
    if spec.startswith("registry:"):
        return True, "a registered pipeline model"
    path = Path(spec).expanduser()
    if path.is_file():
        return _gguf_template(path) if path.suffix == ".gguf" else (None, "not a model folder")
    if not path.is_dir():
        return None, "a hub model id: not checked"
    flag = _provenance_flag(path)
    if flag is not None:
        return flag, f"its config.yaml sets chat_tuned: {str(flag).lower()}"
    if (path / "adapter_config.json").is_file() and not (path / "config.json").is_file():
        return True, "a fine-tuned adapter"
    metrics = path / "metrics.json"
    if metrics.is_file():
        try:
            mode = json.loads(metrics.read_text(encoding="utf-8")).get("mode")
        except (json.JSONDecodeError, OSError, AttributeError):
            mode = None
        if mode in ("scratch", "continue"):
            return False, f"a `train pretrain` output ({mode}), without chat tuning"
    if (path / "chat_template.jinja").is_file() or (path / "chat_template.json").is_file():
        return True, "its tokenizer has a chat template"
    config = path / "tokenizer_config.json"
    if config.is_file():
        try:
            if json.loads(config.read_text(encoding="utf-8")).get("chat_template"):
                return True, "its tokenizer has a chat template"
        except (json.JSONDecodeError, OSError):
            pass
        return False, "its tokenizer has no chat template (a pretrained base)"
    ggufs = sorted(path.glob("*.gguf"))
    if len(ggufs) == 1:
        return _gguf_template(ggufs[0])
    return None, "no tokenizer to check"
