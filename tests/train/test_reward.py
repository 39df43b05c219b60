"""Reward model on a tiny Llama (CPU, seconds): learns a crafted preference, reports invalid items, resumes, CLI summary."""

import json
from pathlib import Path

import pytest
from transformers import TrainerCallback

from chatforge.models.reward import load_reward_model
from chatforge.train.preferences import read_preferences
from chatforge.train.reward import RMConfig, pairwise_accuracy, train_rm
from tests.train.marker_preferences import marker_ranked, write_rows

INVALID = Path(__file__).resolve().parents[2] / "examples" / "hirondelle-air" / "preferences" / "ranked_invalid.jsonl"


def fast(base: Path, **kw) -> RMConfig:
    values = dict(
        model=str(base),
        max_steps=48,
        learning_rate=5e-3,
        batch_size=8,
        eval_every=24,
        checkpoint_every=24,
        val_fraction=0.25,
        log_every=4,
        max_seq_len=64,
        mlflow=False,
    )
    return RMConfig(**{**values, **kw})


@pytest.fixture(scope="module", autouse=True)
def _threads(one_torch_thread):
    yield


@pytest.fixture(scope="module")
def ranked(tmp_path_factory) -> Path:
    """48 crafted rankings followed by the 6 invalid example items."""
    invalid = INVALID.read_text(encoding="utf-8").splitlines()
    return write_rows(tmp_path_factory.mktemp("rm") / "ranked.jsonl", marker_ranked(48) + invalid)


@pytest.fixture(scope="module")
def rm_run(pref_base, ranked, tmp_path_factory):
    out = tmp_path_factory.mktemp("rm") / "run"
    return out, train_rm(ranked, out, fast(pref_base, mlflow=True), progress=False)


def test_reward_model_learns_the_crafted_preference_on_held_out_prompts(rm_run):
    out, m = rm_run
    assert m["val_pairwise_accuracy"] >= 0.9 and m["val_pairwise_accuracy_before"] < 0.7
    assert m["train_pairwise_accuracy"] >= 0.9
    assert m["eval"]["eval_loss"] < m["eval_before"]["eval_loss"] - 0.2
    assert 0 < m["trainable_params"] < m["total_params"] / 2  # LoRA plus the score head
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["val_pairwise_accuracy"] == m["val_pairwise_accuracy"] and saved["versions"]["trl"]
    assert (out / "adapter_config.json").is_file() and (out / "config.yaml").is_file()


def test_invalid_items_are_reported_and_not_trained_on(rm_run):
    _, m = rm_run
    assert m["items"] == 54 and m["rejected"] == 6
    assert m["pairs"] == 24 * 3 + 24 * 1 == m["train_pairs"] + m["val_pairs"]  # 3-answer rankings: 3 pairs, 2: 1
    assert sorted(r["line"] for r in m["rejections"]) == list(range(49, 55))


def test_saved_reward_model_scores_like_the_trained_one(rm_run, ranked):
    out, m = rm_run
    model, tokenizer = load_reward_model(out)
    assert pairwise_accuracy(model, tokenizer, read_preferences(ranked).pairs, 64) >= 0.9


def test_eval_judge_is_the_trained_reward_model(rm_run, ranked):
    """`chatforge eval --judge RM_FOLDER` scores with the trained adapter and score head, as RL does."""
    from chatforge.eval.ab import RewardModelJudge
    from chatforge.models.reward import score

    out, _ = rm_run
    judge = RewardModelJudge(str(out), max_len=64)
    pairs = [p for p in read_preferences(ranked).pairs if len(p.prompt) == 1][:24]
    assert len(pairs) == 24
    chosen = [judge({"question": p.prompt[0]["content"]}, p.chosen[0]["content"]) for p in pairs]
    rejected = [judge({"question": p.prompt[0]["content"]}, p.rejected[0]["content"]) for p in pairs]
    assert sum(c > r for c, r in zip(chosen, rejected)) / len(pairs) >= 0.9
    model, tokenizer = load_reward_model(out)
    assert chosen == pytest.approx(
        score(model, tokenizer, [p.prompt for p in pairs], [p.chosen for p in pairs], max_len=64), abs=1e-4
    )


def test_eval_judge_scores_under_the_system_message_the_reward_model_trained_with(rm_run, ranked, tmp_path):
    import shutil

    import yaml

    from chatforge.eval.ab import RewardModelJudge
    from chatforge.models.reward import score

    out, _ = rm_run
    assert RewardModelJudge(str(out), max_len=64).system is None  # trained without one
    copy = shutil.copytree(out, tmp_path / "rm-system", ignore=shutil.ignore_patterns("checkpoints", "mlflow*"))
    config = yaml.safe_load((copy / "config.yaml").read_text()) | {"system": "Sois bref."}
    (copy / "config.yaml").write_text(yaml.safe_dump(config))
    judge = RewardModelJudge(str(copy), max_len=64)
    pairs = [p for p in read_preferences(ranked).pairs if len(p.prompt) == 1][:6]
    got = [judge({"question": p.prompt[0]["content"]}, p.chosen[0]["content"]) for p in pairs]
    system = [{"role": "system", "content": "Sois bref."}]
    model, tokenizer = load_reward_model(out)
    want = score(model, tokenizer, [system + p.prompt for p in pairs], [p.chosen for p in pairs], max_len=64)
    plain = score(model, tokenizer, [p.prompt for p in pairs], [p.chosen for p in pairs], max_len=64)
    assert got == pytest.approx(want, abs=1e-4) and got != pytest.approx(plain, abs=1e-4)


def test_mlflow_holds_the_held_out_accuracy(rm_run):
    from mlflow.tracking import MlflowClient

    out, m = rm_run
    client = MlflowClient(tracking_uri=m["paths"]["mlflow"])
    (run,) = client.search_runs([client.get_experiment_by_name("chatforge-rm").experiment_id])
    assert run.data.metrics["final_val_pairwise_accuracy"] == pytest.approx(m["val_pairwise_accuracy"])
    assert client.get_metric_history(run.info.run_id, "loss")


class Kill(TrainerCallback):
    def __init__(self, at: int):
        self.at = at

    def on_step_end(self, args, state, control, **kw):
        if state.global_step == self.at:
            raise KeyboardInterrupt


def test_resume_continues_from_the_last_complete_checkpoint(pref_base, ranked, tmp_path):
    cfg = fast(pref_base, max_steps=8, checkpoint_every=4, eval_every=4, log_every=1)
    full = train_rm(ranked, tmp_path / "full", cfg, progress=False)
    out = tmp_path / "killed"
    with pytest.raises(KeyboardInterrupt):
        train_rm(ranked, out, cfg, progress=False, callbacks=[Kill(6)])
    resumed = train_rm(ranked, out, cfg, resume=True, progress=False)
    assert resumed["resumed_from"] == "checkpoint-4" and resumed["steps"] == 8
    assert resumed["train_loss"] == pytest.approx(full["train_loss"], abs=1e-4)


def test_cli_train_rm_prints_a_json_summary(pref_base, ranked, tmp_path):
    from typer.testing import CliRunner

    from chatforge.cli import app

    runner = CliRunner()
    args = [
        "train",
        "rm",
        "--model",
        str(pref_base),
        "--data",
        str(ranked),
        "--out",
        str(tmp_path / "cli"),
        "--max-steps",
        "2",
        "--set",
        "mlflow=false",
        "--set",
        "max_seq_len=64",
        "--json",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout.strip().splitlines()[-1])
    assert s["ok"] and s["steps"] == 2 and s["rejected"] == 6
    assert {"val_pairwise_accuracy", "val_pairwise_accuracy_before", "train_pairs", "val_pairs", "paths"} <= set(s)
    res = runner.invoke(
        app,
        ["train", "rm", "--model", str(pref_base), "--data", str(INVALID), "--out", str(tmp_path / "bad"), "--json"],
    )
    assert (
        res.exit_code == 2
        and "0 valid pairs (6 items rejected)" in json.loads(res.stdout.strip().splitlines()[-1])["error"]
    )
