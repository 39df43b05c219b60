"""What every generation engine shares: `Generation` (one request's streamed output) and the errors.

An engine turns chat messages into a `Generation`: an async iterator of text pieces that, once
exhausted, holds `prompt_tokens`, `completion_tokens`, `finish_reason` and `ttft_s`. Pieces are
pushed from any thread; cancelling it (a client that disconnects) frees its slot at the engine's
next decode step. `submit` may run in a worker thread of the event loop that reads the Generation
(the API tokenises there). `EngineError.status` is the HTTP code the API answers with.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator

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
