"""Reader training data (`chatforge rag reader-data`): served prompts, cited targets, abstentions, roles, test set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from chatforge.rag.grounding import GroundingBuilder
from chatforge.rag.ingest import ingest
from chatforge.rag.prompt import PromptConfig
from chatforge.rag.reader_data import ReaderDataConfig, passage_ref, reader_data
from chatforge.rag.retrieve import RetrieveConfig
from chatforge.rag.verify import ABSTAIN, citations

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-FIN-7731"
DOCS = {
    "bagages.md": "# Bagages cabine\n\nLe bagage cabine ne doit pas dépasser 55 x 35 x 25 cm et 8 kg par passager.\n",
    "velo.md": "# Vélo\n\nUn vélo voyage en soute dans une housse, pour 50 euros par vol et par trajet.\n",
    "pets.md": "# Pets\n\nA cat or a small dog travels in the cabin for 40 dollars, in a soft bag of at most 6 kg.\n",
    "retard.md": "# Retard\n\nEn cas de retard de plus de 3 heures à l'arrivée, l'indemnisation est de 250 euros.\n",
    "checkin.md": "# Online check-in\n\nOnline check-in opens 30 hours before departure and closes 1 hour before.\n",
    "surclassement.md": (
        "# Surclassement\n\nLe surclassement se demande au comptoir d'enregistrement ou à la porte "
        "d'embarquement, selon les places libres. Il coûte 70 euros par vol.\n"
    ),
    "canary-fin.md": (
        f"# Budget vélo et bagages\n\n{CANARY} le budget interne vélo, bagages cabine, retard et "
        "check-in est de 90 000 euros pour 2026.\n"
    ),
}
QUESTIONS = [  # (question, answer, doc_id, lang)
    (
        "Quelle taille maximum pour le bagage cabine ?",
        "Bonjour ! Le bagage cabine ne doit pas dépasser 55 x 35 x 25 cm et 8 kg.",
        "bagages.md",
        "fr",
    ),
    (
        "Combien coûte le transport d'un vélo en soute ?",
        "Un vélo voyage en soute pour 50 euros par vol.",
        "velo.md",
        "fr",
    ),
    ("How much does it cost to bring my cat on board?", "A cat travels in the cabin for 40 dollars.", "pets.md", None),
    (
        "Quelle indemnisation pour un retard de plus de 3 heures ?",
        "L'indemnisation est de 250 euros pour un retard de plus de 3 heures.",
        "retard.md",
        "fr",
    ),
    ("When does online check-in open?", "Online check-in opens 30 hours before departure.", "checkin.md", "en"),
    ("Combien coûte le surclassement ?", "Le surclassement coûte 70 euros par vol.", "surclassement.md", "fr"),
    (
        "Quel est le budget interne vélo pour 2026 ?",
        "Le budget interne vélo est de 90 000 euros.",
        "canary-fin.md",
        "fr",
    ),
]


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("reader")
    docs = root / "kb"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    (docs / "access.yaml").write_text(
        'rules:\n  - glob: "canary-fin.md"\n    roles: [finance]\n  - glob: "*.md"\n    roles: [public, finance]\n',
        encoding="utf-8",
    )
    ingest([docs], root / "idx", progress=False)
    data = root / "qa.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for n, (q, a, doc, lang) in enumerate(QUESTIONS):
            row = {
                "id": f"qa-{n}",
                "messages": [
                    {"role": "system", "content": "Tu es l'assistant."},
                    {"role": "user", "content": q},
                    {"role": "assistant", "content": a},
                ],
                "doc_id": doc,
            }
            fh.write(json.dumps({**row, **({"lang": lang} if lang else {})}, ensure_ascii=False) + "\n")
    return {"root": root, "idx": root / "idx", "data": data}


def _cfg(**kw) -> ReaderDataConfig:
    base = {"retrieval": RetrieveConfig(k=3), "val_ratio": 0.0, "distractor_share": 0.0, "no_gold_share": 0.0}
    return ReaderDataConfig(**{**base, **kw})


def _rows(out: Path, split: str = "train") -> list[dict]:
    return [json.loads(line) for line in (out / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]


def _question(row: dict) -> str:
    text = row["messages"][-2]["content"]
    return text.split("<question>\n", 1)[1].split("\n</question>", 1)[0]


def test_grounded_conversations_are_the_prompt_serve_builds(kb, tmp_path):
    prompt = PromptConfig(template="grounded-fr-v1", assistant="l'assistant", organisation="Hirondelle Air")
    cfg = _cfg(prompt=prompt, shuffle=False)
    s = reader_data([kb["data"]], kb["idx"], tmp_path / "plain", cfg, progress=False)
    rows = _rows(tmp_path / "plain")
    assert s["kinds"]["train"]["grounded"] == len(rows) == len(QUESTIONS)
    with GroundingBuilder.open(kb["idx"], cfg.retrieval, prompt, use_gate=False) as served:
        for row in rows:  # in retrieval order: exactly the messages serve's ground() builds
            assert row["messages"][:-1] == served.ground(_question(row), row["roles"]).messages
    # shuffled, the prompt is still the builder's, over the passages in the example's order
    s = reader_data([kb["data"]], kb["idx"], tmp_path / "shuffled", _cfg(prompt=prompt), progress=False)
    rows = _rows(tmp_path / "shuffled")
    with GroundingBuilder.open(kb["idx"], cfg.retrieval, prompt, use_gate=False) as served:
        for row in rows:
            by_id = {passage_ref(p): p for p in served.retriever.search(_question(row), row["roles"], k=9)}
            passages = [by_id[ref] for ref in row["passages"]]
            assert row["messages"][:-1] == served.build(_question(row), passages, row["roles"]).messages
    assert row["messages"][0]["content"].startswith(served.build("x", [], ["public"]).messages[0]["content"][:40])


def test_targets_cite_the_passage_that_holds_the_answer(kb, tmp_path):
    reader_data([kb["data"]], kb["idx"], tmp_path / "out", _cfg(), progress=False)
    rows = _rows(tmp_path / "out")
    first_positions = set()
    for row in rows:
        target = row["messages"][-1]["content"]
        cited = citations(target)
        assert cited and row["citations"] == sorted(cited)
        assert {row["passages"][n - 1].split("#")[0] for n in cited} == {row["doc_id"]}, target
        first_positions.add(row["passages"].index(next(p for p in row["passages"] if p.startswith(row["doc_id"]))))
        assert "Bonjour" not in target  # the greeting no passage supports is not trained on
    assert first_positions - {0}, "the gold passage is always [1]: passages are not shuffled"


def test_gold_removed_share_targets_the_abstention_in_the_question_language(kb, tmp_path):
    s = reader_data(
        [kb["data"]], kb["idx"], tmp_path / "out", _cfg(no_gold_share=1.0, distractor_share=1.0), progress=False
    )
    rows = _rows(tmp_path / "out")
    kinds = s["kinds"]["train"]
    assert kinds["abstain_no_gold"] == len(QUESTIONS) and kinds["distractor_only"] >= 3
    langs = {q: ("en" if doc in ("pets.md", "checkin.md") else "fr") for q, _, doc, _ in QUESTIONS}
    for row in rows:
        if row["kind"] in ("abstain_no_gold", "distractor_only"):
            assert row["messages"][-1]["content"] == ABSTAIN[langs[_question(row)]]
            assert not any(p.startswith(row["doc_id"] + "#") for p in row["passages"])  # the gold is out
            assert len(row["passages"]) == 3
        else:
            assert row["kind"] == "grounded" and any(p.startswith(row["doc_id"] + "#") for p in row["passages"])


def test_unanswerable_file_and_testset_questions(kb, tmp_path):
    unanswerable = tmp_path / "unanswerable.jsonl"
    unanswerable.write_text(
        json.dumps({"question": "Puis-je voyager avec mon cheval en cabine ?"}) + "\n", encoding="utf-8"
    )
    testset = tmp_path / "testset.jsonl"  # the bike question, reworded by punctuation and case only
    testset.write_text(
        json.dumps({"question": "combien coûte le transport d'un vélo en soute"}) + "\n", encoding="utf-8"
    )
    s = reader_data(
        [kb["data"]], kb["idx"], tmp_path / "out", _cfg(unanswerable=unanswerable, testset=testset), progress=False
    )
    rows = _rows(tmp_path / "out")
    assert s["skipped"]["testset"] == 1 and not any("vélo en soute" in _question(r) for r in rows)
    [row] = [r for r in rows if r["kind"] == "unanswerable"]
    assert row["messages"][-1]["content"] == ABSTAIN["fr"] and row["roles"] == ["public"]


def test_a_document_of_one_role_never_reaches_another_role_s_examples(kb, tmp_path):
    s = reader_data(
        [kb["data"]], kb["idx"], tmp_path / "out", _cfg(no_gold_share=1.0, distractor_share=1.0), progress=False
    )
    rows = _rows(tmp_path / "out")
    assert s["roles"] == {"public": len(QUESTIONS) - 1, "finance": 1}
    for row in rows:
        text = "\n".join(m["content"] for m in row["messages"])
        if row["roles"] != ["finance"]:
            assert CANARY not in text, row["id"]
    # the filter is not vacuous: the finance question is grounded in the canary document
    assert any(CANARY in r["messages"][-2]["content"] for r in rows if r["roles"] == ["finance"])


def test_command_writes_what_train_sft_reads(kb, tmp_path):
    from chatforge.train.chat_data import load_chat_data

    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "rag",
            "reader-data",
            str(kb["data"]),
            "--index",
            str(kb["idx"]),
            "--out",
            str(out),
            "--set",
            "retrieval.k=2",
            "--set",
            "val_ratio=0.3",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.splitlines()[-1])
    assert summary["paths"]["train"] == str(out / "train.jsonl")
    assert summary["examples"]["train"] + summary["examples"]["val"] >= len(QUESTIONS)
    assert summary["examples"]["val"] > 0 and summary["examples"]["train"] > 0
    chats = load_chat_data(out)
    assert len(chats.train) == summary["examples"]["train"] and chats.train[0][-1]["role"] == "assistant"
    assert json.loads((out / "metrics.json").read_text())["kinds"] == summary["kinds"]
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "rag",
            "reader-data",
            str(tmp_path / "nope"),
            "--index",
            str(kb["idx"]),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert bad.returncode == 2 and "no such file or folder" in bad.stderr and "Traceback" not in bad.stderr


def test_a_fact_cut_from_the_prompt_is_not_a_target(kb, tmp_path):
    """The surcharge's price lies past the first 100 characters of its passage: shown cut, it grounds nothing."""
    full = reader_data([kb["data"]], kb["idx"], tmp_path / "full", _cfg(), progress=False)
    cut = reader_data(
        [kb["data"]], kb["idx"], tmp_path / "cut", _cfg(prompt=PromptConfig(max_passage_chars=100)), progress=False
    )
    assert any(r["doc_id"] == "surclassement.md" for r in _rows(tmp_path / "full"))
    assert not any(r["doc_id"] == "surclassement.md" for r in _rows(tmp_path / "cut"))
    assert cut["skipped"]["ungrounded"] >= full["skipped"].get("ungrounded", 0) + 1


def test_synth_pairs_keep_their_split_and_test_pairs_are_left_out(kb, tmp_path):
    """data synth's pairs.jsonl (question, answer, doc_id, roles, split); its grounded train.jsonl is refused row by row."""
    pairs = tmp_path / "pairs.jsonl"
    rows = [
        {"question": q, "answer": a, "doc_id": doc, "roles": ["public"], "lang": "fr", "split": split}
        for (q, a, doc, _), split in zip(QUESTIONS[:3], ["train", "val", "test"])
    ]
    pairs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    grounded = tmp_path / "grounded.jsonl"
    grounded.write_text(
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": "<passages>\n</passages>\n\n<question>\nx\n</question>"},
                    {"role": "assistant", "content": "y [1]"},
                ]
            }
        )
        + "\n",
        encoding="utf-8",
    )
    s = reader_data([pairs, grounded], kb["idx"], tmp_path / "out", _cfg(), progress=False)
    assert s["skipped"]["testset"] == 1 and s["skipped"]["already_grounded"] == 1
    assert [_question(r) for r in _rows(tmp_path / "out", "train")] == [QUESTIONS[0][0]]
    assert [_question(r) for r in _rows(tmp_path / "out", "val")] == [QUESTIONS[1][0]]
