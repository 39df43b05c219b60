"""What every generation engine shares: the `Engine` protocol, `Generation` (one request's streamed output),
`QueuedEngine` (the encode / check / bounded queue in front of a worker thread) and the errors.

An engine turns chat messages into a `Generation`: an async iterator of text pieces that, once
exhausted, holds `prompt_tokens`, `completion_tokens`, `finish_reason` and `ttft_s`. Pieces are
pushed from any thread; cancelling it (a client that disconnects) frees its slot at the engine's
next decode step. `submit` may run in a worker thread of the event loop that reads the Generation
(the API tokenises there). `EngineError.status` is the HTTP code the API answers with.

The in-process engines (transformers, llama.cpp) derive from `QueuedEngine`: `submit` writes the prompt
with the model's chat template, refuses one over the context limit (`ContextTooLong`), and queues it for
the engine's worker thread, or raises `QueueFull` when `queue_size` requests already wait.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from chatforge.errors import UserError


class EngineError(UserError, RuntimeError):
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
        try:
            self.loop = asyncio.get_running_loop()
        except RuntimeError:  # submitted from a worker thread (the API tokenises off the event loop): its loop
            from anyio.from_thread import run_sync

            self.loop = run_sync(asyncio.get_running_loop)
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


@runtime_checkable
class Engine(Protocol):
    """What the API and the metrics ask of an engine (transformers, llama.cpp, remote, registry-watched)."""

    kind: str  # transformers | llamacpp | remote
    name: str  # the model spec it serves
    active: int  # requests being generated now

    @property
    def queue_depth(self) -> int: ...

    def submit(
        self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0
    ) -> Generation: ...

    def close(self) -> None: ...


class QueuedEngine:
    """An engine's front: chat template, context check and a bounded queue read by the engine's worker thread.

    A subclass sets `tokenizer` and calls `_start_queue`; its worker takes from `_waiting` under `_cond` and
    stops once `_closed` is set."""

    tokenizer = None
    context_length: int | None = None

    def _start_queue(self, queue_size: int, context_length: int | None) -> None:
        self.queue_size, self.context_length = queue_size, context_length
        self._waiting: collections.deque[Generation] = collections.deque()
        self._cond = threading.Condition()
        self._closed = False
        self.active = 0  # requests being generated now

    @property
    def queue_depth(self) -> int:
        return len(self._waiting)

    def encode(self, messages: list[dict]) -> list[int]:
        """The prompt's token ids under the model's chat template, ready for the assistant's answer."""
        enc = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_dict=True)
        return list(enc["input_ids"])

    def submit(self, messages: list[dict], max_tokens: int, temperature: float = 0.0, top_p: float = 1.0) -> Generation:
        ids = self.encode(messages)
        if self.context_length and len(ids) + max_tokens > self.context_length:
            raise ContextTooLong(
                f"this model's context limit is {self.context_length} tokens; the prompt has {len(ids)} "
                f"and max_tokens asks for {max_tokens} more: shorten the conversation or lower max_tokens"
            )
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
