"""`${stage.summary.a.b}` references are checked against the typed result of the stage's command when the pipeline
file is validated (chatforge/pipeline/spec.py): a field the result does not declare is refused before anything runs,
naming the stage, the reference and the fields there are. The example pipelines validate under every profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer.main
import yaml
from typer.testing import CliRunner

from chatforge.cli import app
from chatforge.errors import ConfigError
from chatforge.pipeline.spec import load_pipeline, summary_problem
from chatforge.train.results import SFTResult

COMMANDS = typer.main.get_command(app)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*/pipeline*.yaml"))


def _pipeline(tmp_path: Path, ref: str) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "refs",
                "out": str(tmp_path / "out"),
                "stages": {
                    "sft": {"uses": "train sft", "with": {"data": "d", "out": "o"}},
                    "ev": {"uses": "eval", "with": {"model": ["${sft.out}"], "testset": "t.jsonl", "out": "e"}},
                    "rm": {"uses": "train rm", "with": {"data": "d", "out": "r", "model": ref}},
                },
            }
        ),
        encoding="utf-8",
    )
    return path


def test_run_dry_run_refuses_a_summary_field_the_result_does_not_declare(tmp_path):
    res = CliRunner().invoke(app, ["run", str(_pipeline(tmp_path, "${sft.summary.nope}")), "--dry-run", "--json"])
    assert res.exit_code == 2, res.output
    error = json.loads(res.stdout.strip().splitlines()[-1])["error"]
    assert error.startswith(
        "stage rm: with.model: ${sft.summary.nope}: the summary of stage sft (`chatforge train sft`)"
    )
    assert "has no field 'nope'" in error and "eval_loss" in error and "general_perplexity" in error  # the known fields
    assert not (tmp_path / "out").exists()  # nothing ran


@pytest.mark.parametrize(
    "ref,problem",
    [
        (
            "${sft.summary.general_perplexity.after.x}",
            "summary.general_perplexity.after is a float: it has no field 'x'",
        ),
        ("${sft.summary.paths.nope}", "summary.paths (TrainPaths) has no field 'nope'"),
        ("${ev.summary.paths.report_jsn}", "summary.paths (EvalPaths) has no field 'report_jsn' (fields: report_json,"),
    ],
)
def test_nested_fields_are_checked_as_deep_as_the_type_is_known(tmp_path, ref, problem):
    with pytest.raises(ConfigError) as err:
        load_pipeline(_pipeline(tmp_path, ref), commands=COMMANDS)
    assert problem in str(err.value)


@pytest.mark.parametrize(
    "ref",
    [
        "${sft.summary.paths.model}",
        "${sft.summary.general_perplexity.after}",
        "${ev.summary.metrics.sft.token_f1}",
        "${ev.summary.paths.report_json}",
        "${sft.summary}",
    ],
)
def test_declared_fields_and_free_mapping_keys_pass(tmp_path, ref):
    pipeline = load_pipeline(_pipeline(tmp_path, ref), commands=COMMANDS)
    assert pipeline.stages["rm"].needs == [ref[2:].split(".")[0]]


def test_summary_problem_walks_optional_models_and_mappings():
    assert summary_problem(SFTResult, "replay.ratio") is None  # Replay | None
    assert "has no field 'rate'" in summary_problem(SFTResult, "replay.rate")
    assert summary_problem(SFTResult, "general_perplexity.before") is None
    assert "is a str" in summary_problem(SFTResult, "method.x")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_every_example_pipeline_validates_under_every_profile(path):
    profiles = [None, *((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("profiles") or {})]
    for profile in profiles:
        pipeline = load_pipeline(path, profile, commands=COMMANDS)
        assert pipeline.order, profile
        # every summary the example references comes from a command that declares its result
        for stage in pipeline.stages.values():
            for value in [*stage.spec.args, *stage.spec.with_.values()]:
                for ref in [r for r in json.dumps(value).split("${")[1:] if ".summary." in r.split("}")[0]]:
                    head = ref.split(".")[0]
                    assert pipeline.stages[head].command.callback.chatforge_result is not None, (profile, ref)
