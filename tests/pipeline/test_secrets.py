"""Secrets stay out of `chatforge run`'s logs and state files: a `keys create` stage writes its key to a 0600 file
and nowhere else under the output folder, a database URL's password is masked in every log, state file, stdout and
stderr (a PostgreSQL server on loopback when one can start, an unreachable one otherwise), and MLflow params mask
secret fields."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from chatforge.output import mask_secrets, redact_url
from chatforge.pipeline.child import shown_argv

ROOT = Path(__file__).resolve().parents[2]
SECRET = "S3cretPw0rd"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(tmp_path: Path, stages: dict) -> tuple[subprocess.CompletedProcess, Path]:
    file = tmp_path / "pipeline.yaml"
    file.write_text(yaml.safe_dump({"name": "secrets", "stages": stages}), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "chatforge.cli", "run", str(file), "--plain", "--json", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    return proc, out


def _files_holding(out: Path, needle: str) -> list[Path]:
    return [p for p in out.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def _key_stage(db: str, key_file: str = "${out}/admin.key") -> dict:
    return {
        "uses": "keys create",
        "cache": False,
        "with": {"user": "demo", "roles": "public,admin", "db": db, "key-file": key_file},
    }


def test_a_keys_stage_writes_its_key_to_a_0600_file_and_nowhere_else(tmp_path):
    port = _closed_port()
    pg = f"postgresql://demo:{SECRET}@127.0.0.1:{port}/chatforge"
    # the second stage fails (nothing listens): its error and log must not show the password either
    proc, out = _run(
        tmp_path, {"key": _key_stage("${out}/serve.db"), "pgkey": {**_key_stage(pg, "${out}/pg.key"), "needs": ["key"]}}
    )
    assert proc.returncode == 1, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.splitlines()[-1])
    assert summary["stages"]["key"]["state"] == "done" and summary["stages"]["pgkey"]["state"] == "failed"

    key_file = out / "admin.key"
    key = key_file.read_text().strip()
    assert key.startswith("cf_") and len(key) > 30
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _files_holding(out, key) == [key_file]  # not in the stage log, the state file, the pipeline copy
    assert key not in proc.stdout and key not in proc.stderr
    recorded = json.loads((out / ".pipeline" / "key.json").read_text())
    assert recorded["summary"]["key_file"] == str(key_file) and "key" not in recorded["summary"]
    copy = yaml.safe_load((out / ".pipeline" / "pipeline.yaml").read_text())  # the console's Runs tab reads it
    assert copy["stages"]["key"]["uses"] == "keys create"  # a stage named `key` is a name, not a secret
    assert SECRET not in copy["stages"]["pgkey"]["with"]["db"] and "***" in copy["stages"]["pgkey"]["with"]["db"]

    assert _files_holding(out, SECRET) == []
    assert SECRET not in proc.stdout and SECRET not in proc.stderr
    assert f"postgresql://demo:***@127.0.0.1:{port}" in (out / ".pipeline" / "pgkey.log").read_text()
    assert not (out / "pg.key").exists()  # the key was never created: no file left behind
    state = out / ".pipeline"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    for p in state.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p


def test_a_second_run_replaces_the_key_file_and_the_old_key_stays_out_of_the_logs(tmp_path):
    stages = {"key": _key_stage("${out}/serve.db")}
    proc, out = _run(tmp_path, stages)
    assert proc.returncode == 0, proc.stderr[-3000:]
    first = (out / "admin.key").read_text().strip()
    proc, out = _run(tmp_path, stages)  # cache: false: a fresh key, the file replaced (the runner passes --overwrite)
    assert proc.returncode == 0, proc.stderr[-3000:]
    second = (out / "admin.key").read_text().strip()
    assert second != first and stat.S_IMODE((out / "admin.key").stat().st_mode) == 0o600
    assert _files_holding(out, first) == [] and _files_holding(out, second) == [out / "admin.key"]


def _pg_url_with_password() -> tuple[str, Callable[[], None]]:
    """A PostgreSQL server on loopback that trusts every password (so a URL with one connects), or skip."""
    import os
    import shutil

    bindir = os.path.dirname(shutil.which("initdb") or "") or None
    if bindir is None:
        pytest.skip("PostgreSQL is not installed")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="chatforge-pg-"))  # outside pytest's 0700 folders: postgres must reach it
    os.chmod(root, 0o777)
    port = _closed_port()
    run = lambda *cmd: subprocess.run([*as_pg, *cmd], capture_output=True, text=True, timeout=60)  # noqa: E731

    def stop() -> None:
        run(f"{bindir}/pg_ctl", "-D", str(root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)

    init = run(f"{bindir}/initdb", "-D", str(root / "data"), "-U", "demo", "--auth=trust", "-E", "UTF8")
    if init.returncode:
        stop()
        pytest.skip(f"initdb failed: {init.stderr.strip()[:300]}")
    if run(
        f"{bindir}/pg_ctl",
        "-D",
        str(root / "data"),
        "-w",
        "-t",
        "30",
        "-l",
        str(root / "log"),
        "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    ).returncode:
        stop()
        pytest.skip("PostgreSQL did not start")
    return f"postgresql://demo:{SECRET}@127.0.0.1:{port}/postgres", stop


def test_a_keys_stage_on_postgresql_keeps_the_password_out_of_every_file(tmp_path):
    url, stop = _pg_url_with_password()
    try:
        proc, out = _run(tmp_path, {"key": _key_stage(url)})
    finally:
        stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "admin.key").read_text().startswith("cf_")
    assert _files_holding(out, SECRET) == []
    assert SECRET not in proc.stdout and SECRET not in proc.stderr
    assert "demo:***@127.0.0.1" in (out / ".pipeline" / "key.log").read_text()


def test_keys_create_json_keeps_the_key_off_a_captured_stderr(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "chatforge.cli",
        "keys",
        "create",
        "--user",
        "u",
        "--db",
        str(tmp_path / "s.db"),
        "--json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    key = json.loads(proc.stdout.splitlines()[-1])["key"]  # stdout is the caller's: the documented way to get it
    assert key not in proc.stderr and "in the JSON summary on stdout" in proc.stderr
    key_file = tmp_path / "u.key"
    key_file.write_text("keep me")
    proc = subprocess.run([*cmd, "--key-file", str(key_file)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2 and "the file exists; pass --overwrite" in json.loads(proc.stdout)["error"]
    assert key_file.read_text() == "keep me"


def test_masking_of_urls_argv_and_params(tmp_path):
    assert redact_url(f"postgresql+psycopg://u:{SECRET}@db:5432/x") == "postgresql+psycopg://u:***@db:5432/x"
    assert redact_url(f"postgresql://u:p@{SECRET}@db/x") == "postgresql://u:***@db/x"  # a raw @ in the password
    assert redact_url("sqlite:///runs/serve.db") == "sqlite:///runs/serve.db"
    argv = ["serve", "--db", f"postgresql://u:{SECRET}@h/d", "--backend-key", SECRET, "--set", f"backend_key={SECRET}"]
    assert SECRET not in " ".join(shown_argv(argv))
    assert shown_argv(argv)[3:] == ["--backend-key", "***", "--set", "backend_key=***"]
    masked = mask_secrets({"key": "cf_x", "backend_key": SECRET, "db": f"postgresql://u:{SECRET}@h/d", "lora_r": 8})
    assert SECRET not in json.dumps(masked) and masked["lora_r"] == 8 and masked["key"] == "***"

    from chatforge.train.tracking import mlflow_run

    with mlflow_run(
        tmp_path, "t", "r", {"backend_key": SECRET, "db": f"postgresql://u:{SECRET}@h/d", "lora_r": 8}
    ) as mlflow:
        run_id = mlflow.active_run().info.run_id
    client = mlflow.MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    params = client.get_run(run_id).data.params
    assert params["lora_r"] == "8" and params["backend_key"] == "***" and SECRET not in json.dumps(params)
