from chatforge.data.augment import paraphrase


def test_variants_are_distinct_and_deterministic():
    q = "Est-ce que je peux modifier mon billet gratuitement ?"
    v = paraphrase(q, 4, "fr", seed=1)
    assert len(v) == 4
    assert len({x.lower() for x in v} | {q.lower()}) == 5
    assert v == paraphrase(q, 4, "fr", seed=1)


def test_english_rules():
    v = paraphrase("How much is an extra bag?", 3, "en", seed=0)
    assert len(v) == 3 and all("bag" in x for x in v)
