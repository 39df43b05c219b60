"""`RemoteEngine`: generation forwarded to an OpenAI-compatible server (`chatforge serve --backend-url URL`).

The backend can be vLLM, Ollama, a llama.cpp server or another chatforge; this server keeps
auth, RAG, A/B routing and feedback, and streams the backend's pieces through as they come.
"""

from __future__ import annotations

import asyncio
import json

from chatforge.serve.engines.base import EngineError, Generation


class RemoteEngine:
    """Forwards generation to an OpenAI-compatible server, streaming."""

    kind = "remote"

    def __init__(self, base_url: str, api_key: str | None = None, model: str | None = None, timeout_s: float = 600):
        import httpx

        base = base_url.rstrip("/")
        self.base_url = base if base.endswith("/v1") else base + "/v1"
        self.name = model or "remote"
        self.remote_model = model
        self.context_length = None  # the backend enforces its own limit; its 400 is passed on
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = httpx.Timeout(timeout_s, connect=10)
        self.active = 0
        self.queue_depth = 0

    def close(self) -> None:
        """Nothing to free: each request opens and closes its own connection."""

    def submit(self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0) -> Generation:
        gen = Generation(None, max_tokens, temperature, top_p, messages)
        task = gen.loop.create_task(self._forward(gen))
        gen.cancel = lambda: (gen.cancelled.set(), task.cancel())  # a disconnect closes the upstream stream too
        return gen

    async def _forward(self, gen: Generation) -> None:
        import httpx

        body = {
            "model": self.remote_model or "default",
            "messages": gen.messages,
            "max_tokens": gen.max_tokens,
            "temperature": gen.temperature,
            "top_p": gen.top_p,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        self.active += 1
        try:
            async with httpx.AsyncClient(timeout=self.timeout, headers=self.headers) as client:
                async with client.stream("POST", f"{self.base_url}/chat/completions", json=body) as resp:
                    if resp.status_code >= 400:
                        err = EngineError(
                            f"backend {self.base_url} answered {resp.status_code}: {(await resp.aread())[:500]!r}"
                        )
                        err.status = resp.status_code if resp.status_code < 500 else 502
                        return gen.push(err)
                    async for line in resp.aiter_lines():
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            break
                        chunk = json.loads(data)
                        if chunk.get("usage"):
                            gen.prompt_tokens = chunk["usage"].get("prompt_tokens", 0)
                            gen.completion_tokens = chunk["usage"].get("completion_tokens", 0)
                        for choice in chunk.get("choices") or []:
                            text = (choice.get("delta") or {}).get("content")
                            if text:
                                gen.push(text)
                            if choice.get("finish_reason"):
                                gen.finish_reason = choice["finish_reason"]
            gen.push(None)
        except asyncio.CancelledError:
            gen.finish_reason = "cancelled"
            gen.push(None)
        except httpx.HTTPError as exc:
            err = EngineError(f"backend {self.base_url} unreachable: {exc}")
            err.status = 502
            gen.push(err)
        finally:
            self.active -= 1
