"""A teacher model writes question/answer pairs grounded in one chunk; its replies are parsed defensively.

    chatforge data synth DOCS --index IDX --out DIR --teacher MODEL
    chatforge data synth DOCS --index IDX --out DIR --backend-url http://host:8000/v1 --backend-model NAME

`--teacher` is any spec `chatforge.models.load.load_model` accepts ('default', a folder, a GGUF file, a hub
id, registry:NAME@REF), generating through `chatforge.models.generate.stream`; `--backend-url` is an
OpenAI-compatible server (vLLM, Ollama, llama.cpp, another chatforge) reached with the `openai` client,
its key read from the environment variable CHATFORGE_BACKEND_KEY only (never an option, so it never
reaches a config file, a log or the summary).

The teacher sees one chunk and is asked for a JSON list of {"question", "answer"} in the chunk's
language. `parse_pairs` accepts a JSON list, {"pairs": [...]}, a list inside a code fence or prose,
loose JSON objects, or "Q: ... / A: ..." lines; a reply with none of these is unparsed, an item
without a non-empty question and answer is invalid: both are counted, never fatal.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable

from pydantic import Field

from chatforge.config import StageConfig
from chatforge.errors import ConfigError, UserError
from chatforge.output import redact_url

KEY_ENV = "CHATFORGE_BACKEND_KEY"
LANGUAGE_NAMES = {"fr": "French", "en": "English"}

SYSTEM = (
    "You write question and answer pairs to train a customer assistant. Use only the passage you are given. "
    "Each question must be one a customer could ask; each answer must be one or two sentences stating what "
    "the passage says, keeping amounts, numbers, durations, dates and codes exactly as written. "
    'Reply with JSON only: a list of objects with the keys "question" and "answer".'
)
USER = (
    'Passage from "{title}"{heading}:\n<<<\n{text}\n>>>\n\n'
    "Write up to {n} question and answer pairs in {language}, as a JSON list."
)


class TeacherConfig(StageConfig):
    model: str | None = Field(
        None,
        description="Teacher model spec (as load_model accepts); unset with no backend_url = extractive synthesis.",
    )
    backend_url: str | None = Field(
        None, description="OpenAI-compatible server URL of the teacher (key from env CHATFORGE_BACKEND_KEY)."
    )
    backend_model: str = Field("default", description="Model name sent to the backend server.")
    pairs_per_chunk: int = Field(3, ge=1, le=20, description="Pairs asked of the teacher for each chunk.")
    max_new_tokens: int = Field(400, ge=16, description="Longest teacher reply, in tokens.")
    temperature: float = Field(
        0.0, ge=0, description="Teacher sampling temperature; 0 = greedy (reproducible with a local teacher)."
    )
    timeout_s: float = Field(120.0, gt=0, description="Seconds to wait for one backend reply.")
    device: str | None = Field(None, description="Device of a local teacher: cpu / cuda; unset = cuda when available.")

    @property
    def enabled(self) -> bool:
        return bool(self.model or self.backend_url)


def teacher_messages(chunk: dict, lang: str, n: int) -> list[dict]:
    """The messages asking for `n` pairs grounded in `chunk` (payload: text, title, heading)."""
    heading = f' (section "{chunk["heading"]}")' if chunk.get("heading") else ""
    user = USER.format(
        title=chunk.get("title") or chunk.get("doc_id"),
        heading=heading,
        text=chunk["text"].strip(),
        n=n,
        language=LANGUAGE_NAMES.get(lang, "the passage's language"),
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S | re.I)
_OBJECT = re.compile(r"\{[^{}]*\}", re.S)
_QA = re.compile(
    r"^\s*(?:\d+[.)]\s*)?(?:Q|Question)\s*[:：]\s*(.+?)\s*\n\s*(?:A|R|Answer|Réponse)\s*[:：]\s*(.+?)\s*$", re.M | re.I
)


def _items(value) -> list | None:
    if isinstance(value, dict):
        value = value.get("pairs", value.get("questions", [value]))
    return value if isinstance(value, list) else None


def _loads(text: str):
    try:
        return json.loads(text)
    except (json.JSONDecodeError, ValueError, RecursionError):
        return None


def parse_pairs(reply: str) -> tuple[list[dict], int, bool]:
    """(pairs {question, answer}, invalid items, parsed at all) from a teacher's reply."""
    text = (reply or "").strip()
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    start, end = text.find("["), text.rfind("]")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    items = None
    for c in candidates:
        items = _items(_loads(c.strip()))
        if items is not None:
            break
    if items is None:
        loose = [_loads(m.group(0)) for m in _OBJECT.finditer(text)]
        items = [x for x in loose if isinstance(x, dict)] or None
    if items is None:
        items = [{"question": q, "answer": a} for q, a in _QA.findall(text)] or None
    if items is None:
        return [], 0, False
    pairs, invalid = [], 0
    for item in items:
        q = item.get("question", item.get("q")) if isinstance(item, dict) else None
        a = item.get("answer", item.get("a")) if isinstance(item, dict) else None
        if isinstance(q, str) and isinstance(a, str) and q.strip() and a.strip():
            pairs.append({"question": " ".join(q.split()), "answer": " ".join(a.split())})
        else:
            invalid += 1
    return pairs, invalid, True


def local_generator(cfg: TeacherConfig) -> Callable[[list[dict]], str]:
    """messages -> reply through a model load_model accepts, loaded once."""
    from chatforge.models.generate import stream
    from chatforge.models.load import load_model

    model, tokenizer = load_model(cfg.model, device=cfg.device)

    def generate(messages: list[dict]) -> str:
        return "".join(
            stream(
                model,
                tokenizer,
                messages=messages,
                max_new_tokens=cfg.max_new_tokens,
                temperature=cfg.temperature,
                seed=0,
            )
        )

    return generate


class BackendError(UserError):
    """The teacher's OpenAI-compatible server cannot be used (unreachable, key refused, unknown model)."""


class TeacherFailed(RuntimeError):
    """One teacher request failed (server error, timeout): that chunk's pairs are skipped and counted."""


def remote_generator(cfg: TeacherConfig) -> Callable[[list[dict]], str]:
    """messages -> reply from an OpenAI-compatible server (the real `openai` client), key from CHATFORGE_BACKEND_KEY."""
    import openai

    base = cfg.backend_url.rstrip("/")
    base = base if base.endswith("/v1") else base + "/v1"
    where = redact_url(base)
    client = openai.OpenAI(
        base_url=base, api_key=os.environ.get(KEY_ENV) or "none", timeout=cfg.timeout_s, max_retries=1
    )

    def generate(messages: list[dict]) -> str:
        try:
            resp = client.chat.completions.create(
                model=cfg.backend_model, messages=messages, max_tokens=cfg.max_new_tokens, temperature=cfg.temperature
            )
        except openai.APIConnectionError as exc:
            raise BackendError(f"teacher backend {where} unreachable: {type(exc).__name__}") from None
        except openai.AuthenticationError:
            raise BackendError(f"teacher backend {where} refused the key (set {KEY_ENV})") from None
        except openai.NotFoundError:
            raise BackendError(
                f"teacher backend {where} has no model {cfg.backend_model!r} (or no /chat/completions)"
            ) from None
        except (openai.APIStatusError, openai.APITimeoutError) as exc:
            raise TeacherFailed(f"{type(exc).__name__} {getattr(exc, 'status_code', '')}".strip()) from None
        choice = resp.choices[0] if resp.choices else None
        return (choice.message.content or "") if choice is not None and choice.message is not None else ""

    return generate


def make_generator(cfg: TeacherConfig) -> Callable[[list[dict]], str]:
    """The teacher's generator: a backend server when `backend_url` is set, else the local model."""
    if cfg.model and cfg.backend_url:
        raise ConfigError("give --teacher MODEL or --backend-url URL, not both")
    return remote_generator(cfg) if cfg.backend_url else local_generator(cfg)
