"""`chatforge eval` argument handling: usage errors exit 2 with a JSON error; the perplexity subcommand stays."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from chatforge.cli import app


def test_usage_errors_exit_2_with_json(tmp_path):
    r = CliRunner().invoke(app, ["eval", "--model", "m", "--out", str(tmp_path), "--json"])
    assert r.exit_code == 2 and "--testset" in json.loads(r.stdout.strip().splitlines()[-1])["error"]
    r = CliRunner().invoke(
        app,
        [
            "eval",
            "--model",
            "m",
            "--testset",
            str(tmp_path / "none.jsonl"),
            "--out",
            str(tmp_path),
            "--fail-under",
            "token_f1",
            "--json",
        ],
    )
    assert r.exit_code == 2 and "metric=number" in json.loads(r.stdout.strip().splitlines()[-1])["error"]
    r = CliRunner().invoke(
        app,
        [
            "eval",
            "--model",
            "m",
            "--testset",
            str(tmp_path / "none.jsonl"),
            "--out",
            str(tmp_path),
            "--set",
            "bogus=1",
            "--json",
        ],
    )
    assert r.exit_code == 2 and "bogus" in json.loads(r.stdout.strip().splitlines()[-1])["error"]


def test_show_config_and_subcommand_listed():
    r = CliRunner().invoke(app, ["eval", "--show-config"])
    assert r.exit_code == 0 and "fail_under" in r.stdout and "robustness_kinds" in r.stdout
    r = CliRunner().invoke(app, ["eval", "--help"])
    assert r.exit_code == 0 and "perplexity" in r.stdout and "--fail-under" in r.stdout
