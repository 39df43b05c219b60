"""The typed results of `chatforge loop`, `store purge`, `users erase` and `users erasures`: their `--json`
summaries, validated before they are printed; `chatforge run` checks summary references against them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chatforge.command import Result


class LoopPlanResult(Result):
    """`chatforge loop --dry-run`: what the round would do."""

    dry_run: bool
    name: str
    registry: str
    production: int
    production_path: str
    feedback: dict[str, Any] = Field(description="The database (password masked) and the rows per format.")
    trainings: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    eval: dict[str, Any]
    gate: dict[str, float]
    tolerance: float
    action: str
    out: str


class LoopResult(Result):
    """`chatforge loop`: the round's plan, steps, candidate and outcome (also in OUT/loop.json)."""

    plan: dict[str, Any]
    steps: dict[str, Any] = Field(description="export, each training, eval.")
    candidate: dict[str, Any] = Field(description="version, path, parent (the production version it started from).")
    outcome: str = Field(description="promoted, ab_started or refused.")
    promoted: bool
    reason: str
    name: str | None = None
    version: int | None = None
    previous: int | None = None
    gate_used: dict[str, float] | None = None
    tolerance: float | None = None
    forced: bool | None = None
    promote: bool | None = None
    gate: dict[str, Any] | None = None
    comparison: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    record: dict[str, Any] | None = None
    ab_share: float | None = None
    seconds: float


class PurgeResult(Result):
    """`chatforge store purge`."""

    db: str = Field(description="The database URL, its password masked.")
    retention_days: float
    cutoff: str = Field(description="What was inactive since before this time (ISO 8601) was deleted.")
    deleted: dict[str, int] = Field(
        description="Rows deleted per kind: conversations, messages, feedback, survey_answers."
    )


class VersionsCheck(BaseModel):
    """The registry versions trained on erased data (or why the registry was not checked)."""

    model_config = ConfigDict(extra="forbid")
    registry: str | None
    checked: bool
    reason: str | None = None
    affected: list[dict[str, Any]]
    unverified: list[dict[str, Any]]


class EraseResult(Result):
    """`chatforge users erase`."""

    erasure_id: int
    user: str | None
    user_id: int
    by: str
    at: str | None
    deleted: dict[str, int]
    messages_erased: int
    annotation_items_erased: int
    versions: VersionsCheck


class ErasuresResult(Result):
    """`chatforge users erasures`."""

    erasures: list[dict[str, Any]]
