"""Answer a question from the index: ground it under the caller's roles, gate, generate, verify.

    chatforge rag ask "TEXT" --model MODEL --index IDX --role R [--json]

Any model `chatforge.models.load.load_model` accepts works ('default' = the packaged Gemma 3
270M, a folder, a .gguf file, a hub id). The prompt comes from the grounding builder
(grounding.py), the one `serve` and `eval` use; the answer is verified against its passages
(verify.py) and carries `grounding: {abstained, verified, support, citations, removed_sentences}`.
When the index holds a fitted gate (IDX/gate.json) and it says the documents cannot answer, the
answer is the abstention and no model is loaded. Generation is greedy by default so an answer can
be reproduced; with chain-of-thought the reasoning is stripped before printing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.rag.grounding import GroundingBuilder
from chatforge.rag.prompt import PromptConfig
from chatforge.rag.retrieve import RetrieveConfig
from chatforge.rag.verify import VerifyConfig


class AskConfig(StageConfig):
    retrieval: RetrieveConfig = Field(default_factory=RetrieveConfig, description="How passages are found.")
    prompt: PromptConfig = Field(default_factory=PromptConfig, description="How the prompt is written.")
    verify: VerifyConfig = Field(
        default_factory=VerifyConfig, description="How answers are checked against their passages."
    )
    gate: bool = Field(
        True, description="Use the answerability gate stored in the index (IDX/gate.json) when there is one."
    )
    max_new_tokens: int = Field(256, ge=1, description="Longest answer, in model tokens.")
    temperature: float = Field(0.0, ge=0, description="0 = greedy (reproducible).")
    device: str | None = Field(None, description="cpu / cuda; unset = cuda when available.")


def ask(
    question: str,
    model_spec: str,
    index_dir: str | Path,
    roles: list[str],
    cfg: AskConfig | None = None,
    model=None,
    tokenizer=None,
    generate: Callable[[list[dict]], str] | None = None,
) -> dict:
    """{answer, grounding, gate, sources, passages, prompt_template, generation stats}.

    Pass `model`/`tokenizer` to reuse loaded ones, or `generate` (messages -> reply) for any other generator."""
    cfg = cfg or AskConfig()
    with GroundingBuilder.open(index_dir, cfg.retrieval, cfg.prompt, cfg.verify, cfg.gate) as builder:
        prompt = builder.ground(question, roles)
    stats: dict = {}
    reply = ""
    if not prompt.abstain:
        if generate is None:
            from chatforge.models.generate import stream

            if model is None:
                from chatforge.models.load import load_model

                model, tokenizer = load_model(model_spec, device=cfg.device)

            def generate(messages):
                return "".join(
                    stream(
                        model,
                        tokenizer,
                        messages=messages,
                        max_new_tokens=cfg.max_new_tokens,
                        temperature=cfg.temperature,
                        stats=stats,
                    )
                )

        reply = generate(prompt.messages)
    answer = builder.finish(prompt, reply)
    return {
        "question": question,
        "roles": roles,
        "answer": answer.text,
        "grounding": answer.grounding(),
        "gate": prompt.gate,
        "raw": reply,
        "sources": prompt.sources,
        "passages": prompt.passage_refs(),
        "prompt_template": prompt.template,
        "generation": stats,
    }
