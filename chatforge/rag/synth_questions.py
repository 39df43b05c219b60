"""Unanswerable test questions: everyday customer topics that no indexed chunk mentions.

    chatforge data synth DOCS --index IDX --out DIR --unanswerable 15

Each topic is a question in English and French with its key words; its opening ("Can I" / "Puis-je",
"Is there" / "Y a-t-il"...) and the question mark's spacing in each language come from one table (OPENINGS).
A topic is used only when none of its key words (as the verifier's content tokens: folded, stemmed to 5
letters) occurs in any chunk of the index, whatever its roles; so the documents cannot answer it, and an
honest answer is the abstention. Topics the documents mention are counted (`unanswerable_covered`) and never used; when fewer honest topics
remain than asked, the shortfall is counted (`unanswerable_short`). The item's expected answer is the
verifier's abstention sentence in its language, its `facts` empty, as eval reads unanswerable items.
"""

from __future__ import annotations

import random
from collections import Counter

from chatforge.rag.verify import abstention, content_tokens

# How a question opens in each language, the rest given by the topic; "ask": a topic written whole
OPENINGS = {
    "can": ("Can I {}?", "Puis-je {} ?"),
    "is": ("Is there {}?", "Y a-t-il {} ?"),
    "have": ("Do you have {}?", "Avez-vous {} ?"),
    "offer": ("Do you offer {}?", "Proposez-vous {} ?"),
    "ask": ("{}?", "{} ?"),
}

# (opening, the English question's rest, the French one's, key words in either language)
_TOPIC_TABLE = [
    (
        "can",
        "pay with Bitcoin or another cryptocurrency",
        "payer en bitcoins ou en cryptomonnaie",
        "bitcoin bitcoins cryptocurrency cryptomonnaie",
    ),
    ("ask", "Do you sell gift cards", "Vendez-vous des cartes cadeaux", "gift cadeau cadeaux"),
    ("is", "a student discount", "une réduction pour les étudiants", "student students étudiant étudiants"),
    (
        "have",
        "an app for smartwatches",
        "une application pour montre connectée",
        "smartwatch smartwatches montre montres",
    ),
    (
        "ask",
        "Do you sponsor local sports teams",
        "Sponsorisez-vous des équipes sportives locales",
        "sponsor sponsorisez sponsoring équipes teams",
    ),
    ("can", "book an appointment through WhatsApp", "prendre rendez-vous par WhatsApp", "whatsapp"),
    (
        "offer",
        "a discount for military veterans",
        "une réduction pour les anciens combattants",
        "military veterans veteran combattants",
    ),
    ("have", "a TikTok account", "un compte TikTok", "tiktok"),
    (
        "is",
        "a referral bonus when I recommend a friend",
        "une prime de parrainage si je recommande un ami",
        "referral parrainage",
    ),
    ("offer", "gift wrapping", "un emballage cadeau", "wrapping emballage cadeau"),
    (
        "ask",
        "Do you publish a gardening newsletter",
        "Publiez-vous une lettre d'information sur le jardinage",
        "gardening jardinage garden jardin",
    ),
    ("can", "pay in Japanese yen", "payer en yens japonais", "yen yens japanese japonais"),
    ("is", "a museum at your headquarters", "un musée dans votre siège", "museum musée musees"),
    (
        "ask",
        "Do you rent electric scooters",
        "Louez-vous des trottinettes électriques",
        "scooter scooters trottinette trottinettes",
    ),
    ("ask", "Do you organise weddings", "Organisez-vous des mariages", "wedding weddings mariage mariages"),
    (
        "ask",
        "Is there a karaoke evening for customers",
        "Organisez-vous des soirées karaoké pour les clients",
        "karaoke karaoké",
    ),
    ("can", "bring my drone", "apporter mon drone", "drone drones"),
    ("have", "a podcast", "un podcast", "podcast podcasts"),
    (
        "ask",
        "Do you accept payment by cheque from abroad in Swiss francs",
        "Acceptez-vous les chèques en francs suisses",
        "swiss suisse suisses francs",
    ),
    ("is", "a chess club for customers", "un club d'échecs pour les clients", "chess échecs"),
    ("offer", "yoga classes", "des cours de yoga", "yoga"),
    ("can", "get a tattoo voucher with my purchase", "obtenir un bon pour un tatouage", "tattoo tatouage"),
    (
        "ask",
        "Do you give free umbrellas on rainy days",
        "Offrez-vous des parapluies les jours de pluie",
        "umbrella umbrellas parapluie parapluies",
    ),
    (
        "ask",
        "Is there a loyalty partnership with a cinema",
        "Avez-vous un partenariat avec un cinéma",
        "cinema cinéma movie",
    ),
]

# (English question, French question, key words in either language)
TOPICS = [(OPENINGS[o][0].format(en), OPENINGS[o][1].format(fr), keys) for o, en, fr, keys in _TOPIC_TABLE]


def honest_topics(vocabulary: set[str]) -> list[tuple[str, str, str]]:
    """The topics none of whose key words occurs in `vocabulary` (the content tokens of every indexed chunk)."""
    return [t for t in TOPICS if not content_tokens(t[2]) & vocabulary]


def unanswerable_items(
    n: int, vocabulary: set[str], langs: Counter, first_roles: Counter, seed: int, counts: Counter
) -> list[dict]:
    """Up to `n` unanswerable test items in the pairs' majority language, asked under their most common role."""
    if n <= 0:
        return []
    honest = honest_topics(vocabulary)
    counts["unanswerable_covered"] = len(TOPICS) - len(honest)
    picked = random.Random(seed).sample(honest, min(n, len(honest)))
    counts["unanswerable_short"] = n - len(picked)
    lang = "fr" if langs.get("fr", 0) > langs.get("en", 0) else "en"
    role = first_roles.most_common(1)[0][0] if first_roles else "public"
    items = []
    for i, (en, fr, _) in enumerate(picked, start=1):
        question = fr if lang == "fr" else en
        answer = abstention(question)
        items.append(
            {
                "id": f"synth-u{i:03d}",
                "question": question,
                "answer": answer,
                "reference": answer,
                "facts": [],
                "answerable": False,
                "doc_id": None,
                "role": role,
                "roles": [role],
                "lang": lang,
                "kind": "unanswerable",
                "source": "synth",
            }
        )
    counts["unanswerable"] = len(items)
    return items
