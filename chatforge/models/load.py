"""One loader for every stage: a Hugging Face id, a local folder, a `.gguf` file, or `default`.

    from chatforge.models.load import load_model
    model, tokenizer = load_model("default")          # packaged Gemma 3 270M
    model, tokenizer = load_model("runs/pretrain")    # any folder save_pretrained wrote
    model, tokenizer = load_model("my.Q4_K_M.gguf")   # dequantised once, cached (gguf_cache.py)
    model, tokenizer = load_model("google/gemma-3-270m")  # real hub download, needs internet
    model, tokenizer = load_model("registry:NAME@production")  # the promoted version (chatforge.registry imported)

Device and dtype are chosen at run time: bf16 on CUDA, fp32 on CPU. Every
tokenizer comes back with a chat template (templates.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from chatforge.errors import ModelError, UserError
from chatforge.models.gguf_cache import cache_root, convert_gguf, packaged_default_gguf
from chatforge.models.templates import ensure_chat_template

DEFAULT = "default"


@dataclass
class Resolved:
    """Where a model spec points: `source` is what from_pretrained gets (folder or hub id)."""

    spec: str
    kind: str  # "default" | "gguf" | "folder" | "adapter" | "hub" | "registry"
    source: str
    gguf: Path | None = None


def pick_device(device: str | None = None):
    """(torch.device, dtype): CUDA with bf16 when present, else CPU with fp32; `device` forces one."""
    import os

    import torch

    name = device or ("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and os.environ.get("LOCAL_RANK"):  # under accelerate launch / torchrun: this process's own GPU
        name = f"cuda:{int(os.environ['LOCAL_RANK'])}"
    dev = torch.device(name)
    return dev, (torch.bfloat16 if dev.type == "cuda" else torch.float32)


def _looks_like_path(spec: str) -> bool:
    return spec.endswith(".gguf") or spec.startswith((".", "/", "~")) or spec.count("/") > 1 or "\\" in spec


_SPEC_RESOLVERS: dict[str, Callable[[str], str | Path]] = {}


def register_spec_resolver(prefix: str, to_folder: Callable[[str], str | Path]) -> None:
    """Resolve model specs starting with `prefix` by `to_folder(spec)` (a folder or file `resolve` accepts).

    How a higher layer plugs its specs into the loader without the loader importing it: the model registry
    (chatforge/registry/) registers `registry:` when it is imported, as the chatforge command does at start.
    `to_folder` raises a UserError for a spec it cannot resolve; the loader reports it as a ModelError."""
    _SPEC_RESOLVERS[prefix] = to_folder


def resolve(spec: str | Path) -> Resolved:
    """Turn a model spec into something from_pretrained accepts, converting GGUF files (once) on the way."""
    spec = str(spec)
    for prefix, to_folder in _SPEC_RESOLVERS.items():  # registry:NAME@production -> that version's folder
        if spec.startswith(prefix):
            try:
                folder = to_folder(spec)
            except UserError as exc:
                raise ModelError(f"{spec}: {exc}") from None
            inner = resolve(folder)
            return Resolved(spec, prefix.rstrip(":"), inner.source, inner.gguf)
    if spec.startswith("registry:"):
        raise ModelError(
            f"{spec}: registry specs are resolved by the model registry: import chatforge.registry first "
            f"(the chatforge command does)"
        )
    if spec == DEFAULT:
        path, sha = packaged_default_gguf()
        return Resolved(spec, "default", str(convert_gguf(path, sha)), path)
    path = Path(spec).expanduser()
    if path.is_file():
        if path.suffix != ".gguf":
            raise ModelError(
                f"{path}: a model file must be a .gguf; for safetensors pass the folder holding config.json"
            )
        return Resolved(spec, "gguf", str(convert_gguf(path)), path)
    if path.is_dir():
        if not (path / "config.json").is_file() and (path / "adapter_config.json").is_file():
            return Resolved(spec, "adapter", str(merged_adapter(path)))
        if not (path / "config.json").is_file():
            ggufs = sorted(path.glob("*.gguf"))
            if len(ggufs) == 1:
                return Resolved(spec, "gguf", str(convert_gguf(ggufs[0])), ggufs[0])
            raise ModelError(
                f"{path}: no config.json in this folder; pass a folder written by save_pretrained, "
                f"a .gguf file, a Hugging Face model id, or 'default'"
            )
        return Resolved(spec, "folder", str(path))
    if _looks_like_path(spec):
        raise ModelError(
            f"model path not found: {spec}. Pass an existing folder (with config.json), a .gguf file, "
            f"a Hugging Face model id such as google/gemma-3-270m, or 'default' for the packaged model"
        )
    return Resolved(spec, "hub", spec)


def merged_adapter(folder: Path) -> Path:
    """A LoRA / DoRA adapter folder (from `chatforge train sft`) merged into its base once.

    The merged model is cached under the user cache, keyed by the adapter's content
    hash, so every stage (eval, serve, generate) can take the training run's folder
    directly; the second load reads the cache. Written to a temporary folder, then
    renamed, so an interrupted merge is never used.
    """
    import hashlib
    import shutil

    from chatforge.models.export import export
    from chatforge.provenance import file_sha256

    h = hashlib.sha256()
    for name in ("adapter_config.json", "adapter_model.safetensors", "adapter_model.bin", "config.yaml"):
        if (folder / name).is_file():
            h.update(f"{name}:{file_sha256(folder / name)}".encode())
    target = cache_root() / "merged" / h.hexdigest()[:32]
    if (target / "config.json").is_file():
        return target
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    export(folder, tmp, merge=True)
    try:
        tmp.rename(target)
    except OSError:  # another process merged the same adapter first
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _hub_error(spec: str, exc: Exception) -> ModelError:
    return ModelError(
        f"could not load {spec!r} from the Hugging Face hub ({type(exc).__name__}: {exc}). "
        f"Without internet pass a local folder, a .gguf file, or 'default'"
    )


def load_model_config(spec: str | Path):
    """The transformers config of a model, without loading its weights."""
    from transformers import AutoConfig

    res = resolve(spec)
    try:
        return AutoConfig.from_pretrained(res.source)
    except OSError as exc:
        if res.kind == "hub":
            raise _hub_error(res.spec, exc) from exc
        raise ModelError(f"{res.source}: cannot read the model config ({exc})") from exc


def load_tokenizer(spec: str | Path, model_type: str | None = None):
    from transformers import AutoTokenizer

    res = resolve(spec)
    try:
        tokenizer = AutoTokenizer.from_pretrained(res.source)
    except OSError as exc:
        if res.kind == "hub":
            raise _hub_error(res.spec, exc) from exc
        raise ModelError(f"{res.source}: cannot load the tokenizer ({exc})") from exc
    if model_type is None:
        model_type = load_model_config(res.source).model_type
    ensure_chat_template(tokenizer, model_type)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(spec: str | Path, device: str | None = None, dtype=None):
    """(model in eval mode on the chosen device, tokenizer with a chat template)."""
    from transformers import AutoModelForCausalLM

    res = resolve(spec)
    dev, auto_dtype = pick_device(device)
    try:
        model = AutoModelForCausalLM.from_pretrained(res.source, dtype=dtype or auto_dtype)
    except OSError as exc:
        if res.kind == "hub":
            raise _hub_error(res.spec, exc) from exc
        raise ModelError(f"{res.source}: cannot load the model weights ({exc})") from exc
    model.to(dev).eval()
    tokenizer = load_tokenizer(res.source, model.config.model_type)
    return model, tokenizer
