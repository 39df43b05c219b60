"""The runner on the example test set with callable models: oracle, random, resume, report files, gate."""

from __future__ import annotations

import json

import pytest

from chatforge.eval.runner import EvalConfig, evaluate, pick_rows

from .conftest import Oracle, RandomWords

ACCURACY = ("exact_match", "token_precision", "token_recall", "token_f1", "rouge_l", "bleu", "semantic_similarity")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from tests.conftest import write_jsonl

    from .conftest import load_items

    out = tmp_path_factory.mktemp("eval")
    rows = load_items()
    rows = rows[:24] + [r for r in rows if not r["answerable"]][:8]  # paraphrase groups, 8 intents, 8 unanswerable
    testset = write_jsonl(out / "testset.jsonl", rows)
    cfg = EvalConfig(
        mlflow=False,
        suites="full",
        robustness_items=5,
        bias_items=5,
        bootstrap_resamples=200,
        fail_under={"token_f1": 0.5, "hallucination": 0.1},
    )
    return evaluate([("oracle", Oracle(rows)), ("random", RandomWords())], testset, out, cfg, progress=False), out


def test_oracle_scores_one_and_never_hallucinates(report):
    r, _ = report
    s = r["results"]["oracle"]
    for name in ACCURACY:
        assert s[name]["value"] == pytest.approx(1.0, abs=1e-4), name
    assert s["hallucination"]["value"] == 0.0 and s["hallucination"]["unanswerable"] == 8
    assert s["hallucination"]["contradiction_rate"] == 0.0
    assert s["consistency"]["value"] == 1.0
    assert s["answer_correct"]["value"] == 1.0 and s["answer_correct"]["n"] == 24
    assert s["abstention_recall"]["value"] == 1.0 and s["false_abstention"]["value"] == 0.0
    assert s["degenerate"]["value"] == 0.0
    assert s["errors"]["failed"] == 0
    assert s["classification"]["f1"]["macro"] == 1.0 and len(s["classification"]["f1"]["per_class"]) > 3
    assert s["bias"]["value"] == 0.0  # the oracle does not know the prefixed questions: same fallback on both sides


def test_random_model_scores_near_zero(report):
    r, _ = report
    s = r["results"]["random"]
    for name in ACCURACY:
        assert abs(s[name]["value"]) < 0.1, name
    assert s["hallucination"]["value"] == 1.0  # never abstains
    assert s["answer_correct"]["value"] == 0.0 and s["abstention_recall"]["value"] == 0.0
    assert s["errors"]["failed"] == r["testset"]["items"]
    assert s["errors"]["counts"]["off_topic"] + s["errors"]["counts"]["hallucinated"] == r["testset"]["items"]


def test_ab_against_the_first_model(report):
    r, _ = report
    ab = r["ab"]["random"]
    assert ab["baseline"] == "oracle" and ab["loss"]["value"] == 1.0 and ab["win"]["value"] == 0.0


def test_report_files_names_and_gate(report):
    r, out = report
    on_disk = json.loads((out / "report.json").read_text(encoding="utf-8"))
    names = {
        "exact_match",
        "token_precision",
        "token_recall",
        "token_f1",
        "rouge_l",
        "bleu",
        "semantic_similarity",
        "perplexity",
        "retrieval",
        "groundedness",
        "hallucination",
        "consistency",
        "robustness",
        "bias",
        "resources",
        "errors",
        "classification",
    }
    assert names <= set(on_disk["results"]["oracle"])
    assert "ab" in on_disk and on_disk["testset"]["sha256"] and (out / "config.yaml").is_file()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "refused_wrongly" in html and "Gate" in html
    # the gate checks the last model only: random misses both thresholds
    assert not r["gate"]["passed"]
    assert {c["metric"] for c in r["gate"]["checks"] if not c["passed"]} == {"token_f1", "hallucination"}
    assert {c["variant"] for c in r["gate"]["checks"]} == {"random"}


def test_resume_reuses_finished_generations(tmp_path):
    from .conftest import TESTSET, load_items

    calls = []

    def counting(question, passages=None):
        calls.append(question)
        return "Je ne sais pas."

    cfg = EvalConfig(mlflow=False, max_items=6, semantic_model=None, suites=["hallucination"])
    evaluate([("m", counting)], TESTSET, tmp_path, cfg, progress=False)
    assert len(calls) == 6
    lines = (tmp_path / "generations" / "m.jsonl").read_text(encoding="utf-8").splitlines()
    (tmp_path / "generations" / "m.jsonl").write_text("\n".join(lines[:4]) + '\n{"cut', encoding="utf-8")
    evaluate([("m", counting)], TESTSET, tmp_path, cfg, progress=False)
    assert len(calls) == 8  # only the two lost generations were made again
    assert load_items(1)[0]["question"] in calls


def test_spread_sample_covers_the_whole_file():
    rows = list(range(10))
    assert pick_rows(rows, 4, "first") == [0, 1, 2, 3]
    assert pick_rows(rows, 4, "spread") == [0, 2, 5, 7]  # k * 10 // 4
    assert pick_rows(rows, 20, "spread") == rows and pick_rows(rows, None, "spread") == rows
