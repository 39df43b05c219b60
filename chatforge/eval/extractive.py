"""The naive extractive baseline: answer with the retrieved passage sentence that best overlaps the question.

    chatforge eval --model A --testset FILE --out DIR --index IDX   (variant `extractive+rag`, on by default)

It is what retrieval alone gives a user, with no model: over the same passages every model's RAG
variant receives, the sentence (rag/verify.py's `split_sentences`) holding the most of the question's
content tokens (`content_tokens`: folded, stemmed, function words dropped), cited as [n]; ties go to
the earlier passage. No passage, or no sentence sharing a content token with the question: the
abstention sentence in the question's language. A model that does not beat this baseline on
`answer_correct` adds nothing to retrieval.
"""

from __future__ import annotations

from chatforge.eval.answerers import Generation
from chatforge.rag.verify import abstention, content_tokens, split_sentences


class ExtractiveAnswerer:
    """(question, passages) -> the best-overlapping passage sentence with its citation, or an abstention."""

    name = "extractive"

    def __call__(self, question: str, passages: list[dict] | None = None) -> Generation:
        q = content_tokens(question)
        best = None  # ((overlap, -passage, -position), sentence, passage number)
        for n, p in enumerate(passages or [], start=1):
            for k, s in enumerate(split_sentences(str(p.get("text", "")) if isinstance(p, dict) else str(p))):
                score = (len(content_tokens(s) & q), -n, -k)
                if score[0] and (best is None or score > best[0]):
                    best = (score, s, n)
        if best is None:
            text = abstention(question)
            return Generation(
                text,
                {
                    "grounding": {
                        "abstained": True,
                        "verified": True,
                        "support": 0.0,
                        "citations": [],
                        "removed_sentences": [],
                    }
                },
            )
        text = f"{best[1].rstrip()} [{best[2]}]"
        return Generation(
            text,
            {
                "grounding": {
                    "abstained": False,
                    "verified": True,
                    "support": 1.0,
                    "citations": [best[2]],
                    "removed_sentences": [],
                }
            },
        )
