"""The trainer arguments SFT and the preference stages take from their typed configs: seeds, schedule, batch, length,
checkpoint / evaluation / log cadence and device, the same for both, plus SFT's own."""

from __future__ import annotations

from pathlib import Path

from chatforge.train.preference_stage import PreferenceConfig
from chatforge.train.sft import SFTConfig, trl_config
from chatforge.train.trainer_run import trainer_args

SHARED = dict(
    seed=7,
    epochs=2.0,
    max_steps=5,
    batch_size=3,
    grad_accum=2,
    max_seq_len=256,
    scheduler="constant",
    warmup_steps=2,
    max_grad_norm=0.5,
    eval_every=4,
    checkpoint_every=6,
    log_every=3,
    gradient_checkpointing=True,
)
EXPECTED = dict(
    output_dir="ckpt",
    seed=7,
    data_seed=7,
    num_train_epochs=2.0,
    max_steps=5,
    per_device_train_batch_size=3,
    per_device_eval_batch_size=3,
    gradient_accumulation_steps=2,
    lr_scheduler_type="constant_with_warmup",  # constant after a warm-up
    warmup_steps=2,
    max_grad_norm=0.5,
    max_length=256,
    gradient_checkpointing=True,
    eval_strategy="steps",
    eval_steps=4,
    save_strategy="steps",
    save_steps=6,
    save_total_limit=None,  # our CommitCheckpoints keeps them
    logging_steps=3,
    logging_first_step=True,
    report_to=[],
    disable_tqdm=True,  # our progress callback shows it
    bf16=False,
    fp16=False,
    use_cpu=True,
    dataloader_num_workers=0,
)


def test_preference_stages_take_the_shared_arguments():
    args = trainer_args(PreferenceConfig(**SHARED), Path("ckpt"), on_cuda=False, lr=5e-7)
    assert args == {**EXPECTED, "learning_rate": 5e-7}
    given = trainer_args(
        PreferenceConfig(**{**SHARED, "scheduler": "cosine"}, learning_rate=1e-4), Path("ckpt"), False, 5e-7
    )
    assert given["learning_rate"] == 1e-4 and given["lr_scheduler_type"] == "cosine"


def test_sft_takes_the_same_and_its_own():
    args = trl_config(
        SFTConfig(**SHARED, method="lora", weight_decay=0.1, early_stopping_patience=2), Path("ckpt"), False
    )
    got = {k: getattr(args, k) for k in EXPECTED}
    assert {**got, "lr_scheduler_type": str(got["lr_scheduler_type"].value)} == EXPECTED
    assert args.learning_rate == 2e-4 and args.weight_decay == 0.1 and args.assistant_only_loss
    assert args.metric_for_best_model == "eval_loss" and args.greater_is_better is False
    full = trl_config(SFTConfig(**SHARED, method="full", packing=True), Path("ckpt"), False)
    assert full.learning_rate == 2e-5 and full.packing and full.metric_for_best_model is None
