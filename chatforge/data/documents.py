"""Readers for documents (text, Markdown, HTML, PDF, DOCX) into one Markdown-like form.

Whatever the format, a `Document` holds pages of text in which headings are `#` lines
and list items `- ` lines, so the RAG chunker and the pretraining corpus see one
structure. PDF keeps one entry per page (page numbers matter for citations); the
other formats are a single page. A page that cannot be read is reported, the others
are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from chatforge.data.clean import html_document_to_text
from chatforge.data.decode import UndecodableError, read_text
from chatforge.data.records import Document, Rejection

DOCUMENT_FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _first_heading(text: str) -> str | None:
    m = re.search(r"^#{1,6}\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else None


def read_markdown(path: Path, fallbacks) -> tuple[Document | None, list[Rejection]]:
    text, _ = read_text(path, fallbacks)
    meta: dict = {}
    m = _FRONT_MATTER.match(text)
    if m:
        # Front matter carries the document's access `roles`: a block that cannot be read must not let the
        # document through unlabelled (it would be indexed with the default roles, possibly public).
        try:
            loaded = yaml.safe_load(m.group(1))
        except yaml.YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 2}" if where is not None else ""  # +2: 0-based, after the opening ---
            return None, [Rejection(str(path), f"front matter is not valid YAML{line}: {getattr(exc, 'problem', exc)}")]
        if loaded is not None and not isinstance(loaded, dict):
            return None, [
                Rejection(
                    str(path),
                    f"front matter must be a mapping of keys (title, roles, ...), not a {type(loaded).__name__}",
                )
            ]
        meta = loaded or {}
        text = text[m.end() :]
    title = str(meta.get("title") or _first_heading(text) or path.stem)
    return Document(str(path), title, "markdown", [text.strip()], meta), []


def read_plain(path: Path, fallbacks) -> tuple[Document | None, list[Rejection]]:
    text, _ = read_text(path, fallbacks)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
    return Document(str(path), first[:120], "text", [text.strip()]), []


def read_html(path: Path, fallbacks) -> tuple[Document | None, list[Rejection]]:
    raw, _ = read_text(path, fallbacks)
    title, text = html_document_to_text(raw)
    return Document(str(path), title or _first_heading(text) or path.stem, "html", [text]), []


def read_pdf(path: Path, fallbacks=None) -> tuple[Document | None, list[Rejection]]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    source = str(path)
    try:
        reader = PdfReader(str(path))
        n_pages = len(reader.pages)
    except (PyPdfError, ValueError, OSError, KeyError) as exc:
        return None, [Rejection(source, f"unreadable PDF: {exc}")]
    pages, rejected = [], []
    for i in range(n_pages):
        try:
            pages.append((reader.pages[i].extract_text() or "").strip())
        except Exception as exc:  # pypdf raises many types on broken pages; one page must not sink the file
            pages.append("")
            rejected.append(Rejection(source, f"unreadable page: {exc}", page=i + 1))
    if not any(pages):
        rejected.append(Rejection(source, "PDF has no extractable text (scanned image?)"))
        return None, rejected
    meta_title = None
    try:
        meta_title = reader.metadata.title if reader.metadata else None
    except Exception:
        meta_title = None
    first_line = next((ln.strip() for ln in pages[0].splitlines() if ln.strip()), path.stem) if pages[0] else path.stem
    return Document(source, meta_title or first_line, "pdf", pages, {"pages": n_pages}), rejected


def read_docx(path: Path, fallbacks=None) -> tuple[Document | None, list[Rejection]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    source = str(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError, OSError) as exc:
        return None, [Rejection(source, f"unreadable DOCX: {exc}")]
    except Exception as exc:  # corrupt zip members surface as zipfile / lxml errors
        return None, [Rejection(source, f"unreadable DOCX: {type(exc).__name__}: {exc}")]
    lines: list[str] = []
    title = (document.core_properties.title or "").strip()
    saw_title = False
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style == "Title":
            lines.append(f"# {text}")
            title, saw_title = title or text, True
        elif style.startswith("Heading"):
            level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
            lines.append(f"{'#' * min(level + saw_title, 6)} {text}")
        elif "List" in style:
            lines.append(f"- {text}")
        else:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    body = "\n\n".join(lines)
    return Document(source, title or _first_heading(body) or path.stem, "docx", [body]), []


_READERS = {"markdown": read_markdown, "text": read_plain, "html": read_html, "pdf": read_pdf, "docx": read_docx}


def read_document(path: Path, fallbacks=("cp1252",)) -> tuple[Document | None, list[Rejection]]:
    """Read one document; returns (document or None, rejections). Never raises on bad content."""
    fmt = DOCUMENT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: not a document format ({', '.join(sorted(DOCUMENT_FORMATS))})")
    try:
        doc, rejected = _READERS[fmt](path, fallbacks)
    except UndecodableError as exc:
        return None, [Rejection(str(path), f"undecodable file: {exc}")]
    except RecursionError:  # front matter of 10,000 `[`, or markup nested as deep: the file is not used
        return None, [Rejection(str(path), "nested too deeply to read (front matter or markup)")]
    if doc is not None and not doc.text.strip():
        return None, rejected + [Rejection(str(path), "document is empty")]
    return doc, rejected
