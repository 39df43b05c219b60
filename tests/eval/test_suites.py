"""Suites: consistency, robustness perturbations, bias pairs, hallucination, errors, bootstrap, A/B, gate, resources."""

from __future__ import annotations

import numpy as np
import pytest

from chatforge.eval.ab import compare, reference_judge
from chatforge.eval.bias import SWAPS, bias_suite, counterfactual_pair
from chatforge.eval.bootstrap import bootstrap_ci, mean_with_ci
from chatforge.eval.consistency import consistency_suite
from chatforge.eval.errors import bucket, error_buckets
from chatforge.eval.gate import GateError, check, parse_fail_under
from chatforge.eval.hallucination import abstains, contradicts, groundedness, hallucination_suite
from chatforge.eval.resources import resource_summary
from chatforge.eval.robustness import KINDS, perturb, robustness_suite
from chatforge.text_metrics import strip_accents, token_f1


def test_consistency_identical_answers_score_one(items):
    group = [it for it in items if it["paraphrase_group"] == "pg-001"]
    assert len(group) > 2
    assert consistency_suite(group, ["Même réponse."] * len(group))["value"] == 1.0
    different = consistency_suite(group, [f"réponse {k} unique{k}" for k in range(len(group))])
    assert different["value"] == pytest.approx(1 / 3, abs=1e-4)  # each pair shares "reponse" out of 3 tokens
    assert different["exact_agreement"] == 0.0


def test_perturbations_deterministic_and_different(items):
    for it in items[:40]:
        q, lang = it["question"], it["lang"]
        for kind in KINDS:
            out = perturb(q, kind, lang)
            assert out == perturb(q, kind, lang)  # deterministic
            if out is not None:
                assert out != q
    q = "Combien coûte le bagage en soute pour mon vol ?"
    assert perturb(q, "no_accents") == "Combien coute le bagage en soute pour mon vol ?"
    assert perturb(q, "upper_case") == q.upper()
    assert perturb(q, "whitespace").split() == q.split()
    assert perturb(q, "english") == "How much costs the baggage en hold for my flight ?"
    typo = perturb(q, "typos")
    assert sorted(typo) == sorted(q) and len(typo.split()) == len(q.split())
    assert perturb("What is the fee?", "english", "en") is None
    assert perturb("plain text", "no_accents") is None


def test_robustness_drop_measured_on_the_same_items(items):
    picked = [it for it in items if it["answerable"]][:10]
    originals = {it["question"]: it["answer"] for it in picked}
    answer = lambda qs: [originals.get(q, "") for q in qs]  # noqa: E731 - perfect on originals, silent on the rest
    score = lambda it, a: token_f1(a, it["answer"])  # noqa: E731
    r = robustness_suite(picked, [1.0] * len(picked), answer, score, kinds=("upper_case", "whitespace"))
    assert r["per_kind"]["upper_case"]["drop"] == 1.0 and r["value"] == 1.0
    steady = robustness_suite(
        picked,
        [1.0] * len(picked),
        lambda qs: [picked[0]["answer"]] * len(qs),
        lambda it, a: 1.0,
        kinds=("upper_case",),
    )
    assert steady["value"] == 0.0


@pytest.mark.parametrize("dim", list(SWAPS))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_bias_pairs_differ_only_in_the_swapped_term(dim, lang):
    a, b = counterfactual_pair("Puis-je voyager avec mon chien ?", dim, lang)
    wa, wb = a.split(), b.split()
    assert len(wa) == len(wb)
    diff = [(x, y) for x, y in zip(wa, wb) if x != y]
    _, term_a, term_b = SWAPS[dim][lang]
    assert len(diff) == 1 and diff[0][0].strip(".") == term_a and diff[0][1].strip(".") == term_b


def test_bias_divergence_and_score_gap(items):
    picked = [it for it in items if it["answerable"]][:4]
    by_q = {}
    for it in picked:
        a, b = counterfactual_pair(it["question"], "name", it["lang"])
        by_q[a], by_q[b] = it["answer"], "zebra quartz"
    r = bias_suite(
        picked, lambda qs: [by_q[q] for q in qs], lambda it, ans: token_f1(ans, it["answer"]), dimensions=("name",)
    )
    d = r["per_dimension"]["name"]
    assert d["answer_divergence"] == 1.0 and d["score_gap"] == 1.0 and d["signed_gap"] == 1.0
    same = bias_suite(picked, lambda qs: ["identique"] * len(qs), lambda it, ans: 0.0, dimensions=("name",))
    assert same["value"] == 0.0


def test_abstention_contradiction_groundedness(items):
    for it in items:
        if not it["answerable"]:
            assert abstains(it["answer"]), it["answer"]
    assert sum(abstains(it["answer"]) for it in items if it["answerable"]) == 0
    assert abstains("") and abstains("I do not know.") and not abstains("Le bagage coûte 25 €.")
    assert contradicts("Le bagage coûte 45 €.", "Le bagage coûte 25 €.")
    assert not contradicts("Il coûte 25 euros", "Le bagage coûte 25 €.")
    assert not contradicts("Il coûte 45 euros", "Le bagage est gratuit.")  # no number to contradict
    assert groundedness("bagage cabine gratuit", [{"text": "Le bagage cabine est gratuit."}]) == 1.0
    assert groundedness("bagage soute payant", [{"text": "Le bagage cabine est gratuit."}]) == pytest.approx(1 / 3)
    h = hallucination_suite(items, [it["answer"] for it in items])
    assert h["value"] == 0.0 and h["contradiction_rate"] == 0.0 and h["unanswerable"] == 24
    h = hallucination_suite(items, ["Oui bien sûr, 99 euros."] * len(items))
    assert h["value"] == 1.0 and h["contradiction_rate"] > 0.5


def test_error_buckets(items):
    unans = next(it for it in items if not it["answerable"])
    ans = items[0]  # "Le bagage cabine ne doit pas dépasser 55 x 35 x 25 cm et 8 kg ..."
    assert bucket(unans, "Oui, bien sûr, c'est possible.", 0.0) == "hallucinated"
    assert bucket(unans, unans["answer"], 1.0) is None
    assert bucket(ans, "", 0.0) == "no_answer"
    assert bucket(ans, "Je n'ai pas d'information à ce sujet.", 0.0) == "refused_wrongly"
    assert bucket(ans, "zebra quartz violin", 0.0) == "off_topic"
    assert bucket(ans, "Le bagage cabine fait 99 cm.", 0.2) == "wrong_fact"
    assert bucket(ans, ans["answer"], 1.0) is None
    assert bucket(ans, "Le bagage cabine fait 99 cm.", 0.2, passages=[{"text": "rien à voir"}]) == "hallucinated"
    e = error_buckets([unans, ans], ["Oui.", ""], [0.0, 0.0])
    assert e["failed"] == 2 and e["counts"]["hallucinated"] == 1 and e["counts"]["no_answer"] == 1
    assert e["examples"]["no_answer"][0]["id"] == ans["id"]


def test_bootstrap_ci_contains_estimate_and_narrows():
    rng = np.random.default_rng(1)
    small = rng.binomial(1, 0.6, 30).astype(float)
    large = rng.binomial(1, 0.6, 3000).astype(float)
    for x in (small, large):
        lo, hi = bootstrap_ci(x)
        assert lo <= x.mean() <= hi
    assert bootstrap_ci(large)[1] - bootstrap_ci(large)[0] < (bootstrap_ci(small)[1] - bootstrap_ci(small)[0]) / 3
    assert bootstrap_ci([1.0, 1.0]) == (1.0, 1.0)
    assert mean_with_ci([0.0, 1.0, None])["n"] == 2


def test_ab_win_tie_loss(items):
    rows = [it for it in items if it["answerable"]][:20]
    refs = [it["answer"] for it in rows]
    wrong = ["zebra"] * len(rows)
    r = compare(rows, wrong, refs)
    assert r["win"]["value"] == 1.0 and r["loss"]["value"] == 0.0 and r["judge"] == "reference"
    mixed = refs[:10] + wrong[10:]
    r = compare(rows, wrong, mixed)
    assert r["win"]["value"] == 0.5 and r["tie"]["value"] == 0.5
    assert r["win"]["ci"][0] <= 0.5 <= r["win"]["ci"][1] and r["win"]["ci"][0] < r["win"]["ci"][1]
    judged = compare(rows, refs, wrong, judge=lambda it, a: float(len(a)))  # a callable judge (e.g. a reward model)
    assert judged["loss"]["value"] == 1.0 and judged["judge"] == "function"
    # whatever the judge, the paired token-F1 change: the reference itself scores 1, "zebra" 0
    assert judged["token_f1_delta"]["value"] == pytest.approx(-1.0) and judged["token_f1_delta"]["n"] == 20
    half = compare(rows, refs, refs[:10] + wrong[10:], judge=lambda it, a: 0.0)
    assert half["token_f1_delta"]["value"] == pytest.approx(-0.5) and half["tie"]["value"] == 1.0
    lo, hi = half["token_f1_delta"]["ci"]
    assert -1.0 < lo < -0.5 < hi < 0.0
    assert reference_judge({"answerable": False, "question": "q"}, "Je ne sais pas.") == 1.0


def test_gate_parse_and_directions():
    assert parse_fail_under("token_f1=0.4, hallucination=0.2") == {"token_f1": 0.4, "hallucination": 0.2}
    with pytest.raises(GateError):
        parse_fail_under("token_f1")
    section = {"token_f1": {"value": 0.5}, "hallucination": {"value": 0.3}, "retrieval": {"recall@5": 0.9}}
    res = check({"m": section}, {"token_f1": 0.4, "hallucination": 0.2, "retrieval.recall@5": 0.8, "bleu": 0.1}, ["m"])
    ok = {c["metric"]: c["passed"] for c in res["checks"]}
    assert ok == {"token_f1": True, "hallucination": False, "retrieval.recall@5": True, "bleu": False}
    assert not res["passed"]
    assert check({"m": section}, {"token_f1": 0.4}, ["m"])["passed"]


def test_resource_summary():
    stats = [{"seconds": 1.0, "ttft_s": 0.2, "new_tokens": 9}, {"seconds": 3.0, "ttft_s": 0.4, "new_tokens": 17}]
    r = resource_summary(stats, 100.0)
    assert r["latency_p50_s"] == 2.0 and r["ttft_p50_s"] == pytest.approx(0.3)
    assert r["tokens_per_s"] == pytest.approx((8 + 16) / (0.8 + 2.6), abs=0.01)
    assert r["peak_memory_mib"] == 100.0 and r["new_tokens"] == 26


def test_strip_accents():
    assert strip_accents("Élève à Noël, ça") == "Eleve a Noel, ca"
