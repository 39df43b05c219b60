"""Grounded preference pairs of `rag reader-data` (rag/reader_prefs.py): the reader's prompts, verified chosen
answers against reader mistakes (a changed figure, abstaining, answering without the gold, a wrong citation),
deterministic for a seed, and what `train dpo` reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chatforge.rag.grounding import GroundingBuilder
from chatforge.rag.reader_data import passage_ref, reader_data
from chatforge.rag.reader_prefs import PAIR_KINDS, wrong_citation, wrong_number
from chatforge.rag.verify import ABSTAIN, VerifyConfig, numbers, verify
from tests.rag import test_reader_data as reader_tests
from tests.rag.test_reader_data import DOCS, QUESTIONS, _cfg, _question, _rows

kb = reader_tests.kb  # the same tiny knowledge base and questions, ingested once for this module

TARGET_CFG = VerifyConfig(fallback="abstain", add_citations=True)


def _pairs(out: Path, split: str = "train") -> list[dict]:
    return [json.loads(line) for line in (out / "preferences" / f"{split}.jsonl").read_text().splitlines()]


def _passages(kb: dict, row: dict, cfg) -> list[dict]:
    """The passages of a conversation in its prompt's order, as the prompt shows them."""
    with GroundingBuilder.open(kb["idx"], cfg.retrieval, cfg.prompt, use_gate=False) as g:
        by_id = {passage_ref(p): p for p in g.retriever.search(_question(row), row["roles"], k=9)}
    cut = cfg.prompt.max_passage_chars
    return [{**by_id[ref], "text": by_id[ref]["text"][:cut]} for ref in row["passages"]]


@pytest.fixture(scope="module")
def built(kb, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("prefs") / "out"
    cfg = _cfg(no_gold_share=1.0, distractor_share=1.0)
    return {"out": out, "cfg": cfg, "summary": reader_data([kb["data"]], kb["idx"], out, cfg, progress=False)}


def test_pairs_are_on_the_reader_s_own_prompts(built):
    out, s = built["out"], built["summary"]
    rows = {r["id"]: r for r in _rows(out)}
    pairs = _pairs(out)
    assert s["pairs"] == {"train": len(pairs), "val": 0} and s["paths"]["preferences_train"] == str(
        out / "preferences" / "train.jsonl"
    )
    kinds = s["pair_kinds"]["train"]
    assert sum(kinds.values()) == len(pairs) and set(kinds) == set(PAIR_KINDS)
    # one pair per conversation of an answerable question
    assert len(pairs) == len(rows)
    for p in pairs:
        row = rows[p["id"].rsplit("#", 1)[0]]
        assert p["prompt"] == row["messages"][:-1] and p["chosen"] == [row["messages"][-1]]
        assert "<passages>" in p["prompt"][-1]["content"] and p["prompt"][0]["role"] == "system"
        assert p["rejected"][0]["content"] != p["chosen"][0]["content"]
        if row["kind"] == "grounded":
            assert p["kind"] in ("wrong_number", "abstain_answerable", "wrong_citation")
        else:  # the gold is out: the chosen abstains, the rejected states the grounded answer anyway
            assert p["kind"] == "answer_no_gold" and p["chosen"][0]["content"] in ABSTAIN.values()
            grounded = rows[p["id"].split("#")[0] + "#grounded"]
            assert p["rejected"][0]["content"] == grounded["messages"][-1]["content"]
    assert kinds["answer_no_gold"] == s["kinds"]["train"]["abstain_no_gold"] + s["kinds"]["train"]["distractor_only"]
    assert kinds["abstain_answerable"] and kinds["wrong_number"] and kinds["wrong_citation"]


def test_a_changed_figure_is_unsupported_and_verify_removes_it(kb, built):
    pairs = [p for p in _pairs(built["out"]) if p["kind"] == "wrong_number"]
    rows = {r["id"]: r for r in _rows(built["out"])}
    assert pairs
    for p in pairs:
        passages = _passages(kb, rows[p["id"].rsplit("#", 1)[0]], built["cfg"])
        held = set().union(*(numbers(x["text"]) for x in passages))
        chosen, rejected = p["chosen"][0]["content"], p["rejected"][0]["content"]
        assert numbers(rejected) - held, rejected  # a figure no passage states
        assert not numbers(chosen) - held
        assert verify(chosen, passages, TARGET_CFG).removed_sentences == []
        assert verify(rejected, passages, TARGET_CFG).removed_sentences, rejected


def test_wrong_number_and_wrong_citation_on_one_answer():
    import random

    passages = [{"text": "Le bagage cabine pèse au plus 8 kg."}, {"text": "Un vélo voyage en soute pour 50 euros."}]
    target = "Le bagage cabine pèse au plus 8 kg [1]."
    changed = wrong_number(target, passages, TARGET_CFG, random.Random(1))
    assert changed != target and changed.endswith("kg [1].") and not re.search(r"(?<!\d)8 kg", changed)
    assert verify(changed, passages, TARGET_CFG).removed_sentences
    assert wrong_citation(target, passages, TARGET_CFG, random.Random(1)) == "Le bagage cabine pèse au plus 8 kg [2]."
    assert wrong_number("Le bagage cabine est léger [1].", passages, TARGET_CFG, random.Random(1)) is None
    # no passage left that supports nothing: no wrong citation to make
    assert wrong_citation(target, passages[:1], TARGET_CFG, random.Random(1)) is None


def test_pairs_are_deterministic_for_a_seed_and_switchable(kb, built, tmp_path):
    again = reader_data([kb["data"]], kb["idx"], tmp_path / "again", built["cfg"], progress=False)
    assert _pairs(tmp_path / "again") == _pairs(built["out"]) and again["pair_kinds"] == built["summary"]["pair_kinds"]
    other = built["cfg"].model_copy(update={"seed": 7})
    reader_data([kb["data"]], kb["idx"], tmp_path / "other", other, progress=False)
    assert {p["id"] for p in _pairs(tmp_path / "other")} != {p["id"] for p in _pairs(built["out"])}
    # off: the same conversations, no pair file, no pair counts
    off = reader_data(
        [kb["data"]],
        kb["idx"],
        tmp_path / "again",
        built["cfg"].model_copy(update={"preferences": False}),
        progress=False,
    )
    assert _rows(tmp_path / "again") == _rows(built["out"])
    assert "pairs" not in off and "preferences_train" not in off["paths"]
    assert not (tmp_path / "again" / "preferences" / "train.jsonl").exists()
    capped = reader_data(
        [kb["data"]], kb["idx"], tmp_path / "cap", built["cfg"].model_copy(update={"max_pairs": 3}), progress=False
    )
    assert capped["pairs"]["train"] == len(_pairs(tmp_path / "cap")) == 3


def test_the_test_set_question_gives_no_pair(kb, tmp_path):
    testset = tmp_path / "testset.jsonl"
    testset.write_text(json.dumps({"question": QUESTIONS[1][0]}) + "\n", encoding="utf-8")
    reader_data([kb["data"]], kb["idx"], tmp_path / "out", _cfg(testset=testset, no_gold_share=1.0), progress=False)
    pairs = _pairs(tmp_path / "out")
    assert pairs and not any("vélo en soute" in p["prompt"][-1]["content"].split("<question>")[1] for p in pairs)


def test_train_dpo_runs_on_the_written_pairs(built, tmp_path):
    from chatforge.models.tiny import build_tiny_model
    from chatforge.train.dpo import DPOConfig, dpo

    written = built["out"] / "preferences" / "train.jsonl"
    assert built["summary"]["paths"]["preferences_train"] == str(written)
    data = tmp_path / "pairs.jsonl"  # the file's first pairs as written: a step reads them as they are
    data.write_text("".join(written.read_text(encoding="utf-8").splitlines(keepends=True)[:6]), encoding="utf-8")
    pairs = _pairs(built["out"])[:6]
    texts = list(DOCS.values()) + [m["content"] for p in pairs for m in p["prompt"] + p["chosen"] + p["rejected"]]
    base = build_tiny_model(tmp_path / "base", texts, n_layer=1, n_embd=32, n_head=4, context_length=1024)
    cfg = DPOConfig(model=str(base), max_steps=1, batch_size=2, max_seq_len=1024, val_fraction=0.2, mlflow=False)
    m = dpo(data, tmp_path / "dpo", cfg, progress=False)
    assert m["steps"] == 1 and m["rejected"] == 0 and m["pairs"] == 6 == m["train_pairs"] + m["val_pairs"]
    assert m["logp_margin_before"]["train"] is not None and (tmp_path / "dpo" / "adapter_config.json").is_file()
