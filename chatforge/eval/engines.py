"""Which engine writes eval's answers: llama.cpp through a GGUF on CPU (fast), or transformers (fallback, GPU).

    chatforge eval --model M --testset T --out O [--engine auto|transformers|llamacpp]

`auto` (the default) generates through llama.cpp when llama-cpp-python is installed (`make setup`
installs it), the run is on CPU, and the model has a GGUF: its own `.gguf` (the packaged default is
one), or an export of its folder made once and cached by content hash (models/gguf_export.py).
Before the first answer, the greedy answers of both engines to the first `CHECK_ITEMS` questions are
compared (token F1 between the two, bare prompts); under `MIN_AGREEMENT` the run warns and, under
`auto`, generates through transformers instead. The check is cached beside the GGUF, so a second
eval of the same model skips it. `--engine llamacpp` forces llama.cpp (a failed check only warns);
`--engine transformers` never uses it. The transformers model is loaded either way: perplexity on
the references and the check need it. The report names the engine of each variant (`engine`).
`chatforge eval` imports llama_cpp before torch: both use one OpenMP runtime (torch's wheel ships the
same libgomp), set up by the first to load, and llama.cpp needs it to wait passively (gguf_export.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from chatforge.errors import ConfigError, ModelError
from chatforge.eval.answerers import Generation, HFAnswerer
from chatforge.models.gguf_cache import cache_root
from chatforge.models.gguf_export import GGUFModel, gguf_for, import_llama_cpp, open_llama
from chatforge.models.templates import stop_token_ids
from chatforge.output import stderr
from chatforge.text_metrics import token_f1

ENGINES = ("auto", "transformers", "llamacpp")
CHECK_ITEMS = 3  # questions answered by both engines before the run
MIN_AGREEMENT = 0.6  # mean token F1 between the two engines' greedy answers (quantised GGUFs drift after a few tokens)
N_CTX = 4096  # llama.cpp context; a longer prompt is answered by transformers
MISSING = (
    "--engine llamacpp needs llama-cpp-python, which is not installed: run `make setup` "
    "(or pip install llama-cpp-python==0.3.36), or pass --engine transformers"
)


def llamacpp_importable() -> bool:
    try:
        import_llama_cpp()
    except ImportError:
        return False
    return True


def on_cpu(device: str | None) -> bool:
    import torch

    return (device or ("cuda" if torch.cuda.is_available() else "cpu")) == "cpu"


class LlamaCppAnswerer(HFAnswerer):
    """HFAnswerer whose generations run in llama.cpp on the model's GGUF; the same chat template, tokens and decoding."""

    def __init__(self, spec: str, gguf: GGUFModel, **kw):
        super().__init__(spec, **kw)
        self.gguf = gguf
        threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        self.llm = open_llama(gguf.path, n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, seed=0)
        self.stops = set(stop_token_ids(self.tokenizer, self.model.config.model_type)) | {self.llm.token_eos()}
        self.engine_info = {"engine": "llamacpp", "gguf": str(gguf.path), "gguf_source": gguf.how}

    def transformers_generate(self, messages: list[dict], max_new_tokens: int) -> Generation:
        return HFAnswerer._generate(self, messages, max_new_tokens)

    def _generate(self, messages: list[dict], max_new_tokens: int) -> Generation:
        enc = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=True)
        ids = list(enc["input_ids"])
        if len(ids) + max_new_tokens > N_CTX:
            return self.transformers_generate(messages, max_new_tokens)
        start, first, out = time.perf_counter(), None, []
        # temp 0 is llama.cpp's greedy sampler; top_k / min_p off so a sampled run matches transformers' sampling
        for tok in self.llm.generate(ids, temp=self.temperature, top_k=0, top_p=1.0, min_p=0.0, repeat_penalty=1.0):
            if first is None:
                first = time.perf_counter()
            if tok in self.stops:
                break
            out.append(tok)
            if len(out) >= max_new_tokens:
                break
        elapsed = time.perf_counter() - start
        decode = elapsed - ((first or start) - start)
        n = len(out)
        stats = {
            "prompt_tokens": len(ids),
            "new_tokens": n,
            "ttft_s": round((first or start) - start, 4),
            "seconds": round(elapsed, 3),
            "tokens_per_s": round((n - 1) / decode, 2) if n > 1 and decode > 0 else None,
        }
        return Generation(self.tokenizer.decode(out, skip_special_tokens=True).strip(), stats)

    def close(self) -> None:
        getattr(self.llm, "close", lambda: None)()


def check_key(gguf: Path, messages: list[list[dict]], max_new_tokens: int) -> str:
    st = gguf.stat()
    h = hashlib.sha256(f"{gguf.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{max_new_tokens}\0".encode())
    h.update(json.dumps(messages, ensure_ascii=False).encode())
    return h.hexdigest()[:32]


def check_agreement(fast: LlamaCppAnswerer, questions: list[str], n: int = CHECK_ITEMS) -> dict:
    """Both engines' greedy answers to the first `n` questions: mean token F1 between them, identical count; cached."""
    asks = [
        ([{"role": "system", "content": fast.system}] if fast.system else []) + [{"role": "user", "content": q}]
        for q in list(dict.fromkeys(questions))[:n]
    ]
    path = cache_root() / "gguf-check" / f"{check_key(fast.gguf.path, asks, fast.max_new_tokens)}.json"
    if path.is_file():
        return {**json.loads(path.read_text(encoding="utf-8")), "cached": True}
    f1s, same, speeds = [], 0, {"transformers": [], "llamacpp": []}
    for messages in asks:
        ref = fast.transformers_generate(messages, fast.max_new_tokens)
        got = fast._generate(messages, fast.max_new_tokens)
        same += ref.text == got.text
        f1s.append(1.0 if ref.text == got.text else token_f1(got.text, ref.text))
        for name, g in (("transformers", ref), ("llamacpp", got)):
            if g.stats.get("tokens_per_s"):
                speeds[name].append(g.stats["tokens_per_s"])
    agreement = round(sum(f1s) / len(f1s), 4) if f1s else 1.0
    result = {
        "items": len(asks),
        "identical": same,
        "agreement_token_f1": agreement,
        "min_agreement": MIN_AGREEMENT,
        "passed": agreement >= MIN_AGREEMENT,
        "tokens_per_s": {k: round(sum(v) / len(v), 2) if v else None for k, v in speeds.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result), encoding="utf-8")
    return {**result, "cached": False}


def make_answerer(spec: str, cfg, questions: list[str], grounding=None, roles: list[str] | None = None) -> HFAnswerer:
    """The answerer of `spec` under `cfg.engine` (auto / transformers / llamacpp); `engine_info` says which one runs."""
    engine = getattr(cfg, "engine", "auto")
    if engine not in ENGINES:
        raise ConfigError(f"--engine {engine}: choose one of {', '.join(ENGINES)}")
    have = llamacpp_importable()
    if engine == "llamacpp" and not have:
        raise ConfigError(MISSING)
    if engine == "llamacpp" and not on_cpu(cfg.device):
        raise ConfigError(
            "--engine llamacpp runs on CPU (the installed llama-cpp-python is a CPU build): "
            "pass --set device=cpu, or --engine transformers on the GPU"
        )
    kw = dict(
        max_new_tokens=cfg.max_new_tokens,
        temperature=cfg.temperature,
        system=cfg.system,
        prompt_cfg=cfg.prompt,
        device=cfg.device,
        grounding=grounding,
        roles=roles,
    )
    why = (
        "asked"
        if engine == "transformers"
        else "llama-cpp-python not installed"
        if not have
        else "not on CPU"
        if not on_cpu(cfg.device)
        else None
    )
    gguf = None
    if why is None:
        try:
            gguf = find_gguf(spec)
        except ModelError as exc:
            if engine == "llamacpp":
                raise
            why = f"no GGUF: {exc}"
            stderr.print(f"[yellow]warning:[/yellow] eval: {spec} generates through transformers ({why})")
    if gguf is None:
        base = HFAnswerer(spec, **kw)
        base.engine_info = {"engine": "transformers", "reason": why}
        return base
    fast = LlamaCppAnswerer(spec, gguf, **kw)
    check = check_agreement(fast, questions)
    fast.engine_info["check"] = check
    line = (
        f"{check['identical']}/{check['items']} identical, agreement (token F1) {check['agreement_token_f1']:.2f}"
        f"{' (cached)' if check['cached'] else ''}"
    )
    if check["passed"]:
        stderr.print(
            f"eval: {spec} generates through llama.cpp ({gguf.path.name}, {gguf.how}); check against "
            f"transformers: {line}"
        )
        return fast
    stderr.print(
        f"[yellow]warning:[/yellow] eval: llama.cpp's greedy answers for {spec} differ from transformers' "
        f"({line}, under {MIN_AGREEMENT})" + ("; generating through transformers" if engine == "auto" else "")
    )
    if engine == "llamacpp":
        return fast
    fast.close()
    base = HFAnswerer(spec, model=fast.model, tokenizer=fast.tokenizer, **kw)
    base.engine_info = {"engine": "transformers", "reason": "llama.cpp disagreed with transformers", "check": check}
    return base


def find_gguf(spec: str) -> GGUFModel:
    """gguf_for with a line on stderr while a folder is exported (the only slow case)."""
    from chatforge.models.load import resolve

    res = resolve(spec)
    if res.gguf is None and Path(res.source).is_dir():
        stderr.print(f"eval: {spec}: GGUF for llama.cpp (exported once, cached by content hash) ...")
    return gguf_for(spec)
