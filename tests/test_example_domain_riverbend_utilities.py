"""The second example domain (Riverbend Municipal Utilities, never trained on) keeps what its README promises.

Documents are read with the same readers and access rules `rag ingest` uses, so a fact is checked
in the text the index would hold, and a role in the label the index would store. No model runs.
"""

import json
import re

import pytest

from chatforge.data.documents import read_document
from chatforge.rag.access import document_roles, load_rules
from tests.conftest import ROOT

DOMAIN = ROOT / "examples" / "riverbend-utilities"
KNOWLEDGE = DOMAIN / "knowledge"
ABSTAIN = "I don't have information about this in the documents."
# canary strings only restricted documents may hold, and the roles allowed to see them
CANARIES = {
    "ESC-RB-7741": {"support", "manager"},
    "CREW-5Q": {"support", "manager"},
    "VERIFY-LOCK": {"support", "manager"},
    "ADJ-OVR-2291": {"billing", "manager"},
    "Keystone Recovery": {"billing", "manager"},
    "MGR-HERON-58": {"manager"},
    "Project Heron": {"manager"},
    "48.6 million": {"manager"},
    "210-8812": {"support", "billing", "manager"},
}


def norm(text: str) -> str:
    """Case, thousands separators, non-breaking spaces and runs of white space do not matter."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.replace("\u00a0", " ").lower())
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def docs() -> dict[str, tuple[str, list[str] | None, str]]:
    """doc_id -> (normalised text, roles, where the roles came from), as ingest labels them."""
    rules = load_rules(KNOWLEDGE / "access.yaml")
    out = {}
    for path in sorted(p for p in KNOWLEDGE.rglob("*") if p.is_file() and p.name != "access.yaml"):
        doc, rejected = read_document(path)
        assert doc is not None, rejected
        rel = path.relative_to(KNOWLEDGE).as_posix()
        roles, why = document_roles(doc, rel, rules, None)
        out[rel] = (norm(doc.text), roles, why)
    return out


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [
        json.loads(line) for line in (DOMAIN / "testset.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_counts_and_every_document_labelled(docs, items):
    assert len(docs) >= 30
    assert {p.suffix for p in KNOWLEDGE.rglob("*.*")} >= {".md", ".html", ".txt"}
    refused = {d: why for d, (_, roles, why) in docs.items() if not roles}
    assert refused == {}
    assert any(why == "front matter" for _, _, why in docs.values())  # team/ is labelled in front matter
    answerable = [it for it in items if it["answerable"]]
    assert len(answerable) >= 60
    assert len([it for it in items if not it["answerable"] and "why" not in it]) >= 15
    assert len([it for it in items if "why" in it]) >= 3
    assert len({it["id"] for it in items}) == len(items)
    assert len({it["question"].lower() for it in items if it["answerable"]}) == len(answerable)


def test_answerable_facts_stand_in_their_document_readable_by_the_role(docs, items):
    for it in (it for it in items if it["answerable"]):
        assert it["doc_id"] in docs, it["id"]
        text, roles, _ = docs[it["doc_id"]]
        assert it["role"] in roles and it["roles"] == [it["role"]], it["id"]
        assert it["facts"] and it["reference"] == it["answer"], it["id"]
        missing = [f for f in it["facts"] if norm(f) not in text]
        assert missing == [], f"{it['id']}: {missing} not in {it['doc_id']}"
        assert all(norm(f) in norm(it["reference"]) for f in it["facts"]), it["id"]


def test_unanswerable_items_have_no_facts_and_forbidden_roles_cannot_read(docs, items):
    for it in (it for it in items if not it["answerable"]):
        assert it["facts"] == [] and it["doc_id"] is None and it["reference"] == ABSTAIN, it["id"]
        if "why" in it:
            _, roles, _ = docs[it["doc_id_forbidden"]]
            assert it["role"] not in roles, it["id"]


def test_canaries_only_in_restricted_documents(docs):
    for canary, allowed in CANARIES.items():
        holders = [d for d, (text, _, _) in docs.items() if norm(canary) in text]
        assert holders, canary
        for d in holders:
            assert set(docs[d][1]) <= allowed, f"{canary!r} in {d}, readable by {docs[d][1]}"
