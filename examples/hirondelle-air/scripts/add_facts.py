"""Add `facts` to every answerable item of testset.jsonl: the key facts a correct answer must contain.

Facts are short and checkable (chatforge/eval/facts.py normalises numbers, units, case and accents).
They are written once per reference answer (keyed by the id of the first item carrying it) and
copied to every item with the same reference (paraphrases). A fact set that an echo of the
question would already satisfy is refused: the facts must be what the answer adds. The script checks that each fact is
present in its item's reference answer and in the text of its source document (only its figures
when the question's language is not the document's, and not for a figure the question asks to
compute: `DERIVED`), and that every answerable item got facts; unanswerable items get `facts: []`.

Usage: python scripts/add_facts.py   (rewrites ../testset.jsonl in place; run after make_testset.py)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
FACTS = {
    "test-0001": ["55 x 35 x 25 cm", "8 kg"],
    "test-0005": ["25 €", "45 €"],
    "test-0008": ["30 heures", "1 heure"],
    "test-0012": ["8 kg", "60 €"],
    "test-0015": ["5 à 11 ans", "70 €"],
    "test-0019": ["400 €"],
    "test-0022": ["40 000 points"],
    "test-0025": ["02 40 00 12 34", "8 h", "20 h"],
    "test-0029": ["gratuite", "48 heures"],
    "test-0032": ["30 €"],
    "test-0035": ["2 mois", "7 jours"],
    "test-0038": ["10 %"],
    "test-0041": ["50 €", "32 kg"],
    "test-0045": ["20 minutes"],
    "test-0048": ["50 €"],
    "test-0051": ["182,4", "6,1"],
    "test-0054": ["500 heures"],
    "test-0057": ["150 €", "SUP-VALID"],
    "test-0060": ["Liberté", "sièges"],
    "test-0061": ["tarifs différents"],
    "test-0062": ["soute", "45 €"],
    "test-0063": ["32 kg", "refusés"],
    "test-0064": ["158 cm"],
    "test-0065": ["45 minutes"],
    "test-0066": ["embarquement prioritaire", "Plume"],
    "test-0067": ["sans frais", "jusqu'au départ"],
    "test-0068": ["moyen de paiement", "7 jours"],
    "test-0069": ["Mes réservations", "contact@hirondelle-air.example"],
    "test-0070": ["3 heures", "250 €"],
    "test-0071": ["hôtel", "transport"],
    "test-0072": ["gratuitement"],
    "test-0073": ["animaux en soute", "8 kg"],
    "test-0074": ["48 heures"],
    "test-0075": ["7 jours"],
    "test-0076": ["2 000 points", "20 €"],
    "test-0077": ["24 mois"],
    "test-0078": ["35 €"],
    "test-0079": ["batterie", "lithium"],
    "test-0080": ["1 h 35"],
    "test-0081": ["2 vols par jour"],
    "test-0082": ["72 heures"],
    "test-0083": ["accompagnateur"],
    "test-0084": ["eau", "petit-beurre"],
    "test-0085": ["3,00 €"],
    "test-0086": ["6 mois"],
    "test-0087": ["3 Embraer E195-E2"],
    "test-0088": ["100 Wh", "soute"],
    "test-0089": ["1 288 droits de tirage spéciaux"],
    "test-0090": ["lundis", "mercredis", "vendredis", "dimanches"],
    "test-0091": ["virement bancaire", "bon d'achat"],
    "test-0092": ["24 hours"],
    "test-0093": ["45 x 35 x 20 cm"],
    "test-0094": ["2-hour", "refreshments"],
    "test-0095": ["security"],
    "test-0096": ["one infant per adult"],
    "test-0097": ["21 jours"],
    "test-0098": ["50 € par jour", "150 €"],
    "test-0099": ["responsable relations clientèle"],
    "test-0100": ["Air Littoral", "IRROPS-PARTNER"],
    "test-0101": ["1 000 €", "finance"],
    "test-0102": ["sécurité", "aéroport"],
    "test-0103": ["Nid", "Cirrus"],
    "test-0104": ["81,4 %", "74 %"],
    "test-0105": ["9,8 centimes"],
    "test-0106": ["65 %", "712 USD"],
    "test-0107": ["310 000 €"],
    "test-0108": ["265 000 USD", "avril 2026"],
    "test-0109": ["45 days end of month"],
    "test-0110": ["3 chargebacks", "12 rolling months", "blocked"],
    "test-0111": ["1 000 heures"],
    "test-0112": ["5 000 heures", "24 mois"],
    "test-0113": ["FL250"],
    "test-0114": ["catégorie C", "10 jours"],
    "test-0115": ["chaque visite journalière"],
    "test-0116": ["4471"],
    "test-0117": ["final step", "start time"],
    "test-0118": ["48 hours"],
}

DERIVED = {("test-0098", "150 €")}  # 3 days x 50 € per day: the document gives the rate, the question asks the sum


def document_text(doc_id: str) -> str:
    """The document's text as the index reads it (rag/ingest's readers)."""
    from chatforge.data.documents import read_document

    doc, rejections = read_document(HERE / "knowledge" / doc_id)
    if doc is None:
        raise ValueError("; ".join(str(r) for r in rejections) or "no text")
    return doc.text


def main() -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    from chatforge.eval.facts import atoms, fact_atoms, has_fact

    path = HERE / "testset.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_ref = {}
    for r in rows:
        if r["id"] in FACTS:
            by_ref[r["answer"]] = FACTS[r["id"]]
    problems = []
    for r in rows:
        if not r.get("answerable", True):
            r["facts"] = []
            continue
        r["facts"] = by_ref.get(r["answer"], [])
        if not r["facts"]:
            problems.append(f"{r['id']}: no facts")
        problems += [f"{r['id']}: fact {f!r} not in its reference" for f in r["facts"] if not has_fact(r["answer"], f)]
        if r["facts"] and all(has_fact(r["question"], f) for f in r["facts"]):
            problems.append(f"{r['id']}: an echo of the question holds every fact")
    texts = {}
    for r in rows:
        if r.get("doc_id") and r["facts"]:
            try:
                texts.setdefault(r["doc_id"], document_text(r["doc_id"]))
            except Exception as exc:  # noqa: BLE001 - report and go on
                problems.append(f"{r['doc_id']}: unreadable ({exc})")
                continue
            same_lang = r.get("lang", "fr") == ("en" if Path(r["doc_id"]).name.startswith("en-") else "fr")
            doc_atoms = atoms(texts[r["doc_id"]])
            for f in r["facts"]:
                need = fact_atoms(f) if same_lang else {a for a in fact_atoms(f) if a[0].isdigit()}
                if (r["id"], f) not in DERIVED and not need <= doc_atoms:
                    problems.append(f"{r['id']}: fact {f!r} not in {r['doc_id']}")
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    for p in problems:
        print(p, file=sys.stderr)
    print(
        f"{sum(1 for r in rows if r['facts'])} items with facts, {sum(1 for r in rows if not r.get('answerable', True))} "
        f"unanswerable, {len(problems)} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
