"""Fixtures for the preference stages (rm, dpo, kto): a tiny Llama whose tokenizer knows the crafted answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.train.marker_preferences import marker_ranked


@pytest.fixture(scope="session")
def pref_base(tmp_path_factory) -> Path:
    from chatforge.models.tiny import SAMPLE_TEXT, build_tiny_model

    texts = [SAMPLE_TEXT] * 5 + [a for r in marker_ranked(48) for a in r["answers"]]
    return build_tiny_model(
        tmp_path_factory.mktemp("pref") / "base", texts, n_layer=2, n_embd=32, n_head=4, context_length=128
    )


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny matrices on a shared 2-core machine: one thread is 3-4x faster than torch's default pool."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
