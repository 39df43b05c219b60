"""Progress off a terminal (output.PlainLines, output.progress_bar): when a plain line is due and what it says, and the
long commands printing them on stderr with `--json`, their stdout holding nothing but the JSON summary."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.output import PROGRESS_FILE_ENV, PlainLines, Tracker, duration, last_progress, progress_bar
from tests.conftest import chat, write_jsonl


def test_plain_lines_schedule_and_wording():
    lines = PlainLines("ingest", "documents")
    lines.start = lines.last_time = 0.0
    assert not lines.due(0, 25, 1.0)
    assert lines.due(1, 25, 2.0)  # the first item: its time gives the first ETA
    assert lines.line(1, 25, "a.md", now=2.0) == "ingest: 1/25 documents (4%) · a.md · 2.0 s each, eta 48 s"
    assert not lines.due(3, 25, 5.0)  # 2 more items, under 10 % of 25 rounded up (3)
    assert lines.due(4, 25, 5.0)
    lines.line(4, 25, now=8.0)
    assert not lines.due(5, 25, 37.9) and lines.due(5, 25, 38.0)  # or 30 s after the last line
    assert not lines.due(4, 25, 100.0)  # nothing new, nothing to say
    assert lines.due(25, 25, 40.0)
    assert lines.line(25, 25, now=50.0) == "ingest: 25/25 documents (100%) · 2.0 s each, done in 50 s"


def test_plain_lines_of_a_resumed_task_and_an_unknown_total():
    lines = PlainLines("pretrain", "steps", done=40)  # resumed at step 40: those steps took no time in this run
    lines.start = lines.last_time = 0.0
    assert not lines.due(40, 100, 60.0) and lines.due(41, 100, 10.0)
    assert lines.line(41, 100, "loss 2.000", now=10.0) == (
        "pretrain: 41/100 steps (41%) · loss 2.000 · 10.0 s each, eta 9 min 50 s"
    )
    rows = PlainLines("read", "rows")
    rows.start = 0.0
    assert rows.line(300, None, now=2.0) == "read: 300 rows · 150 per s"
    assert [duration(s) for s in (42, 185, 9000)] == ["42 s", "3 min 05 s", "2.5 h"]


def test_tracker_prints_lines_off_a_terminal_and_nothing_when_not_shown(capsys):
    with Tracker("search", 3, unit="trials") as t:
        for n in range(3):
            t.describe(f"trial {n}")
            t.advance()
    err = capsys.readouterr().err.splitlines()
    assert [re.match(r"search: (\d)/3 trials \(\d+%\) · trial (\d) · ", e).groups() for e in err] == [
        ("1", "0"),
        ("2", "1"),
        ("3", "2"),
    ]
    assert err[-1].endswith(" s") and "done in" in err[-1] and t.done == 3
    with Tracker("search", 3, unit="trials", show=False) as quiet:
        quiet.advance(3)
    assert capsys.readouterr().err == "" and quiet.done == 3


def test_the_progress_file_holds_the_counts_and_its_last_line_is_read(tmp_path, monkeypatch):
    progress_file = tmp_path / "stage.progress"
    assert last_progress(progress_file) is None and last_progress(None) is None  # nothing reported yet
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(progress_file))
    with progress_bar(disable=True) as bar:  # quiet on stderr: `chatforge run` reads the file
        task = bar.add_task("ingest", total=40, unit="documents")
        for _ in range(40):
            bar.advance(task)
    lines = progress_file.read_text(encoding="utf-8").splitlines()
    assert 1 <= len(lines) < 40  # at most twice a second, and the finished count always
    assert last_progress(progress_file) == {"task": "ingest", "completed": 40, "total": 40}
    with progress_file.open("a", encoding="utf-8") as fh:
        fh.write('{"task": "ingest", "compl')  # a line cut short by a crash
    assert last_progress(progress_file) is None


def _counts(stderr: str, label: str, unit: str) -> list[tuple[int, int, str]]:
    found = re.findall(rf"^{label}: (\d+)/(\d+) {unit} \(\d+%\) .*(eta|done in) [\d.]+ [a-z]", stderr, re.M)
    return [(int(d), int(t), tail) for d, t, tail in found]


def _only_json(stdout: str) -> dict:
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout  # no progress, no human line: the summary alone
    return json.loads(lines[0])


def test_data_prepare_json_shows_plain_progress_on_stderr(tmp_path: Path):
    files = [
        write_jsonl(tmp_path / f"part{n}.jsonl", [chat(f"Question {n} sur le bagage ?", f"Réponse {n}.")])
        for n in range(3)
    ]
    res = CliRunner().invoke(app, ["data", "prepare", *map(str, files), "--out", str(tmp_path / "out"), "--json"])
    assert res.exit_code == 0, res.output[-2000:]
    assert _only_json(res.stdout)["ok"] is True
    assert _counts(res.stderr, "reading", "files") == [(1, 3, "eta"), (2, 3, "eta"), (3, 3, "done in")]


def test_rag_ingest_json_shows_plain_progress_on_stderr(tmp_path: Path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "access.yaml").write_text('rules:\n  - glob: "**"\n    roles: [public]\n', encoding="utf-8")
    for n in range(12):
        (kb / f"doc{n:02d}.md").write_text(f"# Tarif {n}\n\nLe tarif {n} coûte {10 + n} euros.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["rag", "ingest", str(kb), "--index", str(tmp_path / "idx"), "--json"])
    assert res.exit_code == 0, res.output[-2000:]
    assert _only_json(res.stdout)["chunks"] == 12
    counts = _counts(res.stderr, "ingest", "documents")
    # a line after the first document, then at every further 10 % (2 of 12, rounded up) and at the end
    assert [d for d, _, _ in counts] == [1, 3, 5, 7, 9, 11, 12], res.stderr[-2000:]
    assert {t for _, t, _ in counts} == {12} and [tail for *_, tail in counts][-2:] == ["eta", "done in"]
    assert "ingest: 1/12 documents (8%) · doc00.md · " in res.stderr  # the document at work, as the bar shows it


def test_library_bars_stay_out_of_a_log(tmp_path: Path):
    """A real `chatforge` process with stderr to a file: chatforge's lines, not the libraries' bars."""
    import subprocess
    import sys

    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "doc.md").write_text("# Tarif\n\nLe tarif coûte 12 euros.\n", encoding="utf-8")
    chatforge = Path(sys.executable).parent / "chatforge"
    done = subprocess.run(
        [str(chatforge), "rag", "ingest", str(kb), "--index", str(tmp_path / "idx"), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ingest: 1/1 documents" in done.stderr
    assert "Loading weights" not in done.stderr and "\r" not in done.stderr, done.stderr[-2000:]
