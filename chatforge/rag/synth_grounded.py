"""Synthesised pairs as training conversations: the grounded prompt the served model sees, and a cited target.

    chatforge data synth DOCS --index IDX --out DIR            (train.jsonl / val.jsonl; grounded: true)

For each pair the question is searched in the index under its least privileged role (the first its
document lists); only passages that every role of the pair may read are kept, so a pair recorded for
roles R never shows a passage some role in R may not read. The source chunk is always among the
passages (it replaces the last one when the search missed it). The prompt is built by the grounding
builder (grounding.py), exactly as `serve` and `rag ask` build it; the target is the pair's answer
with each sentence citing the source passage `[n]`, passed through the verifier, so targets carry the
citations the verifier expects. With `grounded: false` a conversation is the bare question and answer.
"""

from __future__ import annotations

from collections import Counter

from chatforge.output import progress_bar
from chatforge.rag.grounding import GroundingBuilder
from chatforge.rag.retrieve import RESULT_FIELDS
from chatforge.rag.synth_extract import ABBREVIATION, sentences
from chatforge.rag.verify import verify

BATCH = 32


def cite(answer: str, n: int) -> str:
    """Every sentence of `answer` ending with the citation [n], before its final full stop (after an
    abbreviation's: "6:00 p.m. [1]")."""
    out = []
    for s in sentences(answer):
        if s[-1:] in ".!?" and not ABBREVIATION.search(s[:-1] if s.endswith("..") else s):
            out.append(f"{s[:-1].rstrip()} [{n}]{s[-1]}")
        else:
            out.append(f"{s} [{n}]")
    return " ".join(out)


def check_cited(text: str, passages: list[dict], cfg, question: str) -> bool:
    """The verifier keeps every sentence of `text` (citations included) without quoting or abstaining.
    Run without adding citations, so a clause after a colon is not given its own [n]."""
    v = verify(text, passages, cfg.model_copy(update={"add_citations": False}), question)
    return not (v.abstained or v.quoted or v.removed_sentences)


def _row(pair: dict, messages: list[dict], passages: list[str]) -> dict:
    return {
        "messages": messages,
        "id": pair["id"],
        "source": f"{pair['chunk_id']}",
        "lang": pair["lang"],
        "augmented": False,
        "meta": {
            "synth": {k: pair[k] for k in ("kind", "doc_id", "chunk_id", "roles", "lang")} | {"passages": passages}
        },
    }


def conversations(
    pairs: list[dict], retriever, payloads: dict[str, dict], cfg, removed: Counter, progress: bool = True
) -> dict[str, list[dict]]:
    """{"train": rows, "val": rows} in the `{"messages": [...]}` shape `train sft` reads."""
    rows: dict[str, list[dict]] = {"train": [], "val": []}
    if not cfg.grounded:
        for p in pairs:
            rows[p["split"]].append(
                _row(p, [{"role": "user", "content": p["question"]}, {"role": "assistant", "content": p["answer"]}], [])
            )
        return rows
    builder = GroundingBuilder(cfg.prompt, retriever, cfg.verify)  # no gate: the source chunk answers
    doc_roles = {p.get("doc_id"): set(p.get("roles") or []) for p in payloads.values()}
    k = cfg.retrieval.k
    with progress_bar(disable=not progress) as bar:
        task = bar.add_task("grounding", total=len(pairs), unit="pairs")
        for start in range(0, len(pairs), BATCH):
            batch = pairs[start : start + BATCH]
            found = retriever.search_many([p["question"] for p in batch], [[p["roles"][0]] for p in batch], k=3 * k)
            for p, hits in zip(batch, found):
                need = set(p["roles"])
                passages = [h for h in hits if need <= set(payloads.get(h["chunk_id"], {}).get("roles") or [])][:k]
                if not any(h["chunk_id"] == p["chunk_id"] for h in passages):
                    src = payloads[p["chunk_id"]]
                    passages = passages[: k - 1] + [{f: src.get(f) for f in RESULT_FIELDS} | {"score": 0.0}]
                n = next(i for i, h in enumerate(passages, start=1) if h["chunk_id"] == p["chunk_id"])
                prompt = builder.build(p["question"], passages, [p["roles"][0]])
                if any(
                    e.get("doc_id") is not None and not need <= doc_roles.get(e["doc_id"], set())
                    for e in prompt.examples
                ):
                    removed["few_shot_not_readable"] += 1  # a FAQ example some role of the pair may not read
                    continue
                target = cite(p["answer"], n)
                if not check_cited(target, passages, cfg.verify, p["question"]):
                    removed["grounded_unsupported"] += 1
                    continue
                messages = prompt.messages + [{"role": "assistant", "content": target}]
                rows[p["split"]].append(_row(p, messages, [h["chunk_id"] for h in passages]))
            bar.advance(task, len(batch))
    return rows
