"""The answerability gate: learned from validation questions, stored with the index, used by rag ask."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from chatforge.rag.answer import AskConfig, ask
from chatforge.rag.gate import (
    FEATURES,
    Gate,
    GateError,
    document_frequency,
    features,
    fit_gate,
    load_gate,
    pick_threshold,
)
from chatforge.rag.verify import content_tokens

DOCS = {
    "bike.md": "# Bicycles\n\nA bicycle travels in the hold for 50 euros per flight, packed in a bicycle box.\n",
    "pets.md": "# Pets\n\nA cat or a small dog may travel in the cabin in a bag of at most 8 kg.\n",
    "cabin.md": "# Cabin baggage\n\nCabin baggage must not exceed 55 x 35 x 25 cm and 10 kg.\n",
    "refund.md": "# Refunds\n\nA cancelled flight is refunded within 7 days to the card used for the booking.\n",
    "checkin.md": "# Check-in\n\nOnline check-in opens 30 hours before departure and closes 2 hours before.\n",
}
ANSWERABLE = [
    "How much is a bicycle in the hold?",
    "How do I pack my bike?",
    "Can my cat travel in the cabin?",
    "How heavy may the pet bag be?",
    "What size is cabin baggage?",
    "How fast is a cancelled flight refunded?",
    "When does online check-in open?",
    "When does check-in close?",
    "Can a small dog fly in the cabin?",
    "What is the weight limit for cabin baggage?",
]
UNANSWERABLE = [
    "Who won the football world cup in 1998?",
    "What is the capital of Australia?",
    "How do volcanoes erupt under the ocean?",
    "Recommend a good chocolate cake recipe.",
    "Which telescope discovered distant galaxies?",
    "How tall is the tallest giraffe?",
    "What is the boiling point of mercury?",
    "Who painted the Mona Lisa?",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from chatforge.rag.ingest import IngestConfig, ingest

    kb = tmp_path_factory.mktemp("kb")
    for name, text in DOCS.items():
        (kb / name).write_text(text, encoding="utf-8")
    idx = tmp_path_factory.mktemp("idx") / "idx"
    ingest([kb], idx, IngestConfig(default_roles=["public"]), progress=False)
    return idx


def _write(path, answerable, unanswerable, flag="answerable"):
    rows = [{"question": q, "answerable": True} for q in answerable]
    rows += [
        {"question": q, "answerable": False} if flag == "answerable" else {"question": q, "facts": []}
        for q in unanswerable
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_two_validation_sets_give_two_thresholds_and_the_gate_round_trips(tmp_path, index):
    from chatforge.cli import app as cli

    runner = CliRunner()
    thresholds = []
    for n, (ans, unans, flag) in enumerate(
        [(ANSWERABLE, UNANSWERABLE, "answerable"), (ANSWERABLE[:5], UNANSWERABLE[:6], "facts")]
    ):
        res = runner.invoke(
            cli,
            [
                "rag",
                "gate",
                "fit",
                "--index",
                str(index),
                "--role",
                "public",
                "--json",
                "--questions",
                str(_write(tmp_path / f"val{n}.jsonl", ans, unans, flag)),
            ],
        )
        assert res.exit_code == 0, res.output
        summary = json.loads(res.output.strip().splitlines()[-1])
        assert summary["counts"] == {"answerable": len(ans), "unanswerable": len(unans)} and summary["reached"]
        assert summary["precision"] >= 0.9 and summary["recall"] > 0
        thresholds.append(summary["threshold"])
        gate = load_gate(index)
        assert gate.to_json() == Gate.from_json(json.loads((index / "gate.json").read_text())).to_json()
        assert gate.features == list(FEATURES) and gate.n_chunks > 0 and gate.df  # word statistics of the index
    assert thresholds[0] != thresholds[1]


def test_an_unanswerable_question_abstains_before_generation(tmp_path, index):
    from chatforge.rag.gate import fit_from_questions

    fit_from_questions(index, _write(tmp_path / "val.jsonl", ANSWERABLE, UNANSWERABLE), ["public"])
    never = lambda messages: pytest.fail("the gate should have abstained before generating")  # noqa: E731
    out = ask("What is the population of the planet Mars?", "unused", index, ["public"], generate=never)
    assert out["grounding"]["abstained"] and out["answer"] == "I don't have information about this in the documents."
    assert out["gate"]["answerable"] is False and out["gate"]["p_unanswerable"] >= load_gate(index).threshold
    said = []
    ok = ask(
        "How much is a bicycle in the hold?",
        "unused",
        index,
        ["public"],
        AskConfig(),
        generate=lambda m: said.append(m) or "A bicycle travels in the hold for 50 euros per flight.",
    )
    assert said and not ok["grounding"]["abstained"] and "50 euros" in ok["answer"] and ok["grounding"]["citations"]
    off = AskConfig(gate=False)
    out = ask(
        "What is the population of the planet Mars?",
        "unused",
        index,
        ["public"],
        off,
        generate=lambda m: "Mars has 3 million people.",
    )
    assert out["gate"] is None and out["grounding"]["abstained"]  # without the gate the verifier still abstains
    (index / "gate.json").unlink()


def test_idf_features_measure_what_the_passages_miss_of_the_question():
    df, n = document_frequency(
        ["Bicycles travel in the hold for 50 euros.", "Pets travel in the cabin.", "The hold takes bicycles and skis."]
    )
    assert n == 3 and df[next(iter(content_tokens("bicycles")))] == 2
    passages = [{"text": "Bicycles travel in the hold for 50 euros."}]
    known = features("How much is a bicycle in the hold?", passages, None, df, n)
    unknown = features("Can I pay with cryptocurrency for a bicycle?", passages, None, df, n)
    assert known["miss_max_idf"] < unknown["miss_max_idf"] and unknown["unseen"] >= 1 and known["unseen"] == 0
    assert 0 < unknown["miss_idf_share"] < 1 and known["miss_idf_share"] < unknown["miss_idf_share"]


def test_a_gate_file_without_word_statistics_still_loads_and_decides(tmp_path):
    old = {
        "version": 1,
        "features": ["dense_top1", "question_coverage"],
        "mean": [0.5, 0.5],
        "scale": [0.1, 0.1],
        "coef": [-1.0, -1.0],
        "intercept": 0.0,
        "threshold": 0.8,
        "target_precision": 0.9,
        "reached": True,
    }
    (tmp_path / "gate.json").write_text(json.dumps(old))
    gate = load_gate(tmp_path)
    assert gate.df == {} and gate.decide(gate.features_for("a b", [], {"dense": [0.1]}))["answerable"] is False


def test_threshold_meets_the_target_precision_or_never_abstains():
    p = [0.9, 0.8, 0.7, 0.6, 0.2, 0.1]
    unans = [True, True, False, True, False, False]
    assert pick_threshold(p, unans, 0.9) == (0.8, True, 1.0, 0.6667)
    assert pick_threshold(p, unans, 0.7)[0] == 0.6
    assert pick_threshold([0.9, 0.1], [False, True], 0.9)[:2] == (1.01, False)
    with pytest.raises(GateError, match="at least 2 answerable and 2 unanswerable"):
        fit_gate([{"dense_top1": 1.0}] * 3, [True, True, False])
