"""Key facts: does an answer state the facts a correct answer must contain?

    chatforge eval --model A --testset FILE --out DIR   (report.json: answer_correct, facts_recall, citation_accuracy)

A test item's `facts` is a list of short strings ("30 €", "24 heures", "statut Argent"). A fact is
present in an answer when every one of its atoms is among the answer's atoms:
- figures are normalised as `rag/verify.py` reads them, with their unit: "30 €" = "30 euros" = "€30"
  = "30,00 €" = "30 EUR" (atom `30eur`, plus the bare `30`); "24 h" = "24 heures" = "24 hours" = "24h";
  thousands "1 200" = "1200" = "1,200"; decimals "8,50" = "8.5"; "six mois" = "6 months"; "10 %" =
  "10 percent"; a time "8:00" = "8 h";
- words are accent- and case-folded, function words dropped, compared on their first 5 letters (the
  verifier's stem: "remboursement" ~ "rembourser").
So a fact "30 €" is not met by "30 jours", and "Argent" is not met by "Or".

- `answer_correct` (per answerable item with facts): 1.0 when every fact is present, else 0.0;
- `facts_recall`: the share of the item's facts present;
- `citation_accuracy` (per citation [n] in an answer to an answerable item with facts): the cited
  passage n (in the order the passages were given) holds at least one of the item's facts.
"""

from __future__ import annotations

import re

from chatforge.rag.verify import CITATION, NUMBER_WORDS, STEM, STOPWORDS, citations, fold

UNIT = {
    "€": "eur",
    "eur": "eur",
    "euro": "eur",
    "euros": "eur",
    "$": "usd",
    "usd": "usd",
    "dollar": "usd",
    "dollars": "usd",
    "£": "gbp",
    "gbp": "gbp",
    "chf": "chf",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "heure": "h",
    "heures": "h",
    "hour": "h",
    "hours": "h",
    "min": "min",
    "mn": "min",
    "minute": "min",
    "minutes": "min",
    "j": "day",
    "jour": "day",
    "jours": "day",
    "day": "day",
    "days": "day",
    "semaine": "week",
    "semaines": "week",
    "week": "week",
    "weeks": "week",
    "mois": "month",
    "month": "month",
    "months": "month",
    "an": "year",
    "ans": "year",
    "annee": "year",
    "annees": "year",
    "year": "year",
    "years": "year",
    "kg": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "kilogramme": "kg",
    "kilogrammes": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "cm": "cm",
    "centimetre": "cm",
    "centimetres": "cm",
    "centimeter": "cm",
    "centimeters": "cm",
    "km": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "%": "pct",
    "percent": "pct",
    "pct": "pct",
    "pourcent": "pct",
    "point": "pts",
    "points": "pts",
    "pts": "pts",
}
_PREFIX_CURRENCY = re.compile(r"([€$£])\s*(\d[\d\s\u00a0\u202f.,]*)")
_TIME = re.compile(r"\b(\d{1,2})\s*[:h]\s*(\d{2})\b")
_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:(?:[ \u00a0\u202f]|,(?=\d{3}(?!\d)))\d{3})+(?!\d)")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+)[.,](\d+)(?![\d]|[.,]\d)")
_GLUED = re.compile(r"(\d)([^\W\d_]+|[€$£%])", re.U)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+|[€$£%]", re.U)
_WORD_NUMBER = re.compile(rf"\b({'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})\b(?=\s+[^\W\d_]+)")


def _canon_number(value: str) -> str:
    whole, _, frac = value.partition(".")
    whole, frac = whole.lstrip("0") or "0", frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def _prepare(text: str) -> str:
    text = fold(CITATION.sub(" ", text or "")).replace("pour cent", "pourcent")
    text = _PREFIX_CURRENCY.sub(lambda m: f"{m.group(2).strip()} {m.group(1)}", text)
    text = _TIME.sub(lambda m: f"{m.group(1)} h" + ("" if m.group(2) == "00" else f" {m.group(2)}"), text)
    text = _GROUPED.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)
    text = _DECIMAL.sub(lambda m: f"{m.group(1)}.{m.group(2)}", text)
    text = _WORD_NUMBER.sub(lambda m: str(NUMBER_WORDS[m.group(1)]), text)
    return _GLUED.sub(r"\1 \2", text)


def atoms(text: str) -> set[str]:
    """The normalised atoms of `text`: numbers (bare and with the unit that follows them) and word stems."""
    toks = _TOKEN.findall(_prepare(text))
    out: set[str] = set()
    for i, tok in enumerate(toks):
        if tok[0].isdigit():
            num = _canon_number(tok)
            out.add(num)
            unit = UNIT.get(toks[i + 1]) if i + 1 < len(toks) else None
            if unit:
                out.add(num + unit)
        elif tok in UNIT and i > 0 and toks[i - 1][0].isdigit():
            continue  # the unit of the figure before it
        elif len(tok) >= 3 and tok not in STOPWORDS:
            out.add(tok[:STEM])
    return out


def fact_atoms(fact: str) -> set[str]:
    """What a fact requires: a figure with its unit needs `30eur`, not also the bare `30`."""
    a = atoms(fact)
    with_unit = {x for x in a if x[0].isdigit() and not re.fullmatch(r"\d+(?:\.\d+)?", x)}
    bare = {re.match(r"\d+(?:\.\d+)?", x).group(0) for x in with_unit}
    return a - bare


def has_fact(answer: str, fact: str, answer_atoms: set[str] | None = None) -> bool:
    need = fact_atoms(fact)
    if not need:
        return False
    return need <= (answer_atoms if answer_atoms is not None else atoms(answer))


def facts_found(answer: str, facts: list[str]) -> list[bool]:
    got = atoms(answer)
    return [has_fact(answer, f, got) for f in facts]


def item_facts(item: dict) -> list[str]:
    facts = item.get("facts") or []
    return [f for f in facts if isinstance(f, str) and f.strip()]


def fact_scores(answer: str, item: dict) -> tuple[float, float] | None:
    """(answer_correct, facts_recall) of one answer, or None for an item without facts."""
    facts = item_facts(item)
    if not facts:
        return None
    found = facts_found(answer, facts)
    return float(all(found)), sum(found) / len(found)


def citation_hits(answer: str, item: dict, passages: list[dict] | None) -> list[bool]:
    """For each citation [n] of the answer: passage n holds one of the item's facts."""
    facts = item_facts(item)
    if not facts or not passages:
        return []
    out = []
    for n in citations(answer):
        if not 1 <= n <= len(passages):
            out.append(False)
            continue
        text = str(passages[n - 1].get("text", "")) if isinstance(passages[n - 1], dict) else str(passages[n - 1])
        out.append(any(facts_found(text, facts)))
    return out
