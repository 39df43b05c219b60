"""`TransformersEngine`: any model `chatforge.models.load` accepts, continuously batched on one worker thread.

Requests wait in a bounded queue (a full queue raises `QueueFull`: the API answers 503 with
Retry-After). One worker thread runs a `DecodeBatch` of up to `max_batch` rows: between two
decoding steps it admits waiting requests (prefilled together, then merged into the running
batch), and a row leaves as soon as it stops, reaches its max_tokens or is cancelled. Rows keep
their own temperature and top_p; each row's text streams as its tokens come. An idle engine holds
its first request while companions keep arriving (each within `batch_wait_s` of the last, at most
`batch_window_s` in all), so that clients starting together share one prefill and one full batch;
on CPU the LM head's weight is kept column-major, the layout in which a batched step is cheapest.
"""

from __future__ import annotations

import collections
import threading
import time

from chatforge.serve.engines.base import EngineError, EngineUnavailable, Generation, QueuedEngine


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
            self.gen.push(text[len(self.sent) :])
            self.sent = text
        if len(self.ids) >= self.gen.max_tokens:
            self.finish("length")

    def finish(self, reason: str) -> None:
        if not self.done:
            self.done = True
            text = self.tokenizer.decode(self.ids, skip_special_tokens=True) if self.ids else ""
            if len(text) > len(self.sent):  # a character cut by the end is sent as U+FFFD, not lost
                self.gen.push(text[len(self.sent) :])
            self.gen.finish_reason = reason
            self.gen.push(None)

    def fail(self, exc: Exception) -> None:
        if not self.done:
            self.done = True
            self.gen.finish_reason = "error"
            self.gen.push(
                exc if isinstance(exc, EngineError) else EngineError(f"generation failed: {type(exc).__name__}: {exc}")
            )


def column_major_head(model) -> bool:
    """On CPU, keep the LM head's weight [vocab, hidden] in column-major memory: same values, shape and tied
    embedding, but `x @ weight.T` then reads a contiguous [hidden, vocab] matrix. With one row both layouts cost
    about the same (a 1-row step of the default model measured 5-10 % slower); with 8 rows MKL's sgemm on the
    row-major layout ran the default model's 262,144 x 640 head 1.8x slower, which made an 8-row decoding step
    cost 2.6 one-row steps instead of 1.9-2.2 (benchmarks/decode_step.py). Returns whether the layout changed."""
    weight = getattr(model.get_output_embeddings(), "weight", None)
    if weight is None or weight.device.type != "cpu" or weight.dim() != 2 or not weight.is_contiguous():
        return False
    weight.data = weight.data.t().contiguous().t()  # a tied input embedding shares the Parameter, so it follows
    return True


class TransformersEngine(QueuedEngine):
    """A loaded model with a bounded queue and a continuous-batching worker thread."""

    kind = "transformers"

    def __init__(
        self,
        spec: str,
        max_batch: int = 8,
        queue_size: int = 32,
        batch_wait_s: float = 0.02,
        device: str | None = None,
        name: str | None = None,
        batch_window_s: float = 0.1,
    ):
        from chatforge.models.load import load_model
        from chatforge.models.templates import stop_token_ids

        self.model, self.tokenizer = load_model(spec, device=device)
        self.model.eval()
        if max_batch > 1:  # the layout speeds up batched steps and costs a single row a little (column_major_head)
            column_major_head(self.model)
        self.name = name or str(spec)
        self.stop_ids = set(stop_token_ids(self.tokenizer, self.model.config.model_type))
        # an idle engine waits for a request's companions: until none came for batch_wait_s, at most
        # batch_window_s (or batch_wait_s when longer) after the first, or until the batch is full
        self.max_batch, self.batch_wait_s, self.batch_window_s = (
            max_batch,
            batch_wait_s,
            max(batch_window_s, batch_wait_s),
        )
        self._start_queue(queue_size, int(getattr(self.model.config, "max_position_embeddings", 0) or 0) or None)
        self.steps = 0  # decoding steps run
        self.batch_sizes: collections.Counter = collections.Counter()  # rows in a decoding step -> steps
        self.admitted: list[tuple[int, int]] = []  # (step, rows already decoding) per admission, the last 1000
        self._worker = threading.Thread(target=self._run, name=f"engine-{self.name}", daemon=True)
        self._worker.start()

    def _take(self, free: int, idle: bool) -> list[_Row]:
        """Up to `free` waiting requests; when `idle`, block for the first, then let its companions arrive."""
        with self._cond:
            while idle and not self._waiting and not self._closed:
                self._cond.wait()
            if idle:
                self._gather(free)
        rows = []
        with self._cond:
            while self._waiting and len(rows) < free and not self._closed:
                gen = self._waiting.popleft()
                if gen.cancelled.is_set():
                    gen.finish_reason = "cancelled"
                    gen.push(None)
                else:
                    rows.append(_Row(gen, self.tokenizer, self.stop_ids))
        return rows

    def _gather(self, free: int) -> None:
        """Hold the first request (under `_cond`) while its companions keep arriving, so that clients starting
        together share one prefill and decode in one full batch: a fixed pause missed the ones that came a few
        milliseconds late over HTTP, which were then prefilled one by one while the first rows decoded, and ended
        their answers in a shrinking batch."""
        now = time.monotonic()
        deadline, quiet_until = now + self.batch_window_s, now + self.batch_wait_s
        while not self._closed and len(self._waiting) < free:
            left = min(deadline, quiet_until) - time.monotonic()
            if left <= 0:
                return
            seen = len(self._waiting)
            self._cond.wait(left)
            if len(self._waiting) > seen:  # a companion came: the next one gets batch_wait_s too
                quiet_until = time.monotonic() + self.batch_wait_s

    def _run(self) -> None:
        import torch

        from chatforge.serve.engines.decode_batch import DecodeBatch  # torch loads with the first engine, not on import

        batch = DecodeBatch(self.model, self.tokenizer.pad_token_id)
        while not self._closed:
            newcomers = self._take(self.max_batch - len(batch), idle=not batch)
            self.active = len(batch) + len(newcomers)
            try:
                with torch.inference_mode():
                    if newcomers:
                        self.admitted = self.admitted[-999:] + [(self.steps, len(batch))]
                        try:
                            batch.admit(newcomers)
                        except Exception as exc:  # a bad prompt fails its own rows, not the running ones
                            for row in newcomers:
                                row.fail(exc)
                    if batch:
                        self.batch_sizes[len(batch)] += 1
                        self.steps += 1
                        batch.step()
            except Exception as exc:  # one failed step must not kill the worker
                batch.fail(exc)
            self.active = len(batch)
        closed = EngineUnavailable("the engine was closed")  # nobody waits forever on a closed engine
        self.active = 0
        with self._cond:
            waiting = [_Row(gen, self.tokenizer, self.stop_ids) for gen in self._waiting]
            self._waiting.clear()
        for row in batch.rows + waiting:
            row.fail(closed)
