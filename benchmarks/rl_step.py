"""Benchmark: seconds per RL step, split into generation, scoring and update: `chatforge train rl` vs plain TRL.

    python benchmarks/rl_step.py [--steps 6] [--completion 32] [--repeats 3]

Same tiny setup for both, in one process: a tiny Llama policy, a tiny reward model
(sequence-classification head), 24 prompts, `--steps` GRPO steps of 2 prompts x 4
answers. chatforge is `rl()` as the CLI runs it (LoRA, KL penalty 0.05 to the reference
so one more forward per step, the reward scored through our chat-template scorer,
checkpoints and metrics). The baseline is `GRPOTrainer` given the model and reward
model paths with TRL's defaults (full fine-tuning, beta 0: no reference forward) and
the same batch, group size and answer length. The split comes from timing TRL's own
`_generate` and `_calculate_rewards`; update = the rest of the training step (reference
and old log-probs, loss, backward; the optimizer step, outside `training_step`, is not
counted), generation and scoring during evaluation are not counted. Ratio = chatforge / baseline seconds per
step. The two run in turn, `--repeats` times each. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

TIMES: dict[str, float] = defaultdict(float)
IN_STEP = [False]  # count generation and scoring inside training steps only, not in evaluation


def _timed(name: str, fn):
    def wrapper(*args, **kwargs):
        outer = name == "step"
        if outer:
            IN_STEP[0] = True
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            if outer or IN_STEP[0]:
                TIMES[name] += time.perf_counter() - t0
            if outer:
                IN_STEP[0] = False

    return wrapper


def _instrument() -> None:
    from trl import GRPOTrainer

    GRPOTrainer._generate = _timed("generate", GRPOTrainer._generate)
    GRPOTrainer._calculate_rewards = _timed("score", GRPOTrainer._calculate_rewards)
    GRPOTrainer.training_step = _timed("step", GRPOTrainer.training_step)


def _split(steps: int) -> dict:
    step = TIMES["step"] / steps
    gen, score = TIMES["generate"] / steps, TIMES["score"] / steps
    return {
        "s_per_step": round(step, 4),
        "generate": round(gen, 4),
        "score": round(score, 4),
        "update": round(step - gen - score, 4),
        "generate_share": round(gen / step, 3) if step else None,
    }


def _setup(root: Path) -> tuple[Path, Path, Path]:
    from transformers import AutoModelForSequenceClassification

    from chatforge.models.load import load_tokenizer
    from chatforge.models.tiny import SAMPLE_TEXT, build_tiny_model

    prompts = [
        {
            "prompt": f"Combien coute le vol {i} pour Nice ?",
            "answers": [f"Le vol {i} merci coute 20 euros.", f"Le vol {i} coute 20 euros."],
        }
        for i in range(24)
    ]
    data = root / "prompts.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in prompts), encoding="utf-8")
    policy = build_tiny_model(root / "policy", [SAMPLE_TEXT] * 20, n_layer=2, n_embd=64, n_head=4, context_length=256)
    rm = root / "rm"
    head = AutoModelForSequenceClassification.from_pretrained(policy, num_labels=1)
    tokenizer = load_tokenizer(policy)
    head.config.pad_token_id = tokenizer.pad_token_id
    head.save_pretrained(rm)
    tokenizer.save_pretrained(rm)
    return data, policy, rm


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--completion", type=int, default=32, help="max_completion_length (tokens)")
    add_repeats(parser)
    a = parser.parse_args()

    import torch
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    from chatforge.models.load import load_tokenizer
    from chatforge.train.rl import RLConfig, rl

    torch.set_num_threads(1)  # tiny matrices: one thread is faster on shared cores
    _instrument()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data, policy, rm = _setup(root)
        cfg = RLConfig(
            model=str(policy),
            reward_model=str(rm),
            max_steps=a.steps,
            batch_size=2,
            num_generations=4,
            max_completion_length=a.completion,
            eval_every=10_000,
            checkpoint_every=10_000,
            mlflow=False,
        )
        tokenizer = load_tokenizer(policy)  # same chat template as ours
        prompts = [
            {"prompt": [{"role": "user", "content": json.loads(line)["prompt"]}]}
            for line in data.read_text(encoding="utf-8").splitlines()
        ]

        def ours() -> dict:
            TIMES.clear()
            rl(data, Path(tempfile.mkdtemp(dir=root, prefix="ours-")), cfg, progress=False)
            return _split(a.steps)

        def trl() -> dict:
            TIMES.clear()
            args = GRPOConfig(
                output_dir=tempfile.mkdtemp(dir=root, prefix="trl-"),
                max_steps=a.steps,
                per_device_train_batch_size=8,
                num_generations=4,
                max_completion_length=a.completion,
                report_to=[],
                use_cpu=True,
                save_strategy="no",
                disable_tqdm=True,
            )
            GRPOTrainer(
                model=str(policy),
                reward_funcs=str(rm),
                args=args,
                processing_class=tokenizer,
                train_dataset=Dataset.from_list(prompts),
            ).train()
            return _split(a.steps)

        runs = interleave({"chatforge": ours, "trl": trl}, a.repeats)
    emit(
        summary(
            "rl_step",
            "seconds_per_step",
            runs,
            value="s_per_step",
            baseline="trl",
            baseline_is="plain TRL GRPOTrainer with its defaults (full fine-tuning, beta 0: no reference forward, "
            "its fastest setting), same batch, group size and answer length",
            ratio_is="chatforge / TRL seconds per step (lower is better)",
            setup={
                "steps": a.steps,
                "prompts_per_step": 2,
                "num_generations": 4,
                "max_completion_length": a.completion,
            },
        )
    )


if __name__ == "__main__":
    main()
