#!/usr/bin/env python3
"""Check the generated logs/, general/ and preferences/ of the Hirondelle Air example.

Verifies JSON validity (except the planted malformed lines, which must be exactly those of
logs/MANIFEST.json), counts, Luhn/IBAN validity of the planted numbers, that the cp1252 file is
not valid UTF-8, duplicate pairs, the general text, and the preference files' schema and rules.
If ftfy is importable, also checks that it repairs every planted mojibake message.

Usage: python3 examples/hirondelle-air/scripts/check_generated.py   (exit 1 on any failure)
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAILS: list[str] = []


def check(cond: bool, msg: str) -> None:
    if not cond:
        FAILS.append(msg)


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in re.sub(r"\D", "", number)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def shingles(text: str, n: int = 5) -> set:
    t = re.sub(r"\s+", " ", text.lower()).strip()
    return {t[i : i + n] for i in range(max(1, len(t) - n + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


# ------------------------------------------------------------------ logs
def load_logs(manifest: dict) -> dict:
    """Returns {file: {line_or_row: [texts]}} for valid records; checks malformed lines."""
    records: dict[str, dict[int, list[str]]] = {}
    malformed_found = set()
    for fname, fmt, enc in [
        ("logs/webchat_export.jsonl", "messages", "utf-8"),
        ("logs/sharegpt_export.jsonl", "sharegpt", "utf-8"),
        ("logs/legacy_export_cp1252.jsonl", "pc", "cp1252"),
    ]:
        raw = (ROOT / fname).read_bytes()
        if enc == "cp1252":
            try:
                raw.decode("utf-8")
                check(False, f"{fname} decodes as UTF-8 but must not")
            except UnicodeDecodeError:
                pass
        text = raw.decode(enc)
        if enc == "cp1252":
            check("€" in text and "é" in text, f"{fname}: expected € and accents")
        recs = {}
        for n, line in enumerate(text.split("\n")[:-1], start=1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                malformed_found.add((fname, n, "truncated_json"))
                continue
            if not isinstance(obj, dict):
                malformed_found.add((fname, n, "bare_string"))
                continue
            if fmt == "messages":
                msgs = obj.get("messages")
                texts = [m.get("content", "") for m in msgs] if isinstance(msgs, list) else None
                if texts is not None:
                    check(
                        [m["role"] for m in msgs] == ["user", "assistant"] * (len(msgs) // 2)
                        and len(msgs) in (2, 4, 6),
                        f"{fname}:{n} roles",
                    )
                    check(obj.get("channel") == "webchat" and obj.get("conversation_id"), f"{fname}:{n} fields")
            elif fmt == "sharegpt":
                conv = obj.get("conversations")
                texts = [m.get("value", "") for m in conv] if isinstance(conv, list) else None
                if texts is not None:
                    check(
                        [m["from"] for m in conv] == ["human", "gpt"] * (len(conv) // 2) and len(conv) in (2, 4),
                        f"{fname}:{n} speakers",
                    )
            else:
                texts = [obj.get("prompt"), obj.get("completion")] if "prompt" in obj and "completion" in obj else None
            if texts is None:
                malformed_found.add((fname, n, "missing_field"))
                continue
            if any(not t for t in texts):
                malformed_found.add((fname, n, "empty_content"))
                continue
            recs[n] = texts
        records[fname] = recs
    planted = {(i["file"], i["line"], i["kind"]) for i in manifest["malformed_lines"]["items"]}
    check(malformed_found == planted, f"malformed lines differ: found {sorted(malformed_found ^ planted)}")
    check(manifest["malformed_lines"]["count"] == len(planted), "malformed count")

    # CSV
    fname = "logs/email_tickets.csv"
    content = (ROOT / fname).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(content, newline="")))
    check(rows[0] == ["ticket_id", "date", "customer_message", "agent_reply", "channel"], "csv header")
    recs = {}
    for n, row in enumerate(rows[1:], start=1):
        check(len(row) == 5 and all(row), f"{fname} row {n} shape")
        check(row[4] in ("email", "web_form"), f"{fname} row {n} channel")
        check(re.fullmatch(r"2025-\d\d-\d\d \d\d:\d\d", row[1]) is not None, f"{fname} row {n} date")
        recs[n] = [row[2], row[3]]
    check(sum("\n" in t for ts in recs.values() for t in ts) > 100, "csv: newlines inside fields")
    check(sum("," in t for ts in recs.values() for t in ts) > 100, "csv: commas inside fields")
    check(content.count('"') > 400, "csv: quoted fields")
    records[fname] = recs
    return records


def check_logs() -> None:
    manifest = json.loads((ROOT / "logs/MANIFEST.json").read_text(encoding="utf-8"))
    records = load_logs(manifest)
    total = 0
    for fname, info in manifest["files"].items():
        n = len(records[fname])
        total += n
        check(n == info["valid_records"], f"{fname}: {n} valid records, manifest says {info['valid_records']}")
    check(total == manifest["total_valid_records"], f"total {total}")
    check(550 <= total <= 650, f"total records {total} not ~600")
    check(manifest["cp1252_file"] == "logs/legacy_export_cp1252.jsonl", "cp1252 file name")
    alltexts = [t for recs in records.values() for ts in recs.values() for t in ts]

    def key(item):
        return item["line"] if "line" in item else item["row"]

    # PII and numbers
    def count(v):
        return sum(t.count(v) for t in alltexts)

    for kind, block in list(manifest["pii"].items()) + list(manifest["not_pii"].items()):
        total_occ = sum(count(v) for v in block["values"])
        check(total_occ == block["occurrences"], f"{kind}: {total_occ} occurrences, manifest {block['occurrences']}")
        check(
            len(block["values"]) == block["distinct_count"] and len(set(block["values"])) == len(block["values"]),
            f"{kind}: distinct values",
        )
        check(block["distinct_count"] >= 10, f"{kind}: too few values")
        for v in block["values"]:
            check(count(v) >= 1, f"{kind}: {v} not found")
            if kind == "cards_luhn_valid":
                check(len(re.sub(r"\D", "", v)) == 16 and luhn_valid(v), f"card {v} not Luhn-valid 16 digits")
            elif kind == "luhn_invalid_16_digit_numbers":
                check(len(re.sub(r"\D", "", v)) == 16 and not luhn_valid(v), f"order {v} passes Luhn")
            elif kind == "ibans":
                check(v.startswith("FR76") and len(v.replace(" ", "")) == 27 and iban_valid(v), f"IBAN {v} invalid")
            elif kind == "phones":
                check(
                    re.fullmatch(r"0[67]( \d\d){4}|\+33 [67]( \d\d){4}|0[67]\d{8}|0[67](\.\d\d){4}|\+33[67]\d{8}", v)
                    is not None,
                    f"phone {v} format",
                )
            elif kind == "emails":
                check(re.fullmatch(r"[\w.+-]+@[a-z]+\.(example|com|org|net)", v) is not None, f"email {v}")
                check(
                    v.split("@")[1].endswith("example") or v.split("@")[1].startswith("example."),
                    f"email {v} not on a reserved domain",
                )
            elif kind == "booking_references":
                check(re.fullmatch(r"[A-Z0-9]{6}", v) is not None, f"ref {v}")
    check(
        "02 40 00 12 34" not in "\n".join(alltexts) and "contact@hirondelle-air.example" not in "\n".join(alltexts),
        "company contacts must not appear in logs",
    )

    # duplicates
    for item in manifest["exact_duplicates"]["items"]:
        a = records[item["file"]].get(key(item))
        b = records[item["file"]].get(key(item["duplicate_of"]))
        check(a is not None and a == b and key(item) > key(item["duplicate_of"]), f"exact dup {item}")
    for item in manifest["near_duplicates"]["items"]:
        a = records[item["file"]].get(key(item))
        b = records[item["file"]].get(key(item["near_duplicate_of"]))
        ok = a is not None and b is not None and a != b
        check(ok, f"near dup {item}")
        if ok:
            sim = jaccard(shingles(" ".join(a)), shingles(" ".join(b)))
            check(sim >= 0.75, f"near dup too different {item} ({sim:.2f})")
    total_dups = manifest["exact_duplicates"]["count"] + manifest["near_duplicates"]["count"]
    check(0.12 * total <= total_dups <= 0.2 * total, "duplicate share")
    # no accidental exact duplicates beyond the planted ones
    seen, accidental = {}, []
    planted_dup = {(i["file"], key(i)) for i in manifest["exact_duplicates"]["items"]}
    for fname, recs in records.items():
        for k, texts in recs.items():
            h = tuple(texts)
            if h in seen and (fname, k) not in planted_dup:
                accidental.append((fname, k))
            seen.setdefault(h, (fname, k))
    check(not accidental, f"unplanned exact duplicates: {accidental[:5]}")

    # other planted categories are where the manifest says
    for item in manifest["low_quality"]["items"]:
        texts = records[item["file"]].get(key(item))
        check(texts == [m["content"] for m in item["messages"]], f"low quality {item['file']}:{key(item)}")
        check(min(len(t) for t in texts) <= 6, f"low quality has no short message: {texts}")
    for item in manifest["html"]["items"]:
        texts = records[item["file"]][key(item)]
        check(any(re.search(r"<(p|br|b)>|<a href=|&nbsp;|&eacute;", t) for t in texts), f"no html in {item}")
    for item in manifest["whitespace"]["items"]:
        texts = records[item["file"]][key(item)]
        check(any(re.search(r"\t|  |\u00a0|\u200b|\s$|^\s", t) for t in texts), f"no odd whitespace in {item}")
    for item in manifest["mojibake"]["items"]:
        texts = records[item["file"]][key(item)]
        check(any(re.search("Ã|â€|â‚¬|Â", texts[i]) for i in item["messages"]), f"no mojibake in {item}")
    try:
        import ftfy  # optional
    except ImportError:
        ftfy = None
    if ftfy is not None:
        for item in manifest["mojibake"]["items"]:
            texts = records[item["file"]][key(item)]
            for i in item["messages"]:
                fixed = ftfy.fix_text(texts[i])
                check(
                    "Ã" not in fixed and "â‚¬" not in fixed and "â€" not in fixed, f"ftfy left mojibake: {fixed[:80]}"
                )
    check(manifest["english"]["count"] >= 20, "too few English conversations")
    check(manifest["low_quality"]["count"] >= 5, "too few low-quality conversations")
    print(
        f"logs: {total} records, {manifest['exact_duplicates']['count']} exact + "
        f"{manifest['near_duplicates']['count']} near duplicates, {manifest['malformed_lines']['count']} malformed "
        f"lines, ftfy check {'done' if ftfy else 'skipped'}"
    )


# ------------------------------------------------------------------ general
AIRLINE_WORDS = re.compile(
    r"hirondelle air|compagnie aérienne|airline|aéroport|airport|bagage|baggage|boarding|embarquement", re.I
)


def check_general() -> None:
    for name in ("general_fr.txt", "general_en.txt"):
        text = (ROOT / "general" / name).read_text(encoding="utf-8")
        paras = [p for p in text.split("\n\n") if p.strip()]
        words = len(text.split())
        check(40 <= len(paras) <= 60, f"{name}: {len(paras)} paragraphs")
        check(words >= 4000, f"{name}: {words} words")
        check(not AIRLINE_WORDS.search(text), f"{name}: airline content")
        check(len(set(paras)) == len(paras), f"{name}: repeated paragraph")
    rows = [json.loads(l) for l in (ROOT / "general/general_chat.jsonl").read_text(encoding="utf-8").splitlines()]
    check(140 <= len(rows) <= 160, f"general_chat: {len(rows)} rows")
    for r in rows:
        m = r["messages"]
        check(
            len(m) == 2 and m[0]["role"] == "user" and m[1]["role"] == "assistant" and all(x["content"] for x in m),
            f"general_chat {r.get('id')}",
        )
        check(not AIRLINE_WORDS.search(m[0]["content"] + m[1]["content"]), f"general_chat {r['id']}: airline content")
    langs = Counter(r["lang"] for r in rows)
    check(langs["fr"] >= 50 and langs["en"] >= 50, f"general_chat languages {langs}")
    check(len({r["messages"][0]["content"] for r in rows}) == len(rows), "general_chat: repeated question")
    print(f"general: chat {len(rows)} pairs {dict(langs)}")


# ------------------------------------------------------------------ preferences
CONFIDENTIAL = re.compile(
    r"SUP-VALID|IRROPS|\bNid\b|150 €|€150|182,4|81,4|81\.4%|712 USD|265 000|4471|rétrofacturation|"
    r"P[12] |APU|A-check|1 000 €|€1,000|310 000|45 jours|9,8 centimes|niveau 2|customer relations manager|"
    r"presse|media"
)


def ranked_item_problems(r: dict) -> list[str]:
    """The validation rules a ranked item must satisfy (the invalid file breaks each of them)."""
    out = []
    if not isinstance(r.get("prompt"), str) or not r["prompt"].strip():
        out.append("missing or empty prompt")
    ans = r.get("answers")
    if not isinstance(ans, list):
        out.append("answers is not a list")
        return out
    if len(ans) < 2:
        out.append("fewer than 2 answers")
    if any(not isinstance(a, str) or not a.strip() for a in ans):
        out.append("empty answer")
    if len({a.strip() for a in ans if isinstance(a, str)}) != len(ans):
        out.append("identical answers")
    return out


def check_preferences() -> None:
    P = ROOT / "preferences"
    ranked = [json.loads(l) for l in (P / "ranked.jsonl").read_text(encoding="utf-8").splitlines()]
    thumbs = [json.loads(l) for l in (P / "thumbs.jsonl").read_text(encoding="utf-8").splitlines()]
    invalid = [json.loads(l) for l in (P / "ranked_invalid.jsonl").read_text(encoding="utf-8").splitlines()]
    kinds = {
        (k["file"], k["id"]): k
        for k in map(json.loads, (P / "answer_kinds.jsonl").read_text(encoding="utf-8").splitlines())
    }

    check(len(ranked) >= 160, f"ranked: {len(ranked)}")
    check(len({r["id"] for r in ranked}) == len(ranked), "ranked ids")
    check(len({r["prompt"] for r in ranked}) == len(ranked), "ranked prompts repeat")
    for r in ranked:
        check(set(r) == {"id", "prompt", "answers", "lang"}, f"{r['id']} keys")
        check(re.fullmatch(r"pref-\d{4}", r["id"]) is not None, f"{r['id']} id")
        check(3 <= len(r["answers"]) <= 4 and not ranked_item_problems(r), f"{r['id']} answers")
        check(r["lang"] in ("fr", "en"), f"{r['id']} lang")
        k = kinds[("ranked.jsonl", r["id"])]["kinds"]
        check(
            len(k) == len(r["answers"]) and k[0] == "good" and k[-1] in ("wrong", "rude", "offtopic", "leak"),
            f"{r['id']} kinds {k}",
        )
        tier = {"good": 1, "long": 2, "fr": 2, "vague": 3, "wrong": 4, "rude": 4, "offtopic": 4, "leak": 4}
        check(
            [tier[x] for x in k] == sorted(tier[x] for x in k) and len({tier[x] for x in k}) == len(k),
            f"{r['id']} ranking order {k}",
        )
        for a, kind in zip(r["answers"], k):
            if kind in ("good", "long", "vague"):
                check(not CONFIDENTIAL.search(a), f"{r['id']}: confidential marker in a {kind} answer")
            if kind == "leak":
                check(CONFIDENTIAL.search(a) is not None, f"{r['id']}: leak answer without a marker")
        good, second = r["answers"][0], r["answers"][1]
        if k[1] == "long":
            check(len(second) > 1.8 * len(good), f"{r['id']}: long answer not long")
    en = sum(r["lang"] == "en" for r in ranked) / len(ranked)
    check(0.1 <= en <= 0.2, f"ranked English share {en:.2f}")
    all_answers = [a for r in ranked for a in r["answers"]]

    check(len(thumbs) >= 200, f"thumbs: {len(thumbs)}")
    check(len({t["id"] for t in thumbs}) == len(thumbs), "thumb ids")
    for t in thumbs:
        check(
            set(t) == {"id", "prompt", "answer", "label"}
            and isinstance(t["label"], bool)
            and t["answer"].strip()
            and t["prompt"].strip(),
            f"{t['id']} schema",
        )
        k = kinds[("thumbs.jsonl", t["id"])]["kinds"][0]
        check((k == "good") == t["label"], f"{t['id']}: label/kind mismatch")
        if t["label"]:
            check(not CONFIDENTIAL.search(t["answer"]), f"{t['id']}: confidential marker in a good answer")
    share = sum(t["label"] for t in thumbs) / len(thumbs)
    check(0.4 <= share <= 0.6, f"thumbs balance {share:.2f}")
    check(not ({t["prompt"] for t in thumbs} & {r["prompt"] for r in ranked}), "thumbs prompts overlap ranked")
    all_answers += [t["answer"] for t in thumbs]
    check(len(set(all_answers)) == len(all_answers), "an answer string is reused")

    check(len(invalid) == 6, f"invalid: {len(invalid)}")
    problems = {r["id"]: ranked_item_problems(r) for r in invalid}
    check(all(problems.values()), f"an invalid item passes validation: {problems}")
    expected = {
        "pref-invalid-01": "identical answers",
        "pref-invalid-02": "missing or empty prompt",
        "pref-invalid-03": "fewer than 2 answers",
        "pref-invalid-04": "empty answer",
        "pref-invalid-05": "missing or empty prompt",
        "pref-invalid-06": "answers is not a list",
    }
    for i, p in expected.items():
        check(p in problems.get(i, []), f"{i}: expected '{p}', got {problems.get(i)}")
    print(
        f"preferences: ranked {len(ranked)} (en {en:.0%}), thumbs {len(thumbs)} (true {share:.0%}), "
        f"invalid {len(invalid)}"
    )


def main() -> int:
    check_logs()
    check_general()
    check_preferences()
    if FAILS:
        print(f"{len(FAILS)} problem(s):")
        for f in FAILS[:50]:
            print("  -", f)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
