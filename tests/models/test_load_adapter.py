"""An adapter folder from SFT loads directly: merged into its base once, cached, same outputs as base + adapter."""

from pathlib import Path

import torch

from chatforge.models.load import load_model, resolve


def _adapter(tiny_dir: Path, out: Path) -> Path:
    from peft import LoraConfig, PeftModel, get_peft_model  # noqa: F401
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(tiny_dir)
    # init_lora_weights=False: B is random, so the adapter really changes the outputs
    peft = get_peft_model(
        base, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    )
    peft.save_pretrained(out)
    AutoTokenizer.from_pretrained(tiny_dir).save_pretrained(out)
    (out / "config.yaml").write_text(f"model: {tiny_dir}\n", encoding="utf-8")
    return out


def test_adapter_folder_loads_merged_and_cached(tiny_dir: Path, tmp_path: Path, cache: Path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    adapter = _adapter(tiny_dir, tmp_path / "run")
    res = resolve(adapter)
    assert res.kind == "adapter" and Path(res.source).is_relative_to(cache)
    model, tok = load_model(adapter, device="cpu")
    ids = tok("bonjour le vol", return_tensors="pt")["input_ids"]
    reference = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_dir), adapter).eval()
    base = AutoModelForCausalLM.from_pretrained(tiny_dir).eval()
    with torch.no_grad():
        got, want, plain = model(ids).logits, reference(ids).logits, base(ids).logits
    assert torch.allclose(got, want, atol=1e-4)
    assert not torch.allclose(got, plain, atol=1e-3)  # the adapter is really applied
    stamp = (Path(res.source) / "model.safetensors").stat().st_mtime_ns
    assert resolve(adapter).source == res.source
    assert (Path(res.source) / "model.safetensors").stat().st_mtime_ns == stamp  # second load: no new merge
