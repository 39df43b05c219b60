"""The same store code on a real PostgreSQL server started on loopback for this test (skipped when impossible)."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

from chatforge.serve.ab import assign, report
from chatforge.serve.feedback import export
from chatforge.store.database import Message, Store


def _pg_bin() -> str | None:
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return dirs[-1] if dirs else None


@pytest.fixture(scope="module")
def pg_url():
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (make test installs Debian's postgresql when it can)")
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # initdb refuses to run as root
    if as_pg and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: cannot start PostgreSQL as an unprivileged user")
    root = tempfile.mkdtemp(prefix="chatforge-pg-")
    os.chmod(root, 0o777)
    data = os.path.join(root, "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *cmd: subprocess.run([*as_pg, *cmd], capture_output=True, text=True, timeout=60)  # noqa: E731
    init = run(f"{bindir}/initdb", "-D", data, "-U", "chatforge", "--auth=trust", "-E", "UTF8")
    if init.returncode:
        pytest.skip(f"initdb failed: {init.stderr.strip()[:300]}")
    start = run(
        f"{bindir}/pg_ctl",
        "-D",
        data,
        "-w",
        "-t",
        "30",
        "-l",
        os.path.join(root, "log"),
        "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    if start.returncode:
        pytest.skip(f"PostgreSQL did not start: {start.stderr.strip()[:300]}")
    try:
        yield f"postgresql://chatforge@127.0.0.1:{port}/postgres"
    finally:
        run(f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def test_store_keys_messages_feedback_ab_on_postgresql(pg_url):
    store = Store(pg_url)
    assert store.engine.dialect.name == "postgresql"
    key, row = store.create_key("pat", ["support", "admin"])
    user, found = store.verify_key(key)
    assert user.name == "pat" and found.roles == ["support", "admin"] and found.key_hash != key
    assert store.verify_key(key + "x") is None
    conv = store.conversation(user.id, None, "Bagages")
    q = store.add_message(conversation_id=conv.id, role="user", content="Bagage cabine ?")
    prompt = [{"role": "user", "content": "Bagage cabine ?"}]
    a = store.add_message(
        conversation_id=conv.id,
        role="assistant",
        content="10 kg.",
        model="m",
        variant="A",
        parent_id=q.id,
        prompt=prompt,
        sources=["[1] pub.md"],
    )
    store.add_feedback(user_id=user.id, conversation_id=conv.id, message_id=a.id, kind="thumb", value=1)
    assert assign(store, user.id, "pat", 0.5) == assign(store, user.id, "pat", 0.5)
    assert export(store, "sft") == [
        {"messages": prompt + [{"role": "assistant", "content": "10 kg."}], "message_id": a.id}
    ]
    assert report(store)["variants"]["A"]["thumbs_up"] == 1
    assert store.conversations(user.id)[0]["messages"] == 2
    with store.session() as s:
        assert s.get(Message, a.id).sources == ["[1] pub.md"]
    assert store.revoke_key(row.id) and store.verify_key(key) is None
    store.close()
