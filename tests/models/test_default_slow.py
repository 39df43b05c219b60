"""The real packaged default (Gemma 3 270M Q4_K_M): verified, dequantised once into the user cache, generating.

First run on a machine: ~70 s (assemble, SHA-256, convert); afterwards ~10 s.
"""

import pytest


@pytest.mark.slow
def test_default_model_loads_and_generates():
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model, resolve

    res = resolve("default")
    assert res.kind == "default" and res.gguf.name == "gemma-3-270m-q4_k_m.gguf"
    model, tok = load_model("default")
    assert model.config.model_type == "gemma3_text"
    assert sum(p.numel() for p in model.parameters()) == 268_098_176
    ids = tok.apply_chat_template([{"role": "user", "content": "Bonjour"}], add_generation_prompt=True)
    if isinstance(ids, dict) or hasattr(ids, "keys"):
        ids = ids["input_ids"]
    assert ids[:2] == [tok.bos_token_id, tok.convert_tokens_to_ids("<start_of_turn>")]
    stats: dict = {}
    text = "".join(stream(model, tok, prompt="The capital of France is", max_new_tokens=8, stats=stats))
    assert stats["new_tokens"] == 8 and ("Paris" in text or "capital" in text)
