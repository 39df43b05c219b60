"""The typed results of `chatforge models inspect`, `models recommend`, `generate` and `chat`: their `--json`
summaries, validated before they are printed; `chatforge run` checks summary references against them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chatforge.command import Result


class InspectResult(Result):
    """`chatforge models inspect`."""

    name: str = Field(description="The model spec as given.")
    kind: str = Field(description="hub, folder, adapter, gguf or default.")
    source: str = Field(description="Where the weights are read from (a folder or the GGUF cache).")
    architecture: str
    model_type: str
    parameters: int
    layers: int | None
    hidden_size: int | None
    context_length: int | None
    vocab_size: int | None
    chat_template: bool = Field(description="Whether the tokenizer ships its own chat template.")
    template_used: str | None
    dtype: str
    disk_bytes: int | None
    gguf: str | None = None
    gguf_bytes: int | None = None
    cache_bytes: int | None = None


class RecommendResult(Result):
    """`chatforge models recommend`: memory per training method and a verdict for this machine."""

    model: str
    shape: dict[str, Any]
    batch: int
    seq: int
    lora_r: int
    bytes_per_value: float
    hardware: dict[str, Any]
    methods: dict[str, dict[str, Any]] = Field(description="Per method: the memory parts, total_gib, device, verdict.")


class GenerateResult(Result):
    """`chatforge generate`."""

    model: str
    text: str
    prompt_tokens: int | None = None
    new_tokens: int | None = None
    ttft_s: float | None = None
    seconds: float | None = None
    tokens_per_s: float | None = None


class ChatResult(Result):
    """`chatforge chat`, when the conversation ends."""

    model: str
