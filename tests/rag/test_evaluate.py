from chatforge.rag.evaluate import recall_mrr


def test_recall_and_mrr_arithmetic():
    ranked = [["a", "b", "c"], ["x", "a"], ["x", "y"], []]
    m = recall_mrr(ranked, ["a", "a", "a", "a"], [1, 2])
    assert m == {"recall@1": 0.25, "recall@2": 0.5, "mrr": round((1 + 0.5) / 4, 4)}
