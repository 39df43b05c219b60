"""The typed result of `chatforge data prepare`: its `--json` summary, validated before it is printed.

`chatforge run` checks a pipeline's `${prepare.summary.paths.corpus}` against these fields.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chatforge.command import Result


class PreparePaths(BaseModel):
    """Files `data prepare` wrote (corpus only when documents were among the inputs)."""

    model_config = ConfigDict(extra="forbid")
    train: str
    val: str
    test: str
    corpus: str | None = Field(None, description="corpus.jsonl: the documents' plain text, for pretraining and RAG.")
    report_json: str
    report_html: str


class PrepareResult(Result):
    """Counts of what came in, what was removed or rejected and why, and the files written."""

    records_in: int = Field(description="Input items read (conversations and documents).")
    records_out: int = Field(description="Items kept (augmented variants not counted).")
    removed: dict[str, int] = Field(description="Items removed, by reason (exact_duplicate, near_duplicate, ...).")
    pii_redacted: int
    languages: dict[str, int]
    splits: dict[str, int] = Field(
        description="Conversations per split: train (augmented variants included), val, test."
    )
    documents: int
    augmented: int
    records_per_s: float | None
    rejected: int = Field(description="Input items rejected (each named with its source and line in report.json).")
    warnings: list[str]
    paths: PreparePaths
