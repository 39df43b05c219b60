"""Answer metrics against reference answers, and intent classification metrics.

    chatforge eval --model A --testset FILE --out DIR   (report.json: exact_match ... perplexity, classification)

Normalisation (chatforge/text_metrics.py; used by every lexical metric here, and by the suites that compare answers):
Unicode NFKD, accents (combining marks) dropped, case folded, every character that is not a
letter, a digit or whitespace turned into a space, whitespace collapsed. So
"L'Été, 25 €!" and "l ete 25" are the same text. Articles and stop words are kept: in
French they carry meaning ("le" vs "les" bagages) and the references are short.

- `exact_match`: normalised strings equal (1.0 or 0.0).
- `token_precision` / `token_recall` / `token_f1`: bag-of-tokens overlap (SQuAD style, with
  multiplicity) of the normalised answer and reference, with the question's tokens removed from
  both sides first (`answer_prf`), so an answer that echoes the question scores nothing for the
  echo; both empty counts as 1.0. `token_f1_raw` is the plain overlap, question tokens included.
- `rouge_l`: ROUGE-L F-measure from `rouge-score`, fed our normalised tokens (its default
  tokenizer keeps only [a-z0-9] and would drop every accented French word).
- `bleu`: sentence BLEU from `sacrebleu` (exp smoothing, effective order) on the normalised
  text, divided by 100 so every accuracy metric is on 0..1; the report gives the mean.
- `semantic_similarity`: cosine of sentence embeddings (rag/embed.py, packaged MiniLM).
- `perplexity`: of the model on the reference answers (models/perplexity.py).
- Intent classification: per-class and macro precision / recall / F1 from scikit-learn.
"""

from __future__ import annotations

from functools import lru_cache

from chatforge.text_metrics import exact_match, normalize, token_prf, tokens


class _NormalisedTokenizer:
    """What `rouge_score.RougeScorer(tokenizer=...)` expects: an object with `tokenize(text)`."""

    def tokenize(self, text: str) -> list[str]:
        return tokens(text)


@lru_cache(maxsize=1)
def _rouge():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], tokenizer=_NormalisedTokenizer())


@lru_cache(maxsize=1)
def _bleu():
    from sacrebleu.metrics import BLEU

    return BLEU(tokenize="none", effective_order=True)


def rouge_l(answer: str, reference: str) -> float:
    return float(_rouge().score(reference, answer)["rougeL"].fmeasure)


def bleu(answer: str, reference: str) -> float:
    a, r = normalize(answer), normalize(reference)
    if not a or not r:
        return float(a == r)
    return min(1.0, _bleu().sentence_score(a, [r]).score / 100.0)


def answer_prf(answer: str, reference: str, question: str = "") -> tuple[float, float, float]:
    """Token (precision, recall, F1) with every token of the question removed from answer and reference."""
    drop = set(tokens(question))
    if not drop:
        return token_prf(answer, reference)
    return token_prf(
        " ".join(t for t in tokens(answer) if t not in drop), " ".join(t for t in tokens(reference) if t not in drop)
    )


def answer_f1(answer: str, reference: str, question: str = "") -> float:
    return answer_prf(answer, reference, question)[2]


def lexical_scores(answer: str, reference: str, question: str = "") -> dict[str, float]:
    """Every per-item lexical metric, by its report name (token_* echo-proof when the question is given)."""
    p, r, f = answer_prf(answer, reference, question)
    return {
        "exact_match": exact_match(answer, reference),
        "token_precision": p,
        "token_recall": r,
        "token_f1": f,
        "token_f1_raw": token_prf(answer, reference)[2],
        "rouge_l": rouge_l(answer, reference),
        "bleu": bleu(answer, reference),
    }


def semantic_similarity(embedder, answers: list[str], references: list[str]) -> list[float]:
    """Cosine of unit-length embeddings, item by item (an empty answer scores 0)."""
    import numpy as np

    if not answers:
        return []
    unique = list(dict.fromkeys(list(answers) + list(references)))  # an oracle's answers are its references
    row = {t: i for i, t in enumerate(unique)}
    vecs = embedder.encode(unique)
    a, r = vecs[[row[t] for t in answers]], vecs[[row[t] for t in references]]
    sims = np.clip((a * r).sum(axis=1), -1.0, 1.0)
    return [0.0 if not ans.strip() else float(s) for ans, s in zip(answers, sims)]


def reference_perplexity(model, tokenizer, references: list[str], batch_size: int = 8) -> float:
    """Perplexity of the model on the reference answers (documents joined with EOS)."""
    from chatforge.models.perplexity import perplexity

    return float(
        perplexity(model, tokenizer, [r for r in references if r.strip()], batch_size=batch_size)["perplexity"]
    )


def classification_scores(y_true: list[str], y_pred: list[str]) -> dict:
    """{"precision"|"recall"|"f1": {"per_class": {label: x}, "macro": x}, "support", "accuracy"}.

    Classes are the reference labels; a prediction outside them counts against precision of
    nothing and recall of the true class. Zero-division is 0, not a warning.
    """
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    labels = sorted(set(y_true))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="macro", zero_division=0)
    out = {
        name: {"per_class": {lab: round(float(v), 4) for lab, v in zip(labels, vals)}, "macro": round(float(m), 4)}
        for name, vals, m in (("precision", p, mp), ("recall", r, mr), ("f1", f, mf))
    }
    out["support"] = {lab: int(n) for lab, n in zip(labels, s)}
    out["accuracy"] = round(float(accuracy_score(y_true, y_pred)), 4) if y_true else 0.0
    return out
