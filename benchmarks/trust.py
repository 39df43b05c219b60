"""Trust of grounded answers on both example domains, beside the extractive baseline on the same retrieval.

    .venv/bin/python benchmarks/trust.py [--models default [FOLDER ...]] [--max-items N] [--work runs/bench-trust]
    .venv/bin/python benchmarks/run_all.py --set trust        # make bench BENCH=trust: records it in results.json

For each domain (examples/hirondelle-air, examples/riverbend-utilities), as a user would, through the CLI:

1. `chatforge rag ingest examples/D/knowledge --index WORK/D/index` with the domain's access settings
   (knowledge/access.yaml, front matter; French BM25 for the airline). Re-ingesting unchanged files does no work.
2. The answerability gate is fitted on a validation split: the examples ship only their test sets, so the
   split is what `chatforge data synth` holds out from the documents (`--unanswerable 15 --exclude-testset`:
   extractive questions of held-out chunks plus 15 questions on topics no chunk mentions, none near a test
   question), then `chatforge rag gate fit --index IDX --questions WORK/D/synth/test.jsonl` (IDX/gate.json).
   `--gate none` evaluates without a gate; `--gate FILE` fits it on another file.
3. `chatforge eval` on the FULL test set (or `--max-items N`, spread over the file), RAG on, verifier and gate
   on, each question under its document's role (the item's `role`, else its document's first role in the
   index, else `public`): one eval per role with `--role`, `--set bare=false` (no answer without retrieval),
   `--suites quick`, `--engine auto` (llama.cpp on CPU), the domain's grounded prompt as the example pipeline
   serves it (3 passages of at most 600 characters, no few-shot; the French template for the airline).
   The roles' reports are pooled per domain (counts summed, so every metric is over the whole test set).

Per domain and variant (each model's `M+rag`, and `extractive+rag`, the passage sentence that best overlaps the
question, eval's naive baseline over the same passages): answer_correct, abstention precision and recall on
unanswerable items, false abstention, supported, citation_accuracy, the answers stating a number no retrieved
passage holds (rag/verify.py's number check on report.json's answers against the passages retrieved again with
the same settings; `unsupported_number_ids`), and for the models the raw replies that did so before verification
and the gate's abstentions. A side-by-side table goes to stderr; the last stdout line is the JSON record: value =
abstention recall of the first model (+rag) pooled over the domains, baseline = the extractive baseline's,
`results` the full table, `targets` issue 17's `--model default` targets (abstention recall >= 0.8, no
unsupported number) and whether each domain meets them. Greedy decoding makes eval deterministic: `--repeats`
defaults to 1 (each further repeat generates again in its own folder). Generations are kept under --work
(a folder per hash of the settings and of the answer path's code in chatforge/rag), so a rerun with the same
settings and code reads them back.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

CHATFORGE = str(Path(sys.executable).parent / "chatforge")
K = 3  # passages per grounded prompt, as the example pipeline serves
PROMPT = {"few_shot": 0, "max_passage_chars": 600}
DOMAINS = {
    "hirondelle-air": {
        "ingest": ["--set", "bm25.language=french"],
        "prompt": {
            "template": "grounded-fr-v1",
            "assistant": "l'assistant virtuel d'Hirondelle Air",
            "organisation": "Hirondelle Air",
        },
    },
    "riverbend-utilities": {
        "ingest": [],
        "prompt": {
            "assistant": "the virtual assistant of Riverbend Municipal Utilities",
            "organisation": "Riverbend Municipal Utilities",
        },
    },
}
METRICS = (
    "answer_correct",
    "abstention_precision",
    "abstention_recall",
    "false_abstention",
    "supported",
    "citation_accuracy",
)
BASELINE = "extractive+rag"
ANSWER_PATH = ("grounding.py", "verify.py", "gate.py", "prompt.py")


def chatforge(*args: str) -> dict:
    """Run `chatforge ARGS --json` (its stderr passes through); its JSON summary. Exit 1 (a gate) is not an error."""
    command = [CHATFORGE, *args, "--json"]
    print("$ chatforge " + " ".join(args), file=sys.stderr, flush=True)
    proc = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode not in (0, 1) or not lines:
        raise SystemExit(f"chatforge {args[0]} failed (exit {proc.returncode}): {(lines or [''])[-1][:300]}")
    return json.loads(lines[-1])


def sets(prefix: str, tree: dict) -> list[str]:
    return [a for k, v in tree.items() for a in ("--set", f"{prefix}{k}={v}")]


def digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:10]


def pick(rows: list, n: int | None) -> list:
    """n rows spread over the file (eval's sample=spread), or all."""
    if n is None or n >= len(rows):
        return rows
    return [rows[k * len(rows) // n] for k in range(n)]


def prepare(domain: str, work: Path, gate: str) -> dict:
    """Ingest, validation split and gate fit; returns the index, the gate summary and the synth summary."""
    src = ROOT / "examples" / domain
    idx = work / domain / "index"
    ingest = chatforge("rag", "ingest", str(src / "knowledge"), "--index", str(idx), *DOMAINS[domain]["ingest"])
    keep = ("documents", "ingested", "unchanged", "chunks_total", "failed")
    out = {"index": idx, "ingest": {k: ingest.get(k) for k in keep}}
    if gate == "none":
        return {**out, "gate": None, "validation": None}
    if gate == "synth":
        synth = work / domain / "synth"
        if not (synth / "test.jsonl").is_file():
            report = chatforge(
                "data", "synth", str(src / "knowledge"), "--index", str(idx), "--out", str(synth),
                "--unanswerable", "15", "--exclude-testset", str(src / "testset.jsonl"), "--set", "grounded=false",
            )  # fmt: skip
            print(f"{domain}: validation split of {report.get('test')} questions", file=sys.stderr)
        questions = synth / "test.jsonl"
    else:
        questions = Path(gate)
    fit = chatforge("rag", "gate", "fit", "--index", str(idx), "--questions", str(questions), "--set", f"k={K}")
    keep = ("threshold", "reached", "precision", "recall", "counts")
    return {**out, "gate": {k: fit.get(k) for k in keep}, "validation": str(questions)}


def retrieve(idx: Path, items: list[dict]) -> tuple[list[str], list[list[dict]]]:
    """Each item's role (its own, else its document's first role in the index, else public) and its passages."""
    from chatforge.rag.evaluate import _document_roles
    from chatforge.rag.retrieve import RetrieveConfig, Retriever

    with Retriever(idx, RetrieveConfig(k=K)) as r:  # closed before eval opens the index (one process at a time)
        doc_roles = _document_roles(r)
        roles = [it.get("role") or (doc_roles.get(it.get("doc_id")) or ["public"])[0] for it in items]
        passages = r.search_many([it["question"] for it in items], [[role] for role in roles])
    return roles, passages


def number_check(answer: str, passages: list[dict]) -> list[str]:
    """The figures of `answer` that no retrieved passage holds (rag/verify.py's normalised number check)."""
    from chatforge.rag.verify import CITATION, numbers, split_sentences, unsupported_numbers

    held = set().union(*(numbers(str(p.get("text", ""))) for p in passages)) if passages else set()
    return [n for s in split_sentences(answer) for n in unsupported_numbers(CITATION.sub("", s), held)]


def pooled(reports: list[dict], variant: str) -> dict:
    """A variant's trust metrics over every role's report: each a count-weighted mean, so over the whole set."""
    out = {}
    for m in METRICS:
        parts = [(r["results"][variant].get(m) or {}) for r in reports]
        n = sum(p.get("n") or 0 for p in parts if p.get("value") is not None)
        total = sum(p["value"] * p["n"] for p in parts if p.get("value") is not None)
        out[m] = {"value": round(total / n, 4) if n else None, "n": n}
    out["degenerate"] = sum((r["results"][variant].get("degenerate") or {}).get("flagged", 0) for r in reports)
    return out


def generations(folder: Path, variant: str) -> dict[str, dict]:
    """question -> the generation log row (stats: raw reply, gate decision) of one variant."""
    from chatforge.eval.runner import slug

    path = folder / "generations" / f"{slug(variant)}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["question"]: r for r in rows if r.get("task") == "answer"}


def run_domain(domain: str, args, prep: dict, tag: str) -> dict:
    src = ROOT / "examples" / domain
    from chatforge.rag.evaluate import read_testset

    items = pick(read_testset(src / "testset.jsonl"), args.max_items)
    roles, passages = retrieve(prep["index"], items)
    settings = {
        "models": args.models,
        "items": [it.get("id") for it in items],
        "max_new_tokens": args.max_new_tokens,
        "suites": args.suites,
        "prompt": {**PROMPT, **DOMAINS[domain]["prompt"]},
        "k": K,
        "gate": prep["gate"],
        "tag": tag,
        # the answer path's code: generations are cached by question, so a changed verifier or gate must not reuse them
        "code": digest([(ROOT / "chatforge" / "rag" / f).read_text(encoding="utf-8") for f in ANSWER_PATH]),
    }
    base = args.work / domain / f"eval-{digest(settings)}"
    by_role: dict[str, list[int]] = defaultdict(list)
    for n, role in enumerate(roles):
        by_role[role].append(n)
    reports, folders = [], {}
    for role, rows in sorted(by_role.items()):
        folder = base / role
        folder.mkdir(parents=True, exist_ok=True)
        testset = folder / "testset.jsonl"
        testset.write_text("".join(json.dumps(items[n], ensure_ascii=False) + "\n" for n in rows), encoding="utf-8")
        cmd = ["eval", *[a for m in args.models for a in ("--model", m)], "--testset", str(testset)]
        cmd += ["--index", str(prep["index"]), "--role", role, "--out", str(folder), "--suites", args.suites]
        cmd += ["--engine", "auto", "--set", "bare=false", "--set", "perplexity=false", "--set", "mlflow=false"]
        cmd += ["--set", f"max_new_tokens={args.max_new_tokens}", "--set", f"retrieval.k={K}"]
        cmd += sets("prompt.", settings["prompt"])
        if prep["gate"] is None:
            cmd += ["--set", "gate=false"]
        chatforge(*cmd)
        reports.append(json.loads((folder / "report.json").read_text(encoding="utf-8")))
        folders[role] = (folder, rows)
    variants = [v for v in reports[0]["variants"]]
    table = {}
    for v in variants:
        row = pooled(reports, v)
        answers: dict[int, dict] = {}
        for r, (folder, rows) in zip(reports, folders.values()):
            log = generations(folder, v) if v != BASELINE else {}
            for n, it in zip(rows, r["results"][v]["items"]):
                answers[n] = {**it, "log": log.get(items[n]["question"], {})}
        bad = [
            n
            for n in sorted(answers)
            if not answers[n]["abstained"] and number_check(answers[n]["answer"], passages[n])
        ]
        row["unsupported_number"] = len(bad)
        row["unsupported_number_ids"] = [items[n].get("id") for n in bad]
        if v != BASELINE:
            raw = [
                n
                for n in sorted(answers)
                if number_check((answers[n]["log"].get("stats") or {}).get("raw") or "", passages[n])
            ]
            gated = [
                n
                for n in sorted(answers)
                if ((answers[n]["log"].get("stats") or {}).get("gate") or {}).get("answerable") is False
            ]
            row["raw_unsupported_number"] = len(raw)
            row["gate_abstained"] = len(gated)
            row["gate_abstained_unanswerable"] = sum(1 for n in gated if not items[n].get("answerable", True))
        table[v] = row
    return {
        "items": len(items),
        "unanswerable": sum(1 for it in items if not it.get("answerable", True)),
        "roles": {role: len(rows) for role, rows in sorted(by_role.items())},
        "eval": str(base),
        "variants": table,
    }


def show(results: dict) -> None:
    cols = [*METRICS, "unsupported_number", "raw_unsupported_number", "gate_abstained", "degenerate"]
    head = ["domain", "variant", *[c.replace("abstention_", "abst_") for c in cols]]
    print("  ".join(f"{h:>14}" for h in head), file=sys.stderr)
    for domain, res in results.items():
        for v, row in res["variants"].items():
            cells = [domain[:14], v[:14]]
            for c in cols:
                x = row.get(c)
                cells.append("-" if x is None else str((x or {}).get("value") if isinstance(x, dict) else x))
            print("  ".join(f"{c:>14}" for c in cells), file=sys.stderr)
    print(file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=["default"], help="models to evaluate: 'default' and/or folders")
    ap.add_argument("--domains", nargs="+", default=list(DOMAINS), choices=list(DOMAINS))
    ap.add_argument("--max-items", type=int, default=None, help="test items per domain, spread over the file (smoke)")
    ap.add_argument("--suites", default="quick")
    ap.add_argument("--max-new-tokens", type=int, default=48)
    ap.add_argument("--gate", default="synth", help="synth (data synth's held-out questions), none, or a JSONL file")
    ap.add_argument("--work", type=Path, default=ROOT / "runs" / "bench-trust")
    add_repeats(ap, default=1)
    args = ap.parse_args()
    args.models = [m if m == "default" else str(Path(m).resolve()) for m in args.models]
    preps = {d: prepare(d, args.work, args.gate) for d in args.domains}
    first = args.models[0] if args.models[0] == "default" else Path(args.models[0]).name
    counter = iter(range(args.repeats))
    last: dict = {}

    def one() -> dict:
        r = next(counter)
        results = {d: run_domain(d, args, preps[d], f"r{r}" if r else "") for d in args.domains}
        last.update(results)
        show(results)
        figs = {}
        for side, v in (("model", f"{first}+rag"), ("baseline", BASELINE)):
            hits = sum(
                (res["variants"][v]["abstention_recall"]["value"] or 0) * res["variants"][v]["abstention_recall"]["n"]
                for res in results.values()
            )
            n = sum(res["variants"][v]["abstention_recall"]["n"] for res in results.values())
            figs[f"{side}_abstention_recall"] = round(hits / n, 4) if n else None
            figs[f"{side}_unsupported_number"] = sum(
                res["variants"][v]["unsupported_number"] for res in results.values()
            )
        base = figs["baseline_abstention_recall"]
        figs["ratio"] = (
            round(figs["model_abstention_recall"] / base, 4)
            if base and figs["model_abstention_recall"] is not None
            else None
        )
        return figs

    runs = interleave({"chatforge": one}, args.repeats)
    targets = {
        d: {
            "abstention_recall_ge_0.8": (res["variants"][f"{first}+rag"]["abstention_recall"]["value"] or 0) >= 0.8,
            "no_unsupported_number": res["variants"][f"{first}+rag"]["unsupported_number"] == 0,
        }
        for d, res in last.items()
    }
    record = summary(
        "trust",
        f"abstention recall on unanswerable questions, {first}+rag with verifier and gate, both domains pooled",
        runs,
        value="model_abstention_recall",
        baseline=None,
        baseline_value="baseline_abstention_recall",
        baseline_is="the extractive baseline (best-overlap passage sentence) on the same retrieval",
        ratio_is=f"{first}+rag / extractive+rag",
        models=args.models,
        max_items=args.max_items,
        max_new_tokens=args.max_new_tokens,
        suites=args.suites,
        gate={d: {"validation": p["validation"], **(p["gate"] or {})} for d, p in preps.items()},
        results=last,
        targets=targets,
        repeats_note="eval is greedy and deterministic: 1 repeat by default",
    )
    emit(record)


if __name__ == "__main__":
    main()
