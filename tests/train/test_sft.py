"""SFT on a tiny Llama (CPU, seconds): loss falls, which weights move, assistant-only labels, resume, tracking, export."""

import json
import time
from pathlib import Path

import pytest
from transformers import TrainerCallback

from chatforge.errors import InputError
from chatforge.train.chat_data import mix_replay
from chatforge.train.checkpoint import MARKER
from chatforge.train.peft_setup import MethodError
from chatforge.train.sft import RunExistsError, SFTConfig, sft

CITIES = ["Nantes", "Lyon", "Nice", "Toulouse", "Brest", "Lille"]


def chat(q: str, a: str) -> dict:
    return {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}


def domain_rows(n: int) -> list[dict]:
    return [
        chat(
            f"Combien coute le bagage pour {CITIES[i % 6]} ?",
            f"Le bagage en soute pour {CITIES[i % 6]} coute {20 + i % 6} euros.",
        )
        for i in range(n)
    ]


def write(path: Path, rows: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    from chatforge.models.tiny import SAMPLE_TEXT, build_tiny_model

    texts = [SAMPLE_TEXT] * 10 + [r["messages"][1]["content"] for r in domain_rows(12)] * 5
    return build_tiny_model(
        tmp_path_factory.mktemp("sft") / "base", texts, n_layer=3, n_embd=32, n_head=4, context_length=128
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    rows = domain_rows(40)
    write(folder / "train.jsonl", rows[:32])
    write(folder / "val.jsonl", rows[32:])
    return folder


def fast(base: Path, **kw) -> SFTConfig:
    values = dict(
        model=str(base),
        max_steps=16,
        learning_rate=5e-3,
        batch_size=4,
        eval_every=8,
        checkpoint_every=8,
        log_every=2,
        max_seq_len=64,
        mlflow=False,
    )
    return SFTConfig(**{**values, **kw})


class Capture(TrainerCallback):
    """Keeps the trained model and one training batch (as the collator built it)."""

    def __init__(self):
        self.model, self.batch = None, None

    def on_train_begin(self, args, state, control, train_dataloader=None, **kw):
        self.batch = next(iter(train_dataloader))

    def on_train_end(self, args, state, control, model=None, **kw):
        self.model = model


def original_weights(base: Path) -> dict:
    from transformers import AutoModelForCausalLM

    return {k: v.clone() for k, v in AutoModelForCausalLM.from_pretrained(base).state_dict().items()}


@pytest.fixture(scope="module")
def lora_run(base, data, tmp_path_factory):
    import os

    out = tmp_path_factory.mktemp("lora") / "run"
    cap = Capture()
    user_uri = os.environ.pop("MLFLOW_TRACKING_URI", None)  # another stage's test may have left one: test the default
    try:
        m = sft(data, out, fast(base, mlflow=True), progress=False, callbacks=[cap])
    finally:
        if user_uri is not None:
            os.environ["MLFLOW_TRACKING_URI"] = user_uri
    return out, m, cap


def test_lora_lowers_the_loss_and_changes_only_adapters(lora_run, base, data):
    out, m, cap = lora_run
    assert m["eval_loss"] < m["eval_loss_before"] - 0.2
    assert m["train_loss"] < m["train_loss_first"]
    assert 0 < m["trainable_params"] < m["total_params"] / 2
    assert m["tokens_per_s"] > 0 and m["peak_rss_mb"] > 0 and m["eval_token_accuracy"] is not None
    before = original_weights(base)
    adapted = {
        k.replace("base_model.model.", "").replace(".base_layer", ""): v
        for k, v in cap.model.state_dict().items()
        if "lora_" not in k
    }
    assert set(adapted) == set(before)
    assert all((adapted[k] == before[k]).all() for k in before)  # the base is frozen
    lora_b = [v for k, v in cap.model.state_dict().items() if "lora_B" in k]
    assert lora_b and all(v.abs().sum() > 0 for v in lora_b)  # B starts at zero: non-zero means it trained
    assert (out / "adapter_config.json").is_file() and (out / "config.yaml").is_file()
    saved = json.loads((out / "metrics.json").read_text())
    assert set(saved["inputs"]) == {str(data / "train.jsonl"), str(data / "val.jsonl")} and saved["versions"]["trl"]


def test_mlflow_run_has_params_metrics_and_artefacts(lora_run):
    from mlflow.tracking import MlflowClient

    out, m, _ = lora_run
    assert m["paths"]["mlflow"] == f"sqlite:///{out.resolve() / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=m["paths"]["mlflow"])
    (run,) = client.search_runs([client.get_experiment_by_name("chatforge-sft").experiment_id])
    assert run.data.params["method"] == "lora" and run.data.params["lora_r"] == "16"
    assert run.data.metrics["final_eval_loss"] == pytest.approx(m["eval_loss"])
    assert len(client.get_metric_history(run.info.run_id, "loss")) >= 8  # per step, every log_every steps
    assert client.get_metric_history(run.info.run_id, "eval_loss")
    assert {a.path for a in client.list_artifacts(run.info.run_id)} >= {"metrics.json", "config.yaml"}
    assert run.info.artifact_uri.startswith((out.resolve() / "mlartifacts").as_uri())  # not ./mlruns of the cwd


def test_tracking_store_is_per_run_folder_unless_mlflow_tracking_uri_is_set(lora_run, tmp_path, monkeypatch):
    from chatforge.train.tracking import tracking_uri

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    # mlflow.set_tracking_uri exported the first run's store; it is unset again, so a later run gets its own
    assert tracking_uri(tmp_path) == f"sqlite:///{tmp_path.resolve() / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow.internal:5000")
    assert tracking_uri(tmp_path) == "http://mlflow.internal:5000"


def test_export_merge_matches_the_adapter_model(lora_run, base, tmp_path):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from chatforge.models.export import export

    out, _, _ = lora_run
    s = export(out, tmp_path / "merged", merge=True, gguf=True, gguf_type="f32")
    assert s["merged"] and s["gguf_writer"] == "chatforge" and Path(s["gguf"]).is_file()
    merged = AutoModelForCausalLM.from_pretrained(tmp_path / "merged").eval()
    peft = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), out).eval()
    x = torch.tensor([[5, 17, 42, 99, 3, 250, 7]])
    with torch.no_grad():
        assert torch.allclose(merged(x).logits, peft(x).logits, atol=1e-4)
        kw = dict(max_new_tokens=12, do_sample=False, pad_token_id=0)
        assert merged.generate(x, **kw).tolist() == peft.generate(input_ids=x, **kw).tolist()
    assert not any(k for k in merged.state_dict() if "lora" in k)
    with pytest.raises(Exception, match="--merge"):
        export(out, tmp_path / "nomerge")
    # the GGUF file, read back by transformers' GGUF loader, is the merged model
    from_gguf = AutoModelForCausalLM.from_pretrained(tmp_path / "merged", gguf_file="model.gguf").eval()
    with torch.no_grad():
        assert torch.allclose(from_gguf(x).logits, merged(x).logits, atol=1e-4)


def test_gguf_export_without_a_writer_or_converter_is_skipped_and_a_failing_converter_is_reported(
    lora_run, tmp_path, monkeypatch
):
    from chatforge.errors import ModelError
    from chatforge.models import gguf_write
    from chatforge.models.export import export

    out, _, _ = lora_run
    monkeypatch.setattr(gguf_write, "why_not_writable", lambda model, tok: "architecture 'gemma3' is not llama")
    for var in ("CHATFORGE_GGUF_CONVERTER", "LLAMA_CPP_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no convert_hf_to_gguf.py on PATH either
    monkeypatch.setattr(
        "chatforge.models.export.SETUP_CONVERTER_DIR", tmp_path / "none"
    )  # nor where make setup puts it
    s = export(out, tmp_path / "skipped", merge=True, gguf=True)
    assert (
        s["gguf"] is None and "gemma3" in s["gguf_skipped"] and (tmp_path / "skipped" / "model.safetensors").is_file()
    )
    broken = write(
        tmp_path / "convert_hf_to_gguf.py",
        ["import sys", "print('unknown BPE pre-tokenizer', file=sys.stderr)", "sys.exit(3)"],
    )
    monkeypatch.setenv("CHATFORGE_GGUF_CONVERTER", str(broken))
    with pytest.raises(ModelError, match=r"exit 3\).*\n.*unknown BPE pre-tokenizer"):
        export(out, tmp_path / "failed", merge=True, gguf=True)
    assert (tmp_path / "failed" / "model.safetensors").is_file()  # the safetensors export is kept
    with pytest.raises(ModelError, match="--gguf-type q4: choose one of f32, f16, q8_0"):
        export(out, tmp_path / "badtype", merge=True, gguf=True, gguf_type="q4")
    assert not (tmp_path / "badtype").exists()  # refused before anything is written


@pytest.mark.slow
@pytest.mark.skipif(
    __import__("importlib").util.find_spec("llama_cpp") is None,
    reason="llama-cpp-python is not installed (pip install chatforge[gguf])",
)
def test_exported_gguf_loads_in_llama_cpp_and_decodes_like_transformers(lora_run, tmp_path):
    import torch
    from llama_cpp import Llama
    from transformers import AutoModelForCausalLM

    from chatforge.models.export import export

    out, _, _ = lora_run
    s = export(out, tmp_path / "merged", merge=True, gguf=True, gguf_type="f32")
    merged = AutoModelForCausalLM.from_pretrained(tmp_path / "merged").eval()
    prompt = [5, 17, 42, 99, 3, 250, 7]
    with torch.no_grad():
        expected = merged.generate(
            torch.tensor([prompt]), max_new_tokens=10, do_sample=False, min_new_tokens=10, pad_token_id=0
        )[0, len(prompt) :].tolist()
    llm = Llama(model_path=s["gguf"], n_ctx=64, verbose=False)
    got = []
    for token in llm.generate(prompt, temp=0.0, top_k=1):
        got.append(token)
        if len(got) == len(expected):
            break
    assert got == expected


def test_full_fine_tuning_lowers_the_loss_and_trains_everything(base, data, tmp_path):
    m = sft(data, tmp_path / "full", fast(base, method="full", learning_rate=3e-3), progress=False)
    assert m["eval_loss"] < m["eval_loss_before"] - 0.5
    assert m["trainable_params"] == m["total_params"]
    assert (tmp_path / "full" / "config.json").is_file()


def test_freeze_trains_only_the_last_layers(base, data, tmp_path):
    cap = Capture()
    m = sft(
        data,
        tmp_path / "freeze",
        fast(base, method="freeze", trainable_layers=1, max_steps=4),
        progress=False,
        callbacks=[cap],
    )
    before = original_weights(base)
    after = cap.model.state_dict()
    changed = {k for k in before if not (after[k] == before[k]).all()}
    assert changed and all(k.startswith("model.layers.2.") for k in changed)
    assert m["trainable_params"] == sum(v.numel() for k, v in before.items() if k.startswith("model.layers.2."))


@pytest.fixture(scope="module")
def dora_run(base, data, tmp_path_factory):
    cap = Capture()
    m = sft(
        data,
        tmp_path_factory.mktemp("dora") / "run",
        fast(base, method="dora", max_steps=2),
        progress=False,
        callbacks=[cap],
    )
    return m, cap


def test_dora_reaches_peft(dora_run):
    _, cap = dora_run
    assert cap.model.peft_config["default"].use_dora
    assert any("lora_magnitude_vector" in k for k in cap.model.state_dict())


def test_only_assistant_tokens_carry_loss(dora_run, base):
    from transformers import AutoTokenizer

    _, cap = dora_run
    tok = AutoTokenizer.from_pretrained(base)
    batch = cap.batch
    replies = {r["messages"][1]["content"] for r in domain_rows(40)}
    for ids, labels in zip(batch["input_ids"], batch["labels"]):
        trained = tok.decode(ids[labels != -100])
        assert trained.endswith("<|im_end|>") and trained[: -len("<|im_end|>")] in replies
        assert "Combien" in tok.decode(ids[(labels == -100) & (ids != tok.pad_token_id)])


def test_qlora_on_cpu_fails_at_once_with_a_clear_message(base, data, tmp_path):
    t0 = time.perf_counter()
    with pytest.raises(MethodError, match="qlora needs a CUDA GPU.*--method lora"):
        sft(data, tmp_path / "q", fast(base, method="qlora"), progress=False)
    assert time.perf_counter() - t0 < 1 and not (tmp_path / "q").exists()


class Kill(TrainerCallback):
    def __init__(self, step: int):
        self.step = step

    def on_step_end(self, args, state, control, **kw):
        if state.global_step == self.step:
            raise KeyboardInterrupt


def test_lora_kill_and_resume_matches_an_uninterrupted_run(base, data, tmp_path):
    cfg = fast(base, max_steps=8, checkpoint_every=4, eval_every=4, log_every=1)
    full = sft(data, tmp_path / "full", cfg, progress=False)
    out = tmp_path / "killed"
    with pytest.raises(KeyboardInterrupt):
        sft(data, out, cfg, progress=False, callbacks=[Kill(6)])
    torn = out / "checkpoints" / "checkpoint-6"  # a write killed half-way: files but no commit marker
    torn.mkdir()
    (torn / "adapter_model.safetensors").write_bytes(b"partial")
    assert (out / "checkpoints" / "checkpoint-4" / MARKER).is_file()
    with pytest.raises(RunExistsError, match="--resume"):
        sft(data, out, cfg, progress=False)
    resumed = sft(data, out, cfg, resume=True, progress=False)
    assert resumed["resumed_from"] == "checkpoint-4" and not torn.exists()
    # Same ops in the same order on CPU with the restored RNG and data position: equal to float rounding.
    assert resumed["train_loss"] == pytest.approx(full["train_loss"], abs=1e-5)
    assert resumed["eval_loss"] == pytest.approx(full["eval_loss"], abs=1e-5)
    losses = lambda m: [round(h["loss"], 5) for h in m["history"] if "loss" in h]  # noqa: E731
    assert losses(resumed) == losses(full)


def test_early_stopping_stops_when_validation_loss_stops_improving(base, data, tmp_path):
    # threshold 10 nats: no evaluation after the first can count as better, so patience 1 stops at the second
    m = sft(
        data,
        tmp_path / "es",
        fast(base, max_steps=40, eval_every=2, early_stopping_patience=1, early_stopping_threshold=10.0),
        progress=False,
    )
    assert m["stopped_early"] and m["steps"] == 4


def test_search_writes_a_best_config(base, data, tmp_path):
    import yaml

    from chatforge.train.results import SearchResult
    from chatforge.train.search import search

    s = search(data, tmp_path / "search", fast(base, max_steps=4), n_trials=2, progress=False)
    assert len(s["trials"]) == 2 and all(t["state"] == "COMPLETE" for t in s["trials"])
    assert s["best_eval_loss"] == min(t["eval_loss"] for t in s["trials"])
    best = SFTConfig(**yaml.safe_load(Path(s["paths"]["best_config"]).read_text()))
    assert (
        best.learning_rate == pytest.approx(s["best_params"]["learning_rate"])
        and best.lora_r == s["best_params"]["lora_r"]
    )
    assert sorted(p.name for p in (tmp_path / "search").iterdir()) == ["best_config.yaml", "search.json"]
    SearchResult.model_validate({"ok": True, **s})  # what `train sft --search --json` prints


def test_replay_mixes_at_the_ratio():
    train, replay = [[{"i": i}] for i in range(30)], [[{"r": i}] for i in range(4)]
    mixed = mix_replay(train, replay, 0.25, seed=1)
    assert len(mixed) == 40 and sum("r" in c[0] for c in mixed) == 10  # 10 / 40 = 0.25, small pool cycled
    assert mix_replay(train, replay, 0.25, seed=1) == mixed and mix_replay(train, replay, 0.0, 1) == train


def test_replay_lowers_forgetting_on_a_crafted_case(base, data, tmp_path):
    general = [
        chat(f"Question generale {i} ?", f"The Moon orbits the Earth and water boils at {90 + i} degrees.")
        for i in range(40)
    ]
    general_file = write(tmp_path / "general.jsonl", general)
    held_out = tmp_path / "general.txt"
    held_out.write_text("\n".join(r["messages"][1]["content"] for r in general[::3]), encoding="utf-8")
    # a base that knows the general text, then domain fine-tuning with and without replay
    knows = sft(general_file, tmp_path / "general-base", fast(base, method="full", max_steps=12), progress=False)
    assert knows["eval_loss"] < knows["eval_loss_before"]
    cfg = fast(
        tmp_path / "general-base",
        method="full",
        max_steps=10,
        eval_every=10,
        learning_rate=5e-3,
        general_text=[str(held_out)],
    )
    plain = sft(data, tmp_path / "plain", cfg, progress=False)
    mixed = sft(
        data,
        tmp_path / "replay",
        cfg.model_copy(update={"replay": str(general_file), "replay_ratio": 0.5}),
        progress=False,
    )
    assert mixed["replay"]["examples"] == 32 and mixed["train_examples"] == 64
    assert plain["forgetting"] > 0.1  # domain-only training degrades the general text
    assert mixed["forgetting"] < plain["forgetting"] / 2


def test_bad_input_is_reported_not_fatal(base, tmp_path, capsys):
    folder = tmp_path / "d"
    long = chat("Raconte ?", " ".join(["Le vol part de Nantes et arrive a Nice."] * 20))
    write(folder / "train.jsonl", domain_rows(12) + [{"messages": [{"role": "user", "content": "Allo ?"}]}, long])
    write(folder / "val.jsonl", domain_rows(4))
    m = sft(folder, tmp_path / "o", fast(base, max_steps=1, mlflow=False), progress=False)
    err = capsys.readouterr().err
    assert m["rejected"] == 1 and m["train_examples"] == 13
    assert "train.jsonl:13: conversation needs at least one user and one assistant message" in err
    assert "8% of training conversations exceed max_seq_len=64" in err
    with pytest.raises(RunExistsError):
        sft(folder, tmp_path / "o", fast(base, max_steps=1), progress=False)
    with pytest.raises(InputError, match="no usable conversation"):
        sft(
            write(tmp_path / "bad.jsonl", [{"messages": [{"role": "user", "content": "x"}]}] * 3),
            tmp_path / "o2",
            fast(base),
            progress=False,
        )


def test_template_without_generation_markers_is_refused(base, data, tmp_path):
    import shutil

    from transformers import AutoTokenizer

    plain = tmp_path / "plain"
    shutil.copytree(base, plain)
    tok = AutoTokenizer.from_pretrained(plain)
    tok.chat_template = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
    tok.save_pretrained(plain)
    with pytest.raises(ValueError, match="does not mark assistant tokens"):
        sft(data, tmp_path / "o", fast(plain), progress=False)


def test_cli_train_sft_and_export_print_a_json_summary(base, data, lora_run, tmp_path):
    from typer.testing import CliRunner

    from chatforge.cli import app
    from chatforge.train.results import ExportResult, SFTResult

    runner = CliRunner()
    last = lambda res: json.loads(res.stdout.strip().splitlines()[-1])  # noqa: E731
    args = [
        "train",
        "sft",
        "--model",
        str(base),
        "--data",
        str(data),
        "--max-steps",
        "2",
        "--set",
        "mlflow=false",
        "--set",
        "eval_every=2",
        "--json",
    ]
    res = runner.invoke(app, args + ["--out", str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    s = last(res)
    assert s["ok"] and s["steps"] == 2 and s["method"] == "lora"
    assert {
        "train_loss",
        "eval_loss",
        "trainable_params",
        "total_params",
        "tokens_per_s",
        "peak_rss_mb",
        "paths",
        "forgetting",
    } <= set(s)
    SFTResult.model_validate(s)  # the summary is what its typed result declares (train/results.py)
    res = runner.invoke(app, args + ["--out", str(tmp_path / "cli")])  # the folder now holds a run
    assert res.exit_code == 2 and "--overwrite" in last(res)["error"]
    res = runner.invoke(app, args + ["--out", str(tmp_path / "q"), "--method", "qlora"])
    assert res.exit_code == 2 and "CUDA" in last(res)["error"]
    res = runner.invoke(app, ["export", "--model", str(lora_run[0]), "--out", str(tmp_path / "m"), "--merge", "--json"])
    assert res.exit_code == 0 and last(res)["merged"] and (tmp_path / "m" / "model.safetensors").is_file()
    ExportResult.model_validate(last(res))
