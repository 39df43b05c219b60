"""The typed results of the registry commands (`registry register`, `promote`, `rollback`, `set-gate`, `list`,
`show`): their `--json` summaries, validated before they are printed; `chatforge run` checks
`${register.summary.version}` and the like against these fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chatforge.command import Result


class VersionResult(Result):
    """`registry register` and `registry show`: one version with its files, lineage and metrics."""

    name: str
    version: int = Field(description="The version number (what `registry promote NAME VERSION` takes).")
    ref: str = Field(description="NAME@VERSION.")
    path: str = Field(description="The version's files.")
    aliases: list[str] = Field(description="production, candidate...")
    lineage: dict[str, Any] = Field(description="base, data (hashes), config, parent, run_id, model_sha256, created...")
    metrics: dict[str, Any] = Field(description="variants (plain, rag) with their metrics, testset, report, model.")
    promotion: dict[str, Any] | None = Field(description="The record of its promotion, once promoted.")


class PromoteResult(Result):
    """`registry promote`: the decision, with the gate's checks and the comparison with production."""

    name: str
    version: int
    promoted: bool
    reason: str
    previous: int | None = Field(None, description="The production version before (None: there was none).")
    gate_used: dict[str, float] | None = None
    tolerance: float | None = None
    forced: bool
    promote: bool | None = Field(None, description="What the rule decided (before --force).")
    gate: dict[str, Any] = Field(description="passed, checks (variant, metric, value, threshold, direction, passed).")
    comparison: list[dict[str, Any]] = Field(description="Per gate metric: production, candidate, delta, verdict.")
    warnings: list[str]
    record: dict[str, Any] | None = Field(None, description="The promotion record (at, by, reason...), when promoted.")
    error: str | None = Field(None, description="Why the promotion was refused (exit 2).")


class RollbackResult(Result):
    """`registry rollback`: production back on `version`, recorded as a forced promotion and in the audit log."""

    name: str
    version: int = Field(description="The version now in production.")
    previous: int = Field(description="The version production held before the roll back.")
    forced: bool = Field(description="True when the gate alone would have refused the version.")
    reason: str = Field(description="The promotion record's reason: roll back from N (cli): --reason.")
    audit_id: int | None = Field(description="The audit log entry in the serving database (None: no database).")


class SetGateResult(Result):
    """`registry set-gate`."""

    name: str
    gate: dict[str, float]


class RegistryListResult(Result):
    """`registry list`: models with their gate and versions."""

    registry: str
    models: dict[str, dict[str, Any]]
