"""Export: the pairs, SFT rows and KTO labels expected from crafted rankings, ties, flags, corrections and a settlement."""

import json

from typer.testing import CliRunner

from chatforge.annotate.campaign import assign
from chatforge.annotate.export import ExportConfig, export
from chatforge.annotate.queue import JudgementIn, SettleIn, settle, submit
from chatforge.cli import app as cli
from chatforge.store.annotation import Answer, Item
from chatforge.train.chat_data import read_chats
from chatforge.train.preferences import read_preferences


def _judge(store, review_campaign):
    review_campaign()
    assign(store, "review", ["alice", "bob"])
    with store.session() as s:
        x, y, z = [it.id for it in s.query(Item).order_by(Item.id)]
        alice, bob, rita = (store.user(u, s).id for u in ("alice", "bob", "rita"))
        text = {(a.item_id, a.label): a.content for a in s.query(Answer)}
        text.update({it.id: it.meta["topic"] for it in s.query(Item)})
    j = lambda ranking, **kw: JudgementIn(ranking=[list(g) for g in ranking.split(">")], **kw)  # noqa: E731
    # X: both A > B=C; alice corrects it
    submit(store, x, alice, j("A>BC", correction="Corrigé : un bagage de 8 kg."))
    submit(store, x, bob, j("A>BC"))
    # Y: alice B>A>C, bob A>B>C: mean ranks A 1.5, B 1.5, C 3 -> A=B > C; both flag B unsafe
    submit(store, y, alice, j("B>A>C", flags={"B": ["unsafe"]}))
    submit(store, y, bob, j("A>B>C", flags={"B": ["unsafe"]}))
    # Z: the annotators agree on A>B>C but the reviewer settles C>A>B, which wins
    submit(store, z, alice, j("A>B>C"))
    submit(store, z, bob, j("A>B>C"))
    settle(store, z, rita, SettleIn(ranking=[["C"], ["A"], ["B"]], comment="C is the policy"))
    return (x, y, z), text


def _pairs(rows):
    return sorted((r["item_id"], r["chosen_label"], r["rejected_label"]) for r in rows)


def test_pairs_ties_flags_settled(store, review_campaign, tmp_path):
    (x, y, z), text = _judge(store, review_campaign)
    dpo = export(store, "review", "dpo")
    # X: A beats the tied B, C; Y: A=B > C but B (flagged) is never chosen; Z: settled C > A > B
    assert _pairs(dpo) == sorted(
        [(x, "A", "B"), (x, "A", "C"), (y, "A", "C"), (z, "C", "A"), (z, "C", "B"), (z, "A", "B")]
    )
    for r in dpo:
        assert r["chosen"] == [{"role": "assistant", "content": text[(r["item_id"], r["chosen_label"])]}]
        assert r["rejected"][0]["content"] == text[(r["item_id"], r["rejected_label"])]
    both = export(store, "review", "dpo", ExportConfig(ties="both"))
    assert set(_pairs(both)) - set(_pairs(dpo)) == {(x, "B", "C"), (x, "C", "B"), (y, "A", "B")}  # (y, B, A): B flagged
    keep_flagged = export(store, "review", "dpo", ExportConfig(drop_flagged_chosen=False))
    assert set(_pairs(keep_flagged)) - set(_pairs(dpo)) == {(y, "B", "C")}
    each = export(store, "review", "dpo", ExportConfig(aggregate="each"))
    # per annotator: X gives (A,B), (A,C) twice; Y alice (A,C) (B>A, B>C dropped), bob (A,C) ((A,B) kept); Z settled once
    assert _pairs(each) == sorted(
        [(x, "A", "B"), (x, "A", "C")] * 2
        + [(y, "A", "C"), (y, "A", "B"), (y, "A", "C")]
        + [(z, "C", "A"), (z, "C", "B"), (z, "A", "B")]
    )
    rm = {(r["item_id"], r["chosen_label"], r["rejected_label"]): r["margin"] for r in export(store, "review", "rm")}
    assert rm[(x, "A", "B")] == 1.5 and rm[(z, "C", "B")] == 2  # B=C share places 2-3 -> mean rank 2.5

    sft = export(store, "review", "sft")
    assert sorted((r["item_id"], r["messages"][-1]["content"]) for r in sft) == sorted(
        [(x, text[(x, "A")]), (x, "Corrigé : un bagage de 8 kg."), (y, text[(y, "A")]), (z, text[(z, "C")])]
    )
    kto = export(store, "review", "kto")
    assert sorted((r["item_id"], r["completion"][0]["content"], r["label"]) for r in kto) == sorted(
        [
            (x, text[(x, "A")], True),
            (x, "Corrigé : un bagage de 8 kg.", True),
            (y, text[(y, "B")], False),
            (y, text[(y, "A")], True),
            (z, text[(z, "C")], True),
        ]
    )


def test_cli_export_reads_back_in_the_trainers_and_reports(store, review_campaign, tmp_path):
    (x, y, z), text = _judge(store, review_campaign)
    db = str(tmp_path / "serve.db")
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "annotate",
            "export",
            "--db",
            db,
            "--name",
            "review",
            "--format",
            "dpo",
            "--out",
            str(tmp_path / "dpo.jsonl"),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output.strip().splitlines()[-1])
    assert summary["count"] == 6
    prefs = read_preferences(tmp_path / "dpo.jsonl")
    assert len(prefs.pairs) == 6 and not prefs.rejected
    audit = json.loads((tmp_path / "dpo.jsonl.audit.json").read_text())
    # 6 pairs = 12 answers; topics from the items' topic field: X gives 2 pairs, Y 1, Z 3 (two answers a pair)
    assert audit["answers"] == 12 and audit["topics"] == {text[x]: 4, text[y]: 2, text[z]: 6}
    assert audit["languages"]["fr"] >= 1 and sum(audit["languages"].values()) == 12
    res = runner.invoke(
        cli,
        [
            "annotate",
            "export",
            "--db",
            db,
            "--name",
            "review",
            "--format",
            "kto",
            "--out",
            str(tmp_path / "kto.jsonl"),
            "--json",
        ],
    )
    prefs = read_preferences(tmp_path / "kto.jsonl")
    assert sorted(t.label for t in prefs.thumbs) == [False, True, True, True, True]
    res = runner.invoke(
        cli,
        [
            "annotate",
            "export",
            "--db",
            db,
            "--name",
            "review",
            "--format",
            "sft",
            "--out",
            str(tmp_path / "sft.jsonl"),
            "--json",
        ],
    )
    chats, rejected = read_chats(tmp_path / "sft.jsonl")
    assert len(chats) == 4 and not rejected and all(c[-1]["role"] == "assistant" for c in chats)
    res = runner.invoke(
        cli, ["annotate", "report", "--db", db, "--name", "review", "--out", str(tmp_path / "rep"), "--json"]
    )
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output.strip().splitlines()[-1])
    assert rep["items"]["settled"] == 1 and rep["exports"] == {"rm": 6, "dpo": 6, "sft": 4, "kto": 5}
    assert "Kendall tau" in (tmp_path / "rep" / "report.html").read_text()
    assert "ties: skip" in (tmp_path / "rep" / "config.yaml").read_text()
    bad = runner.invoke(
        cli,
        [
            "annotate",
            "export",
            "--db",
            db,
            "--name",
            "nope",
            "--format",
            "dpo",
            "--out",
            str(tmp_path / "x.jsonl"),
            "--json",
        ],
    )
    assert bad.exit_code == 2 and "no campaign" in json.loads(bad.output.strip().splitlines()[-1])["error"]
