import json
import random
from pathlib import Path

import pytest

from chatforge.config import load_config
from chatforge.data.dedup import jaccard
from chatforge.data.prepare import PrepareConfig, prepare
from chatforge.errors import InputError
from tests.conftest import chat, read_jsonl, write_jsonl

TOPICS = [
    "bagage en soute",
    "bagage cabine",
    "animal en cabine",
    "mineur non accompagné",
    "programme Plume",
    "enregistrement en ligne",
    "retard de vol",
    "remboursement des taxes",
    "vélo en soute",
    "assistance PMR",
]


WORDS = (
    "avion valise billet retard porte siège hublot escale horaire tarif carte point voyage client agent "
    "aéroport comptoir navette parking repas boisson couverture oreiller enfant poussette fauteuil chien chat "
    "cage sac housse vélo skis planche surf franchise taxe remboursement avoir échange option départ arrivée "
    "terminal contrôle sécurité douane passeport identité visa météo orage grève correspondance"
).split()


def _faq(n: int, seed: int = 0) -> list[dict]:
    """n conversations that are pairwise far apart (random word draws), like distinct FAQ entries."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        q = " ".join(rng.sample(WORDS, 7))
        a = " ".join(rng.sample(WORDS, 9))
        rows.append(chat(f"Pour {topic}, que faire avec {q} ?", f"Voici la règle : {a}, référence {i * 7}."))
    return rows


def _summary_invariant(report: dict) -> None:
    assert report["records_in"] == report["records_out"] + sum(report["removed"].values()) + len(report["rejected"])


def test_planted_items_each_handled(tmp_path: Path):
    rows = _faq(30)
    dup = rows[3]
    near = chat("Bonjour, " + rows[5]["messages"][0]["content"] + " Merci", rows[5]["messages"][1]["content"])
    iban = chat(
        "Remboursez sur mon IBAN FR76 3000 6000 0112 3456 7890 189 s'il vous plaît, vol HA999.",
        "C'est noté, le remboursement part sous 7 jours ouvrés.",
    )
    f = write_jsonl(
        tmp_path / "in.jsonl",
        rows[:10] + [dup] + rows[10:20] + ['{"messages": [oops'] + rows[20:] + [near, iban, chat("ok", "ok")],
    )
    report = prepare([f], tmp_path / "out", progress=False)
    assert report["removed"]["exact_duplicate"] == 1
    assert report["removed"]["near_duplicate"] == 1
    assert report["removed"]["too_short"] == 1
    assert report["rejected"] == [{"source": str(f), "line": 22, "reason": report["rejected"][0]["reason"]}]
    assert report["rejected"][0]["reason"].startswith("malformed JSON")
    assert report["pii_by_type"] == {"IBAN": 1}
    out = [r for s in ("train", "val", "test") for r in read_jsonl(tmp_path / "out" / f"{s}.jsonl")]
    assert len(out) == 31 == report["records_out"]
    texts = json.dumps(out, ensure_ascii=False)
    assert "FR76" not in texts and "[IBAN]" in texts
    _summary_invariant(report)
    assert (tmp_path / "out" / "report.html").read_text().count("data:image/png;base64") == 1
    saved = json.loads((tmp_path / "out" / "report.json").read_text())
    assert saved["records_in"] == report["records_in"] and saved["token_lengths"]["count"] == 31
    assert saved["provenance"]["inputs"][str(f)]


def test_near_duplicates_never_cross_splits(tmp_path: Path):
    rows = []
    for base in _faq(60, seed=1):
        rows.append(base)
        q, a = base["messages"][0]["content"], base["messages"][1]["content"]
        rows.append(chat("Bonjour, " + q.replace("que faire", "comment faire"), a))
        rows.append(chat(q + " Merci d'avance.", a.replace("Voici la règle", "La règle est")))
    f = write_jsonl(tmp_path / "in.jsonl", rows)
    cfg = load_config(
        PrepareConfig,
        None,
        ["dedup.near_action=keep", "dedup.near_threshold=0.6", "split.val_ratio=0.3", "split.test_ratio=0.3"],
    )
    report = prepare([f], tmp_path / "out", cfg, progress=False)
    assert report["records_out"] == 180
    splits = {
        s: [
            r["messages"][0]["content"] + r["messages"][1]["content"]
            for r in read_jsonl(tmp_path / "out" / f"{s}.jsonl")
        ]
        for s in ("train", "val", "test")
    }
    assert all(len(v) > 20 for v in splits.values())
    leaks = [
        (a, b)
        for s1 in splits
        for s2 in splits
        if s1 < s2
        for a in splits[s1]
        for b in splits[s2]
        if jaccard(a, b) >= 0.6
    ]
    assert leaks == []
    # the planted variants really are near-duplicates, so the check above is not vacuous
    within = sum(jaccard(a, b) >= 0.6 for v in splits.values() for i, a in enumerate(v) for b in v[i + 1 :])
    assert within >= 120


def test_same_seed_same_split_and_augment_only_in_train(tmp_path: Path):
    f = write_jsonl(tmp_path / "in.jsonl", _faq(40))
    cfg = load_config(PrepareConfig, None, ["augment=2"])
    r1 = prepare([f], tmp_path / "a", cfg, progress=False)
    r2 = prepare([f], tmp_path / "b", cfg, progress=False)
    assert (tmp_path / "a" / "val.jsonl").read_text() == (tmp_path / "b" / "val.jsonl").read_text()
    train = read_jsonl(tmp_path / "a" / "train.jsonl")
    aug = [r for r in train if r["augmented"]]
    assert len(aug) == r1["augmented"]
    assert r1["augmented"] == 2 * (len(train) - r1["augmented"])
    originals = {r["messages"][0]["content"] for r in train if not r["augmented"]}
    assert all(r["messages"][0]["content"] not in originals for r in aug)
    for s in ("val", "test"):
        assert not any(r["augmented"] for r in read_jsonl(tmp_path / "a" / f"{s}.jsonl"))
    assert r2["splits"] == r1["splits"]


def test_documents_become_corpus_and_language_filter(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fr.md").write_text(
        "# Bagages\n\nChaque passager peut emporter un bagage cabine de huit kilos. "
        "Contactez-nous à aide@hirondelle.example pour toute question.",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "page.html").write_text(
        "<html><body><nav>menu</nav><h1>Animaux</h1><p>Les chiens et chats de moins de huit kilos voyagent en cabine.</p></body></html>"
    )
    rows = _faq(5) + [
        chat(
            "What is the baggage allowance on a Flex fare please?",
            "One checked bag of 23 kg is included in the Flex fare.",
        )
    ]
    f = write_jsonl(tmp_path / "in.jsonl", rows)
    cfg = load_config(PrepareConfig, None, ["filters.languages=[fr]"])
    report = prepare([f, tmp_path / "docs"], tmp_path / "out", cfg, progress=False)
    assert report["removed"]["language"] == 1 and report["languages"]["fr"] == 7
    corpus = read_jsonl(tmp_path / "out" / "corpus.jsonl")
    assert sorted(d["title"] for d in corpus) == ["Animaux", "Bagages"]
    assert "[EMAIL]" in next(d["text"] for d in corpus if d["title"] == "Bagages")
    assert "menu" not in next(d["text"] for d in corpus if d["title"] == "Animaux")
    _summary_invariant(report)


def test_no_input_and_unknown_format_are_clear_errors(tmp_path: Path):
    with pytest.raises(InputError, match="no input"):
        prepare([], tmp_path / "out", progress=False)
    (tmp_path / "x.parquet").write_bytes(b"PAR1")
    with pytest.raises(InputError, match="unknown format '.parquet'"):
        prepare([tmp_path / "x.parquet"], tmp_path / "out", progress=False)
    with pytest.raises(InputError, match="no such file"):
        prepare([tmp_path / "missing.jsonl"], tmp_path / "out", progress=False)
