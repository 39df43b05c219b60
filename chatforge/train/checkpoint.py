"""Training checkpoints, atomic and resumable: the one module for both kinds chatforge writes.

Our own loop (pretrain). A checkpoint is a folder `checkpoints/step-00000050/` holding `state.pt`: model,
optimizer and scheduler state, the RNG states (torch, Python, NumPy), the step and
the data position, and the metric history. It is written to
`checkpoints/.tmp-step-.../`, flushed to disk, then renamed into place, so a run
killed at any moment, even mid-write, leaves either the whole checkpoint or none;
`latest` only ever sees complete ones and `clean_partial` removes the leftovers.

Everything in `state.pt` is a tensor or a plain value (the NumPy RNG state is stored as a tensor),
so `load` reads it with `torch.load(weights_only=True)`: a file that would run code when
unpickled (a crafted `__reduce__`) is refused with a `CheckpointError`, never executed.

The Hugging Face trainer (SFT, rm, DPO, KTO, RL). It writes `checkpoint-N/` file by file; a run
killed half-way leaves a folder that looks complete but is not. `CommitCheckpoints` writes a
`COMMITTED` marker (fsynced) only once the trainer has written everything, prunes older committed
ones, and `last_committed` resumes only from marked folders, removing unmarked leftovers, so a
resume never loads a torn checkpoint.

Either way a checkpoint counts only once it is whole on disk, and the newest `keep` are kept.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

from transformers import TrainerCallback

from chatforge.errors import UserError

PREFIX = "step-"
TMP = ".tmp-"
MARKER = "COMMITTED"  # in a trainer's checkpoint-N/: every file of it is on disk
_STEP = re.compile(r"^checkpoint-(\d+)$")


class CheckpointError(UserError, ValueError):
    """A checkpoint file that cannot be read, or that holds more than tensors and plain values."""


def rng_state() -> dict:
    import numpy as np
    import torch

    name, keys, pos, has_gauss, cached = np.random.get_state()
    numpy_state = {
        "bit_generator": name,
        "keys": torch.from_numpy(keys.astype(np.int64)),
        "pos": int(pos),
        "has_gauss": int(has_gauss),
        "cached_gaussian": float(cached),
    }  # a tensor: loadable weights-only
    return {"torch": torch.get_rng_state(), "python": random.getstate(), "numpy": numpy_state}


def set_rng_state(state: dict) -> None:
    import numpy as np
    import torch

    torch.set_rng_state(state["torch"])
    py = state["python"]
    random.setstate((py[0], tuple(py[1]), py[2]))
    st = state["numpy"]
    np.random.set_state(
        (st["bit_generator"], st["keys"].numpy().astype(np.uint32), st["pos"], st["has_gauss"], st["cached_gaussian"])
    )


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _prune(found: list[Path], keep: int) -> None:
    """Remove all but the newest `keep` of `found` (oldest first)."""
    for old in found[:-keep] if keep > 0 else []:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(ckpt_dir: Path, step: int, state: dict, keep: int = 2) -> Path:
    """Write `state` (plus RNG states) as checkpoint `step`, atomically; keep the newest `keep`."""
    import torch

    ckpt_dir.mkdir(parents=True, exist_ok=True)
    final = ckpt_dir / f"{PREFIX}{step:08d}"
    tmp = ckpt_dir / f"{TMP}{PREFIX}{step:08d}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    with open(tmp / "state.pt", "wb") as fh:
        torch.save({**state, "step": step, "rng": rng_state()}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    if final.exists():  # re-saving a step (after a resume): replace it whole
        shutil.rmtree(final)
    os.replace(tmp, final)
    _fsync_dir(ckpt_dir)
    _prune(complete(ckpt_dir), keep)
    return final


def complete(ckpt_dir: Path) -> list[Path]:
    """Complete checkpoints, oldest first."""
    if not ckpt_dir.is_dir():
        return []
    return sorted(p for p in ckpt_dir.iterdir() if p.name.startswith(PREFIX) and (p / "state.pt").is_file())


def latest(ckpt_dir: Path) -> Path | None:
    found = complete(ckpt_dir)
    return found[-1] if found else None


def clean_partial(ckpt_dir: Path) -> list[str]:
    """Remove temporary folders a killed write left behind; return their names."""
    if not ckpt_dir.is_dir():
        return []
    removed = []
    for p in ckpt_dir.iterdir():
        if p.name.startswith(TMP):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
    return removed


def load(path: Path) -> dict:
    """The state saved in checkpoint folder `path`; CheckpointError for a file that is not one."""
    import pickle

    import torch

    file = path / "state.pt"
    try:
        return torch.load(file, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:  # torch's weights-only unpickler met a global it does not allow
        found = next((line.strip() for line in str(exc).splitlines() if "GLOBAL" in line or "Unsupported" in line), "")
        raise CheckpointError(
            f"{file}: refused: it holds Python objects other than tensors and plain values, which "
            f"a chatforge checkpoint never does ({found or 'weights-only load failed'}); remove "
            f"the folder or resume from another checkpoint"
        ) from None
    except (RuntimeError, EOFError, OSError) as exc:
        raise CheckpointError(
            f"{file}: cannot read the checkpoint ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else 'truncated'})"
        ) from None


def _checkpoints(ckpt_dir: Path) -> list[Path]:
    """The Hugging Face trainer's `checkpoint-N/` folders, marked or not, oldest first."""
    if not ckpt_dir.is_dir():
        return []
    found = [p for p in ckpt_dir.iterdir() if p.is_dir() and _STEP.match(p.name)]
    return sorted(found, key=lambda p: int(_STEP.match(p.name).group(1)))


def committed(ckpt_dir: Path) -> list[Path]:
    """The trainer's complete (marked) checkpoints, oldest first."""
    return [p for p in _checkpoints(ckpt_dir) if (p / MARKER).is_file()]


def last_committed(ckpt_dir: Path, clean: bool = True) -> Path | None:
    """The newest complete checkpoint; with `clean`, folders a killed write left unmarked are removed."""
    if clean:
        for p in _checkpoints(ckpt_dir):
            if not (p / MARKER).is_file():
                shutil.rmtree(p, ignore_errors=True)
    found = committed(ckpt_dir)
    return found[-1] if found else None


class CommitCheckpoints(TrainerCallback):
    """Mark each checkpoint complete after the trainer saved it; keep the newest `keep` complete ones."""

    def __init__(self, ckpt_dir: Path, keep: int = 2):
        self.ckpt_dir, self.keep = Path(ckpt_dir), keep

    def on_save(self, args, state, control, **kwargs):
        folder = self.ckpt_dir / f"checkpoint-{state.global_step}"
        if not folder.is_dir():
            return
        for f in folder.rglob("*"):  # flush every file before the marker says they are all there
            if f.is_file():
                _fsync_file(f)
        with open(folder / MARKER, "w") as fh:
            fh.write(str(state.global_step))
            fh.flush()
            os.fsync(fh.fileno())
        _prune(committed(self.ckpt_dir), self.keep)
