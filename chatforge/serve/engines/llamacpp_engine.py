"""`LlamaCppEngine`: a GGUF file run in process by llama-cpp-python, one request at a time.

llama-cpp-python is optional (`pip install chatforge[gguf]`): without it the engine raises
`EngineUnavailable`, and `make_engine(engine="auto")` picks transformers instead.
"""

from __future__ import annotations

import threading

from chatforge.serve.engines.base import ContextTooLong, EngineError, EngineUnavailable, Generation, QueueFull


def llamacpp_available() -> bool:
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


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
