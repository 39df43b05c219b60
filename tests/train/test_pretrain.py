import json
import math
from pathlib import Path

import pytest

from chatforge.train import checkpoint
from chatforge.train.corpus import CorpusError, read_texts, split_texts
from chatforge.train.pretrain import PretrainConfig, batch_indices, lr_factor, pretrain

CITIES = ["Nantes", "Lyon", "Nice", "Toulouse", "Brest", "Lille"]


def corpus(tmp_path: Path, n: int = 120) -> Path:
    rows = [
        {
            "text": f"Le vol {i} part de {CITIES[i % 6]} a {i % 24} h et arrive a {CITIES[(i + 1) % 6]}. "
            f"Le bagage en soute coute {20 + i % 5} euros.",
            "title": f"vol {i}",
            "source": "x.md",
        }
        for i in range(n)
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


TINY = dict(
    n_layer=2,
    n_embd=32,
    n_head=4,
    vocab_size=300,
    context_length=32,
    batch_size=4,
    warmup_steps=3,
    eval_every=5,
    eval_windows=8,
)


def test_pretraining_lowers_validation_perplexity_and_writes_a_loadable_folder(tmp_path: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    out = tmp_path / "run"
    m = pretrain([corpus(tmp_path)], out, PretrainConfig(max_steps=40, checkpoint_every=20, **TINY), progress=False)
    assert m["val_perplexity"] < m["initial_val_perplexity"] / 4
    assert m["history"][-1]["loss"] < m["history"][0]["loss"]
    assert sum("val_perplexity" in r for r in m["history"]) == 8
    model = AutoModelForCausalLM.from_pretrained(out)
    tok = AutoTokenizer.from_pretrained(out)
    assert model.config.num_hidden_layers == 2 and len(tok) == 300
    saved = json.loads((out / "metrics.json").read_text())
    assert saved["inputs"] and (out / "config.yaml").is_file()
    assert [p.name for p in checkpoint.complete(out / "checkpoints")] == ["step-00000020"]


def test_kill_mid_checkpoint_and_interrupt_then_resume_match_an_uninterrupted_run(tmp_path: Path, monkeypatch):
    data = corpus(tmp_path)
    cfg = PretrainConfig(max_steps=24, checkpoint_every=6, **TINY)
    full = pretrain([data], tmp_path / "full", cfg, progress=False)

    out = tmp_path / "killed"
    import torch

    calls = {"n": 0}
    original = torch.save

    def dying_save(obj, fh, *a, **k):  # the process "dies" half-way through writing the step-12 checkpoint
        calls["n"] += 1
        if calls["n"] == 2:
            fh.write(b"partial")
            raise KeyboardInterrupt
        return original(obj, fh, *a, **k)

    monkeypatch.setattr(torch, "save", dying_save)
    with pytest.raises(KeyboardInterrupt):
        pretrain([data], out, cfg, progress=False)
    monkeypatch.setattr(torch, "save", original)
    assert [p.name for p in checkpoint.complete(out / "checkpoints")] == ["step-00000006"]
    assert any(p.name.startswith(".tmp-") for p in (out / "checkpoints").iterdir())

    def interrupt(step, loss):  # then a Ctrl-C between checkpoints, after the resumed run passed step 12
        if step == 15:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        pretrain([data], out, cfg, resume=True, progress=False, on_step=interrupt)
    resumed = pretrain([data], out, cfg, resume=True, progress=False)
    assert resumed["resumed_from"] == "step-00000012"
    assert not any(p.name.startswith(".tmp-") for p in (out / "checkpoints").iterdir())
    assert abs(resumed["final_loss"] - full["final_loss"]) < 1e-4
    assert abs(resumed["val_loss"] - full["val_loss"]) < 1e-4
    assert [round(r["loss"], 5) for r in resumed["history"]] == [round(r["loss"], 5) for r in full["history"]]


def test_existing_checkpoints_without_resume_are_not_overwritten(tmp_path: Path):
    data = corpus(tmp_path, 60)
    cfg = PretrainConfig(max_steps=4, checkpoint_every=2, **TINY)
    pretrain([data], tmp_path / "r", cfg, progress=False)
    with pytest.raises(ValueError, match="--resume"):
        pretrain([data], tmp_path / "r", cfg, progress=False)


def test_continued_pretraining_reports_domain_and_general_perplexity(tmp_path: Path):
    from chatforge.models.tiny import build_tiny_model

    base = build_tiny_model(tmp_path / "base", n_layer=1, n_embd=32, n_head=4, context_length=64)
    cfg = PretrainConfig(
        from_model=str(base),
        max_steps=15,
        learning_rate=3e-3,
        context_length=256,
        batch_size=4,
        eval_every=15,
        checkpoint_every=100,
        warmup_steps=2,
    )
    m = pretrain([corpus(tmp_path)], tmp_path / "cpt", cfg, progress=False)
    assert m["mode"] == "continue" and m["context_length"] == 64  # capped by the model
    ppl = m["perplexity"]
    assert ppl["domain"]["after"] < ppl["domain"]["before"]
    assert set(ppl["general"]) == {"before", "after"} and ppl["general"]["before"] > 1


def test_schedule_and_batch_order():
    assert lr_factor(0, 10, 100, 0.1) == pytest.approx(0.1)
    assert lr_factor(9, 10, 100, 0.1) == pytest.approx(1.0)
    assert lr_factor(10, 10, 100, 0.1) == pytest.approx(1.0)
    assert lr_factor(55, 10, 100, 0.1) == pytest.approx(0.1 + 0.9 * 0.5)
    assert lr_factor(100, 10, 100, 0.1) == pytest.approx(0.1)
    epoch = [i for s in range(5) for i in batch_indices(s, 2, 10, seed=3)]
    assert sorted(epoch) == list(range(10))  # each window once per epoch
    assert batch_indices(7, 2, 10, 3) == batch_indices(7, 2, 10, 3)


def test_bad_corpora_get_clear_messages(tmp_path: Path):
    with pytest.raises(CorpusError, match="corpus file not found: .*nope.txt"):
        read_texts([tmp_path / "nope.txt"])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="empty corpus"):
        pretrain([empty], tmp_path / "o", PretrainConfig(**TINY), progress=False)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("ligne un\nCoût du bagage".encode("cp1252"))
    with pytest.raises(CorpusError, match=r"latin1.txt: not valid UTF-8 \(byte 11, line 2\).*iconv"):
        read_texts([latin])
    chats = tmp_path / "train.jsonl"
    chats.write_text(json.dumps({"messages": []}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="train.jsonl:1: no string field 'text'.*corpus.jsonl"):
        read_texts([chats])
    small = tmp_path / "small.txt"
    small.write_text("Un vol court. " * 30, encoding="utf-8")
    with pytest.raises(CorpusError, match="corpus too small.*context_length"):
        pretrain([small], tmp_path / "o2", PretrainConfig(**{**TINY, "context_length": 512}), progress=False)


def test_split_holds_out_last_documents_or_the_tail_of_one():
    train, val = split_texts(["a" * 90, "b" * 10], 0.1)
    assert train == ["a" * 90] and val == ["b" * 10]
    train, val = split_texts(["mot " * 100], 0.1)
    assert "".join(train) + "".join(val) == "mot " * 100 and 30 < len(val[0]) < 50
    assert math.isclose(sum(map(len, val)), 40, abs_tol=4)
