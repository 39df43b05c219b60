"""One round of improvement from real use: feedback → training → evaluation against production → promotion.

    chatforge loop --name hirondelle --db runs/serve/chatforge.db --testset examples/hirondelle-air/testset.jsonl \
                   --out runs/loop/round-1 [--methods sft,dpo,kto] [--gate token_f1=0.3] [--ab-share 0.2] [--dry-run]

Steps, each writing under OUT:
1. export the feedback the server stored (serve/feedback.py): `feedback/{sft,dpo,kto}.jsonl`;
2. train from the current production version, in the order SFT (thumbs-up answers) → DPO
   (regenerate picks and answers ranked by thumbs) → KTO (every thumb), each stage starting
   from the previous one merged (`train/<method>/`, `models/<method>/`); the last one is
   `candidate/`. A method without enough rows for a train / held-out split is skipped, and
   the plan says why;
3. evaluate `production` and `candidate` on the held-out test set (eval/runner.py): `eval/`;
4. register the candidate (parent = production, data = the feedback files, config = OUT/config.yaml);
5. promote it if the gate passes and it beats production on this same evaluation
   (registry/promotion.py), else refuse with the reason. With `--ab-share S`, a candidate that
   passes the gate and is nowhere worse is not promoted: it becomes the `candidate` alias with
   share S (`chatforge serve --model registry:N@production --model-b registry:N@candidate`), and
   promotion waits for the A/B result (`chatforge ab report`, then `chatforge registry promote`).

The exported feedback goes through the personal-data redaction of `data prepare` (`pii:`,
data/pii.py); loop.json counts what was redacted, by type, and the feedback rows skipped as
unusable (with their ids and reasons), never their text.
`--dry-run` reads the registry and the feedback and prints the plan; it writes nothing.
OUT/loop.json holds the plan, every step's result and the outcome; OUT/config.yaml the config.
`--resume` continues a cut round in the same OUT: stages already trained from the same model on
the same feedback (metrics.json: starting model and input hashes) are reused, and so are the
evaluation's generations and the registered candidate when no stage had to run again;
`--overwrite` redoes the round.
Too little feedback (fewer rows than `min_feedback` over the chosen methods) is a clear error.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Literal

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.data.pii import PIIConfig
from chatforge.errors import UserError
from chatforge.eval.runner import EvalConfig
from chatforge.output import redact_url, stderr
from chatforge.train.dpo import DPOConfig
from chatforge.train.kto import KTOConfig
from chatforge.train.sft import SFTConfig

ORDER = ("sft", "dpo", "kto")  # supervised first, so the preference stages take the tuned model as their reference


class LoopError(UserError, ValueError):
    """The round cannot run as asked (no production, no gate, too little feedback...)."""


class LoopConfig(StageConfig):
    methods: list[Literal["sft", "dpo", "kto"]] = Field(
        list(ORDER), description="Trainings to run on the feedback (always in the order sft, dpo, kto)."
    )
    min_feedback: int = Field(
        8, ge=1, description="Fewest exported feedback rows (over the chosen methods) worth a round."
    )
    gate: dict[str, float] = Field(
        {}, description="Promotion gate metric -> threshold; empty = the registered model's gate."
    )
    tolerance: float = Field(
        0.0, ge=0, description="Metric differences up to this are ties in the comparison with production."
    )
    ab_share: float | None = Field(
        None, gt=0, le=1, description="Start an A/B test of the candidate at this share instead of promoting it."
    )
    sft: SFTConfig = Field(
        default_factory=lambda: SFTConfig(epochs=1),
        description="SFT on thumbs-up answers (its model is set by the loop).",
    )
    dpo: DPOConfig = Field(
        default_factory=DPOConfig, description="DPO on picks and ranked answers (its model is set by the loop)."
    )
    kto: KTOConfig = Field(default_factory=KTOConfig, description="KTO on thumbs (its model is set by the loop).")
    eval: EvalConfig = Field(
        default_factory=lambda: EvalConfig(mlflow=False), description="Evaluation of production vs candidate."
    )
    pii: PIIConfig = Field(
        default_factory=PIIConfig, description="Personal-data redaction of the exported feedback (as data prepare)."
    )


def _prompts(rows: list[dict]) -> int:
    return len({json.dumps(r["prompt"], sort_keys=True, ensure_ascii=False) for r in rows})


def enough(method: str, rows: list[dict]) -> str | None:
    """Why `rows` cannot train `method` (a train and a held-out part are needed), or None."""
    if method == "sft":
        return None if len(rows) >= 2 else f"{len(rows)} thumbs-up answer(s); needs 2 (one held out)"
    if method == "dpo":
        return None if _prompts(rows) >= 2 else f"pairs for {_prompts(rows)} prompt(s); needs 2 (one held out)"
    labels = {r["label"] for r in rows}
    if _prompts(rows) < 2 or labels != {True, False}:
        return f"{len(rows)} thumb(s) on {_prompts(rows)} prompt(s), labels {sorted(labels)}; needs up and down on 2 prompts"
    return None


def read_feedback(db: str, pii: PIIConfig | None = None) -> dict:
    """{"sft": Export, "dpo": Export, "kto": Export} from the serve store (read only), redacted with `pii`."""
    from chatforge.serve.feedback import FORMATS, export_report
    from chatforge.store.retention import StoreMissing, open_existing

    try:
        store = open_existing(db)
    except StoreMissing as exc:
        raise LoopError(str(exc)) from None
    try:
        return {fmt: export_report(store, fmt, pii) for fmt in FORMATS}
    finally:
        store.close()


def _feedback_report(exports: dict) -> dict:
    """Rows, skipped rows and redactions per format: counts, ids and reasons, never text."""
    return {
        "rows": {m: len(e.rows) for m, e in exports.items()},
        "skipped": {m: e.skipped for m, e in exports.items() if e.skipped},
        "redacted": {m: e.redacted for m, e in exports.items() if e.redacted},
    }


def plan(
    name: str, db: str, testset: str | Path, out: str | Path, cfg: LoopConfig, registry, production: int | None = None
) -> dict:
    """What the round would do, from the registry and the feedback as they are now; raises LoopError if it cannot.

    `production` pins the version the round starts from (a resumed round keeps its own), else the alias decides.
    """
    from chatforge.eval.runner import read_items
    from chatforge.registry.versions import RegistryError

    try:
        prod = registry.get(name, production or "production")
    except RegistryError as exc:
        raise LoopError(f"{exc}: the loop trains from the production version") from None
    gate = cfg.gate or registry.gate(name)
    if not gate:
        raise LoopError(
            f"no gate for {name}: pass --gate metric=value,... or run `chatforge registry set-gate {name} ...`"
        )
    items = read_items(testset, cfg.eval.max_items)
    exports = read_feedback(db, cfg.pii)
    feedback = {m: e.rows for m, e in exports.items()}
    chosen = [m for m in ORDER if m in cfg.methods]
    total = sum(len(feedback[m]) for m in chosen)
    counts = {m: len(rows) for m, rows in feedback.items()}
    if total < cfg.min_feedback:
        raise LoopError(
            f"too little feedback in {redact_url(db)}: {total} row(s) for {', '.join(chosen)} "
            f"({', '.join(f'{m} {counts[m]}' for m in chosen)}); need at least {cfg.min_feedback} "
            f"(--min-feedback). Collect more thumbs and regenerate picks first"
        )
    out = Path(out)
    trainings, skipped, start = [], [], f"{name}@{prod.version}"
    for m in chosen:
        why = enough(m, feedback[m])
        if why:
            skipped.append({"method": m, "reason": why})
            continue
        trainings.append(
            {
                "method": m,
                "rows": counts[m],
                "data": str(out / "feedback" / f"{m}.jsonl"),
                "from": start,
                "out": str(out / "train" / m),
                "max_steps": getattr(cfg, m).max_steps,
            }
        )
        start = f"{m} model"
    if not trainings:
        raise LoopError(
            "no training can run on this feedback: " + "; ".join(f"{s['method']}: {s['reason']}" for s in skipped)
        )
    action = (
        f"A/B test of the candidate at share {cfg.ab_share} if it passes the gate and is nowhere worse"
        if cfg.ab_share
        else "promote the candidate if it passes the gate and beats production"
    )
    return {
        "name": name,
        "registry": redact_url(registry.uri),
        "production": prod.version,
        "production_path": prod.path,
        "feedback": {"db": redact_url(db), **_feedback_report(exports)},
        "trainings": trainings,
        "skipped": skipped,
        "eval": {
            "testset": str(testset),
            "items": len(items),
            "models": ["production", "candidate"],
            "suites": cfg.eval.suites,
        },
        "gate": gate,
        "tolerance": cfg.tolerance,
        "action": action,
        "out": str(out),
    }


def _train(method: str, data: Path, start: str, run_dir: Path, cfg: LoopConfig, progress: bool) -> dict:
    from chatforge.errors import InputError

    stage_cfg = getattr(cfg, method).model_copy(update={"model": start})
    if method == "sft":
        from chatforge.train.sft import sft as train
    elif method == "dpo":
        from chatforge.train.dpo import dpo as train
    else:
        from chatforge.train.kto import kto as train
    try:
        return train(data, run_dir, stage_cfg, overwrite=True, progress=progress)
    except (InputError, ValueError) as exc:
        raise LoopError(f"{method} on {data}: {exc}") from None


def _finished(run_dir: Path, merged: Path, data: Path, start: str) -> dict | None:
    """A stage's metrics when it already trained from `start` on exactly this data and was merged, else None."""
    from chatforge.provenance import file_sha256

    path = run_dir / "metrics.json"
    if not (merged / "config.json").is_file() or not path.is_file():
        return None
    metrics = json.loads(path.read_text(encoding="utf-8"))
    same_data = (metrics.get("inputs") or {}).get(str(data)) == file_sha256(data)
    return metrics if same_data and metrics.get("model") == start else None


def _merge(run_dir: Path, merged: Path) -> None:
    """The stage's output as a standalone model, written aside and renamed so a cut merge is never reused."""
    from chatforge.models.export import export

    tmp = merged.with_name(merged.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(merged, ignore_errors=True)
    export(run_dir, tmp, merge=True)
    tmp.rename(merged)


def _relink(link: Path, target: Path) -> None:
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.is_dir():
        shutil.rmtree(link)
    link.symlink_to(target.resolve(), target_is_directory=True)


def run_loop(
    name: str,
    db: str,
    testset: str | Path,
    out: str | Path,
    cfg: LoopConfig | None = None,
    registry=None,
    progress: bool = True,
    resume: bool = False,
    overwrite: bool = False,
) -> dict:
    """Run the round (see the module docstring); returns what OUT/loop.json holds.

    An OUT that already holds a round is refused unless `resume` (reuse every stage already trained
    from the same model on the same feedback, the evaluation's generations when the candidate is
    unchanged, and the registered candidate) or `overwrite` (redo it all).
    """
    from chatforge.data.jsonl import write_jsonl
    from chatforge.eval.runner import evaluate
    from chatforge.provenance import library_versions, write_resolved_config
    from chatforge.registry.lineage import recorded_run_id
    from chatforge.registry.promotion import decide, metrics_from_report
    from chatforge.registry.versions import Registry

    cfg = cfg or LoopConfig()
    registry = registry or Registry(create=False)
    out = Path(out)
    t0 = time.perf_counter()
    previous = json.loads((out / "loop.json").read_text(encoding="utf-8")) if (out / "loop.json").is_file() else None
    if previous and not (resume or overwrite):
        raise LoopError(
            f"{out} already holds a round: --resume to continue it, --overwrite to redo it, or another --out"
        )
    if previous and overwrite:  # only what a round writes: OUT may hold other things
        for part in ("feedback", "train", "models", "eval"):
            shutil.rmtree(out / part, ignore_errors=True)
        for link in ("candidate", "production", "loop.json"):
            (out / link).unlink(missing_ok=True)
        previous = None
    pinned = previous["plan"]["production"] if previous and previous["plan"].get("name") == name else None
    p = plan(name, db, testset, out, cfg, registry, production=pinned)
    out.mkdir(parents=True, exist_ok=True)
    write_resolved_config(cfg, out)
    result: dict = {
        "plan": p,
        "steps": {},
        "versions": library_versions(["torch", "transformers", "trl", "peft", "mlflow"]),
    }

    def save() -> None:
        (out / "loop.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str), encoding="utf-8")

    exports = read_feedback(db, cfg.pii)  # the same rows the plan counted, now written down
    files = {m: write_jsonl(exports[m].rows, out / "feedback" / f"{m}.jsonl") for m in ORDER}
    result["steps"]["export"] = {
        m: {
            "rows": len(exports[m].rows),
            "path": str(files[m]),
            "skipped": len(exports[m].skipped),
            "redacted": exports[m].redacted,
        }
        for m in ORDER
    }
    save()
    start, last_run, retrained = p["production_path"], None, False
    for t in p["trainings"]:
        m, run_dir, merged = t["method"], Path(t["out"]), out / "models" / t["method"]
        metrics = _finished(run_dir, merged, files[m], start) if resume and not retrained else None
        if metrics is None:
            stderr.print(f"[bold]loop[/bold] {m} on {t['rows']} rows from {t['from']}", highlight=False)
            metrics = _train(m, files[m], start, run_dir, cfg, progress)
            _merge(run_dir, merged)  # the next stage (and the evaluation) load a standalone model
            retrained = True
        else:
            stderr.print(f"[bold]loop[/bold] {m}: already trained on this feedback, reused", highlight=False)
        result["steps"][m] = {
            "steps": metrics.get("steps"),
            "train_loss_first": metrics.get("train_loss_first"),
            "train_loss": metrics.get("train_loss"),
            "run": t["out"],
            "model": str(merged),
            "reused": not retrained,
        }
        start, last_run = str(merged), run_dir
        save()
    # links named as the evaluation report will call them; `production` pins the version evaluated
    candidate, production = out / "candidate", out / "production"
    _relink(candidate, Path(start))
    _relink(production, Path(p["production_path"]))
    if retrained or not resume:  # generations are logged per variant name: a new candidate must not reuse old ones
        shutil.rmtree(out / "eval", ignore_errors=True)

    stderr.print(f"[bold]loop[/bold] evaluating production ({name}@{p['production']}) and candidate", highlight=False)
    report = evaluate([str(production), str(candidate)], testset, out / "eval", cfg.eval, progress=progress)
    report_path = report["paths"]["report_json"]
    cand_metrics = metrics_from_report(report, report_path, model="candidate")
    prod_metrics = metrics_from_report(report, report_path, model="production")
    result["steps"]["eval"] = {
        "report": report_path,
        "candidate": cand_metrics["variants"],
        "production": prod_metrics["variants"],
    }
    save()

    version = None
    if resume and not retrained and previous and previous.get("candidate"):
        version = registry.get(name, previous["candidate"]["version"])  # registered by the interrupted run
    if version is None:
        version = registry.register(
            name,
            candidate,
            metrics=cand_metrics,
            parent=f"{name}@{p['production']}",
            base=None,
            data=[str(files[t["method"]]) for t in p["trainings"]],
            config=out / "config.yaml",
            run_id=recorded_run_id(last_run) if last_run else None,
            description=f"chatforge loop round in {out}",
        )
    result["candidate"] = {"version": version.version, "path": version.path, "parent": p["production"]}
    save()
    if cfg.ab_share:
        decision = decide(cand_metrics, prod_metrics, p["gate"], cfg.tolerance)
        nowhere_worse = decision["gate"]["passed"] and not any(r["verdict"] == "worse" for r in decision["comparison"])
        if nowhere_worse:
            registry.start_ab(name, version.version, cfg.ab_share)
        outcome = {
            "outcome": "ab_started" if nowhere_worse else "refused",
            "promoted": False,
            **decision,
            "ab_share": cfg.ab_share if nowhere_worse else None,
        }
    else:
        current = registry.production(name)
        if current is not None and current.version == version.version:  # a resumed round that had promoted already
            res = {
                **decide(cand_metrics, prod_metrics, p["gate"], cfg.tolerance),
                "promoted": True,
                "name": name,
                "version": version.version,
                "previous": p["production"],
            }
        else:
            res = registry.promote(
                name,
                version.version,
                gate=p["gate"],
                tolerance=cfg.tolerance,
                baseline=prod_metrics,
                reason=f"chatforge loop ({out})",
            )
        outcome = {"outcome": "promoted" if res["promoted"] else "refused", **res}
    result.update(outcome)
    result["seconds"] = round(time.perf_counter() - t0, 2)
    save()
    return result
