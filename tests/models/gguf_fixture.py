"""Tiny GGUF files for the tests: chatforge's own GGUF writer (models/gguf_write.py), the layout llama.cpp's converter writes."""

from chatforge.models.gguf_write import write_llama_gguf

__all__ = ["write_llama_gguf"]
