"""Preference data for `chatforge train rm|dpo|kto|rl`: rankings to pairs, thumbs to KTO labels, validated.

    chatforge train rm  --data examples/hirondelle-air/preferences/ranked.jsonl ...
    chatforge train kto --data examples/hirondelle-air/preferences/thumbs.jsonl ...

One JSONL file, each line in one of these shapes (mixed files are fine):
- ranked: `{"prompt": str, "answers": [best, ..., worst]}`: k answers expand to all
  k(k-1)/2 pairs (each answer beats every answer ranked below it);
- thumb: `{"prompt": str, "answer": str, "label": true|false}`: one KTO example;
- the exports of `chatforge feedback export` as they are (serve/feedback.py), in TRL's
  conversational shapes: `{"prompt": [...], "chosen": [...], "rejected": [...]}` and
  `{"prompt": [...], "completion": [...], "label": bool}`.
A prompt is a string (one user turn) or a list of messages.

Validation, per item, reported with file, line and reason and never trained on: a missing
or empty prompt, an empty answer, fewer than two answers in a ranking, answers that are
not a list, and identical answers (a pair of one answer with itself teaches nothing; in a
ranking it is a tie, refused unless `allow_ties`, when only the tied pairs are dropped).

Held-out data is split by prompt, so no pair of a validation prompt is trained on.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from chatforge.data.records import Rejection
from chatforge.errors import InputError


@dataclass
class Pair:
    """`chosen` is preferred to `rejected` as a reply to `prompt` (conversational messages)."""

    prompt: list[dict]
    chosen: list[dict]
    rejected: list[dict]
    line: int

    def row(self) -> dict:
        return {"prompt": self.prompt, "chosen": self.chosen, "rejected": self.rejected}


@dataclass
class Thumb:
    """One answer judged on its own: `label` True is desirable (KTO)."""

    prompt: list[dict]
    completion: list[dict]
    label: bool
    line: int

    def row(self) -> dict:
        return {"prompt": self.prompt, "completion": self.completion, "label": self.label}


@dataclass
class Preferences:
    pairs: list[Pair] = field(default_factory=list)
    thumbs: list[Thumb] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    items: int = 0  # lines read (valid or not)


class _Invalid(ValueError):
    pass


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _prompt(item: dict) -> list[dict]:
    p = item.get("prompt")
    if p is None:
        raise _Invalid("missing prompt")
    if isinstance(p, str):
        if not p.strip():
            raise _Invalid("empty prompt")
        return [{"role": "user", "content": p}]
    if isinstance(p, list) and p and all(isinstance(m, dict) and isinstance(m.get("content"), str) for m in p):
        if not any(m["content"].strip() for m in p if m.get("role") == "user"):
            raise _Invalid("empty prompt: no non-empty user turn")
        return [{"role": m.get("role", "user"), "content": m["content"]} for m in p]
    raise _Invalid("prompt must be a string or a non-empty list of messages")


def _answer(value, what: str = "answer") -> str:
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):  # [{"role": "assistant", ...}]
        value = value[0].get("content")
    if not isinstance(value, str):
        raise _Invalid(f"{what} must be a string")
    if not value.strip():
        raise _Invalid(f"empty {what}")
    return value


def with_system(prompt: list[dict], system: str | None) -> list[dict]:
    """`prompt` with `system` as its first message, unless it has a system message already (or system is empty)."""
    if not system or any(m.get("role") == "system" for m in prompt):
        return prompt
    return [{"role": "system", "content": system}, *prompt]


def _reply(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


def ranked_pairs(answers: list[str], allow_ties: bool = False) -> list[tuple[str, str]]:
    """All (better, worse) pairs of a best-to-worst ranking: k answers give k(k-1)/2 pairs."""
    pairs = []
    for i, a in enumerate(answers):
        for j in range(i + 1, len(answers)):
            if _norm(a) == _norm(answers[j]):
                if not allow_ties:
                    raise _Invalid(f"answers {i + 1} and {j + 1} are identical (a tie in the ranking)")
                continue
            pairs.append((a, answers[j]))
    return pairs


def _parse(item, prefs: Preferences, line: int, allow_ties: bool, system: str | None) -> None:
    if not isinstance(item, dict):
        raise _Invalid("not a JSON object")
    if "answers" in item:
        prompt, answers = with_system(_prompt(item), system), item["answers"]
        if not isinstance(answers, list):
            raise _Invalid("answers must be a list ranked best to worst")
        if len(answers) < 2:
            raise _Invalid(f"a ranking needs at least 2 answers, got {len(answers)}")
        texts = [_answer(a, f"answer {i + 1}") for i, a in enumerate(answers)]
        pairs = ranked_pairs(texts, allow_ties)
        if not pairs:
            raise _Invalid("all answers are tied: no pair to learn from")
        prefs.pairs += [Pair(prompt, _reply(c), _reply(r), line) for c, r in pairs]
    elif "chosen" in item or "rejected" in item:
        prompt = with_system(_prompt(item), system)
        chosen, rejected = _answer(item.get("chosen"), "chosen"), _answer(item.get("rejected"), "rejected")
        if _norm(chosen) == _norm(rejected):
            raise _Invalid("chosen and rejected answers are identical")
        prefs.pairs.append(Pair(prompt, _reply(chosen), _reply(rejected), line))
    elif "label" in item:
        prompt = with_system(_prompt(item), system)
        text = _answer(item["completion"] if "completion" in item else item.get("answer"))
        if not isinstance(item["label"], bool):
            raise _Invalid("label must be true or false")
        prefs.thumbs.append(Thumb(prompt, _reply(text), item["label"], line))
    else:
        raise _Invalid("unknown shape: expected answers (ranked), chosen/rejected (pair) or answer/completion + label")


def read_preferences(path: str | Path, allow_ties: bool = False, system: str | None = None) -> Preferences:
    """Pairs and thumbs of one JSONL file, with every invalid line reported (file, line, reason); `system` is put
    first in prompts without a system message."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"preference file not found: {path}")
    prefs = Preferences(files=[path])
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            prefs.items += 1
            try:
                _parse(json.loads(raw), prefs, n, allow_ties, system)
            except json.JSONDecodeError as exc:
                prefs.rejected.append(Rejection(str(path), f"invalid JSON: {exc.msg}", line=n))
            except _Invalid as exc:
                prefs.rejected.append(Rejection(str(path), str(exc), line=n))
    return prefs


def split_by_prompt(items: list, val_fraction: float, seed: int) -> tuple[list, list]:
    """(train, val): whole prompts go to validation, about `val_fraction` of them, never fewer than one."""
    keys = sorted({json.dumps(i.prompt, sort_keys=True, ensure_ascii=False) for i in items})
    if len(keys) < 2:
        return items, []
    random.Random(seed).shuffle(keys)
    held = set(keys[: max(1, round(len(keys) * val_fraction))])
    train = [i for i in items if json.dumps(i.prompt, sort_keys=True, ensure_ascii=False) not in held]
    val = [i for i in items if json.dumps(i.prompt, sort_keys=True, ensure_ascii=False) in held]
    return train, val
