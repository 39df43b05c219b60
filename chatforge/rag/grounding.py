"""The one grounding path of every answer: `rag ask`, `serve` and `eval` build their prompts here.

    chatforge rag ask "TEXT" --model M --index IDX --role R
    chatforge serve --model M --index IDX
    chatforge eval --model M --testset FILE --index IDX

`GroundingBuilder.ground(question, roles, history)` retrieves under the caller's roles and returns a
`GroundedPrompt`: the model messages (system prompt from rag/prompt.py's template, few-shot turns from
the FAQ pairs whose document the caller may read, the conversation's earlier turns, then one user turn
with the numbered, delimited passages and the question), the passages in citation order, their source
labels, the examples used and the answerability gate's decision (gate.py, when IDX/gate.json exists).
`build(question, passages, roles, history)` does the same for passages already retrieved (eval retrieves
once for every model). `finish(prompt, reply)` turns the model's reply into the answer that leaves:
reasoning stripped, then verified against the passages (verify.py), or the abstention sentence when
the gate said the documents cannot answer (then nothing is generated).

One builder keeps its retriever open (the embedding model stays loaded) and serialises queries on it,
so a server shares one across requests. A caller without roles gets no passage, never an unfiltered one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from chatforge.rag.prompt import FewShotSelector, PromptConfig, build_prompt, final_answer
from chatforge.rag.verify import Verified, VerifyConfig, abstain, language, verify

PASSAGE_FIELDS = ("doc_id", "chunk_id", "page", "title", "heading", "score")


@dataclass
class GroundedPrompt:
    question: str
    roles: list[str]
    messages: list[dict]  # OpenAI-style chat messages for the model
    passages: list[dict]  # in citation order: [1] is passages[0]
    sources: list[str]  # "[n] doc, p. 2 — heading"
    examples: list[dict] = field(default_factory=list)  # the FAQ pairs used as few-shot turns
    template: str = ""
    gate: dict | None = None  # {"answerable", "p_unanswerable", "features"} or {"answerable": False, "reason"}

    @property
    def abstain(self) -> bool:
        """True when the answer is an abstention decided before generation (nothing to generate)."""
        return self.gate is not None and not self.gate["answerable"]

    def passage_refs(self) -> list[dict]:
        """The passages without their text (for responses and logs)."""
        return [{k: p.get(k) for k in PASSAGE_FIELDS} for p in self.passages]


def readable_documents(retriever, roles: list[str]) -> set[str]:
    """Ids of the documents any of `roles` may read (for filtering few-shot examples)."""
    allowed = set(roles)
    return {
        p["doc_id"] for p in retriever.index.scroll_payloads(["doc_id", "roles"]) if allowed & set(p.get("roles") or [])
    }


class GroundingBuilder:
    """Prompt, few-shot, gate and verification settings around one (optional) open retriever."""

    def __init__(
        self,
        prompt: PromptConfig | None = None,
        retriever=None,
        verify_cfg: VerifyConfig | None = None,
        gate=None,
        owns_retriever: bool = False,
    ):
        self.prompt = prompt or PromptConfig()
        self.retriever, self.verify_cfg, self.gate = retriever, verify_cfg or VerifyConfig(), gate
        self._owns = owns_retriever
        self.selector = None
        if self.prompt.faq and self.prompt.few_shot:
            if retriever is None:
                from chatforge.rag.embed import EmbedConfig, Embedder

                embedder = Embedder(EmbedConfig())
            else:
                embedder = retriever.embedder
            self.selector = FewShotSelector(self.prompt.faq, embedder)
        self._readable: dict[frozenset, set[str]] = {}  # roles -> readable doc ids, for the life of the open index
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        index_dir: str | Path,
        retrieval=None,
        prompt: PromptConfig | None = None,
        verify_cfg: VerifyConfig | None = None,
        use_gate: bool = True,
    ) -> "GroundingBuilder":
        """A builder over its own retriever on `index_dir`, with IDX/gate.json when present and `use_gate`."""
        from chatforge.rag.gate import load_gate
        from chatforge.rag.retrieve import Retriever

        gate = load_gate(index_dir) if use_gate else None
        language("load the language model")  # py3langid loads now, not on the first abstention
        retriever = Retriever(index_dir, retrieval)
        try:
            return cls(prompt, retriever, verify_cfg, gate, owns_retriever=True)
        except BaseException:
            retriever.close()
            raise

    def close(self) -> None:
        if self._owns and self.retriever is not None:
            self.retriever.close()

    def __enter__(self) -> "GroundingBuilder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def examples(self, question: str, roles: list[str]) -> list[dict]:
        """The few-shot FAQ pairs for `question` among those `roles` may read (all of them without an index)."""
        if self.selector is None:
            return []
        with self._lock:
            readable = None
            if self.retriever is not None:
                key = frozenset(roles)
                if key not in self._readable:
                    self._readable[key] = readable_documents(self.retriever, roles) if roles else set()
                readable = self._readable[key]
            return self.selector.select(question, self.prompt.few_shot, readable)

    def retrieve(self, question: str, roles: list[str]) -> tuple[list[dict], dict | None]:
        """(passages readable by `roles`, the branch scores for the gate); no roles: no passage."""
        if not roles or self.retriever is None:
            return [], None
        branch: list[dict] = []
        with self._lock:
            passages = self.retriever.search_many([question], [list(roles)], branch_scores=branch)[0]
        return passages, branch[0]

    def decide(self, question: str, passages: list[dict], roles: list[str], branch: dict | None = None) -> dict | None:
        """The gate's decision for this retrieval; None without a gate (the verifier alone decides)."""
        if self.verify_cfg.enabled and not passages:
            return {"answerable": False, "reason": "no passage"}
        if self.gate is None:
            return None

        if branch is None and self.retriever is not None and roles:
            scores: list[dict] = []
            with self._lock:
                self.retriever.search_many([question], [list(roles)], k=1, branch_scores=scores)
            branch = scores[0]
        feats = self.gate.features_for(question, passages, branch)
        return {**self.gate.decide(feats), "features": {k: round(v, 4) for k, v in feats.items()}}

    def build(
        self,
        question: str,
        passages: list[dict],
        roles: list[str],
        history: list[dict] | tuple = (),
        branch: dict | None = None,
    ) -> GroundedPrompt:
        """The grounded prompt for passages already retrieved under `roles`; `history` = earlier turns."""
        examples = self.examples(question, roles)
        prompt = build_prompt(question, passages, self.prompt, examples)
        earlier = [{"role": m["role"], "content": m["content"]} for m in history if m["role"] in ("user", "assistant")]
        messages = prompt.messages[:-1] + earlier + prompt.messages[-1:]
        return GroundedPrompt(
            question,
            list(roles),
            messages,
            list(passages),
            prompt.sources(),
            examples,
            prompt.template,
            self.decide(question, passages, roles, branch),
        )

    def ground(self, question: str, roles: list[str], history: list[dict] | tuple = ()) -> GroundedPrompt:
        """Retrieve under `roles` and build the grounded prompt."""
        passages, branch = self.retrieve(question, roles)
        return self.build(question, passages, roles, history, branch)

    def finish(self, prompt: GroundedPrompt, reply: str) -> Verified:
        """The answer that leaves: the verified reply, or the abstention when the gate decided so."""
        if prompt.abstain:
            return abstain(prompt.question, self.verify_cfg)
        told = "\n".join(m["content"] for m in prompt.messages if m["role"] == "system")
        return verify(final_answer(reply), prompt.passages, self.verify_cfg, prompt.question, told)
