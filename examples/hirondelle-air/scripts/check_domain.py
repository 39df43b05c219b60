#!/usr/bin/env python3
"""Validate the Hirondelle Air example domain (knowledge base, FAQ, test set).

Checks counts and schemas and prints a summary; exits non-zero on failure.

Usage: python scripts/check_domain.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DOMAIN_DIR = Path(__file__).resolve().parent.parent
KNOWLEDGE = DOMAIN_DIR / "knowledge"
SRC = DOMAIN_DIR / "knowledge_src"

FORMATS = {".md": 15, ".html": 8, ".pdf": 5, ".docx": 5}  # minimum per format
MIN_DOCS = 40
MIN_FAQ = 400
MIN_TEST = 120
MIN_GROUPS = 15
MIN_UNANSWERABLE = 20
MIN_TEST_EN = 15
ROLES = {"public", "support", "finance", "maintenance"}
INTENTS = {
    "baggage",
    "booking_change",
    "refund",
    "checkin",
    "compensation",
    "pets",
    "minors",
    "loyalty",
    "accessibility",
    "contact",
    "routes",
    "sports_equipment",
    "infants",
    "onboard",
    "privacy",
    "internal_procedure",
    "finance",
    "maintenance",
}
LANGS = {"fr", "en"}
# strings that only confidential documents may contain
CONFIDENTIAL_MARKERS = [
    "SUP-VALID",
    "IRROPS-PARTNER",
    "4471",
    "182,4",
    "182.4",
    "6,1 M€",
    "712 USD",
    "265 000",
    "265,000",
    "310 000",
    "9,8 centimes",
    "FL250",
    "Nid",
]

errors: list[str] = []


def check(cond: bool, msg: str) -> None:
    if not cond:
        errors.append(msg)


def glob_to_regex(glob: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3  # zero or more directories
        elif glob.startswith("**", i):
            out += ".*"
            i += 2
        elif glob[i] == "*":
            out += "[^/]*"
            i += 1
        elif glob[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(glob[i])
            i += 1
    return re.compile(out + r"\Z")


def load_yaml(path: Path):
    try:
        import yaml
    except ImportError:  # pragma: no cover
        errors.append("pyyaml is required (pip install pyyaml)")
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def doc_text(path: Path) -> str | None:
    try:
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
        if path.suffix == ".docx":
            import docx

            d = docx.Document(str(path))
            parts = [p.text for p in d.paragraphs]
            parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
            return "\n".join(parts)
    except ImportError:
        return None
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        m = re.search(r"<main>(.*)</main>", raw, re.S)
        raw = m.group(1) if m else raw
        raw = re.sub(r"<[^>]+>", " ", raw)
    return raw


def main() -> int:
    # ------------------------------------------------------------ documents
    docs = sorted(p for p in KNOWLEDGE.rglob("*") if p.suffix in FORMATS and p.is_file())
    doc_ids = {p.relative_to(KNOWLEDGE).as_posix() for p in docs}
    per_format = Counter(p.suffix for p in docs)
    per_folder = Counter(p.relative_to(KNOWLEDGE).parts[0] for p in docs)
    check(len(docs) >= MIN_DOCS, f"only {len(docs)} documents (< {MIN_DOCS})")
    for ext, n in FORMATS.items():
        check(per_format[ext] >= n, f"only {per_format[ext]} {ext} documents (< {n})")

    skipped_wc = 0
    for p in docs:
        text = doc_text(p)
        if text is None:
            skipped_wc += 1
            continue
        n = len(text.split())
        check(120 <= n <= 650, f"{p.relative_to(KNOWLEDGE)}: {n} words (expected ~150-600)")
        if p.relative_to(KNOWLEDGE).parts[0] == "public":
            for marker in CONFIDENTIAL_MARKERS:
                check(
                    not re.search(r"(?<!\w)" + re.escape(marker) + r"(?!\w)", text),
                    f"public document {p.relative_to(KNOWLEDGE)} contains confidential marker {marker!r}",
                )

    # generated documents must have a source, and every source an output
    for p in docs:
        if p.suffix in (".pdf", ".docx"):
            rel = p.relative_to(KNOWLEDGE)
            src = SRC / rel.parent / (rel.name + ".txt")
            check(src.is_file(), f"{rel}: missing source {src.relative_to(DOMAIN_DIR)}")
    for src in SRC.rglob("*.txt"):
        rel = src.relative_to(SRC)
        out = KNOWLEDGE / rel.parent / rel.name[:-4]
        check(out.is_file(), f"source {rel} has no generated document (run scripts/build_documents.py)")

    # ------------------------------------------------------------ access.yaml
    access = load_yaml(KNOWLEDGE / "access.yaml") or {}
    rules = access.get("rules", [])
    check(bool(rules), "access.yaml has no rules")
    compiled = []
    for r in rules:
        check(set(r.get("roles", [])) <= ROLES, f"unknown roles in access.yaml rule {r}")
        compiled.append((glob_to_regex(r["glob"]), r["roles"]))
    roles_per_doc = {}
    for d in sorted(doc_ids):
        match = next((roles for rx, roles in compiled if rx.match(d)), None)
        check(match is not None, f"{d} is not matched by any access.yaml rule")
        roles_per_doc[d] = match or []
    for d, roles in roles_per_doc.items():
        folder = d.split("/")[0]
        if folder != "public":
            check(roles == [folder], f"{d}: expected roles [{folder}], got {roles}")

    # ------------------------------------------------------------ faq.jsonl
    faq = [json.loads(l) for l in (DOMAIN_DIR / "faq.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    check(len(faq) >= MIN_FAQ, f"faq.jsonl has {len(faq)} pairs (< {MIN_FAQ})")
    ids, faq_questions, pairs = set(), set(), set()
    for r in faq:
        rid = r.get("id", "?")
        check(re.fullmatch(r"faq-\d{4}", rid or "") is not None, f"bad faq id {rid}")
        check(rid not in ids, f"duplicate faq id {rid}")
        ids.add(rid)
        m = r.get("messages", [])
        ok = (
            len(m) == 2
            and m[0].get("role") == "user"
            and m[1].get("role") == "assistant"
            and all(isinstance(x.get("content"), str) and x["content"].strip() for x in m)
        )
        check(ok, f"{rid}: messages must be [user, assistant] with non-empty content")
        check(r.get("doc_id") in doc_ids, f"{rid}: unknown doc_id {r.get('doc_id')}")
        check(r.get("lang") in LANGS, f"{rid}: bad lang {r.get('lang')}")
        check(r.get("intent") in INTENTS, f"{rid}: bad intent {r.get('intent')}")
        if ok:
            q = m[0]["content"].strip().lower()
            check(q not in faq_questions, f"{rid}: duplicate question")
            faq_questions.add(q)
            pairs.add((q, m[1]["content"].strip().lower()))
    faq_docs = Counter(r.get("doc_id") for r in faq)
    uncovered = sorted(doc_ids - set(faq_docs))
    check(not uncovered, f"documents without FAQ pairs: {uncovered}")
    faq_lang = Counter(r.get("lang") for r in faq)

    # ------------------------------------------------------------ testset.jsonl
    test = [json.loads(l) for l in (DOMAIN_DIR / "testset.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    check(len(test) >= MIN_TEST, f"testset.jsonl has {len(test)} items (< {MIN_TEST})")
    keys = {"id", "question", "answer", "doc_id", "answerable", "paraphrase_group", "lang", "intent", "facts"}
    tids, tq = set(), set()
    groups: dict[str, list[dict]] = {}
    for r in test:
        rid = r.get("id", "?")
        check(set(r) == keys, f"{rid}: keys {sorted(r)} != {sorted(keys)}")
        check(re.fullmatch(r"test-\d{4}", rid or "") is not None, f"bad test id {rid}")
        check(rid not in tids, f"duplicate test id {rid}")
        tids.add(rid)
        q = (r.get("question") or "").strip()
        check(bool(q) and bool((r.get("answer") or "").strip()), f"{rid}: empty question or answer")
        check(q.lower() not in faq_questions, f"{rid}: question also appears in faq.jsonl")
        check(q.lower() not in tq, f"{rid}: duplicate test question")
        tq.add(q.lower())
        check(r.get("lang") in LANGS, f"{rid}: bad lang")
        check(r.get("intent") in INTENTS, f"{rid}: bad intent {r.get('intent')}")
        facts = r.get("facts")
        check(
            isinstance(facts, list) and all(isinstance(f, str) and f.strip() for f in facts),
            f"{rid}: facts must be a list of non-empty strings (scripts/add_facts.py)",
        )
        if r.get("answerable") is True:
            check(r.get("doc_id") in doc_ids, f"{rid}: answerable item with unknown doc_id {r.get('doc_id')}")
            check(bool(facts), f"{rid}: answerable item without facts")
        elif r.get("answerable") is False:
            check(r.get("doc_id") is None, f"{rid}: unanswerable item must have doc_id null")
            check(r.get("paraphrase_group") is None, f"{rid}: unanswerable item in a paraphrase group")
            check(facts == [], f"{rid}: unanswerable item with facts")
        else:
            errors.append(f"{rid}: answerable must be true or false")
        g = r.get("paraphrase_group")
        if g is not None:
            check(re.fullmatch(r"pg-\d{3}", g) is not None, f"{rid}: bad paraphrase_group {g}")
            groups.setdefault(g, []).append(r)
    for g, members in groups.items():
        check(len(members) >= 3, f"{g}: only {len(members)} members (< 3)")
        check(len({m["doc_id"] for m in members}) == 1, f"{g}: members point to different documents")
        check(len({m["answer"] for m in members}) == 1, f"{g}: members have different answers")
    check(len(groups) >= MIN_GROUPS, f"only {len(groups)} paraphrase groups (< {MIN_GROUPS})")
    unanswerable = sum(1 for r in test if r.get("answerable") is False)
    check(unanswerable >= MIN_UNANSWERABLE, f"only {unanswerable} unanswerable items (< {MIN_UNANSWERABLE})")
    test_lang = Counter(r.get("lang") for r in test)
    check(test_lang["en"] >= MIN_TEST_EN, f"only {test_lang['en']} English test items (< {MIN_TEST_EN})")
    test_folders = Counter((r.get("doc_id") or "none").split("/")[0] for r in test)
    for folder in ("finance", "maintenance", "support"):
        check(test_folders[folder] >= 3, f"fewer than 3 test items on {folder} documents")

    # ------------------------------------------------------------ report
    print("Hirondelle Air domain")
    print(f"  documents: {len(docs)}  " + "  ".join(f"{k[1:]}={per_format[k]}" for k in FORMATS))
    print("  by audience: " + "  ".join(f"{k}={v}" for k, v in sorted(per_folder.items())))
    print(
        f"  access rules: {len(rules)}  documents matched: {sum(bool(v) for v in roles_per_doc.values())}/{len(doc_ids)}"
    )
    print(f"  faq pairs: {len(faq)}  fr={faq_lang['fr']} en={faq_lang['en']}  documents covered={len(faq_docs)}")
    print(
        f"  test items: {len(test)}  fr={test_lang['fr']} en={test_lang['en']}  "
        f"paraphrase groups={len(groups)}  unanswerable={unanswerable}  "
        + " ".join(f"{k}={v}" for k, v in sorted(test_folders.items()))
    )
    if skipped_wc:
        print(f"  note: word counts skipped for {skipped_wc} PDF/DOCX files (pypdf/python-docx not installed)")
    if errors:
        print(f"\nFAILED ({len(errors)} problems):")
        for e in errors:
            print("  - " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
