"""Aggregate tokens/s of `chatforge serve` at 1, 4 and 8 concurrent streaming clients vs one at a time.

    .venv/bin/python benchmarks/serve_throughput.py [--model tiny|default|DIR] [--tokens 64] [--threads 1]
                                                    [--engine transformers|llamacpp] [--repeats 3]

A real uvicorn server on loopback, the transformers engine (continuous batching, up to 8 rows),
clients streaming over HTTP with httpx. The baseline is the same N requests sent one after
another to the same server in the same run. Levels: N clients starting together, and 8 clients
arriving one by one (`8 staggered`, a new one every eighth of a single request's latency), where
continuous batching lets each newcomer join the running batch at the next decoding step. Also
reports p50/p95 time to first token per level. `--model tiny` builds the tests' tiny Llama
(context 4096); `default` is the packaged Gemma 3 270M. `--engine llamacpp` measures the llama.cpp
engine instead (one request at a time, on the model's GGUF; needs llama-cpp-python), and then the same prompts
decoded by the bare `llama_cpp.Llama` with no server, so `http_vs_raw_single_client` is our overhead.
Each repeat runs every level (together, then one at a time); the ratio is the median over the repeats,
with its min and max, and the 8-client level reports the decoding steps and mean rows per step.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import add_repeats, emit, repeat, spread, summary  # noqa: E402


async def one(client, key: str, i: int, tokens: int) -> tuple[float, int, float]:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": f"Question {i}: bagages en soute ?"}],
        "max_tokens": tokens,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    start = time.perf_counter()
    ttft, usage = None, 0
    async with client.stream(
        "POST", "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}
    ) as r:
        async for line in r.aiter_lines():
            if not line.startswith("data:") or line.endswith("[DONE]"):
                continue
            chunk = json.loads(line[5:])
            if ttft is None and chunk.get("choices") and chunk["choices"][0]["delta"].get("content"):
                ttft = time.perf_counter() - start
            if chunk.get("usage"):
                usage = chunk["usage"]["completion_tokens"]
    return ttft or 0.0, usage, time.perf_counter() - start


async def level(url: str, key: str, n: int, tokens: int, stagger_s: float = 0.0, engine=None, stats=(0, 0)) -> dict:
    import httpx

    async def arriving(client, i):
        await asyncio.sleep(i * stagger_s)
        return await one(client, key, i, tokens)

    async with httpx.AsyncClient(base_url=url, timeout=600) as client:
        start = time.perf_counter()
        together = await asyncio.gather(*[arriving(client, i) for i in range(n)])
        concurrent_s = time.perf_counter() - start
        steps = engine_stats(engine, stats) if engine is not None else {}
        start = time.perf_counter()
        alone = [await one(client, key, i, tokens) for i in range(n)]
        sequential_s = time.perf_counter() - start
    toks = sum(t for _, t, _ in together)
    ttfts = sorted(t for t, _, _ in together)
    return {
        "clients": n if not stagger_s else f"{n} staggered {stagger_s:.3f} s",
        "tokens": toks,
        "tokens_per_s": round(toks / concurrent_s, 1),
        "one_at_a_time_tokens_per_s": round(sum(t for _, t, _ in alone) / sequential_s, 1),
        "ratio": round((toks / concurrent_s) / (sum(t for _, t, _ in alone) / sequential_s), 2),
        "ttft_p50_s": round(statistics.median(ttfts), 4),
        "ttft_p95_s": round(ttfts[min(n - 1, int(0.95 * n))], 4),
        "single_latency_s": round(statistics.median(s for _, _, s in alone), 4),
        **steps,
    }


def raw_llamacpp(engine, n: int, tokens: int) -> dict:
    """The same prompts decoded by the engine's own `llama_cpp.Llama` with no server in front (n requests one after
    another, greedy, same samplers): the baseline for the llamacpp engine's HTTP overhead."""
    total, start = 0, time.perf_counter()
    for i in range(n):
        ids = engine.encode([{"role": "user", "content": f"Question {i}: bagages en soute ?"}])
        for chunk in engine.llm.create_completion(
            ids, max_tokens=tokens, temperature=0.0, top_p=1.0, top_k=0, min_p=0.0, stream=True
        ):
            total += chunk["choices"][0].get("finish_reason") is None
    return {"tokens": total, "tokens_per_s": round(total / (time.perf_counter() - start), 1)}


def engine_stats(engine, since: tuple[int, int]) -> dict:
    """Decoding steps, mean rows per step and prefills (admissions) of the transformers engine since `since` =
    (steps, row-steps) before the run."""
    if not hasattr(engine, "batch_sizes"):
        return {}
    steps = engine.steps - since[0]
    rows = sum(b * n for b, n in engine.batch_sizes.items()) - since[1]
    return {
        "decode_steps": steps,
        "mean_rows_per_step": round(rows / steps, 2) if steps else None,
        "prefills": sum(1 for step, _ in engine.admitted if step >= since[0]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="tiny")
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument(
        "--threads", type=int, default=1, help="torch threads (1 leaves the other core to HTTP and clients)"
    )
    ap.add_argument("--engine", default="transformers", choices=["transformers", "llamacpp"])
    add_repeats(ap)
    args = ap.parse_args()
    import torch
    import uvicorn

    from chatforge.models.tiny import build_tiny_model
    from chatforge.serve.app import ServeConfig, create_app
    from chatforge.serve.engines import make_engine
    from chatforge.store.database import Store

    torch.set_num_threads(args.threads)
    tmp = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    model = str(build_tiny_model(tmp / "tiny", context_length=4096)) if args.model == "tiny" else args.model
    engine = make_engine(model, engine=args.engine, max_batch=8, queue_size=64, device="cpu")
    cfg = ServeConfig(db=str(tmp / "bench.db"), max_tokens_cap=args.tokens, rate_limit_per_minute=0)
    store = Store(cfg.db)
    key, _ = store.create_key("bench", ["public"])
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(cfg, store=store, engines={"A": engine}), host="127.0.0.1", port=0, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    asyncio.run(level(url, key, 1, 4))  # warm-up
    all_levels: list[list[dict]] = []

    def measure() -> dict:
        levels = [asyncio.run(level(url, key, n, args.tokens)) for n in (1, 4)]
        before = (getattr(engine, "steps", 0), sum(b * n for b, n in getattr(engine, "batch_sizes", {}).items()))
        levels.append(asyncio.run(level(url, key, 8, args.tokens, engine=engine, stats=before)))
        levels.append(asyncio.run(level(url, key, 8, args.tokens, stagger_s=levels[0]["single_latency_s"] / 8)))
        all_levels.append(levels)
        for row in levels:
            print(json.dumps(row), file=sys.stderr)
        top = levels[2]
        return {
            "tokens_per_s": top["tokens_per_s"],
            "one_at_a_time_tokens_per_s": top["one_at_a_time_tokens_per_s"],
            "ratio": top["ratio"],
            "ratio_4_clients": levels[1]["ratio"],
            "staggered_ratio": levels[3]["ratio"],
            "ttft_p50_s_8": top["ttft_p50_s"],
            "ttft_p50_s_1": levels[0]["ttft_p50_s"],
            **{k: top[k] for k in ("decode_steps", "mean_rows_per_step", "prefills") if k in top},
        }

    runs = {"levels": repeat(measure, args.repeats, name="levels")}
    server.should_exit = True
    extra = {}
    if (
        args.engine == "llamacpp"
    ):  # 4 requests one at a time through HTTP vs the bare library on the same file (target >= 0.9)
        raw = raw_llamacpp(engine, 4, args.tokens)
        extra = {
            "raw_llamacpp_tokens_per_s": raw["tokens_per_s"],
            "http_vs_raw_single_client": round(
                all_levels[-1][1]["one_at_a_time_tokens_per_s"] / raw["tokens_per_s"], 3
            ),
        }
        print(json.dumps({"raw_llamacpp": raw}), file=sys.stderr)
    staggered = spread([r["staggered_ratio"] for r in runs["levels"]])
    emit(
        summary(
            "serve_throughput",
            f"aggregate tokens/s at 8 streaming clients ({args.engine} engine)",
            runs,
            value="tokens_per_s",
            ours="levels",
            baseline=None,
            baseline_value="one_at_a_time_tokens_per_s",
            baseline_is="the same 8 requests sent one after another to the same server, in the same repeat",
            ratio_is="8 clients together / one at a time",
            staggered_ratio=staggered["median"],
            staggered_ratio_min=staggered["min"],
            staggered_ratio_max=staggered["max"],
            levels=all_levels[-1],
            model=args.model,
            engine=args.engine,
            tokens=args.tokens,
            **extra,
        )
    )


if __name__ == "__main__":
    main()
