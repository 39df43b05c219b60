"""The typed results of the RAG commands (`rag ingest`, `rag query`, `rag eval`, `rag ask`, `rag reader-data`,
`rag gate fit`): their `--json` summaries, validated before they are printed; `chatforge run` checks
`${ingest.summary.chunks}` and the like against these fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chatforge.command import Result


class IngestResult(Result):
    """`chatforge rag ingest`: what was indexed, skipped, failed or pruned."""

    index: str = Field(description="The index folder.")
    documents: int = Field(description="Documents among the inputs.")
    ingested: int = Field(description="Documents (re)indexed by this run.")
    unchanged: int
    chunks: int = Field(description="Chunks written by this run.")
    chunks_total: int = Field(description="Chunks the index holds now.")
    skipped: list[dict[str, Any]] = Field(description="Files not read: source and reason.")
    failed: list[dict[str, Any]] = Field(description="Documents or pages that failed: source, page, reason.")
    pruned: list[str] = Field(description="Documents removed (--prune): no longer among the inputs.")
    seconds: float
    chunks_per_s: float | None


class QueryResult(Result):
    """`chatforge rag query`: the passages found under the caller's roles."""

    query: str
    roles: list[str]
    results: list[dict[str, Any]] = Field(description="Passages with score, doc_id, page, heading, text, roles.")


class RagEvalResult(Result):
    """`chatforge rag eval`: retrieval quality on held-out questions."""

    questions: int
    metrics: dict[str, float] = Field(description="recall@k for k in 1, 3, 5, 10, and mrr.")
    per_role: dict[str, dict[str, float]] = Field(description="The same metrics per role, with the question count.")
    mode: str = Field(description="hybrid, dense or sparse.")
    misses: int = Field(description="Questions whose document was not retrieved (listed in the --out report).")
    report: str | None = Field(description="The full report (--out), when written.")


class AskResult(Result):
    """`chatforge rag ask` / `chatforge ask`: the grounded answer."""

    question: str
    roles: list[str]
    answer: str
    grounding: dict[str, Any] = Field(description="abstained, verified, support, citations, removed_sentences.")
    gate: dict[str, Any] | None = Field(description="The answerability gate's decision, when the index has a gate.")
    raw: str = Field(description="The model's reply before verification.")
    sources: list[str]
    passages: list[dict[str, Any]]
    prompt_template: str | None
    generation: dict[str, Any]


class GateFitResult(Result):
    """`chatforge rag gate fit`: the fitted answerability gate."""

    gate: str = Field(description="The gate file written (IDX/gate.json).")
    threshold: float
    reached: bool = Field(
        description="Whether a threshold reaches the target precision (else the gate never abstains)."
    )
    precision: float | None
    recall: float | None
    counts: dict[str, int]
    roles_used: dict[str, int]
    features: list[str]
    coef: list[float]


class ReaderDataPaths(BaseModel):
    """What `rag reader-data` wrote."""

    model_config = ConfigDict(extra="forbid")
    train: str
    val: str
    metrics: str
    preferences_train: str | None = Field(
        None, description="Grounded preference pairs of the train split (what `train dpo --data` reads)."
    )
    preferences_val: str | None = Field(None, description="Grounded preference pairs of the val split.")


class ReaderDataResult(Result):
    """`chatforge rag reader-data`: the grounded reader conversations and preference pairs written."""

    out: str
    index: str
    examples: dict[str, int] = Field(description="Conversations written per split (train, val).")
    kinds: dict[str, dict[str, int]] = Field(
        description="Per split, conversations of each kind (grounded, abstain_no_gold, distractor_only, unanswerable)."
    )
    pairs: dict[str, int] | None = Field(
        None, description="Preference pairs written per split (train, val); absent when preferences are off."
    )
    pair_kinds: dict[str, dict[str, int]] | None = Field(
        None,
        description="Per split, pairs of each kind (wrong_number, abstain_answerable, answer_no_gold, wrong_citation).",
    )
    skipped: dict[str, int] = Field(
        description="Questions not used, by reason (testset, ungrounded, no_role, no_question, already_grounded, no_clean_negative)."
    )
    rejected: int = Field(description="Input lines that are not a conversation (each named on stderr).")
    roles: dict[str, int] = Field(description="Questions per role set they were retrieved under.")
    seconds: float
    paths: ReaderDataPaths
