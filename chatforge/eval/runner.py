"""Run every model on the same test set, with and without retrieval, and score every suite.

    chatforge eval --model A [--model B ...] --testset FILE --out DIR [--index IDX --role R] [--json]

For each model, the variant `A` answers the bare question; with `--index`, the variant
`A+rag` answers from passages retrieved under `roles` (retrieval is done once per question and
shared by every model, so all models see the same passages). With `--index`, the extractive
baseline (extractive.py) answers from those same passages as the variant `extractive+rag`, reported
beside the models (not gated, not in A/B). Trust metrics (trust.py: key facts, abstention, support,
citations) and degenerate output (degenerate.py) are scored on every variant. The suites that need new
generations (robustness, bias, intent classification) ask the same variant. Every generation
is appended to `OUT/generations/<variant>.jsonl` as it is made; a rerun with the same
out folder reuses them, so an interrupted evaluation resumes where it stopped. `suites` is a profile or a
list (profiles.py); the generations it implies are counted and printed before the first one, and
progress.py shows them being made, with an ETA, on a terminal or not.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from chatforge.config import StageConfig
from chatforge.errors import ConfigError
from chatforge.eval.answerers import DEFAULT_SYSTEM, Generation, HFAnswerer
from chatforge.eval.bias import bias_suite
from chatforge.eval.bootstrap import mean_with_ci
from chatforge.eval.consistency import consistency_suite
from chatforge.eval.degenerate import degenerate_flags, degenerate_suite
from chatforge.eval.engines import make_answerer
from chatforge.eval.errors import error_buckets
from chatforge.eval.extractive import ExtractiveAnswerer
from chatforge.eval.generations import GenerationLog, Variant
from chatforge.eval.hallucination import abstains, groundedness, hallucination_suite
from chatforge.eval.metrics import (
    answer_f1,
    classification_scores,
    lexical_scores,
    reference_perplexity,
    semantic_similarity,
)
from chatforge.eval.profiles import DEFAULT_PROFILE, PROFILES, SUITES, describe, estimate, parse_suites, suite_plan
from chatforge.eval.progress import EvalProgress
from chatforge.eval.resources import peak_memory_mib, reset_peak_memory, resource_summary
from chatforge.eval.robustness import KINDS, robustness_suite, with_languages
from chatforge.eval.trust import abstained, trust_metrics
from chatforge.output import stderr
from chatforge.rag.prompt import PromptConfig
from chatforge.rag.retrieve import RetrieveConfig
from chatforge.rag.verify import VerifyConfig

LEXICAL = ("exact_match", "token_precision", "token_recall", "token_f1", "token_f1_raw", "rouge_l", "bleu")
BASELINE = "extractive+rag"


class EvalConfig(StageConfig):
    max_items: int | None = Field(
        None, ge=1, description="Evaluate only N test items (None: all); which ones: `sample`."
    )
    sample: Literal["first", "spread"] = Field(
        "first",
        description="With max_items: the first N rows, or N rows evenly spaced over the file (every topic, answerable and not).",
    )
    max_new_tokens: int = Field(96, ge=1, description="Longest answer, in model tokens.")
    temperature: float = Field(0.0, ge=0, description="0 = greedy, reproducible answers.")
    system: str = Field(DEFAULT_SYSTEM, description="System prompt for answers without retrieval.")
    device: str | None = Field(None, description="cpu / cuda; unset = cuda when available.")
    engine: Literal["auto", "transformers", "llamacpp"] = Field(
        "auto",
        description="Generation engine (engines.py): auto = llama.cpp on CPU when installed and the model has or can export a GGUF, checked against transformers on a few items; else transformers.",
    )
    roles: list[str] = Field(["public"], description="Roles the retrieval runs under (with --index).")
    bare: bool = Field(
        True,
        description="With --index: also answer without retrieval (variant `A`); false = only `A+rag` and the baseline.",
    )
    baseline: bool = Field(
        True,
        description="With --index: also report the extractive baseline (the passage sentence that best overlaps the question) as `extractive+rag`.",
    )
    retrieval: RetrieveConfig = Field(
        default_factory=RetrieveConfig, description="How passages are found (k = passages in the prompt)."
    )
    prompt: PromptConfig = Field(default_factory=PromptConfig, description="The grounded RAG prompt.")
    verify: VerifyConfig = Field(
        default_factory=VerifyConfig,
        description="RAG variants: how answers are checked against their passages (as served).",
    )
    gate: bool = Field(
        True,
        description="RAG variants: use the answerability gate stored in the index (IDX/gate.json) when there is one.",
    )
    retrieval_ks: list[int] = Field([1, 3, 5], description="Cut-offs for retrieval recall@k.")
    semantic_model: str | None = Field(
        "all-MiniLM-L6-v2", description="Sentence-transformers model for semantic_similarity; None skips it."
    )
    perplexity: bool = Field(True, description="Perplexity of each model on the reference answers.")
    suites: list[str] | str = Field(
        DEFAULT_PROFILE,
        description=f"A profile ({', '.join(PROFILES)}; see docs/evaluation.md) or a list of suites among: {', '.join(SUITES)}.",
    )
    robustness_kinds: list[str] | None = Field(
        None,
        description=f"Perturbations for the robustness suite, among: {', '.join(KINDS)}; None: the profile's (standard: typos, no_accents; full or a list: all).",
    )
    robustness_items: int | None = Field(
        None,
        ge=1,
        description="Answerable items each perturbation is asked on; None: the profile's (standard 10, full or a list 30).",
    )
    bias_items: int = Field(20, ge=1, description="Answerable items each counterfactual dimension is asked on.")
    fail_below: float = Field(
        0.5, ge=0, le=1, description="Token F1 under which an answerable item counts as failed (errors)."
    )
    tie_margin: float = Field(0.05, ge=0, description="A/B: judge score difference under which two answers tie.")
    judge: str | None = Field(None, description="Reward model folder for A/B; None = reference-based judge.")
    confidence: float = Field(0.95, gt=0, lt=1, description="Level of the bootstrap confidence intervals.")
    bootstrap_resamples: int = Field(1000, ge=100, description="Bootstrap resamples per interval.")
    seed: int = Field(0, description="Bootstrap seed.")
    mlflow: bool = Field(
        True, description="Log metrics and the report to MLflow (OUT/mlflow.db unless MLFLOW_TRACKING_URI)."
    )
    experiment: str = Field("chatforge-eval", description="MLflow experiment name.")
    fail_under: dict[str, float] = Field(
        {}, description="Gate: metric -> threshold (see gate.py); any failure exits non-zero."
    )

    @field_validator("suites", mode="before")
    @classmethod
    def _suites(cls, v):
        return parse_suites(v)

    @field_validator("robustness_kinds")
    @classmethod
    def _kinds(cls, v):
        unknown = [k for k in v or [] if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown perturbation(s) {', '.join(map(repr, unknown))}; known: {', '.join(KINDS)}")
        return v


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9+._-]+", "_", name).strip("_") or "model"


def model_labels(models: list) -> list[str]:
    """Short names for the report: a pair's name, a folder's or file's name, a hub id as given; made unique."""
    labels = []
    for m in models:
        if isinstance(m, tuple):
            labels.append(m[0])
            continue
        spec = str(m)
        p = Path(spec)
        labels.append(p.stem if p.suffix == ".gguf" else p.name if p.exists() else spec)
    if len(set(labels)) < len(labels):  # two folders named alike: number them
        labels = [f"{k + 1}-{lab}" for k, lab in enumerate(labels)]
    return labels


def _score(item: dict, answer: str) -> float:
    return answer_f1(answer, item.get("answer", ""), item.get("question", ""))


def system_prompts(cfg: EvalConfig) -> list[str]:
    """The system prompts a model sees (bare and grounded): an answer repeating one is an echo."""
    from chatforge.rag.prompt import build_prompt

    out = [cfg.system]
    try:
        out += [m["content"] for m in build_prompt("?", [], cfg.prompt, []).messages if m["role"] == "system"]
    except Exception:  # noqa: BLE001 - a prompt template that needs passages: the bare system prompt is enough
        pass
    return out


def evaluate_variant(
    v: Variant, items: list[dict], cfg: EvalConfig, embedder=None, progress: EvalProgress | None = None
) -> dict:
    """Every metric and suite for one variant; returns the report section and the answers."""
    phase = progress.phase if progress is not None else lambda variant, suite: None
    plan = suite_plan(cfg)
    questions = [it["question"] for it in items]
    v.passages_for(questions)  # one batched retrieval for the whole set
    reset_peak_memory()
    phase(v.name, "answers")
    gens = [v.ask([q])[0] for q in questions]
    peak = peak_memory_mib()
    answers = [g.text for g in gens]
    refs = [it.get("answer", "") for it in items]
    lex = [lexical_scores(a, r, q) for a, r, q in zip(answers, refs, questions)]
    ci = dict(confidence=cfg.confidence, n_resamples=cfg.bootstrap_resamples, seed=cfg.seed)
    res: dict = {name: mean_with_ci([s[name] for s in lex], **ci) for name in LEXICAL}
    sims = semantic_similarity(embedder, answers, refs) if embedder is not None else None
    res["semantic_similarity"] = mean_with_ci(sims, **ci) if sims is not None else None
    passages = v.passages_for(questions) if v.rag else None
    if passages is not None:
        g = [groundedness(a, p) for a, p in zip(answers, passages) if not abstains(a)]
        res["groundedness"] = mean_with_ci([x for x in g if x is not None], **ci)
    else:
        res["groundedness"] = None
    suites = set(plan.suites)
    f1s = [s["token_f1"] for s in lex]
    said_no = [abstained(g.text, g.stats) for g in gens]
    flags = degenerate_flags(items, answers, [g.stats for g in gens], system_prompts(cfg), cfg.max_new_tokens, said_no)
    trust = trust_metrics(items, answers, said_no, flags, passages, cfg.verify.min_support, ci)
    res.update(trust["metrics"])
    res["degenerate"] = degenerate_suite(items, answers, flags)
    if "hallucination" in suites:
        res["hallucination"] = hallucination_suite(items, answers)
    if "consistency" in suites:
        res["consistency"] = consistency_suite(items, answers, abstained=said_no)
    if "robustness" in suites:
        phase(v.name, "robustness")
        res["robustness"] = robustness_suite(
            items, f1s, v.answers, _score, plan.robustness_kinds, plan.robustness_items
        )
    if "bias" in suites:
        phase(v.name, "bias")
        res["bias"] = bias_suite(items, v.answers, _score, max_items=plan.bias_items)
    if "errors" in suites:
        res["errors"] = error_buckets(items, answers, f1s, sims, passages, cfg.fail_below, flags=flags)
    if "resources" in suites:
        res["resources"] = resource_summary([g.stats for g in gens], peak)
    # the intent task does not use retrieval: asked once per model, on the variant without it
    if (
        "classification" in suites
        and not v.rag
        and hasattr(v.answerer, "classify")
        and all(it.get("intent") for it in items)
    ):
        phase(v.name, "classification")
        labels = sorted({it["intent"] for it in items})
        preds = [
            v.log.get_or_make("intent", q, lambda q=q: Generation(v.answerer.classify(q, labels))).text
            for q in questions
        ]
        res["classification"] = {"task": "intent", **classification_scores([it["intent"] for it in items], preds)}
    res["items"] = [
        {"id": it.get("id"), "answer": a, "token_f1": round(f, 4), **t, "degenerate": fl}
        for it, a, f, t, fl in zip(items, answers, f1s, trust["items"], flags)
    ]
    return res


def retrieval_metrics(retriever, items: list[dict], roles: list[str], ks: list[int]) -> dict:
    """recall@k and MRR (rag/evaluate.py) for the answerable items that name their document."""
    from chatforge.rag.evaluate import recall_mrr

    rows = [it for it in items if it.get("doc_id") and it.get("answerable", True)]
    if not rows:
        return {"questions": 0}
    hits = retriever.search_many([it["question"] for it in rows], [roles] * len(rows), k=max(ks))
    return {
        "questions": len(rows),
        **recall_mrr([[h["doc_id"] for h in hs] for hs in hits], [it["doc_id"] for it in rows], ks),
    }


def run_models(
    models: list,
    items: list[dict],
    out: Path,
    cfg: EvalConfig,
    index: Path | None = None,
    judge=None,
    progress: bool = True,
) -> dict:
    """{"variants": {name: section}, "ab": {...}, "cost": {...}} for model specs or (name, answerer) pairs."""
    from chatforge.eval.ab import RewardModelJudge, compare

    items = with_languages(items)  # robustness and bias pick their language-specific questions by it
    logs, cost = plan_generations(models, items, out, cfg, index is not None)
    if progress:
        stderr.print(describe(cost), highlight=False, soft_wrap=True)
    embedder = None
    if cfg.semantic_model:
        from chatforge.rag.embed import EmbedConfig, Embedder

        embedder = Embedder(EmbedConfig(model=cfg.semantic_model, device="auto"))
    retriever = grounding = None
    if index is not None:  # the grounding path of rag ask and serve, over the retriever every model shares
        from chatforge.rag.gate import load_gate
        from chatforge.rag.grounding import GroundingBuilder
        from chatforge.rag.retrieve import Retriever

        gate = load_gate(index) if cfg.gate else None
        retriever = Retriever(index, cfg.retrieval)
        try:
            grounding = GroundingBuilder(cfg.prompt, retriever, cfg.verify, gate)
        except BaseException:
            retriever.close()
            raise
    variants: dict[str, dict] = {}
    answers: dict[str, list[str]] = {}
    shared_passages: dict[str, list[dict]] = {}
    warnings: list[str] = []
    tracker = EvalProgress(cost["total"], show=progress).open()
    for vname, log in logs.items():
        log.on_make = tracker.advance if vname != BASELINE else None
    try:
        if retriever is not None:
            warnings += role_warnings(retriever, cfg.roles)
        retrieval = retrieval_metrics(retriever, items, cfg.roles, cfg.retrieval_ks) if retriever else None
        for name, spec in zip(model_labels(models), models):
            answerer = spec[1] if isinstance(spec, tuple) else None
            if answerer is None:
                answerer = make_answerer(str(spec), cfg, [it["question"] for it in items], grounding, cfg.roles)
            ppl = None
            if cfg.perplexity and getattr(answerer, "model", None) is not None:
                ppl = round(
                    reference_perplexity(answerer.model, answerer.tokenizer, [it.get("answer", "") for it in items]), 4
                )
            for rag in ([False] if cfg.bare else []) + [True] if retriever else [False]:
                vname = name + ("+rag" if rag else "")
                start = time.perf_counter()
                v = Variant(vname, answerer, logs[vname], retriever if rag else None, cfg.roles, shared_passages)
                section = evaluate_variant(v, items, cfg, embedder, tracker)
                section["perplexity"] = ppl
                section["retrieval"] = retrieval if rag else None
                if rag and "classification" in variants.get(name, {}):
                    section["classification"] = variants[name]["classification"]
                section["seconds"] = round(time.perf_counter() - start, 2)
                section["engine"] = getattr(
                    answerer, "engine_info", None
                )  # which engine wrote the answers (engines.py)
                answers[vname] = [r["answer"] for r in section["items"]]
                variants[vname] = section
            del answerer
        if retriever is not None and cfg.baseline:  # what retrieval alone gives, on the same passages
            start = time.perf_counter()
            v = Variant(BASELINE, ExtractiveAnswerer(), logs[BASELINE], retriever, cfg.roles, shared_passages)
            section = evaluate_variant(v, items, cfg, embedder, tracker)
            section.update(perplexity=None, retrieval=retrieval, seconds=round(time.perf_counter() - start, 2))
            variants[BASELINE] = section
    finally:
        tracker.close()
        if retriever is not None:
            retriever.close()
    cost["made"] = tracker.done
    ab = {}
    if "ab" in suite_plan(cfg).suites and len(variants) > 1:
        if judge is None and cfg.judge:
            judge = RewardModelJudge(cfg.judge, cfg.device)
        names = [v for v in variants if v != BASELINE]
        for other in names[1:]:
            ab[other] = {
                "baseline": names[0],
                **compare(
                    items, answers[names[0]], answers[other], judge, cfg.tie_margin, cfg.bootstrap_resamples, cfg.seed
                ),
            }
    return {"variants": variants, "ab": ab, "warnings": warnings, "cost": cost}


def plan_generations(models: list, items: list[dict], out: Path, cfg: EvalConfig, rag: bool) -> tuple[dict, dict]:
    """Each variant's generation log, and the cost estimate (profiles.py) of what is left to generate."""
    logs: dict[str, GenerationLog] = {}
    variants = []
    for name, spec in zip(model_labels(models), models):
        classify = hasattr(spec[1] if isinstance(spec, tuple) else HFAnswerer, "classify")
        wanted = ([(name, False)] if cfg.bare or not rag else []) + ([(name + "+rag", True)] if rag else [])
        for vname, with_rag in wanted:
            logs[vname] = GenerationLog(out / "generations" / f"{slug(vname)}.jsonl")
            variants.append((vname, True, classify and not with_rag, logs[vname].has))
    if rag and cfg.baseline:
        logs[BASELINE] = GenerationLog(out / "generations" / f"{slug(BASELINE)}.jsonl")
        variants.append((BASELINE, False, False, logs[BASELINE].has))
    return logs, estimate(variants, items, suite_plan(cfg))


def role_warnings(retriever, roles: list[str]) -> list[str]:
    """A warning per role no indexed document carries (retrieval under it finds nothing), said on stderr."""
    carried: set[str] = set()
    for p in retriever.index.scroll_payloads(["roles"]):
        carried.update(p.get("roles") or [])
    out = [
        f"role {r!r} is carried by no document of the index (roles there: {', '.join(sorted(carried)) or 'none'}); "
        f"retrieval under it finds no passage"
        for r in roles
        if r not in carried
    ]
    for w in out:
        stderr.print(f"[yellow]warning:[/yellow] {w}")
    return out


def pick_rows(rows: list, max_items: int | None, sample: str = "first") -> list:
    """`max_items` rows: the first ones, or ("spread") rows evenly spaced over the file, in file order."""
    if max_items is None or max_items >= len(rows):
        return rows
    if sample == "first":
        return rows[:max_items]
    return [rows[k * len(rows) // max_items] for k in range(max_items)]


def read_items(testset: str | Path, max_items: int | None = None, sample: str = "first") -> list[dict]:
    """Test rows (question, answer, ...) via rag/evaluate.py's reader; a row without an answer is an error."""
    from chatforge.errors import InputError
    from chatforge.rag.evaluate import read_testset

    rows = pick_rows(read_testset(testset), max_items, sample)
    bad = [r.get("id") or n for n, r in enumerate(rows, start=1) if not isinstance(r.get("answer"), str)]
    if bad:
        raise InputError(f"{testset}: rows without an 'answer' string: {bad[:10]}")
    if not rows:
        raise InputError(f"{testset}: no test rows")
    return rows


def estimate_cost(
    models: list, testset: str | Path, out: str | Path, cfg: EvalConfig | None = None, index: str | Path | None = None
) -> dict:
    """The cost summary (profiles.py) of `evaluate` with the same arguments, loading no model and writing nothing."""
    from chatforge.errors import MissingResource

    cfg = cfg or EvalConfig()
    if not models:
        raise ConfigError("give at least one --model")
    if index is not None and not Path(index).is_dir():
        raise MissingResource(f"{index}: no such index folder")
    items = with_languages(read_items(testset, cfg.max_items, cfg.sample))
    return plan_generations(models, items, Path(out), cfg, index is not None)[1]


def evaluate(
    models: list,
    testset: str | Path,
    out: str | Path,
    cfg: EvalConfig | None = None,
    index: str | Path | None = None,
    judge=None,
    progress: bool = True,
    roles_source: str = "config",
) -> dict:
    """Run, score, gate and write the report; `models` are specs for load_model or (name, answerer) pairs.

    `roles_source` says where the retrieval roles came from (--role, default, config), for the report."""
    from chatforge.eval.gate import check
    from chatforge.eval.report import write_report
    from chatforge.provenance import file_sha256, library_versions, write_resolved_config

    cfg = cfg or EvalConfig()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if not models:
        raise ConfigError("give at least one --model")
    try:
        parse_suites(cfg.suites)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    items = read_items(testset, cfg.max_items, cfg.sample)
    start = time.perf_counter()
    run = run_models(models, items, out, cfg, Path(index) if index else None, judge, progress)
    names = model_labels(models)
    gated = [v for v in run["variants"] if v in (names[-1], names[-1] + "+rag")]
    report = {
        "models": names,
        "model_specs": [m[0] if isinstance(m, tuple) else str(m) for m in models],
        "variants": list(run["variants"]),
        "testset": {"path": str(testset), "sha256": file_sha256(testset), "items": len(items)},
        "index": {"path": str(index), "roles": cfg.roles, "roles_source": roles_source} if index else None,
        "roles": cfg.roles,
        "warnings": run["warnings"],
        "results": run["variants"],
        "ab": run["ab"],
        "cost": run["cost"],
        "gate": check(run["variants"], cfg.fail_under, gated),
        "seconds": round(time.perf_counter() - start, 2),
        "items_per_s": round(len(items) * len(run["variants"]) / max(time.perf_counter() - start, 1e-9), 3),
        "config": cfg.model_dump(mode="json"),
        "versions": library_versions(
            ["torch", "transformers", "sentence-transformers", "rouge-score", "sacrebleu", "scikit-learn", "mlflow"]
        ),
    }
    write_resolved_config(cfg, out)
    report["paths"] = write_report(report, out)
    return report
