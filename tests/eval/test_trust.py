"""Trust metrics: facts with numbers and units, echo-proof F1, degenerate output, abstention, support, citations."""

from __future__ import annotations

import pytest

from chatforge.eval.consistency import consistency_suite
from chatforge.eval.degenerate import degenerate_flags, degenerate_suite
from chatforge.eval.extractive import ExtractiveAnswerer
from chatforge.eval.facts import fact_scores, facts_found, has_fact
from chatforge.eval.metrics import lexical_scores
from chatforge.eval.trust import abstained, abstention_metrics, trust_metrics


@pytest.mark.parametrize(
    "answer, fact",
    [
        ("Les frais sont de 30,00 €.", "30 €"),
        ("It costs €30.", "30 €"),
        ("30 euros", "30 €"),
        ("30 EUR", "30 €"),
        ("sous 24 h", "24 heures"),
        ("within 24 hours", "24 h"),
        ("dans les 24h", "24 heures"),
        ("1 200 points", "1200 points"),
        ("1,200 points", "1 200 points"),
        ("15 000", "15,000"),
        ("de 8:00 à 20:00", "8 h"),
        ("six mois", "6 months"),
        ("10 percent", "10 %"),
        ("8,50 €", "8.5 €"),
        ("le statut Argent", "argent"),
        ("Le remboursement est intégral", "rembourser"),
        ("Vols d'ÉTÉ vers AJACCIO", "été ajaccio"),
    ],
)
def test_facts_match_across_number_unit_and_language_forms(answer, fact):
    assert has_fact(answer, fact)


@pytest.mark.parametrize(
    "answer, fact",
    [
        ("30 jours", "30 €"),
        ("40 €", "30 €"),
        ("statut Or", "argent"),
        ("24 minutes", "24 h"),
        ("", "30 €"),
    ],
)
def test_facts_do_not_match_other_values_or_units(answer, fact):
    assert not has_fact(answer, fact)


def test_answer_correct_needs_every_fact():
    item = {"question": "Frais ?", "facts": ["30 €", "24 heures"], "answerable": True}
    assert fact_scores("30 € jusqu'à 24 h avant le départ.", item) == (1.0, 1.0)
    assert fact_scores("Il y a des frais de 30 €.", item) == (0.0, 0.5)
    assert fact_scores("Anything", {"question": "q"}) is None
    assert facts_found("55 x 35 x 25 cm, 8 kg", ["55 x 35 x 25 cm", "8 kg", "40 x 30 x 15 cm"]) == [True, True, False]


def test_echo_of_the_question_scores_below_a_half_right_answer():
    question = "How long do Silver members have to return an item?"
    reference = "Silver members have 60 days to return an item, and Gold members 90 days."
    echo = lexical_scores(question, reference, question)["token_f1"]
    half = lexical_scores("60 days.", reference, question)["token_f1"]
    assert echo < half and echo == 0.0
    assert lexical_scores(question, reference, question)["token_f1_raw"] > half  # the plain overlap rewards the echo
    assert lexical_scores(reference, reference, question)["token_f1"] == 1.0


def _distinct_items(n: int = 42) -> list[dict]:
    return [
        {
            "id": f"t{k}",
            "question": f"Question numéro {k} sur le sujet {k}",
            "answer": f"Réponse {k} : {k * 7} €.",
            "paraphrase_group": f"pg-{k // 2}",
            "answerable": True,
        }
        for k in range(n)
    ]


def test_identical_answers_to_distinct_questions_are_degenerate_and_not_consistent():
    items = _distinct_items(42)
    answers = ["Le bagage cabine ne doit pas dépasser 55 x 35 x 25 cm et 8 kg."] * 42
    flags = degenerate_flags(items, answers)
    assert all("same_answer" in f for f in flags)
    suite = degenerate_suite(items, answers, flags)
    assert suite["value"] == 1.0 and suite["counts"]["same_answer"] == 42
    cons = consistency_suite(items, answers)
    assert cons["value"] == 0.0 and cons["exact_agreement"] == 0.0 and cons["generic_answers"] == 42
    # the same answer within each paraphrase group, a different one per group: consistent, not degenerate
    own = [items[2 * (k // 2)]["answer"] for k in range(42)]
    assert consistency_suite(items, own)["value"] == 1.0
    assert not any(degenerate_flags(items, own))


def test_identical_abstentions_are_not_degenerate():
    items = [
        {"id": f"u{k}", "question": f"Hors sujet {k} ?", "answer": "Je n'ai pas d'information.", "answerable": False}
        for k in range(5)
    ]
    answers = ["Je n'ai pas d'information à ce sujet dans les documents."] * 5
    assert not any(degenerate_flags(items, answers, abstained=[True] * 5))


def test_echo_loop_and_length_are_flagged():
    items = [
        {"id": "a", "question": "Quel est le poids maximum du bagage cabine ?", "answer": "8 kg."},
        {"id": "b", "question": "Combien coûte un animal ?", "answer": "60 €."},
        {"id": "c", "question": "Peut-on voyager avec un vélo ?", "answer": "Oui, 50 €."},
        {"id": "d", "question": "Où est le siège ?", "answer": "À Nantes."},
        {"id": "e", "question": "Quand ouvre l'enregistrement ?", "answer": "30 h avant."},
    ]
    system = "You are the customer assistant of the organisation. Answer in the language of the question, briefly."
    answers = [
        "Quel est le poids maximum du bagage cabine ? mendatang",
        "le prix le prix le prix le prix le prix le prix",
        "Oui, 50 € par vol.",
        "You are the customer assistant of the organisation. Answer in the language",
        "L'enregistrement ouvre 30 h avant le départ et ferme",
    ]
    stats = [{}, {}, {}, {}, {"new_tokens": 16}]
    flags = degenerate_flags(items, answers, stats, [system], max_new_tokens=16)
    assert flags == [["echo"], ["loop"], [], ["echo"], ["length"]]
    assert degenerate_flags(items[:1], ["x"], [{"finish_reason": "length"}])[0] == ["length"]


def test_abstention_flag_wins_over_phrases_and_metrics_count_both_ways():
    assert abstained("Les documents indiquent : ...", {"grounding": {"abstained": True}})
    assert abstained("I don't know.", {}) and abstained("Je ne sais pas.") and not abstained("8 kg.")
    items = [{"answerable": False}] * 4 + [{"answerable": True}] * 6
    said = [True, True, True, False] + [True] + [False] * 5
    m = abstention_metrics(items, said)
    assert m["abstention_recall"] == {"value": 0.75, "n": 4}
    assert m["abstention_precision"] == {"value": 0.75, "n": 4}
    assert m["false_abstention"] == {"value": round(1 / 6, 4), "n": 6}


def test_supported_and_citation_accuracy():
    passages = [
        {"text": "Le bagage cabine ne doit pas dépasser 8 kg et 55 x 35 x 25 cm."},
        {"text": "Les animaux voyagent en cabine pour 60 € par vol."},
    ]
    items = [
        {"question": "Poids du bagage cabine ?", "facts": ["8 kg"], "answerable": True},
        {"question": "Poids du bagage cabine ?", "facts": ["8 kg"], "answerable": True},
    ]
    answers = [
        "Le bagage cabine ne doit pas dépasser 8 kg [1]. La lune est en fromage bleu [2].",
        "Le bagage cabine pèse 8 kg au maximum [2].",
    ]
    flags = [[], []]
    out = trust_metrics(items, answers, [False, False], flags, [passages, passages], 0.5)["metrics"]
    assert out["answer_correct"]["value"] == 1.0
    assert out["supported"]["value"] == pytest.approx((0.5 + 1.0) / 2)
    assert out["citation_accuracy"] == {"value": pytest.approx(1 / 3, abs=1e-4), "n": 3}
    # an echo that happens to hold the facts is not a correct answer
    echo = trust_metrics(items[:1], answers[:1], [False], [["echo"]], None)["metrics"]
    assert echo["answer_correct"]["value"] == 0.0 and echo["supported"] is None


def test_extractive_baseline_quotes_the_best_passage_sentence_or_abstains():
    passages = [
        {"text": "Les animaux voyagent en cabine. Le tarif est de 60 € par vol."},
        {"text": "Le bagage cabine ne doit pas dépasser 8 kg. Il mesure au plus 55 x 35 x 25 cm."},
    ]
    gen = ExtractiveAnswerer()("Quel poids pour le bagage cabine ?", passages)
    assert gen.text == "Le bagage cabine ne doit pas dépasser 8 kg. [2]" and gen.stats["grounding"]["citations"] == [2]
    none = ExtractiveAnswerer()("Puis-je louer une voiture ?", passages)
    assert none.stats["grounding"]["abstained"] and abstained(none.text)
    assert ExtractiveAnswerer()("What is it?", None).stats["grounding"]["abstained"]


def test_example_test_set_has_checkable_facts_and_unanswerables():
    from .conftest import load_items

    rows = load_items()
    answerable = [r for r in rows if r["answerable"]]
    assert len(rows) - len(answerable) >= 15
    assert all(r["facts"] for r in answerable) and all(r["facts"] == [] for r in rows if not r["answerable"])
    for r in answerable:
        assert all(facts_found(r["answer"], r["facts"])), r["id"]  # the reference answer is correct
        assert not all(facts_found(r["question"], r["facts"])), r["id"]  # an echo of the question is not
    assert all(abstained(r["answer"]) for r in rows if not r["answerable"])


def test_trust_metrics_gate_in_the_right_direction():
    from chatforge.eval.gate import check
    from chatforge.registry.promotion import flatten

    section = {
        "answer_correct": {"value": 0.75, "ci": [0.6, 0.9], "n": 40},
        "abstention_recall": {"value": 0.9, "n": 10},
        "false_abstention": {"value": 0.2, "n": 40},
        "degenerate": {"value": 0.0, "counts": {"echo": 0}},
    }
    res = check(
        {"m": section},
        {
            "answer_correct": 0.7,
            "abstention_recall": 0.8,
            "false_abstention": 0.1,
            "degenerate": 0.05,
            "supported": 0.9,
        },
        ["m"],
    )
    ok = {c["metric"]: c["passed"] for c in res["checks"]}
    assert ok == {
        "answer_correct": True,
        "abstention_recall": True,
        "false_abstention": False,
        "degenerate": True,
        "supported": False,
    }  # a metric the report lacks fails
    assert flatten(section)["answer_correct"] == 0.75 and flatten(section)["degenerate.counts.echo"] == 0.0
