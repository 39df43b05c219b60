"""Generation engines behind `chatforge serve --engine transformers|llamacpp|auto [--backend-url URL]`.

Every engine turns chat messages into a `Generation`: an async iterator of text pieces that,
once exhausted, holds `prompt_tokens`, `completion_tokens`, `finish_reason` and `ttft_s`.
Cancelling it (a client that disconnects) frees its slot at the next decode step.

- `TransformersEngine`: any model `chatforge.models.load` accepts. Requests wait in a bounded
  queue; one worker thread takes up to `max_batch` waiting requests with the same sampling
  settings and decodes them as one left-padded batch, streaming each row's tokens as they come.
  A full queue raises `QueueFull` (the API answers 503 with Retry-After).
- `LlamaCppEngine`: the model's GGUF file run in process by `llama-cpp-python` (optional: when
  the package is missing it raises `EngineUnavailable`, and `auto` falls back to transformers).
- `RemoteEngine`: forwards to any OpenAI-compatible server (vLLM, Ollama, llama.cpp server,
  another chatforge) while chatforge keeps auth, RAG, A/B and feedback.
"""

from __future__ import annotations

import asyncio
import collections
import json
import threading
import time
from collections.abc import AsyncIterator


class EngineError(RuntimeError):
    """Generation failed; `status` is the HTTP code the API should answer."""

    status = 500


class EngineUnavailable(EngineError):
    status = 503


class QueueFull(EngineError):
    status = 503


class ContextTooLong(EngineError):
    status = 400


class Generation:
    """One request's output: text pieces pushed from any thread, read with `async for`."""

    def __init__(self, prompt_tokens: int | None, max_tokens: int, temperature: float, top_p: float, messages=None):
        self.loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue = asyncio.Queue()
        self.cancelled = threading.Event()
        self.messages, self.max_tokens, self.temperature, self.top_p = messages, max_tokens, temperature, top_p
        self.prompt_ids: list[int] = []
        self.prompt_tokens = prompt_tokens or 0
        self.completion_tokens = 0
        self.finish_reason: str | None = None
        self.start = time.perf_counter()
        self.ttft_s: float | None = None
        self.seconds: float | None = None

    def push(self, item) -> None:
        """Thread-safe: a text piece, an Exception, or None for the end."""
        if isinstance(item, str) and self.ttft_s is None:
            self.ttft_s = time.perf_counter() - self.start
        if item is None:
            self.seconds = time.perf_counter() - self.start
        try:
            self.loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:  # the request's event loop is gone: nobody is listening any more
            self.cancelled.set()

    def cancel(self) -> None:
        self.cancelled.set()

    @property
    def tokens_per_s(self) -> float | None:
        decode = (self.seconds or 0) - (self.ttft_s or 0)
        return (self.completion_tokens - 1) / decode if self.completion_tokens > 1 and decode > 0 else None

    async def __aiter__(self) -> AsyncIterator[str]:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            if isinstance(item, Exception):
                raise item
            yield item


class _Row:
    """Decode state of one request inside a batch."""

    def __init__(self, gen: Generation, tokenizer, stop_ids: set[int]):
        self.gen, self.tokenizer, self.stop_ids = gen, tokenizer, stop_ids
        self.ids: list[int] = []
        self.sent = ""
        self.done = False

    def add(self, token: int) -> None:
        if self.done:
            return
        if self.gen.cancelled.is_set():
            return self.finish("cancelled")
        if token in self.stop_ids:
            return self.finish("stop")
        self.ids.append(token)
        self.gen.completion_tokens = len(self.ids)
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if not text.endswith("\ufffd") and len(text) > len(self.sent):  # hold back half a UTF-8 character
            self.gen.push(text[len(self.sent):])
            self.sent = text
        if len(self.ids) >= self.gen.max_tokens:
            self.finish("length")

    def finish(self, reason: str) -> None:
        if not self.done:
            self.done = True
            self.gen.finish_reason = reason
            self.gen.push(None)


class TransformersEngine:
    """A loaded model with a bounded queue and a batching worker thread."""

    kind = "transformers"

    def __init__(self, spec: str, max_batch: int = 8, queue_size: int = 32, batch_wait_s: float = 0.01,
                 device: str | None = None, name: str | None = None):
        from chatforge.models.load import load_model
        from chatforge.models.templates import stop_token_ids

        self.model, self.tokenizer = load_model(spec, device=device)
        self.tokenizer.padding_side = "left"
        self.name = name or str(spec)
        self.context_length = int(getattr(self.model.config, "max_position_embeddings", 0) or 0) or None
        self.stop_ids = set(stop_token_ids(self.tokenizer, self.model.config.model_type))
        self.max_batch, self.queue_size, self.batch_wait_s = max_batch, queue_size, batch_wait_s
        self._waiting: collections.deque[Generation] = collections.deque()
        self._cond = threading.Condition()
        self.active = 0  # rows being decoded now
        self.batches = 0
        self.batch_sizes: collections.Counter = collections.Counter()
        self._closed = False
        self._worker = threading.Thread(target=self._run, name=f"engine-{self.name}", daemon=True)
        self._worker.start()

    @property
    def queue_depth(self) -> int:
        return len(self._waiting)

    def encode(self, messages: list[dict]) -> list[int]:
        enc = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=True)
        return list(enc["input_ids"])

    def submit(self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0) -> Generation:
        ids = self.encode(messages)
        if self.context_length and len(ids) + max_tokens > self.context_length:
            raise ContextTooLong(f"this model's context limit is {self.context_length} tokens; the prompt has {len(ids)} "
                                 f"and max_tokens asks for {max_tokens} more: shorten the conversation or lower max_tokens")
        gen = Generation(len(ids), max_tokens, temperature, top_p, messages)
        gen.prompt_ids = ids
        with self._cond:
            if len(self._waiting) >= self.queue_size:
                raise QueueFull(f"generation queue is full ({self.queue_size} waiting)")
            self._waiting.append(gen)
            self._cond.notify()
        return gen

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _take_batch(self) -> list[Generation]:
        with self._cond:
            while not self._waiting and not self._closed:
                self._cond.wait()
            if self._closed:
                return []
        time.sleep(self.batch_wait_s)  # let requests arriving together share the batch
        with self._cond:
            first = self._waiting[0]
            key = (first.temperature, first.top_p)
            batch, rest = [], collections.deque()
            while self._waiting:
                gen = self._waiting.popleft()
                if gen.cancelled.is_set():
                    gen.finish_reason = "cancelled"
                    gen.push(None)
                elif len(batch) < self.max_batch and (gen.temperature, gen.top_p) == key:
                    batch.append(gen)
                else:
                    rest.append(gen)
            self._waiting.extend(rest)
            return batch

    def _run(self) -> None:
        while True:
            batch = self._take_batch()
            if self._closed:
                return
            if not batch:
                continue
            self.active = len(batch)
            try:
                self._generate(batch)
            except Exception as exc:  # one bad batch must not kill the worker
                for gen in batch:
                    if gen.finish_reason is None:
                        gen.finish_reason = "error"
                        gen.push(EngineError(f"generation failed: {type(exc).__name__}: {exc}"))
            finally:
                self.active = 0

    def _generate(self, batch: list[Generation]) -> None:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList
        from transformers.generation.streamers import BaseStreamer

        rows = [_Row(g, self.tokenizer, self.stop_ids) for g in batch]
        width = max(len(g.prompt_ids) for g in batch)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.tensor([[pad] * (width - len(g.prompt_ids)) + g.prompt_ids for g in batch])
        mask = torch.tensor([[0] * (width - len(g.prompt_ids)) + [1] * len(g.prompt_ids) for g in batch])

        class Streamer(BaseStreamer):
            prompt_seen = False

            def put(self, value):
                if not self.prompt_seen:  # the first call carries the prompt
                    self.prompt_seen = True
                    return
                for row, token in zip(rows, value.reshape(-1).tolist()):
                    row.add(token)

            def end(self):
                for row in rows:
                    row.finish("length")

        class RowsDone(StoppingCriteria):  # per-row: finished, cancelled or at its own max_tokens
            def __call__(self, input_ids, scores, **kwargs):
                for row in rows:
                    if not row.done and row.gen.cancelled.is_set():
                        row.finish("cancelled")
                return torch.tensor([row.done for row in rows], device=input_ids.device)

        first = batch[0]
        kwargs = dict(input_ids=input_ids.to(self.model.device), attention_mask=mask.to(self.model.device),
                      max_new_tokens=max(g.max_tokens for g in batch), streamer=Streamer(),
                      stopping_criteria=StoppingCriteriaList([RowsDone()]), pad_token_id=pad,
                      eos_token_id=sorted(self.stop_ids) or None, do_sample=first.temperature > 0)
        if first.temperature > 0:
            kwargs.update(temperature=first.temperature, top_p=first.top_p)
        self.batches += 1
        self.batch_sizes[len(batch)] += 1
        with torch.inference_mode():
            self.model.generate(**kwargs)


class LlamaCppEngine:
    """A GGUF file run in process by llama-cpp-python, one request at a time."""

    kind = "llamacpp"

    def __init__(self, spec: str, n_ctx: int = 4096, queue_size: int = 32, name: str | None = None):
        try:
            from llama_cpp import Llama
        except ImportError:
            raise EngineUnavailable("the llamacpp engine needs llama-cpp-python: pip install llama-cpp-python") from None
        from chatforge.models.load import resolve

        res = resolve(spec)
        if res.gguf is None:
            raise EngineUnavailable(f"{spec}: the llamacpp engine needs a .gguf model (export it first)")
        self.llm = Llama(model_path=str(res.gguf), n_ctx=n_ctx, verbose=False)
        self.name = name or str(spec)
        self.context_length = n_ctx
        self.queue_size = queue_size
        self._lock = threading.Lock()
        self._pending = 0
        self.active = 0

    @property
    def queue_depth(self) -> int:
        return max(0, self._pending - self.active)

    def submit(self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0) -> Generation:
        n_prompt = len(self.llm.tokenize("\n".join(m["content"] for m in messages).encode("utf-8")))
        if n_prompt + max_tokens > self.context_length:
            raise ContextTooLong(f"this model's context limit is {self.context_length} tokens; the prompt has about "
                                 f"{n_prompt} and max_tokens asks for {max_tokens} more")
        if self._pending >= self.queue_size:
            raise QueueFull(f"generation queue is full ({self.queue_size} waiting)")
        gen = Generation(n_prompt, max_tokens, temperature, top_p, messages)
        self._pending += 1
        threading.Thread(target=self._run, args=(gen,), daemon=True).start()
        return gen

    def _run(self, gen: Generation) -> None:
        try:
            with self._lock:  # llama.cpp contexts are not thread-safe
                self.active = 1
                if gen.cancelled.is_set():
                    gen.finish_reason = "cancelled"
                    return gen.push(None)
                for chunk in self.llm.create_chat_completion(messages=gen.messages, max_tokens=gen.max_tokens,
                                                             temperature=gen.temperature, top_p=gen.top_p, stream=True):
                    choice = chunk["choices"][0]
                    text = choice.get("delta", {}).get("content")
                    if text:
                        gen.completion_tokens += 1
                        gen.push(text)
                    if choice.get("finish_reason"):
                        gen.finish_reason = choice["finish_reason"]
                    if gen.cancelled.is_set():
                        gen.finish_reason = "cancelled"
                        break
                gen.push(None)
        except Exception as exc:
            gen.push(EngineError(f"llama.cpp generation failed: {exc}"))
        finally:
            self.active = 0
            self._pending -= 1


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

    def submit(self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0) -> Generation:
        gen = Generation(None, max_tokens, temperature, top_p, messages)
        task = gen.loop.create_task(self._forward(gen))
        gen.cancel = lambda: (gen.cancelled.set(), task.cancel())  # a disconnect closes the upstream stream too
        return gen

    async def _forward(self, gen: Generation) -> None:
        import httpx

        body = {"model": self.remote_model or "default", "messages": gen.messages, "max_tokens": gen.max_tokens,
                "temperature": gen.temperature, "top_p": gen.top_p, "stream": True,
                "stream_options": {"include_usage": True}}
        self.active += 1
        try:
            async with httpx.AsyncClient(timeout=self.timeout, headers=self.headers) as client:
                async with client.stream("POST", f"{self.base_url}/chat/completions", json=body) as resp:
                    if resp.status_code >= 400:
                        err = EngineError(f"backend {self.base_url} answered {resp.status_code}: {(await resp.aread())[:500]!r}")
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


def llamacpp_available() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


def make_engine(spec: str, engine: str = "auto", backend_url: str | None = None, backend_key: str | None = None,
                max_batch: int = 8, queue_size: int = 32, device: str | None = None):
    """The engine for a model: remote when `backend_url`, else llama.cpp when asked (or `auto` on CPU with a GGUF)."""
    if backend_url:
        return RemoteEngine(backend_url, backend_key, model=spec)
    if engine == "auto":
        import torch

        from chatforge.models.load import resolve

        on_cpu = (device or ("cuda" if torch.cuda.is_available() else "cpu")) == "cpu"
        engine = "llamacpp" if on_cpu and llamacpp_available() and resolve(spec).gguf is not None else "transformers"
    if engine == "llamacpp":
        return LlamaCppEngine(spec, queue_size=queue_size)
    if engine == "transformers":
        return TransformersEngine(spec, max_batch=max_batch, queue_size=queue_size, device=device)
    raise EngineUnavailable(f"unknown engine {engine!r}: transformers, llamacpp or auto")
