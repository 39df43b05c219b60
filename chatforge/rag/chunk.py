"""Structure-aware chunking: split a `Document` on headings and paragraphs first, then by token windows.

Each page of a document (Markdown-like text from `chatforge.data.documents`) is cut into
blocks: a `#` line opens a section and updates the heading path, blank lines separate
paragraphs. Consecutive paragraphs of one section are packed into a chunk up to
`max_tokens`; a paragraph longer than that is cut into windows of `max_tokens` with
`overlap_tokens` shared between neighbours. A chunk never spans two sections or two pages,
and keeps its document id, title, heading path, page (1-based) and character span in the
page, so a citation can point at the exact place.

Tokens here are words and punctuation marks (a regex), a cheap, model-free proxy: about
1.3 WordPiece tokens each for French or English, so the default 160 stays inside
MiniLM's 256-token window.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from pydantic import Field, model_validator

from chatforge.config import StageConfig
from chatforge.data.records import Document

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LETTER = re.compile(r"[^\W\d_]")


class ChunkConfig(StageConfig):
    max_tokens: int = Field(
        160, ge=16, description="Largest chunk, in word/punctuation tokens (~1.3 model tokens each)."
    )
    overlap_tokens: int = Field(32, ge=0, description="Tokens shared by neighbouring windows when a paragraph is cut.")

    @model_validator(mode="after")
    def _overlap_below_size(self) -> "ChunkConfig":
        if self.overlap_tokens >= self.max_tokens:
            raise ValueError("overlap_tokens must be smaller than max_tokens")
        return self


@dataclass
class Chunk:
    """One retrievable passage and where it sits in its document."""

    doc_id: str
    chunk_id: str
    text: str
    title: str
    heading: str  # heading path, "Section > Subsection"; "" before the first heading
    page: int  # 1-based page of the source (always 1 for single-page formats)
    start: int  # character span of `text` inside that page's text
    end: int
    source: str

    def embedding_text(self) -> str:
        """What gets embedded and BM25-indexed: the passage with its title and section for context."""
        context = " > ".join(p for p in (self.title, self.heading) if p)
        return f"{context}\n{self.text}" if context else self.text

    def to_payload(self) -> dict:
        return asdict(self)


@dataclass
class _Block:
    start: int
    end: int
    heading: str
    n_tokens: int


def _blocks(page: str, stack: list[tuple[int, str]]) -> list[_Block]:
    """Paragraph blocks of one page with their heading path; `stack` (level, text) carries across pages."""
    blocks: list[_Block] = []
    pos = 0
    for m in list(_PARAGRAPH_BREAK.finditer(page)) + [None]:
        end = m.start() if m else len(page)
        para_start = pos
        # a heading line inside a paragraph (no blank line after it) still opens a section
        line_start = pos
        for line in page[pos:end].split("\n"):
            line_end = line_start + len(line)
            h = _HEADING.match(line.strip())
            if h:
                if page[para_start:line_start].strip():
                    _add_block(blocks, page, para_start, line_start, stack)
                level = len(h.group(1))
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, h.group(2).strip()))
                para_start = line_end + 1
            line_start = line_end + 1
        if para_start < end and page[para_start:end].strip():
            _add_block(blocks, page, para_start, end, stack)
        pos = m.end() if m else len(page)
    return blocks


def _add_block(blocks: list[_Block], page: str, start: int, end: int, stack: list[tuple[int, str]]) -> None:
    text = page[start:end]
    lead = len(text) - len(text.lstrip())
    start, end = start + lead, start + len(text.rstrip())
    blocks.append(_Block(start, end, " > ".join(t for _, t in stack), len(_TOKEN.findall(page[start:end]))))


def _windows(page: str, block: _Block, size: int, overlap: int) -> list[tuple[int, int]]:
    """Character spans of token windows over one long block."""
    spans = [(block.start + m.start(), block.start + m.end()) for m in _TOKEN.finditer(page[block.start : block.end])]
    out, i, step = [], 0, size - overlap
    while i < len(spans):
        j = min(i + size, len(spans))
        out.append((spans[i][0], spans[j - 1][1]))
        if j == len(spans):
            break
        i += step
    return out


def chunk_document(doc: Document, doc_id: str, cfg: ChunkConfig | None = None) -> list[Chunk]:
    """Cut one document into chunks; ids are `doc_id#n` in reading order."""
    cfg = cfg or ChunkConfig()
    spans: list[tuple[int, str, int, int]] = []  # page, heading, start, end
    stack: list[tuple[int, str]] = []
    for page_no, page in enumerate(doc.pages, start=1):
        if not page.strip():
            continue
        group: list[_Block] = []

        def flush() -> None:
            # a span without a single letter (a stray page number, a rule of dashes) is not a passage
            if group and _LETTER.search(page[group[0].start : group[-1].end]):
                spans.append((page_no, group[0].heading, group[0].start, group[-1].end))
            group.clear()

        for block in _blocks(page, stack):
            if block.n_tokens > cfg.max_tokens:
                flush()
                spans.extend(
                    (page_no, block.heading, s, e) for s, e in _windows(page, block, cfg.max_tokens, cfg.overlap_tokens)
                )
                continue
            if group and (
                group[0].heading != block.heading or sum(b.n_tokens for b in group) + block.n_tokens > cfg.max_tokens
            ):
                flush()
            group.append(block)
        flush()
    return [
        Chunk(
            doc_id=doc_id,
            chunk_id=f"{doc_id}#{i}",
            text=doc.pages[page - 1][start:end],
            title=doc.title,
            heading=heading,
            page=page,
            start=start,
            end=end,
            source=doc.source,
        )
        for i, (page, heading, start, end) in enumerate(spans)
    ]
