"""Metrics against values computed by hand."""

from __future__ import annotations

import math

import pytest

from chatforge import text_metrics as tm
from chatforge.eval import metrics as m


def test_normalisation_case_accents_punctuation():
    assert tm.normalize("L'Été, 25 €!  Très   BIEN.") == "l ete 25 tres bien"
    assert tm.normalize("Ça coûte-t-il") == "ca coute t il"
    assert tm.exact_match("  Le VOL est annulé !", "le vol est annule") == 1.0
    assert tm.exact_match("le vol", "les vols") == 0.0


def test_token_prf_by_hand():
    # answer 4 tokens, reference 5, shared "le chat est" = 3 -> P 3/4, R 3/5, F1 2PR/(P+R) = 2/3
    p, r, f = tm.token_prf("Le chat est noir", "le chat est très blanc")
    assert (p, r) == (0.75, 0.6)
    assert f == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert tm.token_prf("", "") == (1.0, 1.0, 1.0)
    assert tm.token_prf("x", "") == (0.0, 0.0, 0.0)
    # multiplicity: "a a a" vs "a b": common 1 -> P 1/3, R 1/2, F1 0.4
    assert tm.token_f1("a a a", "a b") == pytest.approx(0.4)


def test_rouge_l_by_hand_and_accents_kept():
    # LCS of (a b c d) and (a c d e) is "a c d" = 3 -> P = R = F = 3/4
    assert m.rouge_l("a b c d", "a c d e") == pytest.approx(0.75)
    # rouge-score's own tokenizer would drop "été"; ours keeps it: LCS "ete annule" of 2 vs 3 tokens
    assert m.rouge_l("Été annulé", "été vol annulé") == pytest.approx(2 * 1 * (2 / 3) / (1 + 2 / 3))


def test_bleu_by_hand():
    assert m.bleu("le chat est noir", "le chat est noir") == pytest.approx(1.0)
    # 1-4-gram precisions 3/4, 2/3, 1/2, and 0/1 smoothed to 1/2 (sacrebleu exp smoothing); no brevity penalty
    assert m.bleu("Le chat est noir", "le chat est blanc") == pytest.approx(
        (0.75 * 2 / 3 * 0.5 * 0.5) ** 0.25, abs=1e-6
    )
    assert m.bleu("zebra quartz", "le chat est blanc") == 0.0
    assert m.bleu("", "le chat") == 0.0


def test_lexical_scores_names():
    assert set(m.lexical_scores("a", "a")) == {
        "exact_match",
        "token_precision",
        "token_recall",
        "token_f1",
        "token_f1_raw",
        "rouge_l",
        "bleu",
    }
    assert all(v == pytest.approx(1.0) for v in m.lexical_scores("Vol annulé.", "vol annule").values())


def test_classification_per_class_and_macro_by_hand():
    y_true = ["a", "a", "b", "b", "c"]
    y_pred = ["a", "b", "b", "b", "unknown"]
    s = m.classification_scores(y_true, y_pred)
    # a: P 1/1, R 1/2 ; b: P 2/3, R 2/2 ; c: P 0 (no prediction), R 0
    assert s["precision"]["per_class"] == {"a": 1.0, "b": pytest.approx(0.6667, abs=1e-4), "c": 0.0}
    assert s["recall"]["per_class"] == {"a": 0.5, "b": 1.0, "c": 0.0}
    f_a, f_b = 2 * 1 * 0.5 / 1.5, 2 * (2 / 3) * 1 / (2 / 3 + 1)
    assert s["f1"]["macro"] == pytest.approx((f_a + f_b + 0) / 3, abs=1e-4)
    assert s["precision"]["macro"] == pytest.approx((1 + 2 / 3) / 3, abs=1e-4)
    assert s["accuracy"] == 0.6 and s["support"] == {"a": 2, "b": 2, "c": 1}


class _FakeEmbedder:
    """Bag-of-letters vectors, unit length: enough to check the cosine plumbing."""

    def encode(self, texts):
        import numpy as np

        out = np.zeros((len(texts), 26), np.float32)
        for i, t in enumerate(texts):
            for c in tm.normalize(t):
                if "a" <= c <= "z":
                    out[i, ord(c) - 97] += 1
            n = np.linalg.norm(out[i])
            out[i] /= n if n else 1
        return out


def test_semantic_similarity_cosine():
    sims = m.semantic_similarity(_FakeEmbedder(), ["ab", "ab", ""], ["ab", "ba c", "ab"])
    assert sims[0] == pytest.approx(1.0)
    assert sims[1] == pytest.approx(2 / (math.sqrt(2) * math.sqrt(3)))
    assert sims[2] == 0.0
