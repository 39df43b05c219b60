"""Fixtures for model tests: a private model cache and a tiny Llama folder built in a second."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("CHATFORGE_CACHE", str(root))
    return root


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    from chatforge.models.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model")
