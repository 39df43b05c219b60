"""Eval cost and progress: profiles, the generation estimate against the generations made, progress off a terminal,
language-specific perturbations only in their language."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.eval.profiles import parse_suites, suite_plan
from chatforge.eval.robustness import KINDS, robustness_suite, with_languages
from chatforge.eval.runner import EvalConfig, evaluate
from chatforge.models.tiny import build_tiny_model
from chatforge.text_metrics import token_f1
from tests.conftest import write_jsonl

from .conftest import Oracle, load_items

# English questions without a `lang` field, holding words the French glossary would rewrite ("animal", "chat") and
# an accented loan word ("café") that no_accents would strip
ENGLISH = [
    {
        "id": "en-1",
        "question": "Can I bring my animal in the cabin on a long flight?",
        "answer": "Yes, pets under 8 kg travel in the cabin.",
    },
    {
        "id": "en-2",
        "question": "Can I chat with an agent about my refund online?",
        "answer": "Yes, the chat is open every day from 8 am.",
    },
    {
        "id": "en-3",
        "question": "Is the airport café open before the first departure?",
        "answer": "It opens at 5 am every morning.",
    },
    {
        "id": "en-4",
        "question": "How heavy may my checked suitcase be on a domestic route?",
        "answer": "Up to 23 kg per checked bag.",
    },
]


class Counting(Oracle):
    """The oracle, counting every call made to it (answers and intent labels)."""

    def __init__(self, items):
        super().__init__(items)
        self.calls = 0

    def __call__(self, question, passages=None):
        self.calls += 1
        return super().__call__(question, passages)

    def classify(self, question, labels):
        self.calls += 1
        return super().classify(question, labels)


def _run(rows, tmp_path, name, **cfg):
    model = Counting(rows)
    cfg = EvalConfig(mlflow=False, semantic_model=None, perplexity=False, bootstrap_resamples=100, **cfg)
    report = evaluate(
        [("m", model)], write_jsonl(tmp_path / f"{name}.jsonl", rows), tmp_path / name, cfg, progress=False
    )
    return report, model.calls


def test_profiles_and_suite_lists():
    assert parse_suites("quick") == "quick" and parse_suites(["full"]) == "full"
    assert parse_suites("robustness, bias") == ["robustness", "bias"]
    with pytest.raises(ValueError, match="'speed'.*quick, standard, full"):
        parse_suites("hallucination,speed")
    assert EvalConfig().suites == "standard"
    quick, standard, full = (suite_plan(EvalConfig(suites=p)) for p in ("quick", "standard", "full"))
    assert set(quick.suites) < set(standard.suites) < set(full.suites)
    assert quick.robustness_kinds == [] and 0 < len(standard.robustness_kinds) < len(full.robustness_kinds) == len(
        KINDS
    )
    # a set value wins over the profile's, and a list of suites takes the full perturbation set
    assert suite_plan(EvalConfig(suites="standard", robustness_items=3)).robustness_items == 3
    assert suite_plan(EvalConfig(suites=["robustness"])).robustness_kinds == list(KINDS)
    bad = CliRunner().invoke(
        app, ["eval", "--model", "x", "--testset", "t.jsonl", "--out", "o", "--suites", "errors,fast"]
    )
    assert bad.exit_code == 2 and "unknown suite(s) 'fast'" in bad.output
    with pytest.raises(ValueError, match="profile 'standard' given with other suites"):
        parse_suites("standard,bias")


def test_estimate_equals_generations_made_and_quick_costs_less(tmp_path):
    rows = load_items(16)  # French, paraphrase groups, intents
    costs, calls = {}, {}
    for profile in ("quick", "standard", "full"):
        report, calls[profile] = _run(rows, tmp_path, profile, suites=profile, robustness_items=4, bias_items=3)
        costs[profile] = report["cost"]
        assert report["cost"]["total"] == calls[profile] == report["cost"]["made"], profile
        assert report["cost"]["generations"]["answers"] == len(rows)
    assert calls["quick"] == len(rows) < calls["standard"] < calls["full"]
    assert set(costs["full"]["generations"]) == {"answers", "robustness", "bias", "classification"}
    assert costs["full"]["generations"]["bias"] == 3 * 2 * 3  # 3 dimensions x 2 sides x 3 items
    assert costs["full"]["generations"]["classification"] == len(rows)
    # a rerun in the same folder makes nothing and says so
    again, made = _run(rows, tmp_path, "full", suites="full", robustness_items=4, bias_items=3)
    assert made == 0 and again["cost"]["total"] == 0 and again["cost"]["reused"] == calls["full"]


def test_english_items_get_no_french_perturbation():
    items = with_languages(ENGLISH)
    assert [it["lang"] for it in items] == ["en"] * 4  # no lang field: detected
    seen = []
    r = robustness_suite(
        ENGLISH,
        [1.0] * 4,
        lambda qs: seen.extend(qs) or ["" for _ in qs],
        lambda it, a: token_f1(a, it["answer"]),
        kinds=KINDS,
    )
    assert "english" not in r["per_kind"] and "no_accents" not in r["per_kind"]
    assert "fr" in r["skipped"]["english"] and r["languages"] == {"en": 4}
    assert set(r["per_kind"]) == {"typos", "upper_case", "whitespace"}
    assert not any(" pet " in q or "cafe" in q for q in seen)  # neither the glossary nor accent stripping ran
    # a French item among them (no lang field either) still gets both
    fr = {
        "id": "fr-1",
        "question": "Mon animal peut-il voyager en cabine avec moi sur un vol européen ?",
        "answer": "Oui.",
    }
    mixed = robustness_suite([*ENGLISH, fr], [1.0] * 5, lambda qs: ["" for _ in qs], lambda it, a: 0.0, kinds=KINDS)
    assert mixed["per_kind"]["english"]["items"] == 1 and mixed["per_kind"]["no_accents"]["items"] == 1


def test_progress_lines_and_estimate_off_a_terminal(tmp_path, monkeypatch):
    model = build_tiny_model(tmp_path / "tiny", context_length=512)
    rows = load_items(10)
    testset = write_jsonl(tmp_path / "test.jsonl", rows)
    progress_file = tmp_path / "progress.jsonl"
    monkeypatch.setenv("CHATFORGE_PROGRESS_FILE", str(progress_file))
    out = tmp_path / "eval"
    args = [
        "eval",
        "--model",
        str(model),
        "--testset",
        str(testset),
        "--out",
        str(out),
        "--suites",
        "standard",
        "--set",
        "robustness_items=3",
        "--set",
        "max_new_tokens=3",
        "--set",
        "semantic_model=null",
        "--set",
        "perplexity=false",
        "--set",
        "mlflow=false",
        "--set",
        "bootstrap_resamples=100",
        "--json",
    ]
    dry = CliRunner().invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0 and not out.exists(), dry.output  # the estimate alone: nothing loaded or written
    planned = json.loads(dry.stdout.strip().splitlines()[-1])["cost"]
    proc = CliRunner().invoke(app, args)  # stderr here is a pipe, not a terminal
    assert proc.exit_code == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    cost = summary["cost"]
    made = sum(1 for _ in (out / "generations" / "tiny.jsonl").open(encoding="utf-8"))
    assert cost["total"] == made == cost["made"] == planned["total"] and made > len(rows)  # answers plus robustness
    assert f"= {cost['total']} generations" in proc.stderr  # the estimate, printed before the first generation
    lines = re.findall(
        r"eval: (\d+)/(\d+) generations \((\d+)%\) · (tiny \w+) · [\d.]+ (?:s each|per s), (eta|done in) ", proc.stderr
    )
    assert len(lines) >= 3, proc.stderr[-2000:]
    counts = [int(n) for n, *_ in lines]
    assert (
        counts == sorted(counts) and counts[0] == 1 and counts[-1] == made and {int(t) for _, t, *_ in lines} == {made}
    )
    assert {w for *_, w, _ in lines} >= {"tiny answers", "tiny robustness"} and lines[0][-1] == "eta"
    last = json.loads(progress_file.read_text(encoding="utf-8").splitlines()[-1])  # what `chatforge run` shows
    assert last["completed"] == last["total"] == made
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["cost"] == cost
