"""Benchmark: `chatforge data prepare` throughput and scaling, dedup and PII on.

    python benchmarks/data_prepare.py [--sizes 10000 100000] [--repeats 3]

Generates customer-service conversations (with planted exact and near duplicates,
e-mails, phones, IBANs and card numbers, some HTML), runs the full prepare stage on
each size and prints records/s. The baseline is the smallest size: the ratio is
time(largest) / time(smallest), which must stay near the size ratio (10x for 10k vs
100k; target <= 12x) if near-duplicate detection is not quadratic. Target: >= 1,000
records/s on 2 cores. The two sizes run in turn, `--repeats` times each. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import add_repeats, emit, interleave, summary  # noqa: E402

from chatforge.data.prepare import PrepareConfig, prepare  # noqa: E402

WORDS = (
    "bagage valise billet vol retard annulation remboursement siège hublot escale horaire tarif carte "
    "fidélité points voyage client agent aéroport comptoir navette parking repas boisson enfant poussette "
    "fauteuil chien chat sac housse vélo skis franchise taxe avoir échange option départ arrivée terminal "
    "contrôle sécurité passeport identité météo orage grève correspondance réservation modification "
    "enregistrement embarquement porte cabine soute poids dimension supplément paiement facture reçu "
    "demande dossier numéro semaine lundi mardi mercredi jeudi vendredi samedi dimanche matin soir"
).split()


def _iban(rng: random.Random) -> str:
    bban = "".join(rng.choice("0123456789") for _ in range(23))
    check = 98 - int("".join(str(int(c, 36)) for c in bban + "FR00")) % 97
    s = f"FR{check:02d}{bban}"
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def _card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = sum((d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 == 0 else d for i, d in enumerate(reversed(digits)))
    digits.append((10 - total % 10) % 10)
    return " ".join("".join(map(str, digits[i : i + 4])) for i in range(0, 16, 4))


def generate(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    for i in range(n):
        r = rng.random()
        if rows and r < 0.05:  # exact duplicate
            rows.append(json.loads(json.dumps(rng.choice(rows))))
            continue
        if rows and r < 0.10:  # near duplicate: greeting added, one word changed
            src = json.loads(json.dumps(rng.choice(rows)))
            src["messages"][0]["content"] = "Bonjour, " + src["messages"][0]["content"].replace(" ", "  ", 1)
            words = src["messages"][1]["content"].split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            src["messages"][1]["content"] = " ".join(words)
            rows.append(src)
            continue
        q = " ".join(rng.choices(WORDS, k=rng.randint(10, 24)))
        a = " ".join(rng.choices(WORDS, k=rng.randint(15, 40)))
        pii = rng.random()
        if pii < 0.1:
            q += f" mon mail est client{i}@exemple.fr"
        elif pii < 0.2:
            q += f" rappelez-moi au 06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        elif pii < 0.25:
            q += f" IBAN {_iban(rng)}"
        elif pii < 0.3:
            q += f" carte {_card(rng)}"
        if rng.random() < 0.1:
            a = f"<p>{a}</p><br>&nbsp;Cordialement"
        rows.append(
            {
                "messages": [
                    {"role": "user", "content": f"Question {i} : {q} ?"},
                    {"role": "assistant", "content": a.capitalize() + "."},
                ]
            }
        )
    return rows


def write_size(n: int, workdir: Path) -> Path:
    path = workdir / f"bench_{n}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for row in generate(n):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def run_size(path: Path, n: int, workdir: Path) -> dict:
    out = Path(tempfile.mkdtemp(dir=workdir, prefix=f"out_{n}_"))
    start = time.perf_counter()
    report = prepare([path], out, PrepareConfig(), progress=False)
    seconds = time.perf_counter() - start
    return {
        "records": n,
        "seconds": seconds,
        "records_per_s": n / seconds,
        "removed": report["removed"],
        "pii_redacted": report["pii_redacted"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000], metavar=("SMALL", "LARGE"))
    add_repeats(parser)
    args = parser.parse_args()
    small, large = sorted(args.sizes)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: write_size(n, Path(tmp)) for n in (small, large)}
        runs = interleave(
            {
                f"{large}": lambda: run_size(paths[large], large, Path(tmp)),
                f"{small}": lambda: run_size(paths[small], small, Path(tmp)),
            },
            args.repeats,
        )
    emit(
        summary(
            "data_prepare",
            f"records_per_s_at_{large}",
            runs,
            value="records_per_s",
            ours=f"{large}",
            baseline=f"{small}",
            baseline_is=f"records_per_s_at_{small} (the same stage on a tenth of the data)",
            ratio=lambda a, b: a["seconds"] / b["seconds"],
            ratio_is=f"time({large}) / time({small}); linear = {large / small:.0f}, target <= 12 for 10x the data",
        )
    )


if __name__ == "__main__":
    main()
