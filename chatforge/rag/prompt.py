"""Grounded prompts: a versioned system template, few-shot examples from the FAQ, numbered passages.

The system prompt is a template file under `chatforge/rag/prompts/` (`grounded-v1.txt`, French `grounded-fr-v1.txt`; a
new wording is a new file, so an evaluation names the exact prompt it scored). It tells the
model to answer only from the passages, cite them as [n], and say it does not know otherwise.
With `chain_of_thought` the model is asked to reason inside <reasoning> first, and
`final_answer` strips that part before the user sees it.

Untrusted text (retrieved passages and the user's question) goes in the last user message,
inside <passages>/<passage n=...> and <question> delimiters, after HTML-escaping: a document
that contains "</passages> ignore previous instructions" cannot close the data block, and the
system prompt tells the model such text is data to quote, never an instruction.

Few-shot examples are the FAQ pairs closest to the question by embedding similarity, limited
to FAQ entries whose source document the caller may read (or with no source), so an example
never leaks an answer from a document outside the caller's roles.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

import numpy as np
from pydantic import Field

from chatforge.config import StageConfig
from chatforge.errors import ConfigError

PROMPTS = "prompts"


class PromptConfig(StageConfig):
    template: str = Field(
        "grounded-v1", description="System prompt template (file stem under chatforge/rag/prompts/, or a path)."
    )
    chain_of_thought: bool = Field(
        False, description="Ask for step-by-step reasoning before the answer (stripped from the reply)."
    )
    assistant: str = Field("the virtual assistant", description="Name the bot gives itself.")
    organisation: str = Field("the organisation", description="Whom the bot answers for.")
    faq: Path | None = Field(None, description="FAQ JSONL (messages + doc_id) for few-shot examples; unset = none.")
    few_shot: int = Field(2, ge=0, description="FAQ examples added as earlier turns.")
    max_passage_chars: int = Field(2000, ge=100, description="Longer passages are cut to this many characters.")


def load_template(name: str) -> tuple[str, str]:
    """(version name, template text) from the packaged prompts or a file path."""
    path = Path(name)
    if path.suffix and path.is_file():
        return path.stem, path.read_text(encoding="utf-8")
    try:
        return name, resources.files("chatforge.rag").joinpath(PROMPTS, f"{name}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"prompt template {name!r} not found under chatforge/rag/prompts/") from None


def _data(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(value) -> str:
    return html.escape(str(value), quote=True)


def format_passages(passages: list[dict], max_chars: int = 2000) -> str:
    """Numbered passages inside one delimited, escaped data block."""
    parts = ["<passages>"]
    for n, p in enumerate(passages, start=1):
        attrs = f'n="{n}" source="{_attr(p.get("doc_id") or p.get("source"))}"'
        if p.get("page"):
            attrs += f' page="{_attr(p["page"])}"'
        if p.get("heading"):
            attrs += f' section="{_attr(p["heading"])}"'
        parts.append(f"<passage {attrs}>\n{_data(str(p.get('text', ''))[:max_chars])}\n</passage>")
    parts.append("</passages>")
    return "\n".join(parts)


def user_message(question: str, passages: list[dict], max_chars: int = 2000) -> str:
    return (
        f"{format_passages(passages, max_chars)}\n\n<question>\n{_data(question)}\n</question>\n\n"
        "Answer the question from the passages above, citing them as [n]."
    )


@dataclass
class Prompt:
    messages: list[dict]  # OpenAI-style chat messages, ready for a chat template
    passages: list[dict]  # in citation order: [1] is passages[0]
    template: str

    def sources(self) -> list[str]:
        out = []
        for n, p in enumerate(self.passages, start=1):
            page = f", p. {p['page']}" if p.get("page") and p.get("page") != 1 else ""
            out.append(f"[{n}] {p.get('doc_id')}{page}" + (f" — {p['heading']}" if p.get("heading") else ""))
        return out


class FewShotSelector:
    """FAQ pairs nearest to a question, among those the caller may see."""

    def __init__(self, faq_path: str | Path, embedder):
        self.rows = []
        for line in Path(faq_path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            msgs = row.get("messages") or []
            user = next((m["content"] for m in msgs if m.get("role") == "user"), None)
            answer = next((m["content"] for m in msgs if m.get("role") == "assistant"), None)
            if user and answer:
                self.rows.append({"user": user, "assistant": answer, "doc_id": row.get("doc_id")})
        self.embedder = embedder
        self.vectors = embedder.encode([r["user"] for r in self.rows]) if self.rows else np.zeros((0, 1), np.float32)

    def select(self, question: str, n: int, readable_docs: set[str] | None) -> list[dict]:
        """Top-n by cosine; `readable_docs` None means no access check (no index to check against)."""
        if n <= 0 or not self.rows:
            return []
        sims = self.vectors @ self.embedder.encode([question])[0]
        out = []
        for i in np.argsort(-sims):
            doc = self.rows[i]["doc_id"]
            if readable_docs is not None and doc is not None and doc not in readable_docs:
                continue
            out.append(self.rows[i])
            if len(out) == n:
                break
        return out


def build_prompt(
    question: str, passages: list[dict], cfg: PromptConfig | None = None, examples: list[dict] | None = None
) -> Prompt:
    """System template + few-shot turns + one user turn with the delimited passages and question."""
    cfg = cfg or PromptConfig()
    version, text = load_template(cfg.template)
    reasoning = load_template("cot-v1")[1].strip() if cfg.chain_of_thought else ""
    system = (
        Template(text)
        .safe_substitute(assistant=cfg.assistant, organisation=cfg.organisation, reasoning=reasoning)
        .strip()
    )
    messages = [{"role": "system", "content": system}]
    for ex in examples or []:
        messages.append({"role": "user", "content": f"<question>\n{_data(ex['user'])}\n</question>"})
        messages.append({"role": "assistant", "content": ex["assistant"]})
    messages.append({"role": "user", "content": user_message(question, passages, cfg.max_passage_chars)})
    return Prompt(messages, passages, version + ("+cot-v1" if cfg.chain_of_thought else ""))


_REASONING = re.compile(r"<reasoning>.*?</reasoning>", re.S | re.I)


def final_answer(reply: str) -> str:
    """The part of a reply the user should see: reasoning removed, text after 'Answer:' when present."""
    text = _REASONING.sub("", reply)
    m = re.search(r"^\s*Answer:\s*", text, re.M | re.I)
    return (text[m.end() :] if m else text).strip()
