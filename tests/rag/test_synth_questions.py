"""The unanswerable questions of `data synth` stay what they were: fixed outputs of synth_questions for a few inputs in
English and French, and a digest of every topic (both questions and the key words), taken before the topics were
factored into one table of openings."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

import pytest

from chatforge.rag.synth_questions import TOPICS, honest_topics, unanswerable_items
from chatforge.rag.verify import content_tokens

# sha256 of json.dumps(TOPICS, ensure_ascii=False), computed with the hand-written list of 24 topics
TOPICS_SHA256 = "7786bd9e8cca8c755c6c3517fc9e64134864d5b44cca05e9d48dac9190d1dcf6"
VOCABULARY = "We accept bitcoin and gift cards. Students get yoga classes and a podcast."
EN_NONE = "I don't have information about this in the documents."
FR_NONE = "Je n'ai pas d'information à ce sujet dans les documents."

CASES = [
    (
        "en",
        0,
        "",
        [
            "Is there a museum at your headquarters?",
            "Do you rent electric scooters?",
            "Do you sell gift cards?",
            "Is there a referral bonus when I recommend a friend?",
        ],
    ),
    (
        "fr",
        0,
        "",
        [
            "Y a-t-il un musée dans votre siège ?",
            "Louez-vous des trottinettes électriques ?",
            "Vendez-vous des cartes cadeaux ?",
            "Y a-t-il une prime de parrainage si je recommande un ami ?",
        ],
    ),
    (
        "en",
        7,
        VOCABULARY,
        [
            "Do you rent electric scooters?",
            "Do you have a TikTok account?",
            "Is there a karaoke evening for customers?",
            "Do you sponsor local sports teams?",
        ],
    ),
    (
        "fr",
        7,
        VOCABULARY,
        [
            "Louez-vous des trottinettes électriques ?",
            "Avez-vous un compte TikTok ?",
            "Organisez-vous des soirées karaoké pour les clients ?",
            "Sponsorisez-vous des équipes sportives locales ?",
        ],
    ),
]


def test_every_topic_is_unchanged():
    assert len(TOPICS) == 24 and all(isinstance(t, tuple) and len(t) == 3 for t in TOPICS)
    assert hashlib.sha256(json.dumps(TOPICS, ensure_ascii=False).encode()).hexdigest() == TOPICS_SHA256
    assert len(honest_topics(content_tokens(VOCABULARY))) == 19 and len(honest_topics(set())) == 24


@pytest.mark.parametrize("lang,seed,vocabulary,questions", CASES)
def test_unanswerable_items_are_unchanged(lang, seed, vocabulary, questions):
    counts: Counter = Counter()
    items = unanswerable_items(4, content_tokens(vocabulary), Counter({lang: 3}), Counter({"staff": 2}), seed, counts)
    assert [it["question"] for it in items] == questions
    assert {it["answer"] for it in items} == {EN_NONE if lang == "en" else FR_NONE}
    assert [it["id"] for it in items] == [f"synth-u{i:03d}" for i in range(1, 5)]
    assert all(it["lang"] == lang and it["roles"] == ["staff"] and it["facts"] == [] for it in items)
    assert dict(counts) == {"unanswerable_covered": 5 if vocabulary else 0, "unanswerable_short": 0, "unanswerable": 4}
