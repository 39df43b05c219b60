"""RL (GRPO against a reward) on a tiny Llama (CPU, seconds): the reward rises, KL is logged and bounded, resume, CLI."""

import json
from pathlib import Path

import pytest
from transformers import TrainerCallback

from chatforge.train.rl import RLConfig, rl
from tests.train.marker_preferences import marker_ranked, write_rows

# The untrained tiny model samples tokens almost uniformly; full fine-tuning at a high rate
# moves it within tens of steps (LoRA, the default, needs more on a random base).
FAST = dict(
    method="full",
    learning_rate=3e-2,
    batch_size=2,
    num_generations=4,
    max_completion_length=8,
    eval_every=100,
    checkpoint_every=100,
    log_every=1,
    mlflow=False,
    kl_coef=0.05,
)


def low_ids(prompts, completions, completion_ids, **kwargs) -> list[float]:
    """Crafted reward: share of sampled tokens from the lower half of the vocabulary (ids < 192 of 384)."""
    return [sum(i < 192 for i in ids) / max(len(ids), 1) for ids in completion_ids]


@pytest.fixture(scope="module", autouse=True)
def _threads(one_torch_thread):
    yield


@pytest.fixture(scope="module")
def prompts(tmp_path_factory) -> Path:
    return write_rows(tmp_path_factory.mktemp("rl") / "ranked.jsonl", marker_ranked(24))


def test_rl_raises_the_mean_reward_and_logs_kl_entropy_length(pref_base, prompts, tmp_path):
    out = tmp_path / "rl"
    m = rl(
        prompts,
        out,
        RLConfig(model=str(pref_base), max_steps=30, max_kl=5.0, **FAST),
        reward_fn=low_ids,
        progress=False,
    )
    r = m["series"]["reward"]
    assert m["steps"] == 30 and len(r) == 30
    assert sum(r[-5:]) / 5 > sum(r[:5]) / 5 + 0.15  # about 0.5 (chance) -> 0.8
    assert len(m["series"]["kl"]) == len(m["series"]["entropy"]) == len(m["series"]["completions/mean_length"]) == 30
    assert 0 < m["kl_max"] <= 5.0 and m["kl_exceeded_at"] is None
    assert Path(m["plot"]).is_file() and (out / "metrics.json").is_file()


def test_rl_stops_when_kl_passes_its_bound(pref_base, prompts, tmp_path):
    m = rl(
        prompts,
        tmp_path / "rl",
        RLConfig(model=str(pref_base), max_steps=30, max_kl=0.05, **FAST),
        reward_fn=low_ids,
        progress=False,
    )
    assert m["kl_exceeded_at"] is not None and m["steps"] == m["kl_exceeded_at"] < 30
    assert m["series"]["kl"][-1] > 0.05 and all(k <= 0.05 for k in m["series"]["kl"][:-1])
    warn = rl(
        prompts,
        tmp_path / "warn",
        RLConfig(model=str(pref_base), max_steps=12, max_kl=0.05, on_kl_exceeded="warn", **FAST),
        reward_fn=low_ids,
        progress=False,
    )
    assert warn["steps"] == 12 and warn["kl_exceeded_at"] is not None


def test_overlong_penalty_is_added_to_the_reward_with_its_weight(pref_base, prompts, tmp_path):
    """With the punishment starting at length 0 (cache = max length) it is -length/8 for every answer, so with a
    zero reward and weight 0.5 the logged reward of a step is exactly -0.5 x its mean answer length / 8."""
    cfg = RLConfig(
        model=str(pref_base),
        max_steps=3,
        overlong_penalty=0.5,
        **{**FAST, "max_completion_length": 8},
        overlong_cache=8,
    )
    m = rl(
        prompts,
        tmp_path / "rl",
        cfg,
        reward_fn=lambda completion_ids, **kw: [0.0] * len(completion_ids),
        progress=False,
    )
    rewards, lengths = m["series"]["reward"], m["series"]["completions/mean_length"]
    assert len(rewards) == len(lengths) == 3
    assert rewards == pytest.approx([-0.5 * n / 8 for n in lengths], abs=1e-6)
    assert all(0 <= c <= 1 for c in m["series"]["completions/clipped_ratio"])
    off = rl(
        prompts,
        tmp_path / "off",
        RLConfig(model=str(pref_base), max_steps=1, **FAST),
        reward_fn=lambda completion_ids, **kw: [0.0] * len(completion_ids),
        progress=False,
    )
    assert off["series"]["reward"] == [0.0]


def test_references_are_the_best_known_answer_of_each_prompt(tmp_path):
    from chatforge.train.preferences import read_preferences
    from chatforge.train.rl import references

    rows = [
        {"prompt": "q1", "answers": ["best", "mid", "worst"]},
        {"prompt": "q2", "chosen": "yes", "rejected": "no"},
        {"prompt": "q2", "chosen": "maybe", "rejected": "yes"},  # "yes" is rejected once: "maybe" is the best
        {"prompt": "q3", "answer": "bad", "label": False},
        {"prompt": "q3", "answer": "good", "label": True},
        {"prompt": "q4", "answer": "bad", "label": False},
    ]
    best = references(read_preferences(write_rows(tmp_path / "p.jsonl", rows)))
    user = lambda q: json.dumps([{"role": "user", "content": q}])  # noqa: E731
    assert best == {user("q1"): "best", user("q2"): "maybe", user("q3"): "good"}


def test_reference_reward_is_the_token_f1_to_the_best_answer_with_its_weight(pref_base, prompts, tmp_path):
    """With a zero reward model, a step's logged reward is 2 x the mean token F1 of its sampled answers to the
    first-ranked answers their reward function received, and those are the prompts' first-ranked answers. The
    policy samples under the configured system message; the reward model gets the prompt as its own training
    had it (here, a Python reward: as in the file)."""
    from chatforge.text_metrics import token_f1

    ranked = {json.dumps([{"role": "user", "content": r["prompt"]}]): r["answers"][0] for r in marker_ranked(24)}
    seen = []

    system = {"role": "system", "content": "Tu es l'assistant de la compagnie."}

    def zero(prompts, completions, reference, judge_prompt, **kw):
        assert all(p[0] == system and p[1:] == j for p, j in zip(prompts, judge_prompt))
        seen.append([(json.dumps(j), c[-1]["content"], r) for j, c, r in zip(judge_prompt, completions, reference)])
        return [0.0] * len(completions)

    cfg = RLConfig(
        model=str(pref_base),
        max_steps=2,
        reference_reward=2.0,
        system=system["content"],
        **{**FAST, "max_completion_length": 24},
    )
    m = rl(prompts, tmp_path / "rl", cfg, reward_fn=zero, progress=False)
    evals = -(-m["val_prompts"] * 4 // 8)  # reward calls of each evaluation (before and after training): 8 answers each
    assert len(seen) == 2 + 2 * evals
    steps = seen[evals : evals + 2]
    assert all(ranked[p] == r for step in steps for p, _, r in step)
    f1 = [sum(token_f1(c, r) for _, c, r in step) / len(step) for step in steps]
    assert max(f1) > 0  # some sampled words are in the answers: the check below is not 0 == 2 x 0
    assert m["series"]["rewards/reference_f1/mean"] == pytest.approx(f1, abs=1e-6)
    assert m["series"]["reward"] == pytest.approx([2 * x for x in f1], abs=1e-6)


class Kill(TrainerCallback):
    def on_step_end(self, args, state, control, **kw):
        if state.global_step == 3:
            raise KeyboardInterrupt


def test_rl_resumes_from_the_last_complete_checkpoint(pref_base, prompts, tmp_path):
    cfg = RLConfig(model=str(pref_base), max_steps=4, max_kl=5.0, **{**FAST, "checkpoint_every": 2})
    with pytest.raises(KeyboardInterrupt):
        rl(prompts, tmp_path / "k", cfg, reward_fn=low_ids, progress=False, callbacks=[Kill()])
    m = rl(prompts, tmp_path / "k", cfg, reward_fn=low_ids, resume=True, progress=False)
    assert m["resumed_from"] == "checkpoint-2" and m["steps"] == 4


def test_cli_rl_against_a_trained_reward_model(pref_base, prompts, tmp_path):
    from typer.testing import CliRunner

    from chatforge.cli import app
    from chatforge.train.results import RLResult, RMResult

    runner = CliRunner()
    last = lambda res: json.loads(res.stdout.strip().splitlines()[-1])  # noqa: E731
    res = runner.invoke(
        app,
        [
            "train",
            "rm",
            "--model",
            str(pref_base),
            "--data",
            str(prompts),
            "--out",
            str(tmp_path / "rm"),
            "--max-steps",
            "2",
            "--set",
            "mlflow=false",
            "--set",
            "max_seq_len=64",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    RMResult.model_validate(last(res))  # the summary is what its typed result declares (train/results.py)
    args = [
        "train",
        "rl",
        "--model",
        str(pref_base),
        "--data",
        str(prompts),
        "--out",
        str(tmp_path / "rl"),
        "--max-steps",
        "2",
        "--kl-coef",
        "0.1",
        "--set",
        "mlflow=false",
        "--set",
        "max_completion_length=8",
        "--set",
        "batch_size=2",
        "--json",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "--reward-model" in last(res)["error"]
    res = runner.invoke(app, args + ["--reward-model", str(tmp_path / "rm")])
    assert res.exit_code == 0, res.output
    s = last(res)
    assert s["ok"] and s["stage"] == "rl" and s["steps"] == 2 and s["kl_coef"] == 0.1
    assert len(s["series"]["reward"]) == 2 and s["plot"] and {"kl_max", "reward_first", "reward_last"} <= set(s)
    RLResult.model_validate(s)
