"""Extractive question/answer pairs from one chunk: headings, list items, table cells, definitions and figures.

    chatforge data synth DOCS --index IDX --out DIR          (no --teacher: this module writes the pairs)

No model is involved: every answer is text of the chunk (markdown emphasis dropped), so a pair is only as
good as its question. The kinds, best first:

- `heading_question`: a section heading that is itself a question ("## Why is my first bill higher?");
  the answer is the first sentences of the section.
- `table`: a table row under its header ("| Flex | 1 bagage de 23 kg |"): "What is the value of
  "Included bags" for Flex?" -> "For Flex, Included bags: 1 bagage de 23 kg." The header may sit above
  the chunk in the page (a chunk can start inside a table).
- `label`: a list item "Label: value" -> "Heading: what about Label?".
- `definition`: "X is / are / means Y" and "X est / sont / désigne Y" -> "What is X?".
- `figure`: a sentence or list item stating an amount, duration, measure, percentage or number; the
  question quotes it with the figure masked ("What amount completes "a late fee of … is added"?") and the
  masked figure is the key fact.
- `section`: the first sentence of a section -> "What should I know about {heading}?".

Questions are written in the document's language (French or English templates; English for any other).
`Candidate.facts` are the key facts a correct answer must state (eval's `facts`); a candidate without
facts is a training pair only, never a test item. Deterministic: no randomness here (synth.py samples).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chatforge.rag.verify import content_tokens, numbers

_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_LEADER = re.compile(r"\s*(?:\.{4,}|_{4,}|…{2,})\s*")
_BULLET = re.compile(r"^\s*(?:[-*•+]|\d+[.)])\s+")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«\"(A-ZÀ-ÖØ-Ý0-9$€])")
ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|p\.m|a\.m|etc|no|n°|cf|env|mr|mrs|dr|st|vs|approx)\.|\b[A-Z]\.)$", re.I)
_LABEL = re.compile(r"^([^:;.!?]{2,60}?)\s*(?::|\s[–—]\s)\s*(.+)$")
_DEFINITION = {
    "en": re.compile(
        r"^(?:([Aa]n?|[Tt]he)\s+)?([A-Z][^,;:.()]{1,60}?|[a-z][^,;:.()]{1,40}?)(?:\s*\([^)]{1,80}\))?\s+"
        r"(is|are|means|refers to)\s+(.{8,})$"
    ),
    "fr": re.compile(
        r"^(?:(le|la|les|un|une|l['’])\s*)?([^,;:.()]{2,60}?)(?:\s*\([^)]{1,80}\))?\s+"
        r"(est|sont|désigne|correspond à)\s+(.{8,})$",
        re.I,
    ),
}
_NOT_SUBJECT = frozenset(
    "it this that these those there here you your we our they he she i its their my "
    "il elle ils elles ce cela ceci c on nous vous cette cet ces tout chaque votre vos notre nos "
    "mon ma mes son sa ses leur leurs".split()
)
# a definition's predicate opens with a determiner: "X is a Y", "X est un Y" (not "X is open", "X est refusé")
_DEFINES = {
    "en": re.compile(r"(?:a|an|the|one|our)\s", re.I),
    "fr": re.compile(r"(?:un|une|le|la|les|l['’]|des|notre|nos)\b", re.I),
}
MONEY = r"(?:€|\$|£|\b(?:euros?|dollars?|EUR|USD)\b)"
_UNIT = (
    rf"%|{MONEY}|kg|cm|km/h|km|mm|m|min|minutes?|h|heures?|hours?|business days|jours ouvrés|jours?|days?|"
    r"semaines?|weeks?|mois|months?|ans|années|years?|nuits?|nights?|pour cent|percent"
)
_FIGURE = re.compile(
    rf"(?<![\w./:,-])(\d{{1,2}}\s?h\s?\d{{2}}|(?:[$€£]\s?)?\d+(?:[ \u00a0\u202f]\d{{3}})*(?:[.,]\d+)?(?:\s?(?:{_UNIT})(?![\w]))?)"
    r"(?![\w/:-]|[.,]\d)",
    re.I,
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
)
_MONTH = re.compile(rf"\b{_MONTHS}\s*$", re.I)
_MONTH_AFTER = re.compile(rf"^\s*{_MONTHS}\b", re.I)
_KIND = [
    ("money", re.compile(MONEY, re.I)),
    ("percent", re.compile(r"%|pour cent|percent", re.I)),
    ("duration", re.compile(r"min|h\b|heure|hour|jour|day|semaine|week|mois|month|ans|année|year|nuit|night", re.I)),
    ("measure", re.compile(r"kg|cm|km|mm|\bm\b", re.I)),
]

TEMPLATES = {
    "en": {
        "table": 'What is the value of "{col}" for {row}?',
        "table_answer": "For {row}, {col}: {cell}.",
        "label": "{heading}: what about {label}?",
        "label_nohead": "What about {label}?",
        "definition": "What {verb} {subject}?",
        "figure": 'What {noun} completes "{masked}"?',
        "section": "What should I know about {heading}?",
        "nouns": {
            "money": "amount",
            "percent": "percentage",
            "duration": "duration",
            "measure": "value",
            "number": "number",
        },
    },
    "fr": {
        "table": "Quelle est la valeur de « {col} » pour {row} ?",
        "table_answer": "Pour {row}, {col} : {cell}.",
        "label": "{heading} : qu'en est-il de {label} ?",
        "label_nohead": "Qu'en est-il de {label} ?",
        "definition": "{what} {subject} ?",
        "figure": "Quel {noun} complète « {masked} » ?",
        "section": "Que faut-il savoir sur « {heading} » ?",
        "nouns": {
            "money": "montant",
            "percent": "pourcentage",
            "duration": "délai",
            "measure": "chiffre",
            "number": "nombre",
        },
    },
}


@dataclass
class Candidate:
    """One extracted pair before verification; `answer` is chunk text, `facts` its key facts."""

    question: str
    answer: str
    kind: str
    facts: list[str] = field(default_factory=list)


def clean_inline(text: str) -> str:
    """Markdown emphasis, code ticks and links reduced to their text, dot leaders ("Day ...... 1 May") to a
    colon; spaces collapsed."""
    text = _LEADER.sub(": ", _LINK.sub(r"\1", text))
    text = _EMPHASIS.sub(lambda m: next(g for g in m.groups() if g is not None), text)
    return " ".join(text.split())


def sentences(paragraph: str) -> list[str]:
    """Sentences of one prose paragraph (an abbreviation's full stop does not end one)."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(paragraph.strip()):
        if out and ABBREVIATION.search(out[-1]):
            out[-1] += " " + piece
        elif piece.strip():
            out.append(piece.strip())
    return out


def _as_sentence(text: str) -> str:
    text = text.strip().rstrip(";, ")
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


def _cell(text: str) -> str:
    """A table cell as the end of a sentence: its own final full stop dropped (unless an abbreviation's)."""
    return text if ABBREVIATION.search(text) else text.rstrip(".")


def _cells(line: str) -> list[str] | None:
    """The cells of a table row ("| a | b |" or docx/html "a | b"), or None for a line that is no row."""
    if "|" not in line or _TABLE_SEP.match(line):
        return None
    cells = [clean_inline(c) for c in line.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 and all(cells) else None


def table_header(page: str, start: int) -> list[str] | None:
    """The header of the table a chunk starting at `start` opens inside: the first row of the contiguous
    run of table rows (blank lines allowed between rows) that ends at `start`, when the chunk starts in one."""
    lines = page[:start].rstrip("\n").split("\n")
    header = None
    for line in reversed(lines):
        if not line.strip() or _TABLE_SEP.match(line):
            continue
        cells = _cells(line)
        if cells is None:
            break
        header = cells
    return header


def _lines(text: str) -> list[tuple[str, str]]:
    """(kind, text) blocks of a chunk: `item` list items, `row` table rows, `sep` table separators, `prose`
    paragraphs (lines of one paragraph joined)."""
    out: list[tuple[str, str]] = []
    prose: list[str] = []

    def flush():
        if prose:
            out.append(("prose", " ".join(prose)))
            prose.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
        elif _TABLE_SEP.match(stripped) and "-" in stripped:
            flush()
            out.append(("sep", stripped))
        elif _cells(stripped) is not None:
            flush()
            out.append(("row", stripped))
        elif _BULLET.match(line):
            flush()
            out.append(("item", _BULLET.sub("", stripped)))
        elif line.startswith(("  ", "\t")) and out and out[-1][0] == "item" and not prose:
            out[-1] = ("item", out[-1][1] + " " + stripped)  # a list item wrapped over several lines
        else:
            prose.append(stripped)
    flush()
    return out


def figures(text: str) -> list[tuple[str, str]]:
    """(figure as written, kind) for each amount, duration, measure, percentage or plain number of `text`."""
    out = []
    for m in _FIGURE.finditer(text):
        fig = m.group(1).strip()
        kind = next((k for k, rx in _KIND if rx.search(fig)), "number")
        if kind == "number" and (
            re.fullmatch(r"(19|20)\d\d", fig) or _MONTH.search(text[: m.start()]) or _MONTH_AFTER.match(text[m.end() :])
        ):
            continue  # a bare year or the day of a date is rarely the fact asked for
        out.append((fig, kind))
    return out


def _figure_candidate(sentence: str, lang: str, heading: str) -> Candidate | None:
    found = figures(sentence)
    if not found or len(sentence.split()) > 40:
        return None
    fig, kind = found[0]
    masked = _FIGURE.sub(lambda m: "…" if numbers(m.group(1)) == numbers(fig) else m.group(0), sentence)
    masked = masked.rstrip(" .;:,")
    if numbers(fig) & numbers(masked) or len(content_tokens(masked)) < 2:
        return None
    t = TEMPLATES[lang]
    question = t["figure"].format(noun=t["nouns"][kind], masked=masked)
    if heading:
        question = f"{heading} — {question}"
    return Candidate(question, _as_sentence(sentence), "figure", [fig])


def _definition_candidate(sentence: str, lang: str) -> Candidate | None:
    m = _DEFINITION[lang].match(sentence)
    if not m:
        return None
    article, subject, verb, rest = (
        (m.group(1) or "").lower().replace("’", "'"),
        m.group(2).strip(),
        m.group(3).lower(),
        m.group(4),
    )
    words = subject.split()
    if (
        not 1 <= len(words) <= 6
        or words[0].lower().strip("'’") in _NOT_SUBJECT
        or not content_tokens(subject)
        or not _DEFINES[lang].match(rest)
    ):
        return None
    if lang == "en":
        question = TEMPLATES["en"]["definition"].format(
            verb=verb if verb in ("is", "are") else "is", subject=f"{article} {subject}".strip()
        )
    else:
        subj = article + subject if article.endswith("'") else f"{article} {subject}".strip()
        what = "Que sont" if verb == "sont" else "Qu'est-ce que"
        question = (
            f"{what} {subj}"
            if what == "Que sont" or subj[:1].lower() not in "aeiouyéèêàâîôh"
            else f"Qu'est-ce qu'{subj}"
        ) + " ?"
    clause = re.split(r"[,;:(]", rest)[0].split()
    fact = " ".join(clause[:4]).rstrip(".")
    facts = [fact] if content_tokens(fact) - content_tokens(question) else [fig for fig, _ in figures(sentence)]
    return Candidate(question, _as_sentence(sentence), "definition", facts)


def extract(
    chunk_text: str, heading: str, lang: str, header: list[str] | None = None, section_start: bool = True
) -> list[Candidate]:
    """Every extractive candidate of one chunk. `heading` is its heading path ("A > B"), `header` the
    table header found above the chunk (table_header) when it starts inside a table; `section_start`: the
    chunk is the first of its section (only then does its first sentence answer for the heading)."""
    lang = lang if lang in TEMPLATES else "en"
    t = TEMPLATES[lang]
    section = heading.split(" > ")[-1].strip() if heading else ""
    out: list[Candidate] = []
    blocks = _lines(chunk_text)
    prose_seen = not section_start
    for i, (kind, raw) in enumerate(blocks):
        text = clean_inline(raw)
        if kind == "row":
            cells = _cells(raw)
            if (blocks[i - 1][0] if i else None) not in ("row", "sep") and not (i == 0 and header is not None):
                header = cells  # a table's first row in the chunk is its header
                continue
            if header is None or cells == header or len(cells) != len(header):
                continue
            for col, cell in zip(header[1:], cells[1:]):
                if not content_tokens(cell) and not numbers(cell):
                    continue
                q = t["table"].format(col=col, row=cells[0])
                a = t["table_answer"].format(row=cells[0], col=col, cell=_cell(cell))
                a = a[:-1] if a.endswith("..") else a
                out.append(
                    Candidate(q, a, "table", [_cell(cell)] if len(cell.split()) <= 6 else [f for f, _ in figures(cell)])
                )
            continue
        if kind == "sep":
            continue
        if kind == "item":
            m = _LABEL.match(text)
            if m and len(m.group(1).split()) <= 6 and content_tokens(m.group(2)):
                label, value = m.group(1).strip(), m.group(2).strip()
                q = (t["label"] if section else t["label_nohead"]).format(heading=section, label=label)
                q = re.sub(r"\bde ([aeiouyéèêàâîôhAEIOUYÉÈÊÀÂÎÔH])", r"d'\1", q) if lang == "fr" else q
                facts = [f for f, _ in figures(value)] or ([value.rstrip(".;")] if len(value.split()) <= 5 else [])
                out.append(Candidate(q, _as_sentence(text), "label", facts))
                continue
            cand = _figure_candidate(text, lang, section)
            if cand:
                out.append(cand)
            continue
        for n, sentence in enumerate(sentences(text)):
            if sentence.endswith(":"):
                continue
            if not prose_seen and n == 0 and i == 0 and section:
                prose_seen = True
                if section.endswith("?"):
                    answer = " ".join(s for s in sentences(text)[:2] if not s.endswith(":"))
                    out.append(
                        Candidate(section, _as_sentence(answer), "heading_question", [f for f, _ in figures(answer)])
                    )
                elif len(sentence.split()) >= 6 and sentence[-1:] in ".!":  # a sentence, not a subtitle line
                    topic = " — ".join(p.strip() for p in heading.split(" > ")[-2:])
                    out.append(
                        Candidate(
                            t["section"].format(heading=topic),
                            _as_sentence(sentence),
                            "section",
                            [f for f, _ in figures(sentence)],
                        )
                    )
            out.extend(
                c for c in (_definition_candidate(sentence, lang), _figure_candidate(sentence, lang, section)) if c
            )
    return out
