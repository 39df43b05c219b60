import json
from pathlib import Path

import pytest

from chatforge.data.chat_readers import read_csv, read_json, read_jsonl
from chatforge.data.documents import read_document
from chatforge.data.records import Record, Rejection
from chatforge.errors import InputError
from tests.conftest import write_jsonl


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Record)], [i for i in items if isinstance(i, Rejection)]


@pytest.mark.parametrize(
    "row,shape",
    [
        ({"conversations": [{"from": "human", "value": "Q?"}, {"from": "gpt", "value": "A."}]}, "sharegpt"),
        ({"instruction": "Q?", "input": "", "output": "A."}, "alpaca"),
        ({"prompt": "Q?", "completion": "A."}, "prompt_completion"),
        ({"question": "Q?", "answer": "A.", "id": "x1", "doc_id": "d"}, "qa"),
        ({"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]}, "messages"),
    ],
)
def test_shapes_detected_and_converted(tmp_path: Path, row, shape):
    recs, rej = _split(read_jsonl(write_jsonl(tmp_path / "f.jsonl", [row, row]), None, ["cp1252"]))
    assert not rej and len(recs) == 2
    assert [m["role"] for m in recs[0].messages] == ["user", "assistant"]
    assert recs[0].messages[0]["content"] == "Q?" and recs[0].messages[1]["content"] == "A."
    if shape == "qa":
        assert recs[0].id == "x1" and recs[0].meta == {"doc_id": "d"}


def test_malformed_lines_rejected_with_line_numbers(tmp_path: Path):
    good = {"prompt": "Bonjour ?", "completion": "Bonjour !"}
    f = write_jsonl(
        tmp_path / "f.jsonl", [good, '{"prompt": "tronqu', good, '"texte"', {"prompt": "sans réponse"}, good]
    )
    recs, rej = _split(read_jsonl(f, None, ["cp1252"]))
    assert [r.line for r in recs] == [1, 3, 6]
    assert [(r.line, r.reason.split(":")[0]) for r in rej] == [
        (2, "malformed JSON"),
        (4, "record is a str, not an object"),
        (5, "missing field 'completion'"),
    ]


def test_cp1252_lines_decoded(tmp_path: Path):
    f = tmp_path / "legacy.jsonl"
    utf8 = json.dumps({"prompt": "Prix du bagage ?", "completion": "25 € en ligne."}, ensure_ascii=False)
    cp = json.dumps({"prompt": "Où est ma réservation ?", "completion": "Dans votre espace."}, ensure_ascii=False)
    f.write_bytes(utf8.encode("utf-8") + b"\n" + cp.encode("cp1252") + b"\n")
    recs, rej = _split(read_jsonl(f, None, ["cp1252"]))
    assert not rej
    assert recs[1].messages[0]["content"] == "Où est ma réservation ?"
    recs, rej = _split(read_jsonl(f, None, []))
    assert len(recs) == 1 and rej[0].line == 2 and "undecodable" in rej[0].reason


def test_unknown_shape_is_a_clear_error(tmp_path: Path):
    f = write_jsonl(tmp_path / "odd.jsonl", [{"foo": 1}, {"bar": 2}])
    with pytest.raises(InputError, match="cannot recognise"):
        list(read_jsonl(f, None, []))


def test_json_array(tmp_path: Path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps({"data": [{"question": "Q?", "answer": "A."}, {"question": "Q2?"}]}))
    recs, rej = _split(read_json(f, None, []))
    assert len(recs) == 1 and rej[0].line == 2 and "answer" in rej[0].reason


def test_csv_with_mapping_and_multiline_fields(tmp_path: Path):
    f = tmp_path / "t.csv"
    f.write_text(
        'ticket_id,customer_message,agent_reply\n1,"Bonjour,\nun souci ?","Oui, dites-moi."\n2,,"vide"\n3,"Q3","A3"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="csv.user_column"):
        list(read_csv(f, [], None, None))
    recs, rej = _split(read_csv(f, [], "customer_message", "agent_reply"))
    assert [r.line for r in recs] == [2, 5] and recs[0].meta == {"ticket_id": "1"}
    assert recs[0].messages[0]["content"] == "Bonjour,\nun souci ?"
    assert rej[0].line == 4 and "customer_message" in rej[0].reason


def test_pdf_docx_markdown_documents(tmp_path: Path):
    from docx import Document as Docx
    from fpdf import FPDF

    pdf = FPDF()
    for text in ("Page une : franchise bagage.", "Page deux : animaux en cabine."):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.cell(0, 10, text)
    pdf.output(str(tmp_path / "d.pdf"))
    doc, rej = read_document(tmp_path / "d.pdf")
    assert not rej and doc.format == "pdf" and len(doc.pages) == 2
    assert "animaux" in doc.pages[1]

    d = Docx()
    d.add_heading("Procédure bagage perdu", level=1)
    d.add_paragraph("Déclarer un PIR sous 24 h.")
    d.save(str(tmp_path / "p.docx"))
    doc, rej = read_document(tmp_path / "p.docx")
    assert doc.text.splitlines()[0] == "# Procédure bagage perdu" and "PIR" in doc.text

    (tmp_path / "m.md").write_text("---\ntitle: Tarifs\n---\n# Nos tarifs\n\nEssentiel, Flex, Liberté.\n")
    doc, _ = read_document(tmp_path / "m.md")
    assert doc.title == "Tarifs" and doc.text.startswith("# Nos tarifs")


def test_unreadable_pdf_and_binary_text_are_rejected(tmp_path: Path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage \x00\x01 not a pdf")
    doc, rej = read_document(tmp_path / "bad.pdf")
    assert doc is None and "PDF" in rej[0].reason and rej[0].source.endswith("bad.pdf")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    doc, rej = read_document(tmp_path / "bin.txt")
    assert doc is None and "binary" in rej[0].reason
