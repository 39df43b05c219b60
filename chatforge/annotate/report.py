"""The campaign report: progress per annotator, agreement, disagreements, each model's rank, bias audit.

    chatforge annotate report --name NAME [--out DIR] --json   (DIR/report.json, DIR/report.html)

- annotators: items judged and skipped, seconds per item (mean and median, from first shown to
  submitted);
- agreement (agreement.py): mean Kendall tau over items, Cohen's kappa per annotator pair and
  Fleiss' kappa on flags;
- most_disagreement: the items with the lowest tau, then the most flag conflicts;
- models: each model's mean rank over judgements (1 = best) with a bootstrap 95% interval, and
  for every two models sharing items the human A/B result: the share of judgements in which the
  first model's answer ranks above the second's (ties count half), with its interval;
- audit (audit.py): the export of each format counted by language, topic and demographic terms.
"""

from __future__ import annotations

import html
import json
import statistics
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from sqlalchemy import select

from chatforge.annotate.agreement import cohen_pairs, flag_units, fleiss_on_units, item_tau
from chatforge.annotate.audit import audit
from chatforge.annotate.export import FORMATS, ExportConfig, export
from chatforge.errors import UserError
from chatforge.eval.bootstrap import mean_with_ci
from chatforge.store.annotation import Answer, Assignment, Campaign, Item, Judgement, is_member, ranks, readable
from chatforge.store.auth import ADMIN_ROLE
from chatforge.store.database import Store, User


class ReportError(UserError, ValueError):
    pass


def _load(store: Store, name: str):
    with store.session() as s:
        camp = s.scalar(select(Campaign).where(Campaign.name == name))
        if camp is None:
            raise ReportError(f"no campaign named {name!r}")
        items = {it.id: it for it in s.scalars(select(Item).where(Item.campaign_id == camp.id))}
        answers = defaultdict(dict)
        for a in s.scalars(select(Answer).where(Answer.item_id.in_(items))):
            answers[a.item_id][a.label] = a
        judged = s.execute(
            select(Judgement, User.name)
            .join(User, User.id == Judgement.user_id)
            .where(Judgement.item_id.in_(items))
            .order_by(Judgement.id)
        ).all()
        status = s.execute(
            select(User.name, Assignment.status)
            .join(User, User.id == Assignment.user_id)
            .where(Assignment.item_id.in_(items))
        ).all()
    return camp, items, answers, judged, status


def _model_ranks(judged, answers) -> dict:
    per_model: dict[str, list[float]] = defaultdict(list)
    duels: dict[tuple[str, str], list[float]] = defaultdict(list)
    for j, _user in judged:
        place = ranks(j.ranking)
        by_model: dict[str, list[float]] = defaultdict(list)
        for label, rank in place.items():
            by_model[answers[j.item_id][label].model].append(rank)
        for model, rs in by_model.items():
            per_model[model].extend(rs)
        for a, b in combinations(sorted(by_model), 2):
            ra, rb = statistics.mean(by_model[a]), statistics.mean(by_model[b])
            duels[(a, b)].append(1.0 if ra < rb else 0.5 if ra == rb else 0.0)
    return {
        "mean_rank": {m: mean_with_ci(v) for m, v in sorted(per_model.items())},
        "ab": [{"a": a, "b": b, "a_wins": mean_with_ci(v)} for (a, b), v in sorted(duels.items())],
    }


def build_report(
    store: Store,
    name: str,
    cfg: ExportConfig | None = None,
    top: int = 10,
    viewer: tuple[int, tuple[str, ...]] | None = None,
) -> dict:
    """The campaign report; `viewer` (user id, key roles): a reviewer sees only a campaign they review, and the
    prompts of the items their roles may read (others are shown as null)."""
    cfg = cfg or ExportConfig()
    camp, items, answers, judged, status = _load(store, name)
    if viewer is not None and ADMIN_ROLE not in viewer[1]:
        with store.session() as s:
            if not is_member(s, camp, viewer[0], "reviewer"):
                raise ReportError(f"no campaign named {name!r}")
    shown = (lambda it: True) if viewer is None else (lambda it: readable(it, camp.mode, viewer[1]))  # noqa: E731
    by_item: dict[int, list] = defaultdict(list)
    for j, user in judged:
        by_item[j.item_id].append((j, user))

    people: dict[str, dict] = defaultdict(lambda: {"done": 0, "skipped": 0, "pending": 0, "seconds": []})
    for user, st in status:
        people[user][st] += 1
    for j, user in judged:
        if j.seconds is not None:
            people[user]["seconds"].append(j.seconds)
    annotators = {
        u: {
            "done": p["done"],
            "skipped": p["skipped"],
            "pending": p["pending"],
            "seconds_per_item_mean": round(statistics.mean(p["seconds"]), 2) if p["seconds"] else None,
            "seconds_per_item_median": round(statistics.median(p["seconds"]), 2) if p["seconds"] else None,
        }
        for u, p in sorted(people.items())
    }

    taus = {}
    for item_id, js in by_item.items():
        if len(js) >= 2:
            taus[item_id] = item_tau([j.ranking for j, _ in js], sorted(answers[item_id]))
    units = flag_units(
        {i: {u: j.flags for j, u in js} for i, js in by_item.items()}, {i: sorted(answers[i]) for i in by_item}
    )
    conflicts = defaultdict(int)
    for (item_id, _label, _kind), ratings in units.items():
        if len(set(ratings.values())) > 1:
            conflicts[item_id] += 1
    defined = [t for t in taus.values() if t is not None]
    worst = sorted(taus, key=lambda i: (taus[i] if taus[i] is not None else 1.0, -conflicts[i]))[:top]
    most = [
        {
            "item_id": i,
            "tau": None if taus[i] is None else round(taus[i], 4),
            "flag_conflicts": conflicts[i],
            "prompt": items[i].prompt[-1]["content"][:200] if shown(items[i]) else None,
            "settled": items[i].settled is not None,
        }
        for i in worst
    ]

    exports = {fmt: export(store, name, fmt, cfg) for fmt in FORMATS}
    return {
        "campaign": {
            "name": camp.name,
            "mode": camp.mode,
            "status": camp.status,
            "annotators_per_item": camp.annotators_per_item,
            "settings": camp.settings,
        },
        "items": {
            "total": len(items),
            "answers": sum(len(a) for a in answers.values()),
            "judged": len(by_item),
            "fully_judged": sum(1 for js in by_item.values() if len(js) >= camp.annotators_per_item),
            "settled": sum(1 for it in items.values() if it.settled),
        },
        "judgements": len(judged),
        "annotators": annotators,
        "agreement": {
            "kendall_tau": {"mean": round(statistics.mean(defined), 4) if defined else None, "items": len(defined)},
            "cohen_kappa": cohen_pairs(units),
            "fleiss_kappa": fleiss_on_units(units),
        },
        "most_disagreement": most,
        "models": _model_ranks(judged, answers),
        "exports": {fmt: len(rows) for fmt, rows in exports.items()},
        "audit": {fmt: audit(rows, cfg.topics) for fmt, rows in exports.items()},
    }


def _table(headers: list[str], rows: list[list]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e('' if c is None else str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(rep: dict) -> str:
    e = html.escape
    ag = rep["agreement"]
    ci = lambda m: f"{m['value']} [{m['ci'][0]}, {m['ci'][1]}] (n={m['n']})" if m["value"] is not None else "-"  # noqa: E731
    parts = [
        "<!doctype html><meta charset='utf-8'><title>chatforge annotate</title><style>"
        "body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330}table{border-collapse:collapse;margin:8px 0 20px}"
        "td,th{border:1px solid #e3e6ec;padding:4px 8px;text-align:left}th{background:#f6f7f9}</style>",
        f"<h1>Annotation campaign {e(rep['campaign']['name'])}</h1>",
        f"<p>{rep['items']['judged']} of {rep['items']['total']} items judged, {rep['items']['fully_judged']} by "
        f"{rep['campaign']['annotators_per_item']} annotators, {rep['items']['settled']} settled; "
        f"{rep['judgements']} judgements.</p>",
        "<h2>Annotators</h2>",
        _table(
            ["annotator", "done", "skipped", "pending", "s/item mean", "s/item median"],
            [
                [u, a["done"], a["skipped"], a["pending"], a["seconds_per_item_mean"], a["seconds_per_item_median"]]
                for u, a in rep["annotators"].items()
            ],
        ),
        "<h2>Agreement</h2>",
        _table(
            ["measure", "value"],
            [
                ["Kendall tau (mean over items)", f"{ag['kendall_tau']['mean']} ({ag['kendall_tau']['items']} items)"],
                ["Cohen kappa on flags (mean over pairs)", ag["cohen_kappa"]["mean"]],
                *[[f"Cohen kappa {p}", k] for p, k in ag["cohen_kappa"]["pairs"].items()],
                [
                    "Fleiss kappa on flags",
                    f"{ag['fleiss_kappa']['value']} ({ag['fleiss_kappa']['units']} units, "
                    f"{ag['fleiss_kappa']['raters']} raters)",
                ],
            ],
        ),
        "<h2>Most disagreement</h2>",
        _table(
            ["item", "tau", "flag conflicts", "settled", "prompt"],
            [
                [d["item_id"], d["tau"], d["flag_conflicts"], d["settled"], d["prompt"]]
                for d in rep["most_disagreement"]
            ],
        ),
        "<h2>Models (mean rank, 1 = best, 95% bootstrap interval)</h2>",
        _table(["model", "mean rank"], [[m, ci(v)] for m, v in rep["models"]["mean_rank"].items()]),
        _table(
            ["A", "B", "share of judgements A above B"],
            [[d["a"], d["b"], ci(d["a_wins"])] for d in rep["models"]["ab"]],
        ),
        "<h2>Bias audit of the exports</h2>",
    ]
    for fmt, a in rep["audit"].items():
        parts.append(f"<h3>{e(fmt)}: {rep['exports'][fmt]} rows, {a['answers']} answers</h3>")
        parts.append(
            _table(
                ["languages", "topics", "answers mentioning", "top terms"],
                [
                    [
                        json.dumps(a["languages"], ensure_ascii=False),
                        json.dumps(a["topics"], ensure_ascii=False),
                        json.dumps(a["demographic"]["answers_mentioning"]),
                        json.dumps(a["demographic"]["top_terms"], ensure_ascii=False),
                    ]
                ],
            )
        )
    return "\n".join(parts)


def write_report(rep: dict, out: Path) -> dict:
    """Write report.json and report.html of a campaign report into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "report.json", out / "report.html"
    json_path.write_text(json.dumps(rep, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    html_path.write_text(render_html(rep), encoding="utf-8")
    return {"report_json": str(json_path), "report_html": str(html_path)}
