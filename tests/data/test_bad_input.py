"""Hostile and empty input through `chatforge data prepare`: each bad item is rejected with its line and reason while
the valid records of the same file are kept (10,000 levels of `[`, a 5,000-digit number, bytes no encoding reads, a
line that is not an object, a value nested deeper than MAX_DEPTH, 1e999 and NaN); an empty input file is a warning naming it, and
all-empty input a one-line error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from chatforge.data.chat_readers import MAX_DEPTH
from tests.conftest import ROOT, chat

GOOD = [
    chat("Quel est le poids maximal d'un bagage cabine ?", "Un bagage cabine pèse au plus 10 kg chez nous."),
    chat("Puis-je voyager avec mon chien en cabine ?", "Oui, un animal de moins de 8 kg voyage en cabine dans un sac."),
    chat("Comment obtenir le remboursement des taxes ?", "Remplissez le formulaire en ligne, délai de trente jours."),
    chat("Où se trouve le comptoir d'enregistrement ?", "Au terminal 2, hall B, ouvert trois heures avant le départ."),
    chat("Un mineur peut-il voyager seul ?", "Dès 5 ans, avec le service d'accompagnement payant à réserver."),
]


def _prepare(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chatforge.cli", "data", "prepare", *args, "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def _line(row: dict) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode() + b"\n"


def test_hostile_lines_are_rejected_and_the_valid_records_of_the_file_kept(tmp_path: Path):
    deep_meta = {
        **chat("Question profonde ici ?", "Réponse assez longue ici."),
        "meta": json.loads("[" * 200 + "]" * 200),
    }
    lines = [
        _line(GOOD[0]),
        b"[" * 10_000 + b"\n",  # line 2: RecursionError today
        _line(GOOD[1]),
        b'{"question": "Combien ?", "answer": "Beaucoup.", "n": ' + b"7" * 5000 + b"}\n",  # line 4: int too long
        _line(GOOD[2]),
        b'{"messages": "\x81\x8d\x8f\x90\x9d"}\n',  # line 6: not UTF-8 nor cp1252
        b"[1, 2, 3]\n",  # line 7: not an object
        _line(GOOD[3]),
        _line(deep_meta),  # line 9: parses, too deep
        _line(GOOD[4]),
        b'{"messages": [], "score": 1e999}\n',  # line 11: out of range
        b'{"messages": [], "score": NaN}\n',  # line 12: not JSON
    ]
    data = tmp_path / "mixed.jsonl"
    data.write_bytes(b"".join(lines))
    as_list = tmp_path / "list.json"  # one JSON document: a too-deep value makes this whole file unreadable
    as_list.write_text("[" + json.dumps(GOOD[0]) + ", " + "[" * 10_000 + "]" * 10_000 + "]", encoding="utf-8")
    ranged = tmp_path / "ranged.json"  # a readable list: only its out-of-range item goes
    ranged.write_text(
        json.dumps(
            [
                chat("Quels sont les horaires de la navette ?", "Toutes les vingt minutes de 5 h à 23 h."),
                {**chat("Une autre question ?", "Une autre réponse ici."), "score": 1e999},
            ]
        ),
        encoding="utf-8",
    )
    doc = tmp_path / "deep.md"
    doc.write_text(
        "---\ntitle: " + "[" * 10_000 + "]" * 10_000 + "\n---\n# Titre\n\nTexte du document.\n", encoding="utf-8"
    )

    proc = _prepare(str(data), str(as_list), str(ranged), str(doc), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    summary = json.loads(proc.stdout.splitlines()[-1])
    assert summary["records_out"] == 6 and sum(summary["splits"].values()) == 6
    assert summary["rejected"] == 10

    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    by_line = {r["line"]: r["reason"] for r in report["rejected"] if r["source"] == str(data)}
    assert sorted(by_line) == [2, 4, 6, 7, 9, 11, 12]
    assert by_line[2] == f"JSON nested too deeply (more than {MAX_DEPTH} levels)"
    assert by_line[4].startswith("unreadable JSON value: Exceeds the limit (4300 digits)")
    assert by_line[6].startswith("undecodable line: not UTF-8")
    assert by_line[7] == "record is a list, not an object"
    assert by_line[9] == f"JSON nested too deeply (more than {MAX_DEPTH} levels)"
    assert by_line[11] == "unreadable JSON value: number out of range: 1e999"
    assert by_line[12] == "unreadable JSON value: NaN is not a JSON number"
    others = {r["source"]: r["reason"] for r in report["rejected"] if r["source"] != str(data)}
    assert others[str(ranged)] == "unreadable JSON value: a number out of range or NaN (item 2)"
    assert others[str(as_list)].startswith("unreadable JSON file: nested too deeply")
    assert others[str(doc)] == "nested too deeply to read (front matter or markup)"
    kept = [
        json.loads(line)
        for name in ("train", "val", "test")
        for line in (tmp_path / "out" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(r["source"] for r in kept) == sorted([f"{data}:{n}" for n in (1, 3, 5, 8, 10)] + [f"{ranged}:1"])


def test_an_empty_input_file_is_a_warning_naming_it(tmp_path: Path):
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in GOOD), encoding="utf-8")
    zero = tmp_path / "zero.jsonl"
    zero.write_bytes(b"")
    blank = tmp_path / "blank.csv"
    blank.write_text("\n  \n\r\n", encoding="utf-8")
    proc = _prepare(str(good), str(zero), str(blank), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.splitlines()[-1])
    assert summary["records_out"] == 5
    assert summary["warnings"] == [
        f"{zero}: empty file (0 bytes or only blank lines), nothing read",
        f"{blank}: empty file (0 bytes or only blank lines), nothing read",
    ]
    assert f"warning: {zero}: empty file" in proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["warnings"] == summary["warnings"] and report["per_file"][str(zero)] == {"empty": 1}
    assert str(zero) in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_only_empty_inputs_is_a_one_line_error(tmp_path: Path):
    zero, blank = tmp_path / "a.jsonl", tmp_path / "b.md"
    zero.write_bytes(b"")
    blank.write_text("\n\n", encoding="utf-8")
    proc = _prepare(str(zero), str(blank), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    error = json.loads(proc.stdout.splitlines()[-1])["error"]
    assert error == f"every input file is empty (0 bytes or only blank lines): {zero}, {blank}"
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
