"""RAG grounding for served answers: retrieve under the caller's key roles, build the grounded prompt.

    chatforge serve --model M --index IDX

The RAG stage does the work (`chatforge.rag.retrieve.Retriever`, `chatforge.rag.prompt`);
this module keeps one retriever open for the server's life (the embedding model stays loaded)
and serialises queries on it. The key's roles are the retrieval role filter, so a `support`
key never sees a `finance` passage. Earlier turns of the conversation sit between the system
prompt and the grounded question, so follow-ups keep their context.

The open retriever holds the index lock: an ingest into a served index waits until the server
stops (use a Qdrant server, `--set rag.retrieval.qdrant_url=...`, to ingest while serving).
"""

from __future__ import annotations

import threading
from pathlib import Path

from chatforge.rag.answer import AskConfig, readable_documents
from chatforge.rag.prompt import FewShotSelector, build_prompt
from chatforge.rag.retrieve import Retriever


class Grounding:
    def __init__(self, index_dir: str | Path, cfg: AskConfig | None = None):
        self.cfg = cfg or AskConfig()
        self.retriever = Retriever(index_dir, self.cfg.retrieval)
        self.selector = (FewShotSelector(self.cfg.prompt.faq, self.retriever.embedder)
                         if self.cfg.prompt.faq and self.cfg.prompt.few_shot else None)
        self._lock = threading.Lock()

    def ground(self, question: str, roles: list[str], history: list[dict]) -> tuple[list[dict], list[str], list[dict]]:
        """(messages for the model, source labels "[n] doc", passages) for `question` under `roles`."""
        if not roles:  # the RAG stage refuses a role-less search; a key without roles gets no passages
            passages, examples = [], []
        else:
            with self._lock:
                passages = self.retriever.search(question, roles)
                examples = (self.selector.select(question, self.cfg.prompt.few_shot,
                                                 readable_documents(self.retriever, roles)) if self.selector else [])
        prompt = build_prompt(question, passages, self.cfg.prompt, examples)
        earlier = [m for m in history if m["role"] in ("user", "assistant")]
        messages = prompt.messages[:-1] + earlier + prompt.messages[-1:]
        slim = [{k: p.get(k) for k in ("doc_id", "chunk_id", "page", "title", "heading", "score")} for p in passages]
        return messages, prompt.sources(), slim

    def close(self) -> None:
        self.retriever.close()
