#!/usr/bin/env python3
"""Regenerate the PDF and DOCX documents of the Hirondelle Air knowledge base.

Sources live in ``knowledge_src/<audience>/<name>.<pdf|docx>.txt`` and are
written to ``knowledge/<audience>/<name>.<pdf|docx>``.

Source markup (one construct per line):

* ``# Title``            document title (first line)
* ``## Heading``         section heading
* ``### Sub-heading``    sub-section heading
* ``- item``             bullet
* ``1. item``            numbered item
* ``| a | b |``          table row (first row of a block = header row)
* blank line             paragraph break
* ``<<<PAGEBREAK>>>`` or a form feed (``\\f``) line: page break (PDF only;
  ignored for DOCX)

The output is deterministic: fixed creation dates, fixed document ids and
normalised ZIP timestamps, so running the script twice gives identical bytes.

Usage::

    python scripts/build_documents.py            # build everything
    python scripts/build_documents.py --check    # build, then verify text extraction
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

DOMAIN_DIR = Path(__file__).resolve().parent.parent
SRC_DIR = DOMAIN_DIR / "knowledge_src"
OUT_DIR = DOMAIN_DIR / "knowledge"

FIXED_DATE = dt.datetime(2026, 1, 15, 9, 0, 0, tzinfo=dt.timezone.utc)
ZIP_DATE = (2026, 1, 15, 9, 0, 0)
AUTHOR = "Hirondelle Air"
PAGEBREAK = "<<<PAGEBREAK>>>"


# --------------------------------------------------------------------------- parsing
@dataclass
class Block:
    kind: str  # title | h2 | h3 | para | bullet | number | table | pagebreak
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def parse_source(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush_para() -> None:
        if para:
            blocks.append(Block("para", " ".join(s.strip() for s in para)))
            para.clear()

    def flush_table() -> None:
        if table:
            blocks.append(Block("table", rows=[r[:] for r in table]))
            table.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped == PAGEBREAK or stripped == "\f":
            flush_para()
            flush_table()
            blocks.append(Block("pagebreak"))
            continue
        if stripped.startswith("|"):
            flush_para()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells):
                continue  # markdown separator row
            table.append(cells)
            continue
        flush_table()
        if not stripped:
            flush_para()
        elif line.startswith("# "):
            flush_para()
            blocks.append(Block("title", line[2:].strip()))
        elif line.startswith("## "):
            flush_para()
            blocks.append(Block("h2", line[3:].strip()))
        elif line.startswith("### "):
            flush_para()
            blocks.append(Block("h3", line[4:].strip()))
        elif line.startswith("- "):
            flush_para()
            blocks.append(Block("bullet", line[2:].strip()))
        elif re.match(r"^\d+\. ", line):
            flush_para()
            blocks.append(Block("number", line.strip()))
        else:
            para.append(line)
    flush_para()
    flush_table()
    return blocks


# --------------------------------------------------------------------------- fonts
def find_fonts() -> tuple[Path, Path]:
    """Return (regular, bold) TTF paths with full Latin-1 + euro coverage."""
    candidates: list[Path] = []
    try:
        import matplotlib  # shipped with the project's dependencies

        candidates.append(Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf")
    except Exception:  # pragma: no cover - optional
        pass
    candidates += [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/Library/Fonts"),
    ]
    for d in candidates:
        reg, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if reg.exists() and bold.exists():
            return reg, bold
    raise SystemExit(
        "No DejaVuSans.ttf found: install matplotlib (pip install matplotlib) or the fonts-dejavu package."
    )


# --------------------------------------------------------------------------- PDF
def build_pdf(blocks: list[Block], out: Path, confidential: bool) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    regular, bold = find_fonts()
    title = next((b.text for b in blocks if b.kind == "title"), out.stem)
    footer_label = "Hirondelle Air – document interne" if confidential else "Hirondelle Air"

    class Doc(FPDF):
        def footer(self) -> None:  # noqa: D401
            self.set_y(-14)
            self.set_font("dejavu", size=8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 8, f"{footer_label} – page {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Doc(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(title)
    pdf.set_author(AUTHOR)
    pdf.set_creator("chatforge examples/hirondelle-air/scripts/build_documents.py")
    pdf.set_producer("fpdf2")
    pdf.set_subject("Hirondelle Air")
    pdf.file_id = lambda *args, **kwargs: "<4869726F6E64656C6C6541697221212121><4869726F6E64656C6C6541697221212121>"
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 20, 20)
    pdf.add_font("dejavu", "", str(regular))
    pdf.add_font("dejavu", "B", str(bold))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    for b in blocks:
        if b.kind == "pagebreak":
            pdf.add_page()
        elif b.kind == "title":
            pdf.set_font("dejavu", "B", 17)
            pdf.multi_cell(width, 8.5, b.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(4)
        elif b.kind in ("h2", "h3"):
            pdf.ln(2)
            pdf.set_font("dejavu", "B", 13 if b.kind == "h2" else 11.5)
            pdf.multi_cell(width, 7, b.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif b.kind == "para":
            pdf.set_font("dejavu", "", 10.5)
            pdf.multi_cell(width, 5.6, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2.5)
        elif b.kind in ("bullet", "number"):
            pdf.set_font("dejavu", "", 10.5)
            marker = "•" if b.kind == "bullet" else ""
            pdf.set_x(pdf.l_margin + 4)
            if marker:
                pdf.cell(5, 5.6, marker)
            pdf.multi_cell(width - 9, 5.6, b.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif b.kind == "table":
            pdf.set_font("dejavu", "", 9.5)
            ncols = max(len(r) for r in b.rows)
            with pdf.table(
                width=width,
                line_height=5.5,
                text_align="LEFT",
                headings_style=None,
                first_row_as_headings=False,
            ) as table:
                for i, r in enumerate(b.rows):
                    row = table.row()
                    for c in r + [""] * (ncols - len(r)):
                        if i == 0:
                            pdf.set_font("dejavu", "B", 9.5)
                        row.cell(c)
                    pdf.set_font("dejavu", "", 9.5)
            pdf.ln(3)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(bytes(pdf.output()))


# --------------------------------------------------------------------------- DOCX
def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a ZIP (docx) with fixed timestamps and sorted entries."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    names = src.namelist()
    # [Content_Types].xml must stay first for some readers.
    ordered = [n for n in names if n == "[Content_Types].xml"] + sorted(n for n in names if n != "[Content_Types].xml")
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return buf.getvalue()


def build_docx(blocks: list[Block], out: Path, confidential: bool) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    title = next((b.text for b in blocks if b.kind == "title"), out.stem)
    cp = document.core_properties
    cp.title = title
    cp.author = AUTHOR
    cp.last_modified_by = AUTHOR
    cp.created = FIXED_DATE.replace(tzinfo=None)
    cp.modified = FIXED_DATE.replace(tzinfo=None)
    cp.last_printed = FIXED_DATE.replace(tzinfo=None)
    cp.revision = 1
    cp.comments = "Generated by scripts/build_documents.py"
    cp.keywords = "Hirondelle Air; interne" if confidential else "Hirondelle Air"
    cp.language = "fr-FR"

    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)

    for b in blocks:
        if b.kind == "pagebreak":
            continue
        if b.kind == "title":
            document.add_heading(b.text, level=0)
        elif b.kind == "h2":
            document.add_heading(b.text, level=1)
        elif b.kind == "h3":
            document.add_heading(b.text, level=2)
        elif b.kind == "para":
            document.add_paragraph(b.text)
        elif b.kind == "bullet":
            document.add_paragraph(b.text, style="List Bullet")
        elif b.kind == "number":
            text = re.sub(r"^\d+\.\s+", "", b.text)
            document.add_paragraph(text, style="List Number")
        elif b.kind == "table":
            ncols = max(len(r) for r in b.rows)
            table = document.add_table(rows=0, cols=ncols)
            table.style = "Table Grid"
            for i, r in enumerate(b.rows):
                cells = table.add_row().cells
                for j, c in enumerate(r + [""] * (ncols - len(r))):
                    cells[j].text = c
                    if i == 0:
                        for run in cells[j].paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph("")
    buf = io.BytesIO()
    document.save(buf)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_normalise_zip(buf.getvalue()))


# --------------------------------------------------------------------------- checks
def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def extract_pdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def extract_docx(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def verify(src: Path, out: Path, blocks: list[Block]) -> list[str]:
    problems: list[str] = []
    text = extract_pdf(out) if out.suffix == ".pdf" else extract_docx(out)
    flat = _norm(text)
    # every heading and a sample of paragraphs must be found verbatim (accents included)
    probes = [b.text for b in blocks if b.kind in ("title", "h2", "h3")]
    probes += [b.text[:60] for b in blocks if b.kind == "para"][:6]
    for p in probes:
        # PDF line wrapping may join words differently; compare with spaces removed
        if p.replace(" ", "") not in flat.replace(" ", ""):
            problems.append(f"{out.name}: text not found after extraction: {p!r}")
    if out.suffix == ".pdf":
        from pypdf import PdfReader

        n_pages = len(PdfReader(str(out)).pages)
        expected = 1 + sum(b.kind == "pagebreak" for b in blocks)
        if n_pages < expected:
            problems.append(f"{out.name}: {n_pages} pages, expected >= {expected}")
    for ch in "éèàçôû€":
        if ch in "".join(b.text for b in blocks) and ch not in flat:
            problems.append(f"{out.name}: character {ch!r} lost in extraction")
    return problems


# --------------------------------------------------------------------------- main
def sources() -> list[tuple[Path, Path]]:
    pairs = []
    for src in sorted(SRC_DIR.rglob("*.txt")):
        rel = src.relative_to(SRC_DIR)
        name = rel.name[: -len(".txt")]
        if not (name.endswith(".pdf") or name.endswith(".docx")):
            continue
        pairs.append((src, OUT_DIR / rel.parent / name))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="verify text extraction after building")
    args = ap.parse_args(argv)

    problems: list[str] = []
    for src, out in sources():
        blocks = parse_source(src.read_text(encoding="utf-8"))
        confidential = out.relative_to(OUT_DIR).parts[0] != "public"
        if out.suffix == ".pdf":
            build_pdf(blocks, out, confidential)
        else:
            build_docx(blocks, out, confidential)
        print(f"built {out.relative_to(DOMAIN_DIR)}")
        if args.check:
            problems += verify(src, out, blocks)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.check:
        print("all documents verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
