"""No silent toy: a base model without chat tuning is refused without an index, else served behind the verifier."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.models.chat_tuning import chat_tuned
from chatforge.serve.app import ServeConfig
from chatforge.serve.base_model import guard
from tests.serve.conftest import free_port


def test_chat_tuned_reads_what_is_on_disk(tmp_path, tiny_dir):
    assert chat_tuned("default")[0] is False and chat_tuned("registry:bot@production")[0] is True
    assert chat_tuned("HuggingFaceTB/SmolLM2-135M")[0] is None  # a hub id is not downloaded to be checked
    assert chat_tuned(str(tiny_dir)) == (False, "its tokenizer has no chat template (a pretrained base)")
    tuned = tmp_path / "tuned"
    tuned.mkdir()
    (tuned / "tokenizer_config.json").write_text(json.dumps({"chat_template": "{{ messages }}"}), encoding="utf-8")
    assert chat_tuned(str(tuned))[0] is True
    (tuned / "config.yaml").write_text("chat_tuned: false\n", encoding="utf-8")  # provenance wins
    assert chat_tuned(str(tuned)) == (False, "its config.yaml sets chat_tuned: false")
    pre = tmp_path / "pretrained"
    pre.mkdir()
    (pre / "metrics.json").write_text(json.dumps({"mode": "continue"}), encoding="utf-8")
    (pre / "tokenizer_config.json").write_text(json.dumps({"chat_template": "x"}), encoding="utf-8")
    assert chat_tuned(str(pre))[0] is False


def test_serve_default_without_index_is_refused_in_one_line(tmp_path):
    res = CliRunner().invoke(cli, ["serve", "--model", "default", "--db", str(tmp_path / "s.db"), "--json"])
    assert res.exit_code == 2
    err = json.loads(res.output.strip().splitlines()[-1])["error"]
    assert (
        "pretrained base" in err and "--index" in err and "--allow-base-model" in err and "Traceback" not in res.output
    )
    assert not (tmp_path / "s.db").exists()  # refused before anything was opened or loaded


def test_with_an_index_verification_and_gate_are_forced_on(tmp_path):
    cfg = ServeConfig(model="default", index=tmp_path, rag={"verify": {"enabled": False}, "gate": False})
    (warning,) = guard(cfg)
    assert cfg.rag.verify.enabled and cfg.rag.gate
    assert "only behind the verifier" in warning and "rag gate fit" in warning and "rag.verify.enabled" in warning
    assert guard(ServeConfig(model="default", backend_url="http://127.0.0.1:9")) == []  # generated elsewhere
    assert "without checks" in guard(ServeConfig(model="default", allow_base_model=True))[0]


def test_a_base_model_with_an_index_starts_with_a_warning_and_answers_verified(tmp_path, long_dir):
    from chatforge.rag.ingest import IngestConfig, ingest
    from chatforge.store.database import Store

    kb = tmp_path / "kb"  # its own index: the session's `grounding` fixture holds the shared one's lock
    kb.mkdir()
    (kb / "pub.md").write_text("# Vélo\n\nUn vélo voyage en soute pour 50 euros par vol.\n", encoding="utf-8")
    role_index = tmp_path / "idx"
    ingest([kb], role_index, IngestConfig(default_roles=["public"]), progress=False)

    db = tmp_path / "s.db"
    store = Store(str(db))
    key, _ = store.create_key("pat", ["public"])
    store.close()
    port = free_port()
    log = tmp_path / "stderr.log"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "serve",
            "--model",
            str(long_dir),
            "--index",
            str(role_index),
            "--db",
            str(db),
            "--port",
            str(port),
            "--engine",
            "transformers",
            "--set",
            "default_max_tokens=8",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        r = httpx.post(
            f"http://127.0.0.1:{port}/v1/chat/completions",
            headers={"Authorization": f"Bearer {key}"},
            json={"model": "m", "messages": [{"role": "user", "content": "Combien coûte un vélo en soute ?"}]},
            timeout=120,
        )
    finally:
        proc.terminate()
        proc.wait(30)
    warning = log.read_text()
    assert (
        "warning: --model model: its tokenizer has no chat template" in warning
        and "only behind the verifier" in warning
    )
    assert r.status_code == 200, r.text
    g = r.json()["grounding"]
    assert g["verified"] and (g["abstained"] or g["citations"])  # a tiny base's babble never leaves as such
