"""Retrieval evaluation: recall@k and MRR from the document ids of held-out questions.

    chatforge rag eval --index IDX --testset FILE.jsonl [--role R] [--k 5] [--json]

A test row needs `question` and `doc_id` (the expected document, relative to the knowledge
folder); rows with `doc_id: null` or `answerable: false` are not retrieval questions and are
counted apart. A hit is any returned chunk of the expected document. Recall@k is the share of
questions with a hit in the top k; MRR is the mean of 1 / rank of the first hit (0 if none in
the top k). Both are a few lines of arithmetic over ranked ids, written here rather than
pulling a metrics package in.

Each question is asked under `--role` when given; otherwise under the right role for its
document: the first role its access label lists (access.yaml lists the least privileged role
first, e.g. `public` before `support`), read from the index.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.errors import InputError
from chatforge.rag.retrieve import RetrieveConfig, Retriever


class EvalConfig(StageConfig):
    retrieval: RetrieveConfig = Field(
        default_factory=lambda: RetrieveConfig(k=10), description="Retrieval settings (k = deepest rank scored)."
    )
    ks: list[int] = Field([1, 3, 5, 10], description="Cut-offs for recall@k.")
    roles: list[str] | None = Field(
        None, description="Ask every question under these roles; unset = each document's first role."
    )
    batch_size: int = Field(64, ge=1, description="Questions embedded and searched per batch.")


def read_testset(path: str | Path) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: invalid JSON: {exc}") from None
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            raise InputError(f"{path}:{n}: a test row needs a 'question' string")
        rows.append(row)
    return rows


def recall_mrr(ranked_doc_ids: list[list[str]], expected: list[str], ks: list[int]) -> dict:
    """recall@k for each k and MRR over the deepest list given."""
    first_hit = [
        next((i + 1 for i, d in enumerate(ids) if d == exp), None) for ids, exp in zip(ranked_doc_ids, expected)
    ]
    n = max(len(expected), 1)
    out = {f"recall@{k}": round(sum(1 for r in first_hit if r is not None and r <= k) / n, 4) for k in ks}
    out["mrr"] = round(sum(1.0 / r for r in first_hit if r is not None) / n, 4)
    return out


def _document_roles(retriever: Retriever) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for p in retriever.index.scroll_payloads(["doc_id", "roles"]):
        roles.setdefault(p.get("doc_id"), p.get("roles") or [])
    return roles


def evaluate(index_dir: str | Path, testset: str | Path, cfg: EvalConfig | None = None) -> dict:
    """Metrics overall and per role, plus the misses (question, expected, what came back)."""
    cfg = cfg or EvalConfig()
    rows = read_testset(testset)
    questions = [r for r in rows if r.get("doc_id") and r.get("answerable", True)]
    if not questions:
        raise InputError(f"{testset}: no answerable question with a doc_id")
    depth = max([cfg.retrieval.k, *cfg.ks])
    with Retriever(index_dir, cfg.retrieval) as retriever:
        doc_roles = _document_roles(retriever)
        asked = []
        for r in questions:
            roles = cfg.roles or doc_roles.get(r["doc_id"], [])[:1]
            asked.append((r, roles))
        ranked: list[list[str]] = []
        runnable = [(r, roles) for r, roles in asked if roles]
        for i in range(0, len(runnable), cfg.batch_size):
            batch = runnable[i : i + cfg.batch_size]
            hits = retriever.search_many([r["question"] for r, _ in batch], [roles for _, roles in batch], k=depth)
            ranked.extend([h["doc_id"] for h in hs] for hs in hits)
    missing = [r["doc_id"] for r, roles in asked if not roles]
    expected = [r["doc_id"] for r, _ in runnable] + missing
    ranked += [[] for _ in missing]  # a question whose document is not in the index is a miss, not skipped
    metrics = recall_mrr(ranked, expected, cfg.ks)
    by_role: dict[str, list[int]] = defaultdict(list)
    for i, (_, roles) in enumerate(runnable):
        by_role[",".join(roles)].append(i)
    per_role = {
        role: {**recall_mrr([ranked[i] for i in idx], [expected[i] for i in idx], cfg.ks), "questions": len(idx)}
        for role, idx in sorted(by_role.items())
    }
    misses = [
        {"id": r.get("id"), "question": r["question"], "expected": r["doc_id"], "roles": roles, "got": got[:3]}
        for (r, roles), got in zip(runnable, ranked)
        if r["doc_id"] not in got[:5]
    ]
    return {
        "questions": len(questions),
        "not_retrieval": len(rows) - len(questions),
        "documents_missing_from_index": sorted(set(missing)),
        "metrics": metrics,
        "per_role": per_role,
        "misses": misses,
        "mode": cfg.retrieval.mode,
    }
