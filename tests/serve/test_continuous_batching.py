"""Continuous batching: a request arriving mid-decode joins at the next step; rows leave when done; greedy stays exact."""

import asyncio

import pytest
import torch

from chatforge.models.tiny import build_tiny_model
from chatforge.serve.engines import EngineError, TransformersEngine

LONG_Q = [{"role": "user", "content": "Le vol part de Nantes"}]
WIDE_Q = [
    {"role": "user", "content": "bagage " * 60}
]  # a longer prompt than the running row: the batch is padded to it
BRIEF_Q = [{"role": "user", "content": "Nice ?"}]  # a shorter one: it is padded to the batch
OTHER_Q = [{"role": "user", "content": "Nice ou Lyon ?"}]


@pytest.fixture(scope="module")
def lively_dir(tmp_path_factory):
    """The tiny Llama with weights far from their init scale: its greedy text changes token by token with the
    prompt (a freshly initialised one repeats a single token, which would make "token-exact" prove little).
    The stop tokens' (tied) embedding rows are zero, so greedy decoding never picks them: answers run to max_tokens."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = build_tiny_model(tmp_path_factory.mktemp("lively") / "model", context_length=4096)
    model = AutoModelForCausalLM.from_pretrained(folder)
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.normal_(0, 0.5, generator=g)
        stops = AutoTokenizer.from_pretrained(folder).convert_tokens_to_ids(["<|endoftext|>", "<|im_end|>"])
        model.get_input_embeddings().weight[stops] = 0  # logit 0, below the largest of ~380 random logits
    model.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def lively(lively_dir):
    engine = TransformersEngine(str(lively_dir), name="lively", max_batch=5, queue_size=8)
    yield engine
    engine.close()


def reference(engine, messages, max_tokens):
    """Greedy text, token count and finish reason from `model.generate` on this request alone."""
    ids = engine.encode(messages)
    out = engine.model.generate(
        torch.tensor([ids]),
        attention_mask=torch.ones(1, len(ids), dtype=torch.long),
        max_new_tokens=max_tokens,
        do_sample=False,
        eos_token_id=sorted(engine.stop_ids),
        pad_token_id=engine.tokenizer.pad_token_id,
    )[0, len(ids) :].tolist()
    stopped = next((i for i, t in enumerate(out) if t in engine.stop_ids), None)
    kept = out if stopped is None else out[:stopped]
    return (
        engine.tokenizer.decode(kept, skip_special_tokens=True),
        len(kept),
        "stop" if stopped is not None else "length",
    )


def test_request_joins_a_running_batch_and_outputs_stay_greedy_exact(lively):
    want_long, want_wide, want_brief = (
        reference(lively, LONG_Q, 1200),
        reference(lively, WIDE_Q, 16),
        reference(lively, BRIEF_Q, 24),
    )
    assert want_long[2] == "length" and len(set(want_long[0])) > 30  # a long, varied answer to join

    async def run():
        events, texts = [], {}

        async def consume(name, gen):
            parts = []
            async for piece in gen:
                parts.append(piece)
                events.append((name, "piece"))
            events.append((name, "end"))
            texts[name] = "".join(parts)

        long = lively.submit(LONG_Q, 1200)
        long_task = asyncio.create_task(consume("long", long))
        while not events:  # the long request is decoding
            await asyncio.sleep(0.001)
        admitted_before = len(lively.admitted)
        short = lively.submit(WIDE_Q, 16)
        brief = lively.submit(BRIEF_Q, 24)
        sampled = lively.submit(OTHER_Q, 16, temperature=1.0, top_p=0.9)  # its own sampling in the same steps
        quitter = lively.submit(OTHER_Q, 1000)
        async for _ in quitter:  # decoding alongside the others: cancel it, its row leaves mid-batch
            quitter.cancel()
        await asyncio.gather(consume("short", short), consume("brief", brief), consume("sampled", sampled), long_task)
        return long, short, brief, sampled, quitter, texts, events, lively.admitted[admitted_before:]

    long, short, brief, sampled, quitter, texts, events, admissions = asyncio.run(run())
    end = {name: events.index((name, "end")) for name in ("long", "short")}
    assert end["short"] < end["long"]  # the short request did not wait for the long one to finish
    assert ("long", "piece") in events[end["short"] :]  # the long one went on decoding after the short one left
    assert any(running >= 1 for _, running in admissions)  # newcomers were admitted into a running batch
    assert quitter.finish_reason == "cancelled" and quitter.completion_tokens < 1000
    assert (texts["short"], short.completion_tokens, short.finish_reason) == want_wide
    assert (texts["brief"], brief.completion_tokens, brief.finish_reason) == want_brief
    assert (texts["long"], long.completion_tokens, long.finish_reason) == want_long
    assert sampled.completion_tokens >= 1 and sampled.finish_reason in ("stop", "length")


def test_closing_the_engine_ends_running_and_waiting_requests(lively_dir):
    engine = TransformersEngine(str(lively_dir), name="closing", max_batch=1, queue_size=4)

    async def run():
        running = engine.submit(LONG_Q, 3000)
        async for _ in running:  # decoding: it holds the only row
            break
        waiting = engine.submit(BRIEF_Q, 8)
        engine.close()
        statuses = []
        for gen in (running, waiting):
            with pytest.raises(EngineError) as err:
                await asyncio.wait_for(_drain(gen), 10)  # ends with an error instead of waiting forever
            statuses.append((err.value.status, gen.finish_reason))
        return statuses, running.completion_tokens

    statuses, decoded = asyncio.run(run())
    assert statuses == [(503, "error"), (503, "error")] and decoded < 3000
    assert engine.active == 0 and engine.queue_depth == 0


async def _drain(gen):
    return [piece async for piece in gen]
