"""LoRA SFT on the packaged default model (Gemma 3 270M) for a few steps on the example FAQ: slow, CPU."""

import json
from pathlib import Path

import pytest

from chatforge.train.sft import SFTConfig, sft

FAQ = Path(__file__).resolve().parents[2] / "examples" / "hirondelle-air" / "faq.jsonl"


@pytest.mark.slow
def test_lora_on_the_default_model_lowers_validation_loss(tmp_path: Path):
    rows = [json.loads(line) for line in FAQ.read_text(encoding="utf-8").splitlines()[:24]]
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.jsonl").write_text(
        "\n".join(json.dumps({"messages": r["messages"]}) for r in rows[:20]), encoding="utf-8"
    )
    (data / "val.jsonl").write_text(
        "\n".join(json.dumps({"messages": r["messages"]}) for r in rows[20:]), encoding="utf-8"
    )
    cfg = SFTConfig(
        model="default",
        method="lora",
        max_steps=4,
        batch_size=4,
        learning_rate=1e-3,
        max_seq_len=192,
        eval_every=4,
        checkpoint_every=100,
        log_every=1,
        mlflow=False,
    )
    m = sft(data, tmp_path / "run", cfg, progress=False)
    assert m["eval_loss"] < m["eval_loss_before"]
    assert m["trainable_params"] < m["total_params"] / 50  # adapters only
    assert (tmp_path / "run" / "adapter_config.json").is_file()
