"""Serve fixtures: a tiny model loaded once, and real uvicorn servers on loopback (random free port, own thread)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from chatforge.models.tiny import build_tiny_model
from chatforge.serve.app import ServeConfig, create_app
from chatforge.serve.engines import TransformersEngine
from chatforge.store.database import Store


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread():
    # Two cores shared with other work: OpenMP spinning over 2 threads made a tiny forward 100x slower.
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", context_length=256)


@pytest.fixture(scope="session")
def engine_a(tiny_dir):
    engine = TransformersEngine(str(tiny_dir), name="tiny-a", max_batch=8, queue_size=16)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def engine_b(tiny_dir):
    engine = TransformersEngine(str(tiny_dir), name="tiny-b", max_batch=8, queue_size=16)
    yield engine
    engine.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1 in a daemon thread."""

    def __init__(self, app):
        import uvicorn

        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def serve(tmp_path, engine_a):
    """serve(**cfg_fields, engines=..., grounding=...) -> (LiveServer, Store); stopped after the test."""
    started = []

    def start(engines=None, grounding=None, **fields):
        cfg = ServeConfig(**{"db": str(tmp_path / "serve.db"), **fields})
        store = Store(cfg.db)
        server = LiveServer(create_app(cfg, store=store, engines=engines or {"A": engine_a}, grounding=grounding))
        started.append((server, store))
        return server, store

    yield start
    for server, store in started:
        server.stop()
        store.close()


@pytest.fixture(scope="session")
def long_dir(tmp_path_factory) -> Path:
    """A tiny model with a 4096-token context: room for RAG prompts and for generations long enough to cancel."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny-long") / "model", context_length=4096)


@pytest.fixture(scope="session")
def long_engine(long_dir):
    engine = TransformersEngine(str(long_dir), name="tiny-long", max_batch=1, queue_size=1)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def role_index(tmp_path_factory):
    """A three-document index: one page every role reads, one for support only, one for finance only."""
    from chatforge.rag.ingest import ingest

    kb = tmp_path_factory.mktemp("kb")
    (kb / "access.yaml").write_text(
        'rules:\n  - glob: "pub.md"\n    roles: [public, support, finance]\n  - glob: "support.md"\n    roles: [support]\n'
        '  - glob: "fin.md"\n    roles: [finance]\n',
        encoding="utf-8",
    )
    (kb / "pub.md").write_text("# Vélo\n\nUn vélo voyage en soute pour 50 euros par vol.\n", encoding="utf-8")
    (kb / "support.md").write_text(
        "# Vélo support\n\nUn vélo abîmé se déclare au comptoir bagages sous 7 jours.\n", encoding="utf-8"
    )
    (kb / "fin.md").write_text(
        "# Vélo budget\n\nLe budget vélo interne est de 90 000 euros, marge vélo 12 %.\n", encoding="utf-8"
    )
    idx = tmp_path_factory.mktemp("idx") / "idx"
    ingest([kb], idx, progress=False)
    return idx


@pytest.fixture(scope="session")
def grounding(role_index):
    from chatforge.rag.grounding import GroundingBuilder

    g = GroundingBuilder.open(role_index)
    yield g
    g.close()
