"""The data stage on the shipped example's raw logs, checked against the generator's MANIFEST of planted dirt."""

import json
from pathlib import Path

import pytest

from chatforge.config import load_config
from chatforge.data.prepare import PrepareConfig, prepare
from tests.conftest import DOMAIN, read_jsonl

LOGS = DOMAIN / "logs"
MANIFEST = json.loads((LOGS / "MANIFEST.json").read_text(encoding="utf-8"))
INPUTS = sorted(LOGS.glob("*.jsonl")) + sorted(LOGS.glob("*.csv"))


def _rel(source: str) -> str:
    return str(Path(source).resolve().relative_to(DOMAIN))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    out = tmp_path_factory.mktemp("prepared")
    report = prepare(INPUTS, out, load_config(PrepareConfig, DOMAIN / "prepare.yaml"), progress=False)
    rows = {s: read_jsonl(out / f"{s}.jsonl") for s in ("train", "val", "test")}
    return report, rows


def _all_text(rows) -> str:
    return "\n".join(m["content"] for split in rows.values() for r in split for m in r["messages"])


def test_malformed_lines_listed_with_file_and_line(prepared):
    report, _ = prepared
    got = {(_rel(r["source"]), r["line"]) for r in report["rejected"]}
    assert got == {(i["file"], i["line"]) for i in MANIFEST["malformed_lines"]["items"]}


def test_planted_duplicates_and_low_quality_removed(prepared):
    report, _ = prepared
    planted = MANIFEST["exact_duplicates"]["count"] + MANIFEST["near_duplicates"]["count"]
    # punctuation-only edits count as exact once text is normalised, so check the sum
    assert report["removed"]["exact_duplicate"] + report["removed"]["near_duplicate"] == planted
    assert report["removed"]["low_quality"] == MANIFEST["low_quality"]["count"]
    assert report["records_in"] == report["records_out"] + sum(report["removed"].values()) + len(report["rejected"])


def test_no_personal_data_leaks(prepared):
    _, rows = prepared
    text = _all_text(rows)
    leaks = [
        v for kind in MANIFEST["pii"].values() if isinstance(kind, dict) for v in kind.get("values", []) if v in text
    ]
    assert leaks == []
    assert "[EMAIL]" in text and "[PHONE]" in text and "[IBAN]" in text and "[CARD]" in text


def test_luhn_invalid_order_numbers_not_redacted(prepared):
    _, rows = prepared
    text = _all_text(rows)
    values = MANIFEST["not_pii"]["luhn_invalid_16_digit_numbers"]["values"]
    kept = [v for v in values if v in text]
    assert len(kept) >= 0.8 * len(values)


def test_dirt_cleaned(prepared):
    _, rows = prepared
    text = _all_text(rows)
    for dirt in ("Ã©", "â‚¬", "<p>", "<br>", "&nbsp;", "&eacute;", "\u200b", "\t", "\xa0", "  "):
        assert dirt not in text, repr(dirt)
    assert "réservation" in text or "Réservation" in text


def test_near_duplicates_share_a_split_when_kept(tmp_path):
    cfg = load_config(PrepareConfig, DOMAIN / "prepare.yaml", ["dedup.near_action=keep", "dedup.exact=false"])
    prepare(INPUTS, tmp_path, cfg, progress=False)
    split_of = {}
    for s in ("train", "val", "test"):
        for r in read_jsonl(tmp_path / f"{s}.jsonl"):
            path, line = r["source"].rsplit(":", 1)
            split_of[(_rel(path), int(line))] = s
    pairs = [
        (i["file"], i["line"], i["near_duplicate_of"]["line"])
        for i in MANIFEST["near_duplicates"]["items"]
        if i["file"].endswith(".jsonl")
    ]
    checked = [(f, a, b) for f, a, b in pairs if (f, a) in split_of and (f, b) in split_of]
    assert len(checked) >= 0.9 * len(pairs)
    assert [(f, a, b) for f, a, b in checked if split_of[(f, a)] != split_of[(f, b)]] == []
