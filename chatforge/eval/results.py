"""The typed results of `chatforge eval` and `chatforge eval perplexity`: their `--json` summaries, validated before
they are printed; `chatforge run` checks `${eval.summary.paths.report_json}` and the like against these fields.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chatforge.command import Result


class EvalPaths(BaseModel):
    """What `chatforge eval` wrote in its --out folder."""

    model_config = ConfigDict(extra="forbid")
    report_json: str = Field(description="The full report (what `registry register --eval` reads).")
    report_html: str
    mlflow_run: str | None = Field(None, description="The MLflow run the report was logged to (mlflow on).")


class GateCheck(BaseModel):
    """One threshold of the gate on one variant."""

    model_config = ConfigDict(extra="forbid")
    variant: str
    metric: str
    value: float | None
    threshold: float
    direction: str = Field(description="at least, or at most for lower-is-better metrics.")
    passed: bool


class GateResult(BaseModel):
    """The --fail-under gate: passed, and each check."""

    model_config = ConfigDict(extra="forbid")
    passed: bool
    checks: list[GateCheck]


class EvalCost(BaseModel):
    """The generations an evaluation planned before it started (eval/profiles.py), and those it made."""

    model_config = ConfigDict(extra="forbid")
    profile: str = Field(description="quick, standard, full, or custom (a list of suites).")
    suites: list[str]
    items: int
    robustness: dict = Field(description="The perturbation kinds and items in force.")
    generations: dict[str, int] = Field(
        description="Model generations planned per suite (answers, robustness, bias, classification)."
    )
    total: int = Field(description="Model generations planned, all variants.")
    reused: int = Field(description="Generations read back from OUT/generations instead (a resumed run).")
    baseline: int = Field(description="Answers of the extractive baseline (no model).")
    per_variant: dict[str, dict]
    made: int | None = Field(None, description="Model generations actually made.")


class EvalCostResult(Result):
    """`chatforge eval --dry-run`: what the evaluation would generate; nothing run."""

    cost: EvalCost


class EvalResult(Result):
    """`chatforge eval`: variants scored, headline metrics per variant, the gate, the report's files."""

    variants: list[str] = Field(description="Model x RAG variants, in report order (e.g. sft, sft+rag).")
    items: int = Field(description="Test items evaluated.")
    paths: EvalPaths
    gate: GateResult = Field(description="The --fail-under gate on the last model's variants.")
    roles: list[str] = Field(description="Roles retrieval ran under.")
    warnings: list[str]
    seconds: float
    items_per_s: float | None
    cost: EvalCost | None = Field(None, description="Generations planned (per suite and variant) and made.")
    metrics: dict[str, dict[str, float | None]] = Field(
        description="Per variant, the headline metrics (answer_correct, token_f1, hallucination...)."
    )


class PerplexityResult(Result):
    """`chatforge eval perplexity`."""

    model: str
    documents: int
    perplexity: float
    loss: float = Field(description="Mean next-token loss (nats).")
    tokens: int
