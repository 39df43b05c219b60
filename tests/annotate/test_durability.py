"""A killed server loses no acknowledged judgement: `chatforge serve` as a subprocess, SIGKILL mid-stream, restart."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
from typer.testing import CliRunner

from chatforge.cli import app as cli
from chatforge.store.annotation import Judgement
from chatforge.store.database import Store, User


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: str, port: int) -> subprocess.Popen:
    # a remote backend that is never called: the server starts in ~2 s without loading a model
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chatforge.cli",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--backend-url",
            "http://127.0.0.1:9",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {proc.stderr.read().decode()[-2000:]}")


def test_sigkill_loses_no_acknowledged_judgement(tmp_path):
    prompts = tmp_path / "answers.jsonl"
    prompts.write_text(
        "".join(
            json.dumps({"prompt": f"Question {i} ?", "answers": [f"Réponse {i} a.", f"Réponse {i} b."]}) + "\n"
            for i in range(80)
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "serve.db")
    res = CliRunner().invoke(
        cli,
        [
            "annotate",
            "create",
            "--db",
            db,
            "--name",
            "kill",
            "--answers",
            str(prompts),
            "--annotators-per-item",
            "2",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output.strip().splitlines()[-1])["items"] == 80
    store = Store(db)
    keys = {u: store.create_key(u, ["annotator"])[0] for u in ("ann1", "ann2", "ann3")}
    store.close()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = _serve(db, port)
    acked: dict[str, list[int]] = {u: [] for u in keys}
    stop = threading.Event()

    def work(user: str) -> None:
        h = {"Authorization": f"Bearer {keys[user]}"}
        with httpx.Client(base_url=url, headers=h, timeout=5) as client:
            while not stop.is_set():
                try:
                    item = client.get("/v1/annotate/campaigns/kill/next").json()
                    if item.get("done"):
                        return
                    r = client.post(
                        f"/v1/annotate/items/{item['item_id']}/judgement",
                        json={"ranking": [["B"], ["A"]], "comment": user},
                    )
                except httpx.HTTPError:
                    return  # the server is gone: whatever was not answered was never acknowledged
                if r.status_code == 200:
                    acked[user].append(item["item_id"])

    threads = [threading.Thread(target=work, args=(u,)) for u in keys]
    for t in threads:
        t.start()
    while sum(map(len, acked.values())) < 40 and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)  # no shutdown, no flush: mid-request for some threads
    proc.wait(10)
    stop.set()
    for t in threads:
        t.join(10)
    total = sum(map(len, acked.values()))
    assert 40 <= total < 160  # killed mid-campaign

    proc = _serve(db, port)  # restart on the same database
    try:
        for user, items in acked.items():
            progress = httpx.get(
                f"{url}/v1/annotate/campaigns", headers={"Authorization": f"Bearer {keys[user]}"}
            ).json()
            assert progress["data"][0]["progress"]["done"] >= len(items)
            nxt = httpx.get(
                f"{url}/v1/annotate/campaigns/kill/next", headers={"Authorization": f"Bearer {keys[user]}"}
            ).json()
            assert nxt["item_id"] not in items  # an acknowledged item is never served again
    finally:
        proc.kill()
        proc.wait(10)
    store = Store(db)
    with store.session() as s:
        stored = {
            (name, j.item_id): j.ranking
            for j, name in s.query(Judgement, User.name).join(User, User.id == Judgement.user_id)
        }
    store.close()
    for user, items in acked.items():
        for item in items:
            assert stored[(user, item)] == [["B"], ["A"]], (user, item)
