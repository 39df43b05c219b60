"""Load test of `chatforge serve`: ramping concurrent clients (the real `openai` client) against a real server on loopback.

    .venv/bin/python benchmarks/serve_load.py [--model tiny|default|DIR] [--levels 1,4,16,48] [--requests 4]
                                              [--tokens 32] [--max-batch 8] [--queue 16] [--threads 1] [--repeats 3]

Each level starts that many clients at once; each client sends `--requests` chat completions in a
row, streaming and not in turn, with `max_retries=0` so that a full queue's 503 (with Retry-After)
is counted, not retried. Per level: p50/p95 latency, p50/p95 time to first token (streamed
requests), aggregate completion tokens/s, 503s and any other errors. The server is the
transformers engine with continuous batching (`--max-batch` rows, `--queue` waiting requests);
levels above max_batch + queue are expected to see 503s. The final JSON line compares the
tokens/s of the busiest level without failures other than 503 with the single-client level; every
level runs once per repeat and the ratio is the median over `--repeats` repeats.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import add_repeats, emit, repeat, summary  # noqa: E402


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 4)


async def client_run(client, c: int, requests: int, tokens: int, out: dict) -> None:
    import openai

    for r in range(requests):
        messages = [{"role": "user", "content": f"Client {c}, question {r}: bagages en soute pour Nice ?"}]
        stream = (c + r) % 2 == 0
        start = time.perf_counter()
        try:
            if stream:
                ttft, used = None, 0
                chunks = await client.chat.completions.create(
                    model="m", messages=messages, max_tokens=tokens, stream=True, stream_options={"include_usage": True}
                )
                async for chunk in chunks:
                    if ttft is None and chunk.choices and chunk.choices[0].delta.content:
                        ttft = time.perf_counter() - start
                    if chunk.usage:
                        used = chunk.usage.completion_tokens
                out["ttft"].append(ttft if ttft is not None else time.perf_counter() - start)
            else:
                resp = await client.chat.completions.create(model="m", messages=messages, max_tokens=tokens)
                used = resp.usage.completion_tokens
            out["latency"].append(time.perf_counter() - start)
            out["tokens"] += used
        except openai.APIStatusError as exc:
            key = "queue_full_503" if exc.status_code == 503 else f"http_{exc.status_code}"
            out[key] = out.get(key, 0) + 1
        except Exception as exc:  # a crash of the client side is a finding, not the end of the run
            out[type(exc).__name__] = out.get(type(exc).__name__, 0) + 1


async def level(url: str, key: str, clients: int, requests: int, tokens: int) -> dict:
    import openai

    out = {"latency": [], "ttft": [], "tokens": 0}
    async with openai.AsyncOpenAI(base_url=url + "/v1", api_key=key, max_retries=0, timeout=600) as client:
        start = time.perf_counter()
        await asyncio.gather(*[client_run(client, c, requests, tokens, out) for c in range(clients)])
        seconds = time.perf_counter() - start
    errors = {k: v for k, v in out.items() if k not in ("latency", "ttft", "tokens")}
    return {
        "clients": clients,
        "requests": clients * requests,
        "ok": len(out["latency"]),
        "queue_full_503": errors.pop("queue_full_503", 0),
        "other_errors": errors,
        "tokens_per_s": round(out["tokens"] / seconds, 1),
        "seconds": round(seconds, 2),
        "latency_p50_s": pct(out["latency"], 0.5),
        "latency_p95_s": pct(out["latency"], 0.95),
        "ttft_p50_s": pct(out["ttft"], 0.5),
        "ttft_p95_s": pct(out["ttft"], 0.95),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tiny")
    ap.add_argument("--levels", default="1,4,16,48")
    ap.add_argument("--requests", type=int, default=4, help="requests per client, one after another")
    ap.add_argument("--tokens", type=int, default=32)
    ap.add_argument("--max-batch", type=int, default=8)
    ap.add_argument("--queue", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    add_repeats(ap)
    args = ap.parse_args()
    import torch
    import uvicorn

    from chatforge.models.tiny import build_tiny_model
    from chatforge.serve.app import ServeConfig, create_app
    from chatforge.serve.engines import TransformersEngine
    from chatforge.store.database import Store

    torch.set_num_threads(args.threads)
    tmp = Path(tempfile.mkdtemp(prefix="serve-load-"))
    model = str(build_tiny_model(tmp / "tiny", context_length=4096)) if args.model == "tiny" else args.model
    engine = TransformersEngine(model, name=args.model, max_batch=args.max_batch, queue_size=args.queue)
    cfg = ServeConfig(db=str(tmp / "load.db"), max_tokens_cap=args.tokens, rate_limit_per_minute=0)
    store = Store(cfg.db)
    key, _ = store.create_key("load", ["public"])
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(cfg, store=store, engines={"A": engine}), host="127.0.0.1", port=0, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    asyncio.run(level(url, key, 1, 1, 4))  # warm-up
    all_levels: list[list[dict]] = []

    def measure() -> dict:
        levels = []
        for n in (int(x) for x in args.levels.split(",")):
            levels.append(asyncio.run(level(url, key, n, args.requests, args.tokens)))
            print(json.dumps(levels[-1]), file=sys.stderr)
        all_levels.append(levels)
        single = levels[0]
        clean = [lv for lv in levels if not lv["other_errors"]]
        peak = max(clean, key=lambda lv: lv["tokens_per_s"]) if clean else levels[-1]
        return {
            "tokens_per_s": peak["tokens_per_s"],
            "single_client_tokens_per_s": single["tokens_per_s"],
            "ratio": peak["tokens_per_s"] / single["tokens_per_s"] if single["tokens_per_s"] else None,
            "peak_clients": peak["clients"],
            "queue_full_503": sum(lv["queue_full_503"] for lv in levels),
            "other_errors": sum(sum(lv["other_errors"].values()) for lv in levels),
        }

    runs = {"levels": repeat(measure, args.repeats, name="levels")}
    server.should_exit = True
    engine.close()
    last = runs["levels"][-1]
    emit(
        summary(
            "serve_load",
            f"aggregate completion tokens/s at the best level ({last['peak_clients']} clients in the "
            "last repeat, openai client)",
            runs,
            value="tokens_per_s",
            ours="levels",
            baseline=None,
            baseline_value="single_client_tokens_per_s",
            baseline_is="one client, same server, same repeat",
            ratio_is="best level / one client",
            queue_full_503=sum(r["queue_full_503"] for r in runs["levels"]),
            other_errors=sum(r["other_errors"] for r in runs["levels"]),
            levels=all_levels[-1],
            model=args.model,
            tokens=args.tokens,
            max_batch=args.max_batch,
            queue=args.queue,
        )
    )


if __name__ == "__main__":
    main()
