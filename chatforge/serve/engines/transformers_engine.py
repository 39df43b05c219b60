"""`TransformersEngine`: any model `chatforge.models.load` accepts, batched on one worker thread.

Requests wait in a bounded queue; one worker thread takes up to `max_batch` waiting requests with
the same sampling settings and decodes them as one left-padded batch, streaming each row's tokens
as they come. A full queue raises `QueueFull` (the API answers 503 with Retry-After).
"""

from __future__ import annotations

import collections
import threading
import time

from chatforge.serve.engines.base import ContextTooLong, EngineError, Generation, QueueFull


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
