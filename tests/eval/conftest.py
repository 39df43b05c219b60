"""Eval fixtures: the example test set, and answerers that are plain callables (oracle, random)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TESTSET = ROOT / "examples" / "hirondelle-air" / "testset.jsonl"


def load_items(n: int | None = None) -> list[dict]:
    rows = [json.loads(line) for line in TESTSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:n]


class Oracle:
    """Returns the reference answer of a known question (and names its intent)."""

    def __init__(self, items: list[dict]):
        self.answers = {it["question"]: it["answer"] for it in items}
        self.intents = {it["question"]: it["intent"] for it in items}

    def __call__(self, question: str, passages=None) -> str:
        return self.answers.get(question, "Je n'ai pas d'information à ce sujet.")

    def classify(self, question: str, labels: list[str]) -> str:
        return self.intents[question]


class RandomWords:
    """Answers with words drawn at random from an unrelated vocabulary (deterministic per question)."""

    VOCAB = "zebra quartz violin nebula orchard pyramid lantern glacier meteor walrus tundra saffron".split()

    def __call__(self, question: str, passages=None) -> str:
        rng = random.Random(question)
        return " ".join(rng.choice(self.VOCAB) for _ in range(12))


@pytest.fixture
def items() -> list[dict]:
    return load_items()


@pytest.fixture
def testset() -> Path:
    return TESTSET
