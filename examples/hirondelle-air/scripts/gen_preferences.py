#!/usr/bin/env python3
"""Generate the Hirondelle Air preference data.

Writes, under examples/hirondelle-air/preferences/:
  ranked.jsonl          {"id", "prompt", "answers" (3-4, best first), "lang"}
  thumbs.jsonl          {"id", "prompt", "answer", "label"}
  ranked_invalid.jsonl  6 deliberately invalid ranked items (for the validation step)
  answer_kinds.jsonl    side-car: for every ranked/thumbs id, the topic and the kind of each answer

Ranking rule (the same for every item), best to worst:
  1 good   correct per FACTS.md, complete, concise, polite, in the user's language
  2 long   correct and complete but rambling  | fr: correct but in French to an English question
  3 vague  correct but vague / missing the key number
  4 worst  wrong fact, rude, off-topic, or leaks internal information
4-answer items are [good, long|fr, vague, worst]; 3-answer items are [good, long|fr|vague, worst].
Thumbs: label true = a good answer; false = wrong, rude, vague/unhelpful, off-topic or leaking.

Deterministic (seeded). Usage: python3 examples/hirondelle-air/scripts/gen_preferences.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import pref_content as C  # noqa: E402

SEED = 4242
OUT = HERE.parent / "preferences"
N_RANKED_FR, N_RANKED_EN = 142, 26
N_THUMBS_FR, N_THUMBS_EN = 184, 32

DESTS_FR = ["Lyon", "Marseille", "Nice", "Toulouse", "Strasbourg", "Bruxelles", "Genève", "Porto", "Dublin"]
DESTS_EN = ["Lyon", "Marseille", "Nice", "Toulouse", "Strasbourg", "Brussels", "Geneva", "Porto", "Dublin"]
DOMESTIC = ["Lyon", "Marseille", "Nice", "Toulouse", "Strasbourg", "Ajaccio", "Bastia"]
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
KEEP_CAPITAL = (
    "Essentiel",
    "Flex",
    "Liberté",
    "Plume",
    "Hirondelle",
    "Nantes",
    "Porto",
    "Dublin",
    "I ",
    "I'm",
    "I've",
    "EU",
    "Argent",
    "Or ",
    "ATR",
    "Embraer",
    "Ajaccio",
    "Bastia",
    "Lyon",
    "Cats",
    "Small",
)


class Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.prompts: set[str] = set()
        self.answers: set[str] = set()
        self.generic_use: dict[str, int] = {}

    # ------------------------------------------------------------ prompts
    def slots(self, lang: str) -> dict:
        r = self.rng
        month = r.randrange(12)
        return dict(
            dest=r.choice(DESTS_FR if lang == "fr" else DESTS_EN),
            date=f"{r.randint(2, 28)} {(MONTHS_FR if lang == 'fr' else MONTHS_EN)[month]}",
            ddest=r.choice(DOMESTIC),
            ldest=r.choice(["Porto", "Dublin"]),
            h=r.choice([3, 4, 5, 6]),
            age=r.randint(5, 11),
            tage=r.randint(12, 17),
        )

    def prompt(self, unit: dict, lang: str) -> tuple[str, dict] | None:
        greet, ctxs = (C.FR_GREET, C.FR_CTX) if lang == "fr" else (C.EN_GREET, C.EN_CTX)
        for _ in range(200):
            s = self.slots(lang)
            q = self.rng.choice(unit["q"]).format(**s)
            ctx = self.rng.choice(ctxs).format(**s) if unit["pre"] and self.rng.random() < 0.45 else ""
            g = self.rng.choice([x for x in greet if not (ctx and ":" in x)])
            if ctx and g.endswith(", ") and not ctx.startswith(KEEP_CAPITAL):
                ctx = ctx[0].lower() + ctx[1:]
            head = g + ctx
            if head and head.endswith((", ", ": ")) and not q.startswith(KEEP_CAPITAL):
                q = q[0].lower() + q[1:]
            p = head + q
            if p not in self.prompts:
                self.prompts.add(p)
                return p, s
        return None

    # ------------------------------------------------------------ answers
    def wrap(self, core: str, lang: str, polite: bool = True, closer: bool = True) -> str:
        opens, closes = (C.FR_OPEN, C.FR_CLOSE) if lang == "fr" else (C.EN_OPEN, C.EN_CLOSE)
        o = self.rng.choice(opens) if polite else ""
        if o.endswith(", ") and not core.startswith(KEEP_CAPITAL):
            core = core[0].lower() + core[1:]
        c = self.rng.choice(closes) if closer else ""
        return f"{o}{core}{c}"

    def unique(self, make, tries: int = 60) -> str | None:
        for _ in range(tries):
            a = make()
            if a and a not in self.answers:
                self.answers.add(a)
                return a
        return None

    def generic(self, pool: list[str], limit: int = 1) -> str | None:
        free = [x for x in pool if self.generic_use.get(x, 0) < limit]
        if not free:
            return None
        x = self.rng.choice(free)
        self.generic_use[x] = self.generic_use.get(x, 0) + 1
        return x

    def answer(self, unit: dict, kind: str, lang: str, s: dict) -> str | None:
        r = self.rng
        fill = lambda t: t.format(**s)  # noqa: E731
        if kind == "good":
            return self.unique(lambda: self.wrap(fill(r.choice(unit["good"])), lang))
        if kind == "long":
            fin, fout = (C.FR_FILL_IN, C.FR_FILL_OUT) if lang == "fr" else (C.EN_FILL_IN, C.EN_FILL_OUT)

            def make_long():
                intro = r.choice(fin)
                return self.wrap(
                    f"{intro} {fill(r.choice(unit['good']))} {r.choice(fout)}",
                    lang,
                    polite=not intro.startswith(("Merci", "Thank")),
                    closer=False,
                )

            return self.unique(make_long)
        if kind == "fr":
            return self.unique(lambda: self.wrap(fill(r.choice(unit["fr"])), "fr"))
        if kind == "vague":
            tpl = C.FR_VAGUE_T if lang == "fr" else C.EN_VAGUE_T

            def make():
                if r.random() < 0.6:
                    core = r.choice(unit["vague"])
                else:
                    core = r.choice(tpl).format(topic=unit["topic"])
                return self.wrap(fill(core), lang, polite=r.random() < 0.5, closer=r.random() < 0.3)

            return self.unique(make)
        if kind == "wrong":
            return self.unique(lambda: self.wrap(fill(r.choice(unit["wrong"])), lang))
        if kind == "rude":
            own = [x for x in unit.get("rude", []) if x not in self.answers]
            if own and r.random() < 0.7:
                return self.unique(lambda: r.choice(own), tries=10)
            g = self.generic(C.FR_RUDE if lang == "fr" else C.EN_RUDE)
            return self.unique(lambda: g) if g else None
        if kind == "offtopic":
            g = self.generic(C.FR_OFFTOPIC if lang == "fr" else C.EN_OFFTOPIC)
            if not g:
                return None
            return self.unique(
                lambda: (r.choice(["", "Bonjour ! ", "Oh, au fait : "]) if lang == "fr" else r.choice(["", "Hi! "])) + g
            )
        if kind == "leak":
            own = [x for x in unit.get("leak", []) if x not in self.answers]
            if own:
                return self.unique(lambda: fill(r.choice(own)), tries=10)
            g = self.generic(C.FR_LEAK if lang == "fr" else C.EN_LEAK, limit=2)
            if not g:
                return None
            link = (
                r.choice([" D'ailleurs, ", " Entre nous, ", " Pour info : ", " "])
                if lang == "fr"
                else r.choice([" By the way, ", " Between us: ", " "])
            )
            return self.unique(
                lambda: (
                    fill(r.choice(unit["good"])) + link + g[0].lower() + g[1:]
                    if link.strip()
                    else fill(r.choice(unit["good"])) + link + g
                )
            )
        raise ValueError(kind)

    def worst(self, unit: dict, lang: str, s: dict, weights: dict) -> tuple[str, str]:
        kinds = list(weights)
        w = [weights[k] for k in kinds]
        if unit.get("leak"):
            w[kinds.index("leak")] *= 3
        order = []
        while len(order) < len(kinds):
            k = self.rng.choices(kinds, weights=w)[0]
            if k not in order:
                order.append(k)
        for k in order + ["wrong"]:
            a = self.answer(unit, k, lang, s)
            if a:
                return a, k
        raise SystemExit(f"no bad answer left for {unit['key']}")


def plan(units: list[dict], n: int, rng: random.Random) -> list[dict]:
    seq = []
    while len(seq) < n:
        block = list(units)
        rng.shuffle(block)
        seq += block
    return seq[:n]


def main() -> None:
    g = Gen(SEED)
    rng = g.rng
    OUT.mkdir(parents=True, exist_ok=True)
    side = []

    # ---------------- ranked
    jobs = [(u, "fr") for u in plan(C.FR_UNITS, N_RANKED_FR, rng)] + [
        (u, "en") for u in plan(C.EN_UNITS, N_RANKED_EN, rng)
    ]
    rng.shuffle(jobs)
    ranked = []
    worst_w = {"wrong": 50, "rude": 20, "offtopic": 15, "leak": 15}
    for unit, lang in jobs:
        p = g.prompt(unit, lang)
        if p is None:
            raise SystemExit(f"ran out of prompts for {unit['key']}")
        prompt, s = p
        four = rng.random() < 0.5
        second_pool = ["long"] + (["fr"] if lang == "en" else [])
        if four:
            kinds = ["good", rng.choice(second_pool), "vague"]
        else:
            kinds = ["good", rng.choice(second_pool + ["vague"])]
        answers = [g.answer(unit, k, lang, s) for k in kinds]
        if any(a is None for a in answers):
            raise SystemExit(f"could not build answers for {unit['key']}")
        bad, bad_kind = g.worst(unit, lang, s, worst_w)
        answers.append(bad)
        kinds.append(bad_kind)
        rid = f"pref-{len(ranked) + 1:04d}"
        ranked.append({"id": rid, "prompt": prompt, "answers": answers, "lang": lang})
        side.append({"id": rid, "file": "ranked.jsonl", "topic": unit["key"], "lang": lang, "kinds": kinds})

    # ---------------- thumbs
    jobs = [(u, "fr") for u in plan(C.FR_UNITS, N_THUMBS_FR, rng)] + [
        (u, "en") for u in plan(C.EN_UNITS, N_THUMBS_EN, rng)
    ]
    rng.shuffle(jobs)
    labels = [True, False] * (len(jobs) // 2) + [True] * (len(jobs) % 2)
    rng.shuffle(labels)
    thumbs = []
    bad_w = {"wrong": 45, "rude": 20, "vague": 15, "offtopic": 10, "leak": 10}
    for (unit, lang), label in zip(jobs, labels):
        prompt, s = g.prompt(unit, lang)
        if label:
            ans, kind = g.answer(unit, "good", lang, s), "good"
        else:
            ans, kind = g.worst(unit, lang, s, bad_w)
        tid = f"thumb-{len(thumbs) + 1:04d}"
        thumbs.append({"id": tid, "prompt": prompt, "answer": ans, "label": label})
        side.append({"id": tid, "file": "thumbs.jsonl", "topic": unit["key"], "lang": lang, "kinds": [kind]})

    # ---------------- invalid items (validation must report them, training must skip them)
    u = C.FR_UNITS[0]
    good, wrong = u["good"][0], u["wrong"][0]
    invalid = [
        {
            "id": "pref-invalid-01",
            "prompt": "Quel est le poids maximum du bagage cabine ?",
            "answers": [good, good, wrong],
            "lang": "fr",
        },
        {"id": "pref-invalid-02", "answers": [C.FR_UNITS[1]["good"][0], C.FR_UNITS[1]["wrong"][0]], "lang": "fr"},
        {
            "id": "pref-invalid-03",
            "prompt": "Combien coûte un bagage en soute supplémentaire ?",
            "answers": [C.FR_UNITS[1]["good"][1]],
            "lang": "fr",
        },
        {
            "id": "pref-invalid-04",
            "prompt": "Puis-je changer la date de mon billet Flex ?",
            "answers": [C.FR_UNITS[4]["good"][0], "", C.FR_UNITS[4]["wrong"][0]],
            "lang": "fr",
        },
        {
            "id": "pref-invalid-05",
            "prompt": "",
            "answers": [C.FR_UNITS[9]["good"][0], C.FR_UNITS[9]["wrong"][0]],
            "lang": "fr",
        },
        {
            "id": "pref-invalid-06",
            "prompt": "When does online check-in open?",
            "answers": "Online check-in opens 30 hours before departure and closes 1 hour before.",
            "lang": "en",
        },
    ]

    def dump(name, rows):
        with open(OUT / name, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")

    dump("ranked.jsonl", ranked)
    dump("thumbs.jsonl", thumbs)
    dump("ranked_invalid.jsonl", invalid)
    dump("answer_kinds.jsonl", side)

    from collections import Counter

    print("ranked", len(ranked), Counter(r["lang"] for r in ranked), Counter(len(r["answers"]) for r in ranked))
    print("ranked kinds", Counter(k for s in side if s["file"] == "ranked.jsonl" for k in s["kinds"]))
    print(
        "thumbs",
        len(thumbs),
        Counter(t["label"] for t in thumbs),
        Counter(s["kinds"][0] for s in side if s["file"] == "thumbs.jsonl"),
    )
    print("overlap prompts", len({r["prompt"] for r in ranked} & {t["prompt"] for t in thumbs}))


if __name__ == "__main__":
    main()
