"""The console's per-item report diff keeps the inbox's rule: an item about or quoting a document the signed-in key's
roles may not read is left out (its answers never leave the server) and counted in `hidden`."""

from __future__ import annotations

import json

import httpx

from chatforge.serve.console import PREFIX as API
from tests.conftest import write_jsonl

SECRET = "Marge vélo 12 % sur le budget de 90 000 euros."  # the answer drawn from the finance-only document


def report(folder, answers: dict[str, str], testset_rows: list[dict] | None, sources: dict | None = None):
    """A report.json of one variant `m` whose items answer `answers` (id -> text), with its test set file."""
    folder.mkdir(parents=True)
    testset = folder / "testset.jsonl"
    if testset_rows is not None:
        write_jsonl(testset, testset_rows)
    items = [
        {"id": k, "answer": a, "token_f1": 0.5, **({"sources": sources[k]} if k in (sources or {}) else {})}
        for k, a in answers.items()
    ]
    section = {"token_f1": {"value": 0.5, "ci": [0.4, 0.6], "n": len(items)}, "items": items}
    path = folder / "report.json"
    path.write_text(json.dumps({"models": ["m"], "results": {"m": section}, "testset": {"path": str(testset)}}))
    return path


ROWS = [
    {"id": "q0", "question": "Prix du vélo ?", "doc_id": "pub.md"},
    {"id": "q1", "question": "Marge vélo ?", "doc_id": "fin.md"},
    {"id": "q2", "question": "Vélo abîmé ?"},  # no document named: its answer quotes one (sources)
    {"id": "q3", "question": "Météo ?"},  # about no document at all
]


def test_a_restricted_item_is_hidden_from_an_admin_without_its_role_and_shown_to_one_with_it(
    serve, grounding, tmp_path
):
    server, store = serve(grounding=grounding)
    server.app.state.console_runs = str(tmp_path / "runs")
    answers_a = {"q0": "50 euros.", "q1": "Je ne sais pas.", "q2": "Au comptoir.", "q3": "Je ne sais pas."}
    answers_b = {"q0": "50 euros [1].", "q1": SECRET, "q2": "Au comptoir bagages [1].", "q3": "Aucune idée."}
    quoted = {"q2": ["[1] support.md — Vélo support"]}
    a = report(tmp_path / "runs" / "eval-a", answers_a, ROWS)
    b = report(tmp_path / "runs" / "eval-b", answers_b, ROWS, quoted)
    lost = report(tmp_path / "runs" / "eval-c", answers_b, None)  # its test set is gone: no document is known
    boss, _ = store.create_key("boss", ["admin", "public"])  # not finance: fin.md is finance-only (role_index)
    cfo, _ = store.create_key("cfo", ["admin", "finance"])
    both, _ = store.create_key("lead", ["admin", "finance", "support"])
    params = {"a": str(a), "va": "m", "b": str(b), "vb": "m"}
    seen = {}
    for name, key in (("boss", boss), ("cfo", cfo), ("lead", both)):
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
            res = http.get(f"{API}/reports/compare", params=params)
            assert res.status_code == 200
            seen[name] = (res.json(), res.text)
            if name == "lead":
                gone = http.get(f"{API}/reports/compare", params={**params, "b": str(lost)}).json()
    boss_view, boss_text = seen["boss"]
    assert [i["id"] for i in boss_view["items"]] == ["q0", "q3"] and boss_view["hidden"] == 2
    assert SECRET not in boss_text and "Au comptoir bagages" not in boss_text
    assert boss_view["metrics"][0]["metric"] == "token_f1"  # the aggregate metrics still compare
    cfo_view, cfo_text = seen["cfo"]
    assert [i["id"] for i in cfo_view["items"]] == ["q0", "q1", "q3"] and cfo_view["hidden"] == 1
    assert next(i for i in cfo_view["items"] if i["id"] == "q1")["b"]["answer"] == SECRET
    assert "Au comptoir bagages" not in cfo_text  # q2 quotes the support-only page
    lead_view, _ = seen["lead"]
    assert [i["id"] for i in lead_view["items"]] == ["q0", "q1", "q2", "q3"] and lead_view["hidden"] == 0
    assert gone["items"] == [] and gone["hidden"] == 4  # an unreadable test set fails closed
