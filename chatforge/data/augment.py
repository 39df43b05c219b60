"""Rule-based paraphrases of user questions, for when training data is scarce (`--augment N`).

Variants combine a few meaning-preserving rewrites (French and English): greeting or
politeness prefixes and suffixes, question-form changes ("Est-ce que je peux" <->
"Puis-je"), a short synonym list, and casual punctuation. Each variant differs from
the original and from the other variants; generation is seeded, so reruns agree.
A model-based paraphraser can replace `paraphrase` later with the same signature.
"""

from __future__ import annotations

import random
import re

_PREFIXES = {
    "fr": ["Bonjour, ", "Bonjour, petite question : ", "Excusez-moi, ", "Bonsoir, ", "Une question : ", "Salut, "],
    "en": ["Hi, ", "Hello, quick question: ", "Excuse me, ", "Hey, ", "Good morning, "],
}
_SUFFIXES = {
    "fr": [" Merci.", " Merci d'avance !", " Merci beaucoup.", " Cordialement."],
    "en": [" Thanks.", " Thank you!", " Thanks in advance."],
}
# Pairs of interchangeable phrasings; applied in both directions, whole words, case-aware at the start.
_SWAPS = {
    "fr": [
        ("est-ce que je peux", "puis-je"),
        ("est-ce que vous pouvez", "pouvez-vous"),
        ("combien coûte", "quel est le prix de"),
        ("billet", "ticket"),
        ("valise", "bagage"),
        ("je voudrais", "j'aimerais"),
        ("il faut", "on doit"),
        ("rembourser", "me faire rembourser"),
        ("modifier", "changer"),
        ("annuler", "résilier"),
        ("quand", "à quel moment"),
        ("est-il possible de", "peut-on"),
    ],
    "en": [
        ("can i", "am i able to"),
        ("how much is", "what is the price of"),
        ("i would like", "i'd like"),
        ("change", "modify"),
        ("cancel", "call off"),
        ("luggage", "baggage"),
        ("is it possible to", "can you"),
    ],
}


def _swap_once(text: str, pairs: list[tuple[str, str]], rng: random.Random) -> str:
    options = []
    lower = text.lower()
    for a, b in pairs:
        for src, dst in ((a, b), (b, a)):
            if re.search(rf"(?<!\w){re.escape(src)}(?!\w)", lower):
                options.append((src, dst))
    if not options:
        return text
    src, dst = rng.choice(options)
    pattern = re.compile(rf"(?<!\w){re.escape(src)}(?!\w)", re.I)

    def repl(m: re.Match) -> str:
        return dst[0].upper() + dst[1:] if m.group(0)[0].isupper() else dst

    return pattern.sub(repl, text, count=1)


def _decapitalise(text: str) -> str:
    return text[0].lower() + text[1:] if text and text[0].isupper() and not text[:2].isupper() else text


def _one_variant(question: str, lang: str, rng: random.Random) -> str:
    lang = lang if lang in _PREFIXES else "fr"
    text = question.strip()
    if rng.random() < 0.7:
        text = _swap_once(text, _SWAPS[lang], rng)
    if rng.random() < 0.5:
        text = rng.choice(_PREFIXES[lang]) + _decapitalise(text)
    if rng.random() < 0.35:
        text = text + rng.choice(_SUFFIXES[lang])
    if rng.random() < 0.2 and text.endswith("?"):
        text = text[:-1].rstrip()
    return text


def paraphrase(question: str, n: int, lang: str = "fr", seed: int = 0, max_tries: int = 12) -> list[str]:
    """Up to `n` distinct rule-based variants of `question` (fewer if the rules run out)."""
    rng = random.Random(f"{seed}:{question}")
    seen = {question.strip().lower()}
    out: list[str] = []
    for _ in range(n * max_tries):
        if len(out) == n:
            break
        variant = _one_variant(question, lang, rng)
        if variant.lower() not in seen:
            seen.add(variant.lower())
            out.append(variant)
    return out
