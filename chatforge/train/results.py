"""The typed results of the training commands (`train sft/rm/dpo/kto/rl`, `pretrain`, `export`): their `--json`
summaries, validated before they are printed.

A summary is the stage's metrics.json without the history, inputs and library versions. `chatforge run`
checks references such as `${rm.summary.paths.model}` against these fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chatforge.command import Result
from chatforge.rag.results import ReaderDataResult


class _Strict(BaseModel):
    """A nested part of a summary: unknown fields refused, as in the summary itself."""

    model_config = ConfigDict(extra="forbid")


class TrainPaths(_Strict):
    """What a trainer stage wrote (only the main process writes them)."""

    model: str = Field(description="The model or adapter folder (the stage's --out).")
    metrics: str
    config: str
    checkpoints: str
    mlflow: str | None = Field(None, description="MLflow tracking URI (when tracking is on).")


class BeforeAfter(_Strict):
    """A measurement before and after training."""

    before: float | None
    after: float | None


class TrainerResult(Result):
    """What every trainer stage reports: steps, losses, parameters, time, files."""

    method: str = Field(description="full, freeze, lora, dora or qlora.")
    model: str = Field(description="The starting model as given.")
    steps: int
    max_steps: int
    resumed_from: str | None = Field(description="The checkpoint the run resumed from, if it did.")
    train_loss_first: float | None
    train_loss: float | None
    train_loss_mean: float | None
    trainable_params: int
    total_params: int
    train_seconds: float
    rejected: int = Field(description="Input items rejected (with their source and reason in metrics.json).")
    paths: TrainPaths | None = None


class Replay(_Strict):
    """The general conversations mixed in against forgetting (--replay)."""

    file: str | None
    ratio: float
    examples: int


class SFTResult(TrainerResult):
    """`chatforge train sft`."""

    stopped_early: bool
    eval_loss_before: float
    eval_loss: float
    eval_token_accuracy: float | None
    train_examples: int
    val_examples: int
    truncated_share: float
    replay: Replay | None
    general_perplexity: BeforeAfter
    forgetting: float
    tokens_per_s: float | None
    peak_rss_mb: float
    reader_data: ReaderDataResult | None = Field(
        None, description="With --index: the grounded reader set (`rag reader-data`) built first and trained on."
    )
    peak_cuda_mb: float | None = None


class SearchPaths(_Strict):
    """What `train sft --search` wrote."""

    best_config: str
    search: str


class SearchResult(Result):
    """`chatforge train sft --search N`: the Optuna trials and the best config."""

    best_eval_loss: float
    best_params: dict[str, Any]
    trials: list[dict[str, Any]]
    paths: SearchPaths


class PreferenceResult(TrainerResult):
    """What the preference stages (rm, dpo, kto, rl) share."""

    stage: str
    eval: dict[str, float] = Field(description="The trainer's held-out evaluation after training (eval_loss, ...).")
    items: int
    rejections: list[dict[str, Any]]


class TrainVal(_Strict):
    """A measurement on the training and the held-out items."""

    train: float | None
    val: float | None


class RMResult(PreferenceResult):
    """`chatforge train rm`."""

    pairs: int
    train_pairs: int
    val_pairs: int
    val_pairwise_accuracy_before: float | None
    val_pairwise_accuracy: float | None
    train_pairwise_accuracy: float | None


class DPOResult(PreferenceResult):
    """`chatforge train dpo`."""

    pairs: int
    train_pairs: int
    val_pairs: int
    beta: float
    logp_margin_before: TrainVal
    logp_margin: TrainVal


class Shift(_Strict):
    """Mean change of the answer log-probability, per label."""

    desirable: float | None
    undesirable: float | None


class TrainValShift(_Strict):
    """The log-probability shift on training and held-out items."""

    train: Shift
    val: Shift


class KTOResult(PreferenceResult):
    """`chatforge train kto`."""

    examples: int
    desirable: int
    train_examples: int
    val_examples: int
    beta: float
    logp_shift: TrainValShift


class RLResult(PreferenceResult):
    """`chatforge train rl`."""

    prompts: int
    train_prompts: int
    val_prompts: int
    kl_coef: float
    max_kl: float | None
    kl_exceeded_at: int | None
    kl_max: float | None
    reward_first: float | None
    reward_last: float | None
    clipped_last: float | None
    series: dict[str, list[float | None]] = Field(
        description="Per logged step: reward, kl, entropy, completion lengths..."
    )
    plot: str | None


class DomainGeneral(_Strict):
    """Perplexity on the domain text and on general text, before and after."""

    domain: BeforeAfter
    general: BeforeAfter


class PretrainResult(Result):
    """`chatforge pretrain`."""

    out: str = Field(description="The model folder.")
    mode: str = Field(description="scratch or continue.")
    steps: int
    resumed_from: str | None
    final_loss: float
    val_loss: float
    val_perplexity: float
    initial_val_perplexity: float
    parameters: int
    context_length: int
    train_tokens: int
    val_tokens: int
    windows: int
    train_seconds: float
    tokens_per_s: float | None
    perplexity: DomainGeneral | None = Field(None, description="Continued pretraining: domain and general perplexity.")


class ExportResult(Result):
    """`chatforge export`."""

    out: str = Field(description="The standalone model folder.")
    merged: bool
    parameters: int
    gguf: str | None = Field(description="model.gguf, when written.")
    gguf_writer: str | None = None
    gguf_type: str | None = None
    gguf_skipped: str | None = Field(None, description="Why no GGUF was written although --gguf was given.")
