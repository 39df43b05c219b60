"""The units the data stage moves around: chat records, documents and rejections."""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("system", "user", "assistant")


@dataclass
class Record:
    """One conversation: OpenAI-style messages plus where it came from."""

    messages: list[dict]
    source: str
    line: int | None = None
    id: str | None = None
    meta: dict = field(default_factory=dict)

    def text(self) -> str:
        return "\n".join(m["content"] for m in self.messages)


@dataclass
class Document:
    """A readable document (txt, md, html, pdf, docx) as Markdown-like text, one entry per page.

    Headings are rendered as `#` lines whatever the source format, so later stages
    (chunking for RAG, corpus for pretraining) see one structure.
    """

    source: str
    title: str
    format: str
    pages: list[str]
    meta: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(p for p in self.pages if p)


@dataclass
class Rejection:
    """An input item that was not used, with its place and the reason."""

    source: str
    reason: str
    line: int | None = None
    page: int | None = None

    def to_dict(self) -> dict:
        out = {"source": self.source, "line": self.line, "reason": self.reason}
        if self.page is not None:
            out["page"] = self.page
        return out
