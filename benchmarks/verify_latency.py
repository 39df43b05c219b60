"""Latency that verification and the answerability gate add to an answer, generation excluded.

    .venv/bin/python benchmarks/verify_latency.py [--questions 60] [--k 5] [--repeats 3]

The example domain's documents are ingested into a temporary index and a gate is fitted on its
test set (rag/gate.py). Then, for each test question, the grounding path runs as a served answer
does: retrieval under the question's document role, and what the gate and the verifier add: the
two single-branch index queries that give the gate its scores, the gate's decision, and
`verify` (rag/verify.py) of a model reply made of the reference answer, a sentence with an
invented figure and a sentence no passage holds (so sentences are removed and citations fixed:
the verifier's work, not its shortcut). Value: p95 of that added time in ms (target <= 50 ms);
baseline: p95 of the retrieval itself (the hybrid query with its embedding), which every
grounded answer pays anyway; ratio = value / baseline. Each repeat asks every question once (both
timings taken per question, side by side).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _harness import add_repeats, emit, repeat, summary  # noqa: E402

from chatforge.rag.evaluate import _document_roles, read_testset  # noqa: E402
from chatforge.rag.gate import fit_from_questions  # noqa: E402
from chatforge.rag.ingest import ingest  # noqa: E402
from chatforge.rag.retrieve import RetrieveConfig, Retriever  # noqa: E402
from chatforge.rag.verify import VerifyConfig, verify  # noqa: E402

DOMAIN = ROOT / "examples" / "hirondelle-air"


def p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=int, default=60)
    ap.add_argument("--k", type=int, default=5)
    add_repeats(ap)
    args = ap.parse_args()
    items = read_testset(DOMAIN / "testset.jsonl")
    with tempfile.TemporaryDirectory() as tmp:
        idx = Path(tmp) / "idx"
        ingest([DOMAIN / "knowledge"], idx, progress=False)
        gate, summary_ = fit_from_questions(idx, DOMAIN / "testset.jsonl", target_precision=0.9)
        cfg = RetrieveConfig(k=args.k)
        vcfg = VerifyConfig()
        with Retriever(idx, cfg) as r:
            roles_of = _document_roles(r)
            asked = items[: args.questions]
            r.search_many([asked[0]["question"]], [["public"]])  # warm-up: first embedding, first query
            verify(
                "x", [], vcfg, "Bonjour, une question ?"
            )  # warm-up: py3langid's model (GroundingBuilder.open loads it)

            def one_pass() -> dict:
                """Every question once: the retrieval (baseline) and what gate + verifier add (value), per answer."""
                added, retrieval, removed, abstained = [], [], 0, 0
                for it in asked:
                    roles = roles_of.get(it.get("doc_id"), [])[:1] or ["public"]
                    # the branch queries reuse the retrieval's query embedding in serving: built here, untimed
                    spec = r.spec(it["question"], roles, args.k, dense=r.embedder.encode([it["question"]])[0])
                    t0 = time.perf_counter()
                    hits = r.search_many([it["question"]], [roles], args.k)[0]
                    t1 = time.perf_counter()
                    branch = r._branch_scores([spec])[0]
                    decision = gate.decide(gate.features_for(it["question"], hits, branch))
                    reply = (
                        f"{it.get('answer', '')} Le tarif est de 999 euros [1]. "
                        "Nos pilotes adorent la musique baroque et les croissants."
                    )
                    v = verify(reply, hits, vcfg, it["question"])
                    t2 = time.perf_counter()
                    retrieval.append((t1 - t0) * 1000)
                    added.append((t2 - t1) * 1000)
                    removed += len(v.removed_sentences)
                    abstained += (not decision["answerable"]) or v.abstained
                value, base = p95(added), p95(retrieval)
                return {
                    "p95_ms": value,
                    "retrieval_p95_ms": base,
                    "ratio": value / base if base else None,
                    "mean_ms": sum(added) / len(added),
                    "max_ms": max(added),
                    "removed_sentences": removed,
                    "abstentions": abstained,
                }

            runs = {"verify": repeat(one_pass, args.repeats, name="verify")}
    print(
        f"gate threshold {summary_['threshold']} (precision {summary_['precision']}, recall {summary_['recall']})",
        file=sys.stderr,
    )
    emit(
        summary(
            "verify_latency",
            "p95_ms",
            runs,
            value="p95_ms",
            ours="verify",
            baseline=None,
            baseline_value="retrieval_p95_ms",
            baseline_is="p95 of the retrieval itself (hybrid query with its "
            "embedding), which every grounded answer pays anyway",
            ratio_is="verification + gate p95 / retrieval p95",
            target_ms=50,
            questions=len(asked),
        )
    )


if __name__ == "__main__":
    main()
