"""A model as a GGUF file for llama.cpp: the file it came from, or an export cached by content hash.

    from chatforge.models.gguf_export import gguf_for
    got = gguf_for("runs/sft")        # exported once, reused by every later eval and serve
    got.path, got.how                 # .../gguf-export/<hash>/model.gguf, "exported" | "cached" | "file"

A spec that is a `.gguf` (or `default`, the packaged Gemma 3 270M Q4_K_M) is used as it is. A model
folder (a fine-tuned run, a merged adapter, a registry version) is exported to
`$CHATFORGE_CACHE/gguf-export/<key>/model.gguf`, where the key is the SHA-256 of its config, weight
and tokenizer files: the same model found again, under any name, reuses the file; a retrained one is
exported anew. Llama models with a BPE tokenizer are written by chatforge (models/gguf_write.py); other
architectures by llama.cpp's `convert_hf_to_gguf.py` (models/export.py finds it; `make setup` installs
it). The file is written beside its final name and renamed when complete, so an interrupted export is
redone, never used. A hub id is refused (nothing to hash without downloading it). `open_llama` opens a
GGUF in llama-cpp-python the way eval and serve both need it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from chatforge.errors import ModelError
from chatforge.models.gguf_cache import cache_root
from chatforge.provenance import file_sha256

# Files that decide what a model generates: its config, weights and tokenizer (generation_config only sets defaults).
HASHED = (
    "config.json",
    "tokenizer.json",
    "tokenizer.model",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "chat_template.jinja",
    "chat_template.json",
)
WEIGHTS = ("*.safetensors", "*.bin")


@dataclass
class GGUFModel:
    """Where a model's GGUF is: `how` is "file" (given as one), "cached" (exported before) or "exported" (now)."""

    path: Path
    how: str
    key: str | None = None


def content_key(folder: Path) -> str:
    """SHA-256 over the names and contents of a model folder's config, weight and tokenizer files."""
    files = sorted({p for pattern in WEIGHTS for p in folder.glob(pattern)} | {folder / n for n in HASHED})
    h = hashlib.sha256()
    for p in files:
        if p.is_file():
            h.update(f"{p.name}:{file_sha256(p)}\n".encode())
    return h.hexdigest()


def export_root() -> Path:
    return cache_root() / "gguf-export"


def gguf_for(spec: str | Path, gguf_type: str = "f16") -> GGUFModel:
    """The GGUF llama.cpp runs for `spec`: its own file, else an export of its folder (once; ModelError if impossible)."""
    from chatforge.models.load import resolve

    res = resolve(spec)
    if res.gguf is not None:
        return GGUFModel(Path(res.gguf), "file")
    folder = Path(res.source)
    if not (folder / "config.json").is_file():
        raise ModelError(
            f"{spec}: llama.cpp needs a local model folder or a .gguf file; a hub id is not exported "
            f"(download it to a folder first, or use the transformers engine)"
        )
    key = content_key(folder)
    target = export_root() / key[:32] / "model.gguf"
    if target.is_file():
        return GGUFModel(target, "cached", key)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".model-", suffix=".gguf.part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write_gguf_file(folder, tmp, gguf_type)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return GGUFModel(target, "exported", key)


def write_gguf_file(folder: Path, out: Path, gguf_type: str) -> None:
    """`folder` (a save_pretrained model) as one GGUF file `out`: chatforge's Llama writer, else llama.cpp's converter."""
    import json

    from chatforge.models.export import CONVERTER, find_converter, run_converter

    model_type = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("model_type")
    if model_type == "llama":
        from chatforge.models.gguf_write import why_not_writable, write_llama_gguf
        from chatforge.models.load import load_model

        model, tokenizer = load_model(folder, device="cpu")
        if why_not_writable(model, tokenizer) is None:
            write_llama_gguf(model, tokenizer, out, quant=gguf_type.upper())
            return
        del model
    converter = find_converter()
    if converter is None:
        raise ModelError(
            f"{folder}: a {model_type!r} model is exported to GGUF by llama.cpp's {CONVERTER}, which is "
            f"not installed: run `make setup` (or set CHATFORGE_GGUF_CONVERTER), or use the transformers engine"
        )
    run_converter(converter, folder, out, gguf_type)


_OPEN = threading.Lock()


def import_llama_cpp():
    """The llama_cpp module (ImportError when not installed), its OpenMP threads set to wait passively.

    llama.cpp's threads meet at a barrier after every operation; OpenMP's default active wait spins there, so on
    a machine whose cores are busy with other work a descheduled thread stalls the others (Gemma 3 270M Q4_K_M on
    2 cores at load 12: 0.8 tokens/s with 2 spinning threads, 2.7 with one, 5.4 with 2 passive ones). The setting
    is read when llama.cpp's OpenMP runtime loads, at the first import; a user's own OMP_WAIT_POLICY wins."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import llama_cpp

    return llama_cpp


def open_llama(path: str | Path, **kwargs):
    """`llama_cpp.Llama(model_path=path, verbose=False, **kwargs)` with llama.cpp's extra buffer types off.

    The extra buffer types (AMX and repacked weight layouts) of llama-cpp-python 0.3.36 crash in the first decode
    on Q4_K tensors (the packaged Gemma 3 Q4_K_M) on CPUs with AMX; the plain CPU buffers run every type. The
    binding has no argument for it (llama.cpp's `--no-extra-bufts`), so the model defaults it reads are wrapped
    while this one model loads."""
    llama_cpp = import_llama_cpp()
    Llama = llama_cpp.Llama

    lib = getattr(llama_cpp, "llama_cpp", None)  # the ctypes module whose defaults Llama.__init__ reads
    defaults = getattr(lib, "llama_model_default_params", None)
    if defaults is None:
        return Llama(model_path=str(path), verbose=False, **kwargs)

    def plain_buffers():
        params = defaults()
        if hasattr(params, "use_extra_bufts"):
            params.use_extra_bufts = False
        return params

    with _OPEN:
        lib.llama_model_default_params = plain_buffers
        try:
            return Llama(model_path=str(path), verbose=False, **kwargs)
        finally:
            lib.llama_model_default_params = defaults
