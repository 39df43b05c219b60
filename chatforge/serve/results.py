"""The typed results of `chatforge serve`, `keys`, `feedback export` and `ab report`: their `--json` summaries,
validated before they are printed; `chatforge run` checks `${key.summary.key_file}` and the like against them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chatforge.command import Result


class ServeResult(Result):
    """`chatforge serve`, printed once the server is up."""

    url: str
    models: dict[str, str | None] = Field(description="Per variant (A, B), the model served.")
    engines: dict[str, str] = Field(description="Per variant, the engine kind (transformers, llamacpp, remote...).")
    rag: bool = Field(description="Whether answers are grounded in an index.")
    db: str = Field(description="The database URL, its password masked.")


class KeyCreateResult(Result):
    """`chatforge keys create`: the key itself only when no --key-file was given (never with one)."""

    id: int
    user: str
    roles: list[str]
    key_file: str | None = Field(None, description="The 0600 file holding the key (--key-file).")
    key: str | None = Field(None, description="The key, shown once (without --key-file).")


class KeysListResult(Result):
    """`chatforge keys list`: id, user, prefix, roles, created, revoked; never the keys."""

    keys: list[dict[str, Any]]


class KeyRevokeResult(Result):
    """`chatforge keys revoke`."""

    revoked: int


class KeyRolesResult(Result):
    """`chatforge keys roles`: the new roles and each key changed with its roles before (audited as `key-roles`)."""

    roles: list[str]
    keys: list[dict[str, Any]] = Field(description="id and before (the roles the key had) of each key changed.")


class FeedbackExportResult(Result):
    """`chatforge feedback export`."""

    format: str = Field(description="sft, dpo or kto.")
    count: int = Field(description="Rows written.")
    skipped: int
    skipped_rows: list[dict[str, Any]] = Field(description="Feedback ids, kinds and reasons (never message text).")
    redacted: dict[str, int] = Field(description="Personal data redacted, by type.")
    path: str


class ABReportResult(Result):
    """`chatforge ab report`."""

    variants: dict[str, dict[str, Any]] = Field(description="Per variant: users, answers, thumbs, rates, surveys.")
    thumbs_up_test: dict[str, float] | None
    survey_diff_ci95: list[float] | None
    verdict: str
