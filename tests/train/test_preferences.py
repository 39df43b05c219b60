"""Preference data: rankings expand to all pairs, thumbs and feedback exports are read, invalid items are reported."""

import json
from pathlib import Path

import pytest

from chatforge.errors import InputError
from chatforge.train.preferences import ranked_pairs, read_preferences, split_by_prompt
from tests.train.marker_preferences import marker_ranked, write_rows

PREFS = Path(__file__).resolve().parents[2] / "examples" / "hirondelle-air" / "preferences"


def test_a_ranking_of_k_answers_gives_all_k_choose_2_pairs_best_first(tmp_path):
    rows = [
        {"prompt": "q1", "answers": ["a", "b", "c", "d"]},
        {"prompt": "q2", "answers": ["x", "y", "z"]},
        {"prompt": "q3", "answers": ["u", "v"]},
    ]
    prefs = read_preferences(write_rows(tmp_path / "r.jsonl", rows))
    assert len(prefs.pairs) == 6 + 3 + 1 and not prefs.rejected
    got = {(p.prompt[0]["content"], p.chosen[0]["content"], p.rejected[0]["content"]) for p in prefs.pairs}
    assert {("q1", "a", "d"), ("q1", "b", "c"), ("q1", "c", "d"), ("q2", "x", "z"), ("q3", "u", "v")} <= got
    assert not any(c == r or (q, r, c) in got for q, c, r in got)  # never the worse over the better
    assert prefs.pairs[0].prompt == [{"role": "user", "content": "q1"}]
    assert prefs.pairs[0].chosen == [{"role": "assistant", "content": "a"}]


def test_example_rankings_and_thumbs_read_whole():
    ranked = read_preferences(PREFS / "ranked.jsonl")
    rows = [json.loads(line) for line in (PREFS / "ranked.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ranked.items == 168 and not ranked.rejected
    assert len(ranked.pairs) == sum(len(r["answers"]) * (len(r["answers"]) - 1) // 2 for r in rows)
    thumbs = read_preferences(PREFS / "thumbs.jsonl")
    assert thumbs.items == len(thumbs.thumbs) == 216 and not thumbs.rejected and not thumbs.pairs
    assert {t.label for t in thumbs.thumbs} == {True, False}


def test_invalid_items_are_reported_with_line_and_reason_and_not_kept():
    prefs = read_preferences(PREFS / "ranked_invalid.jsonl")
    assert not prefs.pairs and not prefs.thumbs
    reasons = {r.line: r.reason for r in prefs.rejected}
    assert all(r.source.endswith("ranked_invalid.jsonl") for r in prefs.rejected)
    assert set(reasons) == {1, 2, 3, 4, 5, 6}
    assert "identical" in reasons[1] and "missing prompt" in reasons[2] and "at least 2 answers" in reasons[3]
    assert "empty answer 2" in reasons[4] and "empty prompt" in reasons[5] and "must be a list" in reasons[6]


def test_ties_drop_only_the_tied_pairs_when_allowed(tmp_path):
    path = write_rows(tmp_path / "t.jsonl", [{"prompt": "q", "answers": ["a", " a ", "b"]}])
    assert not read_preferences(path).pairs
    assert [(c, r) for c, r in ranked_pairs(["a", " a ", "b"], allow_ties=True)] == [("a", "b"), (" a ", "b")]
    assert len(read_preferences(path, allow_ties=True).pairs) == 2


def test_feedback_exports_are_read_as_they_are(tmp_path):
    prompt = [{"role": "user", "content": "Bagage cabine ?"}]
    dpo_rows = [
        {
            "prompt": prompt,
            "chosen": [{"role": "assistant", "content": "8 kg."}],
            "rejected": [{"role": "assistant", "content": "12 kg."}],
            "chosen_id": 3,
            "rejected_id": 4,
        },
        {
            "prompt": prompt,
            "chosen": [{"role": "assistant", "content": "8 kg."}],
            "rejected": [{"role": "assistant", "content": "8 kg."}],
            "chosen_id": 3,
            "rejected_id": 5,
        },
    ]
    kto_rows = [
        {"prompt": prompt, "completion": [{"role": "assistant", "content": "8 kg."}], "label": True, "message_id": 3},
        {"prompt": prompt, "completion": [{"role": "assistant", "content": "12 kg."}], "label": "yes", "message_id": 4},
        "{not json",
    ]
    prefs = read_preferences(write_rows(tmp_path / "f.jsonl", dpo_rows + kto_rows))
    assert [p.row() for p in prefs.pairs] == [{k: dpo_rows[0][k] for k in ("prompt", "chosen", "rejected")}]
    assert [(t.completion[0]["content"], t.label) for t in prefs.thumbs] == [("8 kg.", True)]
    assert [(r.line, r.reason.split(":")[0]) for r in prefs.rejected] == [
        (2, "chosen and rejected answers are identical"),
        (4, "label must be true or false"),
        (5, "invalid JSON"),
    ]


def test_system_is_put_first_in_prompts_without_one(tmp_path):
    own = [{"role": "system", "content": "Réponds en anglais."}, {"role": "user", "content": "Bagage ?"}]
    rows = [
        {"prompt": "Bagage cabine ?", "answers": ["8 kg.", "12 kg."]},
        {"prompt": own, "chosen": "8 kg.", "rejected": "12 kg."},
        {"prompt": "Vélo ?", "answer": "10 €.", "label": True},
    ]
    prefs = read_preferences(write_rows(tmp_path / "s.jsonl", rows), system="Tu es l'assistant.")
    system = {"role": "system", "content": "Tu es l'assistant."}
    assert [p.prompt for p in prefs.pairs] == [[system, {"role": "user", "content": "Bagage cabine ?"}], own]
    assert prefs.thumbs[0].prompt == [system, {"role": "user", "content": "Vélo ?"}]
    plain = read_preferences(tmp_path / "s.jsonl")
    assert plain.pairs[0].prompt == [{"role": "user", "content": "Bagage cabine ?"}]


def test_split_keeps_each_prompt_on_one_side(tmp_path):
    prefs = read_preferences(write_rows(tmp_path / "r.jsonl", marker_ranked(20)))
    train, val = split_by_prompt(prefs.pairs, 0.2, seed=1)
    assert len(train) + len(val) == len(prefs.pairs) and val
    assert not {p.prompt[0]["content"] for p in train} & {p.prompt[0]["content"] for p in val}


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_preferences(tmp_path / "nope.jsonl")
