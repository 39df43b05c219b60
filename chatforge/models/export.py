"""Export a fine-tuned model as a standalone folder: LoRA / DoRA adapters merged into the base, optionally GGUF.

    chatforge export --model runs/sft --out runs/sft-merged --merge
    chatforge export --model runs/sft --out runs/sft-merged --merge --gguf

An adapter folder (written by `chatforge train sft --method lora|dora|qlora`) names its
base in `config.yaml` (`model`, any spec models/load.py accepts) or, failing that, in
`adapter_config.json`. PEFT's `merge_and_unload` folds W + (alpha/r)·B·A into each
adapted weight, and the result is saved as safetensors with the tokenizer and its chat
template, loadable by AutoModelForCausalLM alone. A full fine-tune is re-saved as is.

GGUF (`--gguf`, `out/model.gguf`): a Llama-architecture model with a byte-level BPE tokenizer is
written by chatforge itself (models/gguf_write.py, `--gguf-type f16|f32|q8_0`); any other model
needs llama.cpp's `convert_hf_to_gguf.py`, found through `$CHATFORGE_GGUF_CONVERTER`,
`$LLAMA_CPP_DIR`, on PATH, or where `make setup` puts it (`<venv>/share/chatforge/llama.cpp/`, taken
from the llama-cpp-python source of the installed version by scripts/fetch_gguf_converter.py). Without it the GGUF step is skipped with a message saying so; the
safetensors export still happens. A converter that fails is reported with the end of its output.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from chatforge.errors import ModelError

CONVERTER = "convert_hf_to_gguf.py"
# where scripts/fetch_gguf_converter.py (run by `make setup`) installs the converter, inside the environment
SETUP_CONVERTER_DIR = Path(sys.prefix) / "share" / "chatforge" / "llama.cpp"


def base_of(adapter_dir: Path) -> str:
    """The base model spec an adapter was trained on."""
    cfg = adapter_dir / "config.yaml"
    if cfg.is_file():
        spec = (yaml.safe_load(cfg.read_text(encoding="utf-8")) or {}).get("model")
        if spec:
            return str(spec)
    return json.loads((adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))["base_model_name_or_path"]


def find_converter() -> Path | None:
    candidates = [os.environ.get("CHATFORGE_GGUF_CONVERTER")]
    if os.environ.get("LLAMA_CPP_DIR"):
        candidates.append(str(Path(os.environ["LLAMA_CPP_DIR"]) / CONVERTER))
    candidates.append(shutil.which(CONVERTER))
    candidates.append(str(SETUP_CONVERTER_DIR / CONVERTER))
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    return None


def run_converter(converter: Path, folder: Path, target: Path, gguf_type: str, kept: str = "") -> None:
    """llama.cpp's converter on a save_pretrained `folder`, writing `target`; a ModelError with the converter's last
    lines when it fails or writes nothing (`kept`: what the message adds about what is left, e.g. "; the safetensors
    model is written")."""
    done = subprocess.run(
        [sys.executable, str(converter), str(folder), "--outfile", str(target), "--outtype", gguf_type.lower()],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise ModelError(
            f"{converter} could not convert {folder} to GGUF (exit {done.returncode}){kept}; its last lines:\n{tail}"
        )


def load_merged(model_dir: str | Path, merge: bool):
    """(standalone model on CPU in fp32, tokenizer): adapters merged into their base."""
    from peft import PeftModel

    from chatforge.models.load import load_model

    model_dir = Path(model_dir)
    if not (model_dir / "adapter_config.json").is_file():
        return load_model(model_dir, device="cpu")
    if not merge:
        raise ModelError(
            f"{model_dir} holds a LoRA adapter, not a standalone model: pass --merge to fold it into its base"
        )
    from transformers import AutoTokenizer

    base, _ = load_model(base_of(model_dir), device="cpu")
    merged = PeftModel.from_pretrained(base, model_dir).merge_and_unload()
    return merged.eval(), AutoTokenizer.from_pretrained(model_dir)  # the run's tokenizer keeps its chat template


def write_gguf(model, tokenizer, out: Path, gguf_type: str) -> dict:
    """`out/model.gguf` by chatforge's writer when it can, else by llama.cpp's converter: the summary's gguf fields."""
    from chatforge.models.gguf_write import why_not_writable, write_llama_gguf

    gguf_type = gguf_type.upper()
    target = out / "model.gguf"
    reason = why_not_writable(model, tokenizer)
    if reason is None:
        write_llama_gguf(model, tokenizer, target, quant=gguf_type)
        return {"gguf": str(target), "gguf_writer": "chatforge", "gguf_type": gguf_type.lower()}
    converter = find_converter()
    if converter is None:
        return {
            "gguf": None,
            "gguf_skipped": (
                f"chatforge writes GGUF itself only for Llama models with a BPE tokenizer ({reason}); for this one "
                f"install llama.cpp and set LLAMA_CPP_DIR (or CHATFORGE_GGUF_CONVERTER to its {CONVERTER}); "
                f"the safetensors model is in {out}"
            ),
        }
    run_converter(converter, out, target, gguf_type, kept="; the safetensors model is written")
    return {"gguf": str(target), "gguf_writer": str(converter), "gguf_type": gguf_type.lower()}


def export(
    model_dir: str | Path, out: str | Path, merge: bool = False, gguf: bool = False, gguf_type: str = "f16"
) -> dict:
    """Write the standalone model to `out` (and `out/model.gguf` when asked and possible); return a summary."""
    from chatforge.models.gguf_write import QUANTS

    model_dir, out = Path(model_dir), Path(out)
    if not model_dir.is_dir():
        raise ModelError(f"model folder not found: {model_dir}")
    if gguf and gguf_type.upper() not in QUANTS:  # before any loading or merging
        raise ModelError(f"--gguf-type {gguf_type}: choose one of {', '.join(q.lower() for q in QUANTS)}")
    model, tokenizer = load_merged(model_dir, merge)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    summary = {
        "out": str(out),
        "merged": (model_dir / "adapter_config.json").is_file(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "gguf": None,
    }
    if gguf:
        summary.update(write_gguf(model, tokenizer, out, gguf_type))
    return summary
