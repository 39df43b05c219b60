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
    for expected in (
        "data prepare",
        "train sft",
        "pretrain",
        "eval",
        "eval perplexity",
        "rag ask",
        "serve",
        "keys list",
        "registry show",
        "annotate report",
        "run",
        "users erasures",
    ):
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
    res = CliRunner().invoke(
        app,
        ["data", "prepare", "--out", str(tmp_path / "o"), "--show-config", "--config", str(cfg), "--set", "augment=3"],
    )
    assert res.exit_code == 0, res.output
    assert "split.seed = 7" in res.stdout and "augment = 3" in res.stdout
    assert not (tmp_path / "o").exists()


READ_ONLY = [
    ["keys", "list"],
    ["feedback", "export", "--format", "sft", "--out", "x.jsonl"],
    ["ab", "report"],
    ["annotate", "list"],
    ["annotate", "report", "--name", "c"],
    ["annotate", "export", "--name", "c", "--format", "rm", "--out", "x.jsonl"],
    ["users", "erasures"],
    ["store", "purge", "--retention-days", "1"],
]


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


# ---- one builder, typed results, docstrings ----------------------------------------------------------------------


def _strict(model, seen=()) -> list[str]:
    """Names of the models reachable from `model`'s fields that accept unknown fields (a summary could drift)."""
    import typing

    from pydantic import BaseModel

    if model in seen:
        return []
    bad = [] if model.model_config.get("extra") == "forbid" else [model.__name__]
    todo = [f.annotation for f in model.model_fields.values()]
    while todo:
        tp = todo.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            bad += _strict(tp, (*seen, model))
        todo += list(typing.get_args(tp))
    return bad


@pytest.mark.parametrize("path,cmd", LEAVES, ids=IDS)
def test_every_command_is_built_by_the_builder_with_a_typed_result_and_a_docstring(path, cmd):
    from chatforge.command import Result, result_type

    fn = cmd.callback
    assert hasattr(fn, "chatforge_result"), f"chatforge {' '.join(path)} is not built by chatforge.command"
    assert (fn.__doc__ or "").strip(), f"chatforge {' '.join(path)}: no docstring"
    if path == ("run",):  # its summary is the pipeline's state table, not a stage result
        return
    result = result_type(cmd)
    assert result is not None and issubclass(result, Result), f"chatforge {' '.join(path)} declares no result model"
    assert not _strict(result), f"{result.__name__}: these accept unknown fields: {_strict(result)}"
    assert (result.__doc__ or "").strip()


def _result_app():
    from chatforge.command import Result

    class Tiny(Result):
        """A summary with one count."""

        count: int

    app_ = typer.Typer()

    @app_.callback()
    def root() -> None:
        """Root."""

    @command(app_, "drift", result=Tiny)
    def drift(extra: bool = typer.Option(False, "--extra"), cmd=None) -> None:
        """Emit a summary, with a field the model does not declare when --extra."""
        cmd.emit({"ok": True, "count": 3, **({"renamed": 1} if extra else {})})

    @command(app_, "missing", result=Tiny)
    def missing(cmd=None) -> None:
        """Emit a summary without its declared count."""
        cmd.emit({"ok": True})

    return app_


def test_a_summary_that_drifts_from_its_result_model_fails_the_command():
    tiny = _result_app()
    ok = CliRunner().invoke(tiny, ["drift", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout.strip().splitlines()[-1]) == {"ok": True, "count": 3}
    for argv in (["drift", "--extra", "--json"], ["missing", "--json"]):
        res = CliRunner().invoke(tiny, argv)
        assert res.exit_code == 1, res.output  # a bug in the command, not a user error
        assert "unexpected ValidationError" in json.loads(res.stdout.strip().splitlines()[-1])["error"]


STAGE_API = {  # the functions the stage commands call: each has a docstring
    "data/prepare.py": ["prepare"],
    "train/sft.py": ["sft"],
    "train/search.py": ["search"],
    "train/reward.py": ["train_rm"],
    "train/dpo.py": ["dpo"],
    "train/kto.py": ["kto"],
    "train/rl.py": ["rl"],
    "train/pretrain.py": ["pretrain"],
    "models/export.py": ["export"],
    "models/inspect.py": ["inspect"],
    "models/memory.py": ["recommend"],
    "models/generate.py": ["stream", "chat_loop"],
    "models/perplexity.py": ["perplexity"],
    "rag/ingest.py": ["ingest"],
    "rag/retrieve.py": ["retrieve"],
    "rag/evaluate.py": ["evaluate"],
    "rag/answer.py": ["ask"],
    "rag/gate.py": ["fit_from_questions"],
    "eval/runner.py": ["evaluate"],
    "registry/versions.py": [
        "Registry.register",
        "Registry.promote",
        "Registry.set_gate",
        "Registry.resolve",
        "Registry.versions",
        "Registry.names",
        "Registry.get",
    ],
    "annotate/campaign.py": ["open_campaign", "generate_answers", "finalize", "assign", "add_reviewers"],
    "annotate/export.py": ["export"],
    "annotate/report.py": ["build_report", "write_report"],
    "annotate/erasure.py": ["erase_user", "erasures", "describe"],
    "pipeline/loop.py": ["plan", "run_loop"],
    "pipeline/spec.py": ["load_pipeline"],
    "serve/app.py": ["create_app"],
    "serve/feedback.py": ["export_report"],
    "serve/ab.py": ["report"],
    "store/retention.py": ["purge"],
    "store/opening.py": ["open_database"],
}


def _docstrings(path) -> dict[str, bool]:
    import ast

    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found[node.name] = bool(ast.get_docstring(node))
        if isinstance(node, ast.ClassDef):
            found.update(
                {
                    f"{node.name}.{f.name}": bool(ast.get_docstring(f))
                    for f in node.body
                    if isinstance(f, ast.FunctionDef)
                }
            )
    return found


def test_the_stage_entry_points_have_docstrings():
    from pathlib import Path

    import chatforge

    root = Path(chatforge.__file__).parent
    missing = []
    for module, names in STAGE_API.items():
        docs = _docstrings(root / module)
        missing += [f"{module}:{n}" for n in names if not docs.get(n)]
    for module in [*root.glob("*/commands.py"), *root.glob("*/*_commands.py"), *root.glob("*/results.py")]:
        missing += [
            f"{module.relative_to(root)}:{n}"
            for n, has in _docstrings(module).items()
            if not has and not any(part.startswith("_") for part in n.split("."))
        ]
    assert not missing, missing
