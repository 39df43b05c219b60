"""Crafted preferences a tiny model can learn.

The crafted preference: the better answer contains the word "merci", the worse one is
the same answer without it (or another fact). A reward model has to find the word
anywhere in the answer; DPO and KTO have to make answers with it more likely.
"""

from __future__ import annotations

import json
from pathlib import Path

CITIES = ["Nantes", "Lyon", "Nice", "Toulouse", "Brest", "Lille", "Paris", "Rennes"]


def marker_ranked(n: int) -> list[dict]:
    """n rankings of 2 or 3 answers, the best one holding the marker word."""
    rows = []
    for i in range(n):
        c, d = CITIES[i % 8], 20 + i % 7
        good, bad, other = (
            f"Le vol pour {c} merci coute {d} euros.",
            f"Le vol pour {c} coute {d} euros.",
            f"Le bagage pour {c} coute {d + 5} euros.",
        )
        rows.append(
            {
                "id": f"r{i}",
                "prompt": f"Combien coute le vol {i} pour {c} ?",
                "answers": [good, bad] if i % 2 else [good, other, bad],
            }
        )
    return rows


def marker_thumbs(n: int) -> list[dict]:
    """n single answers, thumbs up exactly when the marker word is in it."""
    rows = []
    for i in range(n):
        c, d, good = CITIES[i % 8], 20 + i % 7, i % 2 == 0
        answer = f"Le vol pour {c} merci coute {d} euros." if good else f"Le vol pour {c} coute {d} euros."
        rows.append({"id": f"t{i}", "prompt": f"Combien coute le vol {i} pour {c} ?", "answer": answer, "label": good})
    return rows


def write_rows(path: Path, rows: list) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows), encoding="utf-8"
    )
    return path
