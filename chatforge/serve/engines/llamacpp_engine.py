"""`LlamaCppEngine`: a GGUF file run in process by llama-cpp-python, one request at a time.

The model's own `.gguf` (the packaged default is one), or for a model folder its GGUF export, made
once and cached by content hash (models/gguf_export.py). `make setup` installs llama-cpp-python;
without it (`pip install chatforge[gguf]` adds it) `--engine llamacpp` fails
at start-up with `EngineUnavailable` naming that extra, and `make_engine(engine="auto")` picks
transformers instead. Requests wait in a bounded queue (a full queue raises `QueueFull`: the API
answers 503 with Retry-After) for one worker thread, because a llama.cpp context is not
thread-safe. The prompt is written by the same chat template as the transformers engine's (the
tokenizer `chatforge.models.load` gives for the GGUF, whose vocabulary it is), so both engines
see the same tokens and `prompt_tokens` is exact; completion tokens are the streamed chunks
(llama-cpp-python sends one per token, with empty text while a UTF-8 character is incomplete).
"""

from __future__ import annotations

import threading

from chatforge.serve.engines.base import EngineError, EngineUnavailable, Generation, QueuedEngine

MISSING = "the llamacpp engine needs llama-cpp-python: pip install chatforge[gguf] (or --engine transformers)"


def llamacpp_available() -> bool:
    from chatforge.models.gguf_export import import_llama_cpp

    try:
        import_llama_cpp()
    except ImportError:
        return False
    return True


class LlamaCppEngine(QueuedEngine):
    """A GGUF file run in process by llama-cpp-python behind a bounded queue and one worker thread."""

    kind = "llamacpp"

    def __init__(self, spec: str, n_ctx: int = 4096, queue_size: int = 32, name: str | None = None):
        from chatforge.errors import ModelError
        from chatforge.models.gguf_export import gguf_for, import_llama_cpp, open_llama

        try:
            import_llama_cpp()
        except ImportError:
            raise EngineUnavailable(MISSING) from None
        from chatforge.models.load import load_tokenizer

        try:  # its own .gguf, or its folder exported once (cached by content hash)
            gguf = gguf_for(spec).path
        except ModelError as exc:
            raise EngineUnavailable(f"the llamacpp engine cannot run {spec}: {exc}") from None
        self.tokenizer = load_tokenizer(spec)
        self.llm = open_llama(gguf, n_ctx=n_ctx)
        self.name = name or str(spec)
        self._start_queue(queue_size, n_ctx)
        self._worker = threading.Thread(target=self._run, name=f"llamacpp-{self.name}", daemon=True)
        self._worker.start()

    def close(self) -> None:
        super().close()
        self._worker.join(30)
        getattr(self.llm, "close", lambda: None)()  # frees the model now, not in __del__ at interpreter exit

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._waiting and not self._closed:
                    self._cond.wait()
                if self._closed:  # nobody waits forever on a closed engine
                    for gen in self._waiting:
                        gen.finish_reason = "error"
                        gen.push(EngineUnavailable("the engine was closed"))
                    self._waiting.clear()
                    return
                gen = self._waiting.popleft()
                self.active = 1
            try:
                self._generate(gen)
            except Exception as exc:  # one failed request must not kill the worker
                gen.finish_reason = "error"
                gen.push(EngineError(f"llama.cpp generation failed: {type(exc).__name__}: {exc}"))
            finally:
                self.active = 0

    def _generate(self, gen: Generation) -> None:
        if gen.cancelled.is_set():
            gen.finish_reason = "cancelled"
            return gen.push(None)
        # top_k=0 and min_p=0 turn off llama.cpp's extra samplers: the same sampling as the transformers engine
        chunks = self.llm.create_completion(
            gen.prompt_ids,
            max_tokens=gen.max_tokens,
            temperature=gen.temperature,
            top_p=gen.top_p,
            top_k=0,
            min_p=0.0,
            stream=True,
        )
        try:
            for chunk in chunks:
                choice = chunk["choices"][0]
                if (
                    choice.get("finish_reason") is None
                ):  # one chunk per generated token, even while its text is held back
                    gen.completion_tokens += 1
                if choice.get("text"):
                    gen.push(choice["text"])
                if choice.get("finish_reason"):
                    gen.finish_reason = choice["finish_reason"]
                if gen.cancelled.is_set():
                    gen.finish_reason = "cancelled"
                    break
        finally:
            getattr(chunks, "close", lambda: None)()  # a cancelled stream stops decoding now
        gen.push(None)
