import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import chat, write_jsonl

CLI = [sys.executable, "-m", "chatforge.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def test_help_lists_stages():
    res = run("--help")
    assert res.returncode == 0
    for stage in ("data", "models", "train", "rag", "eval", "serve"):
        assert stage in res.stdout


def test_json_summary_is_last_stdout_line_and_strict_fails(tmp_path: Path):
    f = write_jsonl(
        tmp_path / "in.jsonl",
        [chat("Combien coûte un bagage en soute ?", "25 € en ligne, 45 € à l'aéroport."), "{broken"],
    )
    res = run("data", "prepare", str(f), "--out", str(tmp_path / "o"), "--json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["records_in"] == 2 and summary["records_out"] == 1 and summary["rejected"] == 1
    res = run("data", "prepare", str(f), "--out", str(tmp_path / "o2"), "--strict", "--json")
    assert res.returncode == 1
    assert json.loads(res.stdout.strip().splitlines()[-1])["ok"] is False
    assert (tmp_path / "o2" / "train.jsonl").exists()


def test_bad_config_value_names_the_field(tmp_path: Path):
    f = write_jsonl(tmp_path / "in.jsonl", [chat("Question assez longue ?", "Réponse assez longue.")])
    res = run("data", "prepare", str(f), "--out", str(tmp_path / "o"), "--set", "dedup.near_threshold=2", "--json")
    assert res.returncode == 2
    assert "dedup.near_threshold" in res.stderr
    assert "dedup.near_threshold" in json.loads(res.stdout.strip().splitlines()[-1])["error"]


def test_annotate_create_names_a_prompts_file_that_is_not_utf8(tmp_path: Path):
    from typer.testing import CliRunner

    from chatforge.cli import app

    prompts = tmp_path / "prompts.txt"
    prompts.write_bytes(
        "Bagage cabine ?\n".encode() + "Quel poids en soute ?\n".encode("cp1252").replace(b"?", b"\xe9?")
    )
    res = CliRunner().invoke(
        app,
        [
            "annotate",
            "create",
            "--name",
            "c",
            "--prompts",
            str(prompts),
            "--answers-per-prompt",
            "2",
            "--model",
            "m",
            "--db",
            str(tmp_path / "s.db"),
            "--json",
        ],
    )
    assert res.exit_code == 2, res.output  # a user error (InputError), not a bug
    error = json.loads(res.stdout.strip().splitlines()[-1])["error"]
    assert error.startswith(f"{prompts}: line 2 is not UTF-8 text") and "Traceback" not in res.output


def test_serve_show_config_prints_the_resolved_config_and_serves_nothing(tmp_path: Path):
    res = run("serve", "--show-config", "--set", "port=8123", "--db", str(tmp_path / "s.db"))
    assert res.returncode == 0, res.stderr
    assert "port = 8123" in res.stdout and "db = " in res.stdout
    assert not (tmp_path / "s.db").exists()
