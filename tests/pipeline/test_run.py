"""`chatforge run`: the example pipeline's tiny profile end to end through the CLI (killed once mid-SFT and
resumed), caching, the --force plan, the serve stage with its key, and validation errors naming stage and field."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import typer.main
import yaml

from chatforge.cli import app
from chatforge.errors import ConfigError
from chatforge.pipeline.spec import load_pipeline

COMMANDS = typer.main.get_command(app)  # what `chatforge run` checks stages against

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "examples" / "hirondelle-air" / "pipeline.yaml"
TRAINING = [
    "prepare",
    "pretrain",
    "ingest",
    "reader",
    "sft",
    "rm",
    "dpo",
    "rl",
    "export",
    "export_rl",
    "eval",
    "align",
    "register",
    "promote",
]
BEFORE_SFT = 4  # prepare, pretrain, ingest and reader finish before SFT starts


def run(*args: str, timeout: float = 600) -> tuple[subprocess.CompletedProcess, dict | None]:
    proc = subprocess.run(
        [sys.executable, "-m", "chatforge.cli", "run", str(PIPELINE), "--profile", "tiny", "--plain", "--json", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return proc, (json.loads(lines[-1]) if lines else None)


def recorded(out: Path, stage: str) -> dict:
    return json.loads((out / ".pipeline" / f"{stage}.json").read_text(encoding="utf-8"))["summary"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[Path, dict, float, dict]:
    """One tiny run shared by the tests, killed (SIGKILL, runner and stage at once, as a power cut would) while
    SFT trains, after its first committed checkpoint, then run again to the end: what the kill left is returned."""
    out = tmp_path_factory.mktemp("pipeline") / "run"
    cmd = [
        sys.executable,
        "-m",
        "chatforge.cli",
        "run",
        str(PIPELINE),
        "--profile",
        "tiny",
        "--plain",
        "--until",
        "promote",
        "--out",
        str(out),
    ]
    t0 = time.time()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    first = out / "sft" / "checkpoints" / "checkpoint-2" / "COMMITTED"
    try:
        while not first.exists() and proc.poll() is None and time.time() - t0 < 900:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        err = proc.stderr.read()
        proc.wait()
    assert first.exists(), f"sft wrote no checkpoint before the run ended:\n{err[-3000:]}"
    killed = {
        "sft_running": (out / ".pipeline" / "sft.running").exists(),
        "sft_recorded": (out / ".pipeline" / "sft.json").exists(),
        "before": {n: (out / ".pipeline" / f"{n}.json").exists() for n in ("prepare", "pretrain")},
    }
    proc, summary = run("--until", "promote", "--out", str(out))
    assert proc.returncode == 0, proc.stderr[-4000:]
    return out, summary, time.time() - t0, killed


def test_tiny_profile_end_to_end(tiny_run):
    out, summary, _, _ = tiny_run
    states = {n: s["state"] for n, s in summary["stages"].items()}
    assert {states[n] for n in TRAINING[:BEFORE_SFT]} == {"cached"}  # finished before the kill
    assert all(states[n] == "done" for n in TRAINING[BEFORE_SFT:]), states
    assert states["key"] == states["serve"] == "not selected"  # --until promote: nothing blocks
    # the pretrained model learned the domain text, SFT lowered the held-out loss
    pre = recorded(out, "pretrain")
    assert pre["val_perplexity"] < pre["initial_val_perplexity"]
    sft = recorded(out, "sft")
    assert sft["eval_loss"] < sft["eval_loss_before"]
    assert (out / "sft" / "config.json").is_file() and (out / "model" / "config.json").is_file()
    # the stage reported its own progress (for the live view) although it ran with --json
    progress = [json.loads(line) for line in (out / ".pipeline" / "sft.progress").read_text().splitlines()]
    assert progress[-1]["completed"] == progress[-1]["total"] == 8
    # stages read each other's outputs by reference: SFT started from the pretrained model, eval compared both
    assert sft["model"] == str(out / "pretrain")
    # SFT trained the reader: the prepared conversations in the grounded prompt eval and serve use
    reader = recorded(out, "reader")
    argv = json.loads((out / ".pipeline" / "sft.json").read_text(encoding="utf-8"))["argv"]
    assert argv[argv.index("--data") + 1] == str(out / "reader")
    assert reader["kinds"]["train"]["grounded"] > 0 and reader["kinds"]["train"]["abstain_no_gold"] > 0
    report = json.loads((out / "eval" / "report.json").read_text(encoding="utf-8"))
    assert report["variants"] == ["pretrain", "pretrain+rag", "sft", "sft+rag", "model", "model+rag", "extractive+rag"]
    # asked under the training conversations' system prompt (vars.system_prompt), the grounded prompt in French
    assert report["config"]["system"].startswith("Tu es l'assistant virtuel d'Hirondelle Air")
    assert report["config"]["prompt"]["template"] == "grounded-fr-v1"
    assert report["ab"]["model"]["judge"] == "RewardModelJudge"  # the rm stage's reward model judged the A/B
    assert str(out / "eval" / "report.html") in summary["stages"]["eval"]["reports"]
    # RL ran from the SFT model against the reward model, KL logged each step; align judged DPO and RL against SFT
    rl = recorded(out, "rl")
    assert rl["model"] == str(out / "sft") and len(rl["series"]["kl"]) == 2
    # sampled under the serving system prompt, rewarded also by the token F1 to the first-ranked answers
    rl_config = yaml.safe_load((out / "rl" / "config.yaml").read_text(encoding="utf-8"))
    assert (
        rl_config["system"].startswith("Tu es l'assistant virtuel d'Hirondelle Air")
        and rl_config["reference_reward"] == 6
    )
    assert len(rl["series"]["rewards/reference_f1/mean"]) == 2
    align = json.loads((out / "align" / "report.json").read_text(encoding="utf-8"))
    assert align["variants"] == ["sft", "model", "model-rl"]
    assert {v: (a["baseline"], a["judge"]) for v, a in align["ab"].items()} == {
        "model": ("sft", "RewardModelJudge"),
        "model-rl": ("sft", "RewardModelJudge"),
    }
    # registered with the evaluation and promoted: the registry's production alias points at it
    show = subprocess.run(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "registry",
            "show",
            "hirondelle-air@production",
            "--registry",
            str(out / "registry"),
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert show.returncode == 0, show.stderr
    prod = json.loads(show.stdout.splitlines()[-1])
    assert prod["version"] == recorded(out, "register")["version"]
    assert recorded(out, "promote")["promoted"] is True


def test_second_run_is_all_cached(tiny_run):
    out, _, first_s, _ = tiny_run
    t0 = time.time()
    proc, summary = run("--until", "promote", "--out", str(out))
    took = time.time() - t0
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {summary["stages"][n]["state"] for n in TRAINING} == {"cached"}
    assert "inputs unchanged" in proc.stderr
    assert took < first_s / 3


def test_force_reruns_the_stage_and_its_dependants_only(tiny_run):
    out, _, _, _ = tiny_run
    proc, summary = run("--until", "promote", "--out", str(out), "--force", "sft", "--dry-run")
    assert proc.returncode == 0, proc.stderr[-3000:]
    would = {n for n, s in summary["stages"].items() if s["state"] == "would run"}
    assert would == {"sft", "rm", "dpo", "rl", "export", "export_rl", "eval", "align", "register", "promote"}
    assert {summary["stages"][n]["state"] for n in ("prepare", "pretrain", "ingest")} == {"cached"}


def test_from_takes_earlier_stages_as_recorded_and_reruns_the_rest(tiny_run):
    out, _, _, _ = tiny_run
    (out / "index").rename(out / "index.aside")  # --from trusts the record; a plain run notices and rebuilds
    try:
        proc, summary = run("--until", "promote", "--out", str(out), "--from", "eval", "--dry-run")
        assert proc.returncode == 0, proc.stderr[-3000:]
        states = {n: (s["state"], s["note"]) for n, s in summary["stages"].items() if n in TRAINING}
        assert states == {
            **{n: ("cached", "before --from eval") for n in TRAINING if n not in ("eval", "register", "promote")},
            "eval": ("would run", "forced"),
            "register": ("would run", "after eval"),
            "promote": ("would run", "after register"),
        }
        _, summary = run("--until", "ingest", "--out", str(out), "--dry-run")
        assert summary["stages"]["ingest"]["state"] == "would run"
    finally:
        (out / "index.aside").rename(out / "index")


def test_a_killed_run_resumes_the_training_stage_from_its_checkpoint(tiny_run):
    out, summary, _, killed = tiny_run
    # the kill left the finished stages recorded and the running one marked, not recorded
    assert killed == {"sft_running": True, "sft_recorded": False, "before": {"prepare": True, "pretrain": True}}
    stages = summary["stages"]
    assert stages["prepare"]["note"] == stages["pretrain"]["note"] == "inputs unchanged"
    assert stages["sft"]["note"].startswith("resumed from checkpoint-")
    sft = recorded(out, "sft")
    assert int(sft["resumed_from"].split("-")[1]) >= 2 and sft["steps"] == 8
    assert "--resume" in (out / ".pipeline" / "sft.log").read_text(encoding="utf-8")
    assert not list((out / ".pipeline").glob("*.running"))


def test_every_recorded_summary_validates_against_its_commands_result_model(tiny_run):
    from chatforge.command import result_type
    from chatforge.pipeline.spec import find_command

    out, summary, _, _ = tiny_run
    pipeline = load_pipeline(PIPELINE, "tiny", commands=COMMANDS)
    checked = []
    for name, state in summary["stages"].items():
        if state["state"] not in ("done", "cached"):
            continue
        result = result_type(find_command(COMMANDS, pipeline.stages[name].spec.uses))
        assert result is not None, name
        result.model_validate(recorded(out, name))  # a field renamed or added without its model fails here
        checked.append(result.__name__)
    assert {
        "PrepareResult",
        "PretrainResult",
        "SFTResult",
        "RMResult",
        "DPOResult",
        "RLResult",
        "ExportResult",
        "IngestResult",
        "EvalResult",
        "VersionResult",
        "PromoteResult",
    } <= set(checked), checked


def test_summary_table_lists_states_times_and_reports(tiny_run):
    from rich.console import Console

    from chatforge.pipeline.progress import stage_table
    from chatforge.pipeline.run import Runner

    out, _, _, _ = tiny_run
    runner = Runner(load_pipeline(PIPELINE, "tiny", commands=COMMANDS), out=out, until="promote")
    runner.run()  # everything cached: nothing runs
    console = Console(record=True, width=250)
    console.print(stage_table(runner, final=True))
    text = console.export_text()
    rows = {line.split("│")[1].strip(): line for line in text.splitlines() if line.count("│") > 4}
    assert "cached" in rows["sft"] and " s " in rows["sft"] and "not selected" in rows["serve"]
    assert str(out / "eval" / "report.html") in text and str(out / "sft" / "metrics.json") in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_pipeline_ends_serving_the_promoted_model_with_a_key(tiny_run, tmp_path):
    from openai import AuthenticationError, OpenAI

    out, _, _, _ = tiny_run
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "chatforge.cli",
        "run",
        str(PIPELINE),
        "--profile",
        "tiny",
        "--plain",
        "--json",
        "--out",
        str(out),
        "--set",
        f"stages.serve.with.port={port}",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    guard = threading.Timer(300, lambda: os.killpg(proc.pid, signal.SIGKILL))  # a hung server fails, not hangs
    guard.start()
    try:
        line = proc.stdout.readline()  # the run's summary, printed once the server is up
        summary = json.loads(line)
        assert summary["stages"]["serve"]["state"] == "serving"
        assert summary["stages"]["key"]["state"] == "done" and summary["stages"]["sft"]["state"] == "cached"
        recorded = json.loads((out / ".pipeline" / "key.json").read_text())["summary"]
        assert "key" not in recorded and recorded["key_file"] == str(out / "admin.key")
        key = (out / "admin.key").read_text().strip()  # the key lives in its 0600 file only
        assert (out / "admin.key").stat().st_mode & 0o077 == 0
        err = ""
        while "Ctrl-C stops the server" not in err:  # the banner is written before the summary line
            err += proc.stderr.readline()
        assert f"at http://127.0.0.1:{port}/" in err
        assert f"API key: in {out / 'admin.key'}" in err and key not in err
        with pytest.raises(AuthenticationError):
            OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="wrong", max_retries=0).models.list()
        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=key, max_retries=0)
        names = [m.id for m in client.models.list().data]
        assert any("hirondelle-air" in n for n in names), names
        reply = client.chat.completions.create(
            model=names[0], max_tokens=4, messages=[{"role": "user", "content": "Bagage cabine ?"}]
        )
        assert reply.choices[0].message.role == "assistant"
        proc.send_signal(signal.SIGINT)  # stops the server; the run ends cleanly
        assert proc.wait(timeout=60) == 0
    finally:
        guard.cancel()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def _write(tmp_path: Path, doc: dict) -> Path:
    p = tmp_path / "pipeline.yaml"
    p.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return p


def _base() -> dict:
    return {
        "name": "t",
        "stages": {
            "prepare": {"uses": "data prepare", "args": ["x.jsonl"], "with": {"out": "${out}/data"}},
            "sft": {"uses": "train sft", "with": {"data": "${prepare.out}", "out": "${out}/sft", "max-steps": 2}},
        },
    }


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["stages"]["sft"].update(uses="train sfx"), "stage sft: uses: `chatforge train sfx` is not"),
        (
            lambda d: d["stages"]["sft"]["with"].update(epoch=2),
            "stage sft: with.epoch: `chatforge train sft` has no option --epoch",
        ),
        (lambda d: d["stages"]["sft"]["with"].update(resume=True), "stage sft: with.resume: the runner resumes"),
        (
            lambda d: d["stages"]["sft"]["with"].update(data="${prep.out}"),
            "stage sft: with.data: ${prep.out}: no stage named 'prep'",
        ),
        (
            lambda d: d["stages"]["sft"]["with"].update(data="${prepare.data}"),
            "stage sft: with.data: ${prepare.data}: stage prepare sets no option 'data'",
        ),
        (lambda d: d["stages"]["prepare"].update(needs=["sft"]), "stages form a cycle"),
        (
            lambda d: d["stages"]["prepare"].update(enabled=False),
            "stage sft: with.data: ${prepare.out}: stage prepare is disabled",
        ),
        (lambda d: d["stages"]["sft"].update(bogus=1), "stages.sft.bogus: Extra inputs are not permitted"),
        (
            lambda d: d["stages"]["sft"]["with"].update(model=["a", "b"]),
            "stage sft: with.model: --model takes one value",
        ),
    ],
)
def test_invalid_pipelines_are_refused_naming_stage_and_field(tmp_path, change, message):
    doc = _base()
    change(doc)
    with pytest.raises(ConfigError) as exc:
        load_pipeline(_write(tmp_path, doc), commands=COMMANDS)
    assert message in str(exc.value)


def test_a_bad_file_exits_2_before_running_anything(tmp_path):
    doc = _base()
    doc["profiles"] = {"tiny": {"stages": {"sft": {"with": {"max-step": 1}}}}}
    file = _write(tmp_path, doc)
    load_pipeline(file, commands=COMMANDS)  # valid without the profile
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "run",
            str(file),
            "--profile",
            "tiny",
            "--json",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "stage sft: with.max-step" in json.loads(proc.stdout.splitlines()[-1])["error"]
    assert not (tmp_path / "out").exists()
    with pytest.raises(ConfigError, match="no profile 'huge'"):
        load_pipeline(file, "huge", commands=COMMANDS)
