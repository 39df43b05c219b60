"""Text cleaning: HTML to text, Unicode repair and NFC normalisation, whitespace.

`clean_text` is applied to every message; `html_document_to_text` turns a whole web
page into Markdown-like text (headings as `#`, list items as `- `, navigation and
footers dropped).
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy
from bs4 import BeautifulSoup
from ftfy.badness import is_bad

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>|<!--.*?-->", re.S)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")
_BREAK = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*(p|div|li|tr|h[1-6])\s*>", re.I)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_DROP_TAGS = ("script", "style", "nav", "footer", "header", "aside", "form", "noscript", "iframe", "svg", "button")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text) or _ENTITY.search(text))


def html_fragment_to_text(text: str) -> str:
    """Strip tags and entities from a message that contains HTML, keeping line breaks."""
    text = _BREAK.sub("\n", text)
    text = BeautifulSoup(text, "html.parser").get_text()
    return html.unescape(text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fix_unicode(text: str) -> str:
    """Repair mojibake (`rÃ©servation` -> `réservation`), drop control characters, normalise to NFC.

    ftfy runs only where its own detector (`is_bad`) sees mojibake: clean text, the
    vast majority, skips its many passes.
    """
    if text.isascii():
        return _CONTROL.sub("", text)
    if is_bad(text):
        text = ftfy.fix_text(text, normalization="NFC")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))


def normalise_whitespace(text: str) -> str:
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def clean_text(text: str, strip_html: bool = True, repair_unicode: bool = True) -> tuple[str, bool]:
    """Return (clean text, whether HTML was removed)."""
    had_html = False
    if strip_html and looks_like_html(text):
        text, had_html = html_fragment_to_text(text), True
    if repair_unicode:
        text = fix_unicode(text)
    return normalise_whitespace(text), had_html


def html_document_to_text(raw: str) -> tuple[str | None, str]:
    """(title, Markdown-like body) of a full HTML page."""
    soup = BeautifulSoup(raw, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else None
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    body = soup.find("main") or soup.find("article") or soup.body or soup
    blocks: list[str] = []
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote", "dt", "dd"]):
        if el.find_parent(["li", "tr", "blockquote"]) is not None and el.name in ("p", "li"):
            continue  # nested content is emitted with its container
        text = normalise_whitespace(el.get_text(" ", strip=True))
        if not text:
            continue
        if el.name[0] == "h" and el.name[1:].isdigit():
            blocks.append(f"{'#' * int(el.name[1])} {text}")
        elif el.name == "li":
            blocks.append(f"- {text}")
        elif el.name == "tr":
            cells = [normalise_whitespace(c.get_text(" ", strip=True)) for c in el.find_all(["td", "th"])]
            blocks.append(" | ".join(cells))
        else:
            blocks.append(text)
    if not blocks:  # a page of bare text without block tags
        blocks = [normalise_whitespace(body.get_text("\n", strip=True))]
    text = fix_unicode("\n\n".join(blocks))
    h1 = next((b[2:] for b in blocks if b.startswith("# ")), None)
    return (title or h1), text
