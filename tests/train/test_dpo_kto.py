"""DPO and KTO on a tiny Llama (CPU, seconds): the policy moves towards the preferred answers, from an SFT adapter too."""

import json
from pathlib import Path

import pytest

from chatforge.train.dpo import DPOConfig, dpo
from chatforge.train.kto import KTOConfig, kto
from tests.train.marker_preferences import marker_ranked, marker_thumbs, write_rows

INVALID = Path(__file__).resolve().parents[2] / "examples" / "hirondelle-air" / "preferences" / "ranked_invalid.jsonl"
FAST = dict(
    learning_rate=5e-3, batch_size=4, eval_every=6, checkpoint_every=6, log_every=2, max_seq_len=64, mlflow=False
)


@pytest.fixture(scope="module", autouse=True)
def _threads(one_torch_thread):
    yield


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("prefs")
    invalid = INVALID.read_text(encoding="utf-8").splitlines()
    return {
        "ranked": write_rows(folder / "ranked.jsonl", marker_ranked(24) + invalid),
        "thumbs": write_rows(folder / "thumbs.jsonl", marker_thumbs(32) + invalid[:1]),
    }


@pytest.fixture(scope="module")
def dpo_run(pref_base, files, tmp_path_factory):
    out = tmp_path_factory.mktemp("dpo") / "run"
    return out, dpo(files["ranked"], out, DPOConfig(model=str(pref_base), max_steps=12, **FAST), progress=False)


def test_dpo_raises_the_chosen_over_rejected_log_prob_margin(dpo_run):
    out, m = dpo_run
    assert m["logp_margin"]["train"] > m["logp_margin_before"]["train"] + 0.5
    assert m["logp_margin"]["val"] > m["logp_margin_before"]["val"]  # held-out prompts move too
    assert m["eval"]["eval_rewards/accuracies"] > 0.5 and m["eval"]["eval_loss"] < m["eval_before"]["eval_loss"]
    assert m["beta"] == 0.1 and m["rejected"] == 6 and m["pairs"] == 12 * 3 + 12 == m["train_pairs"] + m["val_pairs"]
    assert (out / "adapter_config.json").is_file()
    assert json.loads((out / "metrics.json").read_text())["logp_margin"] == m["logp_margin"]


def test_dpo_starts_from_an_sft_adapter_that_is_its_reference(files, dpo_run, tmp_path):
    # the first run's adapter stands in for an SFT adapter: merged, it is where the next run starts and its reference
    first_out, first = dpo_run
    m = dpo(files["ranked"], tmp_path / "dpo2", DPOConfig(model=str(first_out), max_steps=2, **FAST), progress=False)
    assert m["logp_margin_before"]["train"] == pytest.approx(first["logp_margin"]["train"], abs=1e-3)
    assert m["logp_margin_before"]["val"] == pytest.approx(first["logp_margin"]["val"], abs=1e-3)
    assert m["eval_before"]["eval_rewards/margins"] == pytest.approx(0, abs=1e-5)  # policy == reference at step 0


def test_kto_moves_desirable_up_and_undesirable_down(pref_base, files, tmp_path):
    m = kto(files["thumbs"], tmp_path / "kto", KTOConfig(model=str(pref_base), max_steps=12, **FAST), progress=False)
    for part in ("train", "val"):
        shift = m["logp_shift"][part]
        assert shift["desirable"] > 0.2 and shift["undesirable"] < shift["desirable"] - 0.5
    assert m["eval"]["eval_rewards/margins"] > m["eval_before"]["eval_rewards/margins"]
    assert m["rejected"] == 1 and m["examples"] == 32 and m["desirable"] == 16


def test_kto_refuses_a_batch_of_one(pref_base, files, tmp_path):
    with pytest.raises(ValueError, match="batch_size >= 2"):
        kto(
            files["thumbs"],
            tmp_path / "k1",
            KTOConfig(model=str(pref_base), **{**FAST, "batch_size": 1}),
            progress=False,
        )


def test_cli_dpo_and_kto_print_json_summaries(pref_base, files, tmp_path):
    from typer.testing import CliRunner

    from chatforge.cli import app
    from chatforge.train.results import DPOResult, KTOResult

    runner = CliRunner()
    last = lambda res: json.loads(res.stdout.strip().splitlines()[-1])  # noqa: E731
    common = [
        "--model",
        str(pref_base),
        "--max-steps",
        "2",
        "--beta",
        "0.2",
        "--set",
        "mlflow=false",
        "--set",
        "max_seq_len=64",
        "--json",
    ]
    res = runner.invoke(app, ["train", "dpo", "--data", str(files["ranked"]), "--out", str(tmp_path / "d")] + common)
    assert res.exit_code == 0, res.output
    s = last(res)
    assert s["ok"] and s["stage"] == "dpo" and s["beta"] == 0.2 and s["steps"] == 2
    assert {"logp_margin", "logp_margin_before", "eval", "rejected", "paths"} <= set(s)
    DPOResult.model_validate(s)  # the summary is what its typed result declares (train/results.py)
    res = runner.invoke(app, ["train", "kto", "--data", str(files["thumbs"]), "--out", str(tmp_path / "k")] + common)
    assert res.exit_code == 0, res.output
    s = last(res)
    assert s["ok"] and s["stage"] == "kto" and {"logp_shift", "desirable", "examples"} <= set(s)
    KTOResult.model_validate(s)
