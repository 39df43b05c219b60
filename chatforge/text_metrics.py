"""Dependency-free text metrics on normalised text: the one normalisation and token overlap that evaluation,
RL's reference reward and the eval suites share.

    from chatforge.text_metrics import normalize, token_f1
    token_f1("L'Été, 25 €!", "l ete 25")   # 1.0

Normalisation: Unicode NFKD, accents (combining marks) dropped, case folded, every character that is not a
letter, a digit or whitespace turned into a space, whitespace collapsed. Articles and stop words are kept: in
French they carry meaning ("le" vs "les" bagages) and the references are short.

- `exact_match`: normalised strings equal (1.0 or 0.0).
- `token_prf` / `token_f1`: bag-of-tokens overlap (SQuAD style, with multiplicity) of the normalised answer
  and reference; both empty counts as 1.0.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_NON_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Drop combining marks after NFKD ("é" -> "e", "ç" -> "c"), keep everything else."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation and symbols as spaces, single spaces."""
    text = strip_accents(text or "").casefold()
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def tokens(text: str) -> list[str]:
    return normalize(text).split()


def exact_match(answer: str, reference: str) -> float:
    return float(normalize(answer) == normalize(reference))


def token_prf(answer: str, reference: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of normalised token bags."""
    a, r = tokens(answer), tokens(reference)
    if not a and not r:
        return 1.0, 1.0, 1.0
    if not a or not r:
        return 0.0, 0.0, 0.0
    common = sum((Counter(a) & Counter(r)).values())
    if common == 0:
        return 0.0, 0.0, 0.0
    p, rec = common / len(a), common / len(r)
    return p, rec, 2 * p * rec / (p + rec)


def token_f1(answer: str, reference: str) -> float:
    return token_prf(answer, reference)[2]
