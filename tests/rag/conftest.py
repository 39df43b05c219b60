"""Shared RAG fixtures: the example knowledge base plus one canary document per role, ingested once."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatforge.rag.ingest import IngestConfig, ingest
from chatforge.rag.sparse import Bm25Config

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "examples" / "hirondelle-air" / "knowledge"
TESTSET = ROOT / "examples" / "hirondelle-air" / "testset.jsonl"
ROLES = ["public", "support", "finance", "maintenance"]


def canary_text(role: str) -> str:
    # Written to match many test questions (baggage, refunds, fares, delays, maintenance), so a
    # missing filter would surface them for every role.
    return (
        f"# Canary {role}\n\nCANARY-{role.upper()}-7731. Bagages cabine et soute, remboursement, "
        "tarifs Essentiel Flex Liberté, retard et indemnisation, animaux, enregistrement en ligne, "
        "chiffre d'affaires, budget, maintenance A-check, C-check, ATR 72-600, Embraer E195-E2, "
        "contact service client, réclamation, geste commercial, programme Plume.\n"
    )


def write_canaries(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rules = ["rules:"]
    for role in ROLES:
        (folder / f"canary-{role}.md").write_text(canary_text(role), encoding="utf-8")
        rules += [f'  - glob: "canary-{role}.md"', f"    roles: [{role}]"]
    (folder / "access.yaml").write_text("\n".join(rules) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def example_index(tmp_path_factory) -> Path:
    if not (KNOWLEDGE / "access.yaml").is_file():
        pytest.skip("example knowledge base not present")
    idx = tmp_path_factory.mktemp("rag") / "idx"
    canaries = write_canaries(tmp_path_factory.mktemp("canaries"))
    summary = ingest([KNOWLEDGE, canaries], idx, IngestConfig(bm25=Bm25Config(language="french")), progress=False)
    assert not summary["failed"] and summary["chunks"] > 100
    return idx
