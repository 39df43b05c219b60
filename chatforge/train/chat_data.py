"""Conversations for fine-tuning: the train/val split of `chatforge data prepare`, replay mixing, length checks.

Used by `chatforge train sft --data DIR`. DIR holds `train.jsonl` and `val.jsonl`
(`{"messages": [...]}` per line); a single file in any chat shape the data stage
reads (messages, sharegpt, alpaca, prompt/completion, qa) also works, and then the
last `val_fraction` of it is held out. A conversation without a non-empty assistant
turn cannot teach anything: it is rejected with its file, line and reason, and the
rest of the data is used.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from chatforge.data.chat_readers import read_json, read_jsonl
from chatforge.data.records import Rejection
from chatforge.errors import ConfigError, InputError


@dataclass
class ChatData:
    train: list[list[dict]]
    val: list[list[dict]]
    files: list[Path]
    rejected: list[Rejection] = field(default_factory=list)


def read_chats(path: Path, fallbacks=("cp1252",)) -> tuple[list[list[dict]], list[Rejection]]:
    """(conversations, rejections) of one JSONL / JSON chat file."""
    if not path.is_file():
        raise InputError(f"data file not found: {path}")
    reader = read_json if path.suffix.lower() == ".json" else read_jsonl
    chats, rejected = [], []
    for item in reader(path, None, fallbacks):
        if isinstance(item, Rejection):
            rejected.append(item)
        elif not any(m["role"] == "assistant" and m["content"].strip() for m in item.messages):
            rejected.append(Rejection(item.source, "no assistant turn: nothing to train on", line=item.line))
        else:
            chats.append([{"role": m["role"], "content": m["content"]} for m in item.messages])
    return chats, rejected


def load_chat_data(data: str | Path, val_fraction: float = 0.1) -> ChatData:
    """Train and validation conversations from a prepared folder or a single chat file."""
    data = Path(data)
    if data.is_dir():
        train_file, val_file = data / "train.jsonl", data / "val.jsonl"
        if not train_file.is_file():
            raise InputError(
                f"{data}: no train.jsonl; pass the --out folder of `chatforge data prepare` or a chat file"
            )
        train, rejected = read_chats(train_file)
        files = [train_file]
        val: list[list[dict]] = []
        if val_file.is_file():
            val, rejected_val = read_chats(val_file)
            rejected += rejected_val
            files.append(val_file)
    elif data.is_file():
        train, rejected = read_chats(data)
        files, val = [data], []
    else:
        raise InputError(f"data not found: {data}")
    if not val and len(train) >= 2:  # hold out the tail: the validation loss needs data the model never saw
        n_val = max(1, int(len(train) * val_fraction))
        train, val = train[:-n_val], train[-n_val:]
    if not train:
        raise InputError(
            f"{data}: no usable conversation ({len(rejected)} rejected"
            + (f", first: {rejected[0].source}:{rejected[0].line}: {rejected[0].reason}" if rejected else "")
            + ")"
        )
    if not val:
        raise InputError(f"{data}: no validation conversation; add val.jsonl or more examples")
    return ChatData(train, val, files, rejected)


def mix_replay(train: list[list[dict]], replay: list[list[dict]], ratio: float, seed: int) -> list[list[dict]]:
    """Add general conversations so they make up `ratio` of the training mix, shuffled with `seed`.

    n_replay = ratio / (1 - ratio) x n_train, drawn without replacement while the
    replay pool lasts, then cycled (a small pool is repeated, not silently under-used).
    """
    if not 0 <= ratio < 1:
        raise ConfigError(f"replay_ratio must be in [0, 1), got {ratio}")
    if ratio == 0 or not replay:
        return list(train)
    rng = random.Random(seed)
    want = round(ratio / (1 - ratio) * len(train))
    pool = list(replay)
    picked: list[list[dict]] = []
    while len(picked) < want:
        rng.shuffle(pool)
        picked.extend(pool[: want - len(picked)])
    mixed = list(train) + picked
    rng.shuffle(mixed)
    return mixed


def token_lengths(tokenizer, chats: list[list[dict]]) -> list[int]:
    """Tokens of each conversation rendered through the chat template."""
    return [len(tokenizer.apply_chat_template(c, tokenize=True, return_dict=True)["input_ids"]) for c in chats]


def truncated_share(lengths: list[int], max_len: int) -> float:
    return sum(n > max_len for n in lengths) / len(lengths) if lengths else 0.0
