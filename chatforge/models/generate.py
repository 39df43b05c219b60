"""Streaming generation and the terminal chat loop.

    chatforge generate --model default --prompt "Les bagages en soute"
    chatforge chat --model default

`stream` runs `model.generate` in a thread and yields text pieces as a
`TextIteratorStreamer` releases them. `chat_loop` keeps the conversation and
renders it with the tokenizer's chat template (templates.py) at every turn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from chatforge.models.templates import stop_token_ids


def stream(
    model,
    tokenizer,
    prompt: str | None = None,
    messages: list[dict] | None = None,
    max_new_tokens: int = 128,
    temperature: float = 0.0,
    top_p: float = 1.0,
    seed: int | None = None,
    stats: dict | None = None,
) -> Iterator[str]:
    """Yield generated text pieces for a raw `prompt`, or for chat `messages` through the chat template.

    `stats`, if given, is filled with prompt_tokens, new_tokens, ttft_s (time to first piece) and tokens_per_s.
    """
    import torch
    from transformers import TextIteratorStreamer

    if messages is not None:
        enc = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    else:
        enc = tokenizer(prompt or "", return_tensors="pt")
    enc = {k: v.to(model.device) for k, v in enc.items()}
    if seed is not None:
        torch.manual_seed(seed)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    kwargs = dict(
        **enc,
        max_new_tokens=max_new_tokens,
        streamer=streamer,
        eos_token_id=stop_token_ids(tokenizer, model.config.model_type) or None,
        pad_token_id=tokenizer.pad_token_id,
        do_sample=temperature > 0,
    )
    if temperature > 0:
        kwargs.update(temperature=temperature, top_p=top_p)
    result: dict = {}

    def work() -> None:
        with torch.inference_mode():
            result["out"] = model.generate(**kwargs)

    start = time.perf_counter()
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    first = None
    for piece in streamer:
        if piece and first is None:
            first = time.perf_counter()
        yield piece
    thread.join()
    if stats is not None:
        n_prompt = enc["input_ids"].shape[1]
        n_new = int(result["out"].shape[1] - n_prompt) if "out" in result else 0
        elapsed = time.perf_counter() - start
        decode = elapsed - ((first or start) - start)
        stats.update(
            prompt_tokens=n_prompt,
            new_tokens=n_new,
            ttft_s=round((first or start) - start, 4),
            seconds=round(elapsed, 3),
            tokens_per_s=round((n_new - 1) / decode, 2) if n_new > 1 and decode > 0 else None,
        )


def chat_loop(
    model, tokenizer, read: Callable[[], str | None], write: Callable[[str], None], system: str | None = None, **gen
) -> list[dict]:
    """A REPL: read a user line, stream the reply, keep the history. Ends on None, '/exit' or '/quit'.

    '/reset' clears the conversation. Returns the messages exchanged.
    """
    messages: list[dict] = [{"role": "system", "content": system}] if system else []
    while True:
        line = read()
        if line is None or line.strip() in ("/exit", "/quit"):
            return messages
        if line.strip() == "/reset":
            messages = messages[:1] if system else []
            continue
        if not line.strip():
            continue
        messages.append({"role": "user", "content": line})
        reply = ""
        for piece in stream(model, tokenizer, messages=messages, **gen):
            reply += piece
            write(piece)
        write("\n")
        messages.append({"role": "assistant", "content": reply.strip()})
