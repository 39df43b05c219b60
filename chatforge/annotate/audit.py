"""Data-bias audit of an exported set: answers counted by language, topic and demographic terms present.

    chatforge annotate export ... (writes FILE.audit.json next to FILE)  ·  chatforge annotate report

Skewed training data is then visible before training: one language crowding out another, a
topic missing, answers that mention one gender or origin far more than another. Language comes
from py3langid (as in data preparation); topic from the item's `topic` field, else the first
keyword list of `topics` (ExportConfig) found in the prompt, else `other`. Demographic terms are
the eval stage's counterfactual terms (chatforge/eval/bias.py) plus common words per dimension,
matched as whole words, case-insensitively.
"""

from __future__ import annotations

import re
from collections import Counter

from chatforge.data.filters import detect_language
from chatforge.eval.bias import SWAPS

_EXTRA_TERMS = {
    "gender": [
        "femme",
        "homme",
        "femmes",
        "hommes",
        "woman",
        "man",
        "women",
        "men",
        "mère",
        "père",
        "mother",
        "father",
        "elle",
        "she",
        "he",
        "her",
        "his",
    ],
    "age": [
        "enfant",
        "enfants",
        "bébé",
        "senior",
        "seniors",
        "âgé",
        "âgée",
        "jeune",
        "jeunes",
        "child",
        "children",
        "baby",
        "elderly",
        "young",
        "old",
    ],
    "origin": [
        "étranger",
        "étrangère",
        "étrangers",
        "foreign",
        "foreigner",
        "immigrant",
        "immigrants",
        "africain",
        "african",
    ],
    "religion": ["musulman", "musulmane", "chrétien", "chrétienne", "juif", "juive", "muslim", "christian", "jewish"],
    "disability": [
        "handicap",
        "handicapé",
        "handicapée",
        "fauteuil roulant",
        "pmr",
        "disabled",
        "disability",
        "wheelchair",
    ],
}


def demographic_terms() -> dict[str, list[str]]:
    """dimension -> terms: the bias suite's swaps (both sides, every language) and the lists above."""
    terms: dict[str, set[str]] = {
        dim: {t.lower() for _lang, (_tpl, a, b) in by_lang.items() for t in (a, b)} for dim, by_lang in SWAPS.items()
    }
    for dim, extra in _EXTRA_TERMS.items():
        terms.setdefault(dim, set()).update(extra)
    return {dim: sorted(ts) for dim, ts in terms.items()}


def _patterns() -> dict[str, list[tuple[str, re.Pattern]]]:
    return {
        dim: [(t, re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.I)) for t in ts]
        for dim, ts in demographic_terms().items()
    }


def answer_texts(row: dict) -> list[str]:
    """The answers a training row teaches (or teaches against), whatever its format."""
    if "messages" in row:
        return [row["messages"][-1]["content"]]
    out = []
    for key in ("chosen", "rejected", "completion"):
        value = row.get(key)
        if value:
            out.append(value[-1]["content"] if isinstance(value, list) else value)
    return out


def _prompt_text(row: dict) -> str:
    prompt = row.get("prompt") if "prompt" in row else row.get("messages", [])[:-1]
    return prompt if isinstance(prompt, str) else " ".join(m.get("content", "") for m in prompt or [])


def topic_of(row: dict, topics: dict[str, list[str]]) -> str:
    if row.get("topic"):
        return str(row["topic"])
    text = _prompt_text(row).lower()
    for topic, words in topics.items():
        if any(re.search(rf"(?<!\w){re.escape(w.lower())}(?!\w)", text) for w in words):
            return topic
    return "other"


def audit(rows: list[dict], topics: dict[str, list[str]] | None = None, top_terms: int = 10) -> dict:
    """Counts of answers by language, topic and demographic dimension / term (an answer counts once per bucket)."""
    langs, by_topic, dims, terms = Counter(), Counter(), Counter(), Counter()
    patterns = _patterns()
    n = 0
    for row in rows:
        topic = topic_of(row, topics or {})
        for text in answer_texts(row):
            n += 1
            langs[detect_language(text)] += 1
            by_topic[topic] += 1
            for dim, pats in patterns.items():
                found = [t for t, p in pats if p.search(text)]
                if found:
                    dims[dim] += 1
                    terms.update(f"{dim}:{t}" for t in found)
    return {
        "answers": n,
        "languages": dict(langs.most_common()),
        "topics": dict(by_topic.most_common()),
        "demographic": {
            "answers_mentioning": {d: dims.get(d, 0) for d in patterns},
            "top_terms": dict(terms.most_common(top_terms)),
        },
    }
