"""Batch formation and layout of the transformers engine: clients arriving a few milliseconds apart share one prefill and
decode as one batch, while a lone request is not held for the whole gathering window; the LM head is column-major
on CPU with unchanged logits."""

import asyncio
import time

from chatforge.serve.engines import TransformersEngine

Q = [{"role": "user", "content": "Bagages en soute pour Nice ?"}]


async def _drain(gen) -> int:
    async for _ in gen:
        pass
    return gen.completion_tokens


def test_requests_arriving_apart_are_prefilled_together(tiny_dir):
    # arrivals 10 ms apart span 70 ms: more than the 50 ms quiet gap, so a fixed pause after the first
    # arrival (the old behaviour) admitted the later ones in further prefills while the first rows decoded
    engine = TransformersEngine(
        str(tiny_dir), name="gather", max_batch=8, queue_size=16, batch_wait_s=0.05, batch_window_s=2.0
    )
    try:

        async def run():
            gens = []
            for _ in range(8):
                gens.append(engine.submit(Q, 6))
                await asyncio.sleep(0.01)
            return await asyncio.gather(*[_drain(g) for g in gens])

        tokens = asyncio.run(run())
        assert all(t >= 1 for t in tokens)
        assert engine.admitted == [(0, 0)]  # one prefill, into an empty batch, before the first step
        assert max(engine.batch_sizes) == 8
    finally:
        engine.close()


def test_a_lone_request_waits_only_the_quiet_gap(tiny_dir):
    engine = TransformersEngine(
        str(tiny_dir), name="lone", max_batch=8, queue_size=16, batch_wait_s=0.02, batch_window_s=30.0
    )
    try:

        async def run():
            start = time.perf_counter()
            gen = engine.submit(Q, 2)
            await _drain(gen)
            return time.perf_counter() - start

        assert asyncio.run(run()) < 10.0  # not the 30 s window: nobody else came within 20 ms
    finally:
        engine.close()


def test_lm_head_is_column_major_on_cpu_and_logits_are_unchanged(tiny_dir):
    import torch

    from chatforge.models.load import load_model

    engine = TransformersEngine(str(tiny_dir), name="layout", max_batch=2, queue_size=2)
    try:
        weight = engine.model.get_output_embeddings().weight
        vocab, hidden = weight.shape
        assert weight.stride() == (1, vocab)  # [hidden, vocab] contiguous underneath, same [vocab, hidden] shape
        plain, _ = load_model(str(tiny_dir), device="cpu")
        assert plain.get_output_embeddings().weight.stride() == (hidden, 1)
        assert torch.equal(weight, plain.get_output_embeddings().weight)
        ids = torch.tensor([engine.encode(Q)] * 3)
        with torch.inference_mode():
            ours, theirs = engine.model(input_ids=ids).logits, plain(input_ids=ids).logits
        assert torch.allclose(ours, theirs, atol=1e-5) and torch.equal(ours.argmax(-1), theirs.argmax(-1))
    finally:
        engine.close()
