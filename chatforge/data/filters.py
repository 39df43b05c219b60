"""Record filters (length, quality, language) and language detection.

Each filter returns the name of the rule a record breaks, or None; the name is the
key under `removed` in the report, so every dropped record is accounted for.
"""

from __future__ import annotations

import re
from functools import lru_cache

UNDETERMINED = "und"
_LETTER = re.compile(r"[^\W\d_]", re.U)
_REPEAT = re.compile(r"(.)\1{9,}", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}", re.U)


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...] | None):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        ident.set_languages(list(languages))
    return ident


def detect_language(
    text: str, candidates: tuple[str, ...] | None = None, min_confidence: float = 0.5, min_letters: int = 12
) -> str:
    """ISO 639-1 code, or `und` when the text is too short or the guess too unsure."""
    if len(_LETTER.findall(text)) < min_letters:
        return UNDETERMINED
    lang, prob = _identifier(candidates).classify(text)
    return lang if prob >= min_confidence else UNDETERMINED


def letter_ratio(text: str) -> float:
    return len(_LETTER.findall(text)) / max(1, len(text))


def length_rule(messages: list[dict], min_chars: int, max_chars: int, min_answer_chars: int) -> str | None:
    total = sum(len(m["content"]) for m in messages)
    if any(not m["content"].strip() for m in messages if m["role"] != "system"):
        return "empty_message"
    if total < min_chars:
        return "too_short"
    if total > max_chars:
        return "too_long"
    answers = [m["content"] for m in messages if m["role"] == "assistant"]
    if answers and min(len(a) for a in answers) < min_answer_chars:
        return "short_answer"
    return None


def quality_rule(
    text: str, min_letter_ratio: float, messages: list[dict] | None = None, min_words: int = 0
) -> str | None:
    """Content-free and gibberish detectors.

    A user or assistant turn with fewer than `min_words` words ("ok", "???", "merci")
    carries nothing to learn; too few letters overall or a character repeated 10+
    times is keyboard mash.
    """
    if (
        messages
        and min_words
        and any(len(_WORD.findall(m["content"])) < min_words for m in messages if m["role"] != "system")
    ):
        return "low_quality"
    if letter_ratio(text) < min_letter_ratio:
        return "low_quality"
    if _REPEAT.search(text):
        return "low_quality"
    return None
