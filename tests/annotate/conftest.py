"""Annotation fixtures: a crafted review-mode campaign in a real SQLite store, keys per role, and the serve fixtures reused."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from chatforge.annotate.campaign import CampaignConfig, finalize, open_campaign
from chatforge.annotate.sources import read_answers
from chatforge.store.database import Store

SERVE_TESTS = Path(__file__).resolve().parents[1] / "serve"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve_fixtures = _load("annotate_serve_fixtures", SERVE_TESTS / "conftest.py")
LiveServer, one_torch_thread, tiny_dir = (
    serve_fixtures.LiveServer,
    serve_fixtures.one_torch_thread,
    serve_fixtures.tiny_dir,
)
pg_url = _load("annotate_pg_fixture", SERVE_TESTS / "test_store_pg.py").pg_url

# Three prompts with three answers each (same prompt repeated = one item with several answers, as in a prepared SFT file).
REVIEW_ROWS = [
    {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}], "model": m, "topic": topic}
    for q, topic, answers in [
        (
            "Combien de bagages en cabine ?",
            "bagages",
            ["Un bagage de 8 kg et un accessoire.", "Deux valises.", "Aucun."],
        ),
        (
            "Puis-je voyager avec mon chat ?",
            "animaux",
            ["Oui, en cabine jusqu'à 8 kg avec le sac.", "Non, jamais.", "Les animaux voyagent en soute uniquement."],
        ),
        (
            "How do I change my flight?",
            "modifications",
            ["Use Manage my booking online.", "You cannot change it.", "Call us and pay 300 euros."],
        ),
    ]
    for a, m in zip(answers, ["model-x", "model-y", "model-y"])
]


def write_review_file(path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in REVIEW_ROWS), encoding="utf-8")
    return path


def make_review_campaign(store: Store, tmp: Path, name: str = "review", n: int = 2) -> None:
    sources, bad = read_answers(write_review_file(tmp / f"{name}.jsonl"))
    assert not bad and len(sources) == 3 and all(len(s.answers) == 3 for s in sources)
    cfg = CampaignConfig(name=name, answers_per_prompt=0, annotators_per_item=n, seed=1)
    finalize(store, open_campaign(store, cfg, "review", sources, {"answers": "crafted"}))


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "serve.db")
    yield s
    s.close()


@pytest.fixture
def review_campaign(store, tmp_path):
    """review_campaign(name="review", n=2): the crafted three-item campaign opened in `store`."""
    return lambda name="review", n=2: make_review_campaign(store, tmp_path, name, n)


@pytest.fixture
def live(store):
    """live() -> the serving app (no model: annotation needs none) on a free loopback port, over `store`."""
    from chatforge.serve.app import ServeConfig, create_app

    servers = []

    def start():
        server = LiveServer(create_app(ServeConfig(db=store.url), store=store, engines={}))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
