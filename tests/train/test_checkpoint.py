"""Checkpoints load weights-only: a crafted pickle is refused, never run; a real one restores the RNG streams."""

from __future__ import annotations

import os
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
import torch

from chatforge.train import checkpoint


class _RunsCode:
    """What an attacker would put in place of state.pt: unpickling it runs a command."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("writer", ["torch.save", "pickle"])
def test_a_checkpoint_holding_code_is_refused_and_not_run(tmp_path: Path, writer):
    marker = tmp_path / "ran"
    folder = checkpoint.save(tmp_path / "checkpoints", 4, {"model": {"w": torch.ones(2)}})
    payload = {"model": _RunsCode(marker), "step": 4}
    if writer == "torch.save":
        torch.save(payload, folder / "state.pt")
    else:
        with open(folder / "state.pt", "wb") as fh:
            pickle.dump(payload, fh, protocol=2)
    with pytest.raises(checkpoint.CheckpointError, match="refused: it holds Python objects") as err:
        checkpoint.load(folder)
    assert str(folder / "state.pt") in str(err.value) and "\n" not in str(err.value)
    assert not marker.exists()


def test_a_truncated_checkpoint_is_a_clear_error(tmp_path: Path):
    folder = checkpoint.save(tmp_path / "checkpoints", 2, {"model": {"w": torch.ones(64)}})
    data = (folder / "state.pt").read_bytes()
    (folder / "state.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(checkpoint.CheckpointError, match="cannot read the checkpoint"):
        checkpoint.load(folder)


def test_saved_state_loads_weights_only_and_restores_every_rng(tmp_path: Path):
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95))
    model(torch.randn(4, 3)).sum().backward()
    opt.step()
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)
    random.seed(1), np.random.seed(2), torch.manual_seed(3)
    folder = checkpoint.save(
        tmp_path / "c",
        7,
        {
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "scheduler": sched.state_dict(),
            "history": [{"step": 7, "loss": 0.5}],
        },
    )
    expected = (random.random(), np.random.rand(), torch.rand(1).item())
    state = checkpoint.load(folder)
    assert state["step"] == 7 and state["history"] == [{"step": 7, "loss": 0.5}]
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    checkpoint.set_rng_state(state["rng"])
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == expected
