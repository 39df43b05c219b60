"""The running batch of continuous batching: rows join after their prefill, decode one token a step, leave when done.

`TransformersEngine`'s worker thread drives it between decoding steps:

    batch.admit(rows)   # prefill the newcomers together, stream their first token, merge their KV cache in
    batch.step()        # one token for every row (each with its own temperature / top_p), streamed
                        # finished and cancelled rows are dropped right after the step

Layout: B rows over W cache columns, left-padded. Row r's real tokens are the last n_r columns of
every layer's keys/values ([B, heads, W, head_dim], a `DynamicCache`); `mask` [B, W] is 1 on them
and `positions` [B] is n_r, the position id of the token the row feeds next. A newcomer's cache is
left-padded (or the batch's is) to the wider of the two and concatenated on the batch dimension;
columns that are padding in every row (left behind by rows that left) are cut away. This is what
`model.generate` does for a fixed batch, made open to rows joining and leaving. A newcomer's whole
prompt is prefilled in one forward pass (no chunked prefill): a long prompt delays the running
rows' next token by that pass.

We keep our own loop rather than transformers' `ContinuousBatchingManager` (5.23): on CPU its
default cache sizing took 28 s for four 32-token requests the plain forward does in 0.1 s, and it
samples every row of a batch alike (one `do_sample`), while our requests mix greedy and sampled.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from transformers import DynamicCache, TemperatureLogitsWarper, TopPLogitsWarper


def _rebuilt(cache: DynamicCache, reshape) -> DynamicCache:
    """A new cache whose every layer's keys and values are `reshape(tensor)`."""
    out = DynamicCache()
    for i, layer in enumerate(cache.layers):
        if getattr(layer, "keys", None) is not None and layer.keys.numel():
            out.update(reshape(layer.keys), reshape(layer.values), i)
    return out


def _left_pad(t: torch.Tensor, width: int, dim: int) -> torch.Tensor:
    """Zeros added on the left of `dim` up to `width` columns."""
    extra = width - t.shape[dim]
    if extra <= 0:
        return t
    pad = [0, 0] * (t.dim() - 1 - dim) + [extra, 0]  # F.pad lists the last dimension first
    return F.pad(t, pad)


def sample(logits: torch.Tensor, rows: list) -> torch.Tensor:
    """Next token per row: argmax for temperature 0, else that row's temperature and top_p ([B, V] -> [B])."""
    logits = logits.float()
    tokens = logits.argmax(-1)
    groups: dict[tuple[float, float], list[int]] = {}
    for i, row in enumerate(rows):
        if row.gen.temperature > 0:
            groups.setdefault((row.gen.temperature, row.gen.top_p), []).append(i)
    for (temperature, top_p), idx in groups.items():
        scores = TemperatureLogitsWarper(temperature)(None, logits[idx])
        if top_p < 1.0:
            scores = TopPLogitsWarper(top_p)(None, scores)
        tokens[idx] = torch.multinomial(scores.softmax(-1), 1).squeeze(-1)
    return tokens


class DecodeBatch:
    """The rows being decoded now and their shared, left-padded KV cache."""

    def __init__(self, model, pad_id: int):
        self.model, self.pad_id = model, pad_id
        self.rows: list = []
        self.cache: DynamicCache | None = None
        self.mask = self.positions = self.last = None  # [B, W], [B], [B] (the token each row feeds next)

    def __len__(self) -> int:
        return len(self.rows)

    def admit(self, rows: list) -> None:
        """Prefill `rows` (each a `_Row` with `gen.prompt_ids`) as one left-padded batch and merge them in."""
        device = self.model.device
        width = max(len(r.gen.prompt_ids) for r in rows)
        ids = torch.tensor(
            [[self.pad_id] * (width - len(r.gen.prompt_ids)) + r.gen.prompt_ids for r in rows], device=device
        )
        mask = torch.tensor(
            [[0] * (width - len(r.gen.prompt_ids)) + [1] * len(r.gen.prompt_ids) for r in rows], device=device
        )
        cache = DynamicCache()
        out = self.model(
            input_ids=ids,
            attention_mask=mask,
            position_ids=(mask.cumsum(-1) - 1).clamp(min=0),
            past_key_values=cache,
            use_cache=True,
            logits_to_keep=1,
        )
        tokens = sample(out.logits[:, -1], rows)
        for row, token in zip(rows, tokens.tolist()):
            row.add(token)  # the first token streams now, before the next step
        self._merge(rows, cache, mask, mask.sum(-1), tokens)
        self._drop_done()

    def step(self) -> None:
        """Decode one token for every row, stream it, drop the rows that finished."""
        for row in self.rows:
            if row.gen.cancelled.is_set():
                row.finish("cancelled")
        self._drop_done()
        if not self.rows:
            return
        self.mask = torch.cat([self.mask, self.mask.new_ones(len(self.rows), 1)], dim=1)
        out = self.model(
            input_ids=self.last[:, None],
            attention_mask=self.mask,
            position_ids=self.positions[:, None],
            past_key_values=self.cache,
            use_cache=True,
        )
        self.positions = self.positions + 1
        self.last = sample(out.logits[:, -1], self.rows)
        for row, token in zip(self.rows, self.last.tolist()):
            row.add(token)
        self._drop_done()

    def fail(self, exc: Exception) -> None:
        """Every row gets `exc`; the batch is emptied so the worker can go on."""
        for row in self.rows:
            row.fail(exc)
        self.rows, self.cache, self.mask, self.positions, self.last = [], None, None, None, None

    def _merge(
        self, rows: list, cache: DynamicCache, mask: torch.Tensor, positions: torch.Tensor, tokens: torch.Tensor
    ) -> None:
        if self.cache is None:
            self.rows, self.cache, self.mask, self.positions, self.last = list(rows), cache, mask, positions, tokens
            return
        width = max(self.mask.shape[1], mask.shape[1])
        new_layers = [(layer.keys, layer.values) for layer in cache.layers]
        merged = DynamicCache()
        for i, layer in enumerate(self.cache.layers):
            keys, values = new_layers[i]
            merged.update(
                torch.cat([_left_pad(layer.keys, width, 2), _left_pad(keys, width, 2)]),
                torch.cat([_left_pad(layer.values, width, 2), _left_pad(values, width, 2)]),
                i,
            )
        self.cache = merged
        self.mask = torch.cat([_left_pad(self.mask, width, 1), _left_pad(mask, width, 1)])
        self.positions = torch.cat([self.positions, positions])
        self.last = torch.cat([self.last, tokens])
        self.rows = self.rows + list(rows)

    def _drop_done(self) -> None:
        keep = [i for i, row in enumerate(self.rows) if not row.done]
        if len(keep) == len(self.rows):
            return
        if not keep:
            self.rows, self.cache, self.mask, self.positions, self.last = [], None, None, None, None
            return
        idx = torch.tensor(keep, device=self.mask.device)
        mask = self.mask[idx]
        cut = int((mask.sum(0) == 0).long().cumprod(0).sum())  # leading columns that are padding in every kept row
        self.cache = _rebuilt(self.cache, lambda t: t[idx, :, cut:])
        self.mask, self.positions, self.last = mask[:, cut:], self.positions[idx], self.last[idx]
        self.rows = [self.rows[i] for i in keep]
