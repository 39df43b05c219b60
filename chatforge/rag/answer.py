"""Answer a question from the index: retrieve under the caller's roles, build the grounded prompt, generate.

    chatforge rag ask "TEXT" --model MODEL --index IDX --role R [--json]

Any model `chatforge.models.load.load_model` accepts works ('default' = the packaged Gemma 3
270M, a folder, a .gguf file, a hub id). Generation is greedy by default so an answer can be
reproduced; with chain-of-thought the reasoning is stripped before printing.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.rag.prompt import FewShotSelector, PromptConfig, build_prompt, final_answer
from chatforge.rag.retrieve import RetrieveConfig, Retriever


class AskConfig(StageConfig):
    retrieval: RetrieveConfig = Field(default_factory=RetrieveConfig, description="How passages are found.")
    prompt: PromptConfig = Field(default_factory=PromptConfig, description="How the prompt is written.")
    max_new_tokens: int = Field(256, ge=1, description="Longest answer, in model tokens.")
    temperature: float = Field(0.0, ge=0, description="0 = greedy (reproducible).")
    device: str | None = Field(None, description="cpu / cuda; unset = cuda when available.")


def readable_documents(retriever: Retriever, roles: list[str]) -> set[str]:
    """Ids of the documents any of `roles` may read (for filtering few-shot examples)."""
    allowed = set(roles)
    return {p["doc_id"] for p in retriever.index.scroll_payloads(["doc_id", "roles"]) if allowed & set(p.get("roles") or [])}


def ask(question: str, model_spec: str, index_dir: str | Path, roles: list[str], cfg: AskConfig | None = None,
        model=None, tokenizer=None) -> dict:
    """{answer, sources, passages, prompt_template, generation stats}; pass `model`/`tokenizer` to reuse loaded ones."""
    from chatforge.models.generate import stream

    cfg = cfg or AskConfig()
    with Retriever(index_dir, cfg.retrieval) as retriever:
        passages = retriever.search(question, roles)
        examples = []
        if cfg.prompt.faq and cfg.prompt.few_shot:
            selector = FewShotSelector(cfg.prompt.faq, retriever.embedder)
            examples = selector.select(question, cfg.prompt.few_shot, readable_documents(retriever, roles))
    prompt = build_prompt(question, passages, cfg.prompt, examples)
    if model is None:
        from chatforge.models.load import load_model

        model, tokenizer = load_model(model_spec, device=cfg.device)
    stats: dict = {}
    reply = "".join(stream(model, tokenizer, messages=prompt.messages, max_new_tokens=cfg.max_new_tokens,
                           temperature=cfg.temperature, stats=stats))
    return {"question": question, "roles": roles, "answer": final_answer(reply), "raw": reply,
            "sources": prompt.sources(), "passages": [{k: p[k] for k in ("doc_id", "chunk_id", "page", "score")} for p in passages],
            "prompt_template": prompt.template, "generation": stats}
