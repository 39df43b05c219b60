"""The command contract, checked on every leaf command of the real Typer app (chatforge/command.py builds them).

Every command: `--json`, a working `--help`. Every stage command (one with a typed config): `--config`,
`--set` and `--show-config`, which prints the resolved config and runs nothing. Commands that only
read refuse a database that does not exist: exit 2, naming it, nothing created. An unexpected error
is one line naming it and exit 1; `chatforge --debug` shows its traceback.
"""

from __future__ import annotations

import json
import os

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.command import command, resolve_class
from chatforge.config import config_help

ROOT = typer.main.get_command(app)


def leaves(cmd, path=()):
    """(words, click command) of every runnable command; a group with a callback of its own counts too."""
    subs = getattr(cmd, "commands", None)
    if subs is None:
        return [(path, cmd)]
    found = []
    if path and getattr(cmd.callback, "chatforge_config", None) is not None:  # `eval` runs with options alone
        found.append((path, cmd))
    for name, sub in sorted(subs.items()):
        found += leaves(sub, (*path, name))
    return found


LEAVES = leaves(ROOT)
IDS = [" ".join(p) for p, _ in LEAVES]


def flags(cmd) -> set[str]:
    return {o for p in cmd.params if p.param_type_name == "option" for o in p.opts}


def test_the_walk_finds_every_stage():
    names = set(IDS)
    for expected in ("data prepare", "train sft", "pretrain", "eval", "eval perplexity", "rag ask", "serve",
                     "keys list", "registry show", "annotate report", "run", "users erasures"):
        assert expected in names, expected
    assert len(LEAVES) > 30


@pytest.mark.parametrize("path,cmd", LEAVES, ids=IDS)
def test_every_command_has_json_and_help(path, cmd):
    assert "--json" in flags(cmd), f"chatforge {' '.join(path)} lacks --json"
    res = CliRunner().invoke(app, [*path, "--help"])
    assert res.exit_code == 0, res.output
    assert "--json" in res.output


STAGES = [(p, c) for p, c in LEAVES if getattr(c.callback, "chatforge_config", None) is not None]


def _dummy_args(cmd) -> list[str]:
    """Values for the required parameters, so that --show-config can be reached (it must not use them)."""
    args = []
    for p in cmd.params:
        if not p.required:
            continue
        value = "1" if getattr(getattr(p, "type", None), "name", "") in ("integer", "float") else "nothing-here"
        args += [value] if p.param_type_name == "argument" else [p.opts[0], value]
    return args


@pytest.mark.parametrize("path,cmd", STAGES, ids=[" ".join(p) for p, _ in STAGES])
def test_stage_commands_share_config_options_and_show_config_runs_nothing(path, cmd, tmp_path, monkeypatch):
    assert {"--config", "--set", "--show-config"} <= flags(cmd), f"chatforge {' '.join(path)}"
    monkeypatch.chdir(tmp_path)
    field = config_help(resolve_class(cmd.callback.chatforge_config))[0][0]
    res = CliRunner().invoke(app, [*path, *_dummy_args(cmd), "--show-config"])
    assert res.exit_code == 0, res.output
    assert f"{field} = " in res.stdout
    assert os.listdir(tmp_path) == []  # nothing ran, nothing written
    bad = CliRunner().invoke(app, [*path, *_dummy_args(cmd), "--show-config", "--set", "no_such_field=1", "--json"])
    assert bad.exit_code == 2 and "no_such_field" in json.loads(bad.stdout.strip().splitlines()[-1])["error"]


def test_show_config_prints_the_resolved_config(tmp_path):
    cfg = tmp_path / "prepare.yaml"
    cfg.write_text("split:\n  seed: 7\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["data", "prepare", "--out", str(tmp_path / "o"), "--show-config", "--config", str(cfg),
                                   "--set", "augment=3"])
    assert res.exit_code == 0, res.output
    assert "split.seed = 7" in res.stdout and "augment = 3" in res.stdout
    assert not (tmp_path / "o").exists()


READ_ONLY = [["keys", "list"], ["feedback", "export", "--format", "sft", "--out", "x.jsonl"], ["ab", "report"],
             ["annotate", "list"], ["annotate", "report", "--name", "c"],
             ["annotate", "export", "--name", "c", "--format", "rm", "--out", "x.jsonl"],
             ["users", "erasures"], ["store", "purge", "--retention-days", "1"]]


@pytest.mark.parametrize("argv", READ_ONLY, ids=[" ".join(a[:2]) for a in READ_ONLY])
def test_read_only_commands_refuse_a_database_that_does_not_exist(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "typo.db"
    res = CliRunner().invoke(app, [*argv, "--db", f"sqlite:///{db}", "--json"])
    assert res.exit_code == 2, res.output
    assert str(db) in json.loads(res.stdout.strip().splitlines()[-1])["error"]
    assert not db.exists() and not (tmp_path / "x.jsonl").exists()


@pytest.mark.parametrize("argv", [["registry", "list"], ["registry", "show", "m@1"]])
def test_read_only_registry_commands_refuse_a_registry_that_does_not_exist(argv, tmp_path):
    reg = tmp_path / "no-registry"
    res = CliRunner().invoke(app, [*argv, "--registry", str(reg), "--json"])
    assert res.exit_code == 2, res.output
    assert str(reg) in json.loads(res.stdout.strip().splitlines()[-1])["error"]
    assert not reg.exists()


def _bug_app():
    bugs = typer.Typer()

    @bugs.callback()
    def root(debug: bool = typer.Option(False, "--debug")) -> None:
        from chatforge.command import set_debug

        set_debug(debug)

    @command(bugs, "boom")
    def boom(cmd=None) -> None:
        {}["missing"]  # a bug, not a user error

    @command(bugs, "user")
    def user(cmd=None) -> None:
        from chatforge.errors import ConfigError

        raise ConfigError("--thing: not valid")

    return bugs


def test_a_bug_is_one_line_and_its_traceback_is_under_debug():
    bugs = _bug_app()
    res = CliRunner().invoke(bugs, ["boom", "--json"])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert "unexpected KeyError" in res.output and "--debug" in res.output and "Traceback" not in res.output
    assert json.loads(res.stdout.strip().splitlines()[-1])["ok"] is False
    res = CliRunner().invoke(bugs, ["--debug", "boom"])
    assert isinstance(res.exception, KeyError)  # raised: the traceback is printed
    res = CliRunner().invoke(bugs, ["user", "--json"])
    assert res.exit_code == 2 and json.loads(res.stdout.strip().splitlines()[-1])["error"] == "--thing: not valid"
