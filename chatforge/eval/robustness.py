"""Robustness: how much the score drops when the same questions are asked sloppily.

    chatforge eval --model A --testset FILE --out DIR   (report.json: robustness)

The suite writes its own perturbed inputs, deterministically (a seed per question text):
- `typos`: two adjacent inner letters swapped in about one word in six (at least one word);
- `no_accents`: accents removed ("été" -> "ete");
- `upper_case`: the whole question in capitals;
- `english`: a French question rewritten word by word with a small airline glossary
  (`GLOSSARY`), the mixed French/English a traveller may type; French items only;
- `whitespace`: doubled spaces between words, spaces and a tab around the question.
A perturbation that would leave a question unchanged skips that question. Each kind is
asked on the same answerable items (`max_items`, in testset order); the drop is the mean
score on the originals minus the mean score on the perturbed versions (score = token F1
against the reference), so positive means worse. `value` is the mean drop over the kinds.

Language-specific kinds (`LANGUAGES`: `english` for French items, `no_accents` for languages
written with accents) are asked only of items in those languages. An item's language is its
`lang` field, else the one data/filters.py's detector reads in its question, else the test
set's (the most common among its items). A kind no picked item can take is listed under
`skipped` with the reason, and `languages` counts the picked items per language.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from collections.abc import Callable

from chatforge.data.filters import UNDETERMINED, detect_language
from chatforge.text_metrics import strip_accents

KINDS = ("typos", "no_accents", "upper_case", "english", "whitespace")
# kinds that only make sense in some languages; the others apply to any language
LANGUAGES = {
    "english": ("fr",),
    "no_accents": (
        "fr",
        "es",
        "pt",
        "it",
        "de",
        "ca",
        "ro",
        "pl",
        "cs",
        "sk",
        "hu",
        "tr",
        "vi",
        "nl",
        "sv",
        "da",
        "no",
        "fi",
        "is",
    ),
}

GLOSSARY = {
    "bagage": "baggage",
    "bagages": "bags",
    "valise": "suitcase",
    "valises": "suitcases",
    "vol": "flight",
    "vols": "flights",
    "billet": "ticket",
    "billets": "tickets",
    "remboursement": "refund",
    "rembourser": "refund",
    "remboursé": "refunded",
    "annulation": "cancellation",
    "annulé": "cancelled",
    "retard": "delay",
    "enregistrement": "check-in",
    "cabine": "cabin",
    "soute": "hold",
    "animal": "pet",
    "animaux": "pets",
    "chien": "dog",
    "chat": "cat",
    "enfant": "child",
    "enfants": "children",
    "bébé": "baby",
    "siège": "seat",
    "prix": "price",
    "tarif": "fare",
    "tarifs": "fares",
    "combien": "how much",
    "quel": "which",
    "quelle": "which",
    "quels": "which",
    "quelles": "which",
    "comment": "how",
    "puis-je": "can I",
    "je": "I",
    "mon": "my",
    "ma": "my",
    "mes": "my",
    "pour": "for",
    "avec": "with",
    "sans": "without",
    "le": "the",
    "la": "the",
    "les": "the",
    "un": "a",
    "une": "a",
    "et": "and",
    "ou": "or",
    "dans": "in",
    "sur": "on",
    "peut": "can",
    "peux": "can",
    "coûte": "costs",
    "heure": "hour",
    "heures": "hours",
    "jour": "day",
    "jours": "days",
    "avion": "plane",
    "aéroport": "airport",
    "changer": "change",
    "modifier": "change",
    "réserver": "book",
    "réservation": "booking",
    "passager": "passenger",
    "passagers": "passengers",
    "poids": "weight",
    "taille": "size",
    "gratuit": "free",
    "payer": "pay",
    "frais": "fees",
    "est-ce": "is it",
    "quand": "when",
    "où": "where",
    "pourquoi": "why",
    "fidélité": "loyalty",
}
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


def _rng(kind: str, text: str) -> random.Random:
    return random.Random(zlib.crc32(f"{kind}\0{text}".encode("utf-8")))


def typos(text: str) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 3 and w[1:-1].isalpha() and len(set(w[1:-1])) > 1]
    if not candidates:
        return text
    rng = _rng("typos", text)
    chosen = rng.sample(candidates, max(1, len(candidates) // 6))
    for i in chosen:
        w = words[i]
        for _ in range(10):  # find two different adjacent inner letters so the swap changes the word
            j = rng.randrange(1, len(w) - 2)
            if w[j] != w[j + 1]:
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
                break
    return " ".join(words)


def english(text: str) -> str:
    def swap(m: re.Match) -> str:
        word = m.group(0)
        out = GLOSSARY.get(word.lower())
        if out is None:
            return word
        return out[0].upper() + out[1:] if word[0].isupper() else out

    return _WORD.sub(swap, text)


def whitespace(text: str) -> str:
    return "  " + "  ".join(text.split()) + " \t"


def with_languages(items: list[dict]) -> list[dict]:
    """`items`, each with a `lang`: its own, else detected in its question, else the test set's (most common)."""
    if all(it.get("lang") for it in items):
        return items
    found = [it.get("lang") or detect_language(it.get("question", "")) for it in items]
    known = Counter(lang for lang in found if lang != UNDETERMINED)
    fallback = known.most_common(1)[0][0] if known else UNDETERMINED
    return [
        it if it.get("lang") else {**it, "lang": lang if lang != UNDETERMINED else fallback}
        for it, lang in zip(items, found)
    ]


def applies(kind: str, lang: str | None) -> bool:
    """Whether a perturbation kind is asked of an item in language `lang`."""
    return kind not in LANGUAGES or lang in LANGUAGES[kind]


def perturbed_questions(items: list[dict], kinds=KINDS, max_items: int = 30) -> dict[str, list[tuple[int, str]]]:
    """kind -> [(item index, perturbed question)] over the first `max_items` answerable items, in the
    languages each kind applies to; `items` carry `lang` (with_languages)."""
    picked = [i for i, it in enumerate(items) if it.get("answerable", True)][:max_items]
    out = {}
    for kind in kinds:
        out[kind] = [
            (i, q)
            for i in picked
            if applies(kind, items[i].get("lang"))
            and (q := perturb(items[i]["question"], kind, items[i].get("lang"))) is not None
        ]
    return out


def perturb(text: str, kind: str, lang: str | None = "fr") -> str | None:
    """The perturbed question, or None when this kind does not apply or changes nothing."""
    if kind == "typos":
        out = typos(text)
    elif kind == "no_accents":
        out = strip_accents(text)
    elif kind == "upper_case":
        out = text.upper()
    elif kind == "english":
        out = english(text) if (lang or "fr") == "fr" else text
    elif kind == "whitespace":
        out = whitespace(text)
    else:
        raise ValueError(f"unknown perturbation {kind!r}; known: {', '.join(KINDS)}")
    return None if out == text else out


def robustness_suite(
    items: list[dict],
    base_scores: list[float],
    answer: Callable[[list[str]], list[str]],
    score: Callable[[dict, str], float],
    kinds=KINDS,
    max_items: int = 30,
    max_examples: int = 3,
) -> dict:
    """Score drop per perturbation kind; `answer` maps questions to answers (batched)."""
    items = with_languages(items)
    picked = [it for it in items if it.get("answerable", True)][:max_items]
    langs = Counter(it["lang"] for it in picked)
    per_kind, examples, skipped = {}, [], {}
    for kind, rows in perturbed_questions(items, kinds, max_items).items():
        if not rows:
            skipped[kind] = (
                f"for {', '.join(LANGUAGES[kind])} items only; the picked items are {', '.join(sorted(langs))}"
                if kind in LANGUAGES and not any(applies(kind, x) for x in langs)
                else "changes none of the picked questions"
            )
            continue
        answers = answer([q for _, q in rows])
        scores = [score(items[i], a) for (i, _), a in zip(rows, answers)]
        base = sum(base_scores[i] for i, _ in rows) / len(rows)
        pert = sum(scores) / len(rows)
        per_kind[kind] = {
            "items": len(rows),
            "score": round(base, 4),
            "perturbed_score": round(pert, 4),
            "drop": round(base - pert, 4),
        }
        worst = min(range(len(rows)), key=lambda k: scores[k] - base_scores[rows[k][0]])
        i, q = rows[worst]
        examples.append(
            {
                "kind": kind,
                "question": items[i]["question"],
                "perturbed": q,
                "answer": answers[worst],
                "score": round(base_scores[i], 4),
                "perturbed_score": round(scores[worst], 4),
            }
        )
    drops = [v["drop"] for v in per_kind.values()]
    return {
        "value": round(sum(drops) / len(drops), 4) if drops else None,
        "per_kind": per_kind,
        "languages": dict(sorted(langs.items())),
        "skipped": skipped,
        "examples": examples[: max_examples * len(kinds)],
    }
