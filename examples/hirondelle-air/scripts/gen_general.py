#!/usr/bin/env python3
"""Write the general (non-domain) text used to measure catastrophic forgetting and for replay.

Writes, under examples/hirondelle-air/general/:
  general_fr.txt      French encyclopaedic/everyday prose, one paragraph per block, blank line between
  general_en.txt      the same in English (different topics)
  general_chat.jsonl  general-knowledge Q&A in "messages" shape, French and English mixed

All text was written for chatforge and says nothing about the airline.
Deterministic (seeded shuffle of the Q&A order). Usage: python3 examples/hirondelle-air/scripts/gen_general.py
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from general_en import EN_PARAS  # noqa: E402
from general_fr import FR_PARAS  # noqa: E402
from general_qa import QA_EN, QA_FR  # noqa: E402

SEED = 7
OUT = HERE.parent / "general"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "general_fr.txt").write_text("\n\n".join(FR_PARAS) + "\n", encoding="utf-8")
    (OUT / "general_en.txt").write_text("\n\n".join(EN_PARAS) + "\n", encoding="utf-8")
    rows = [("fr", q, a) for q, a in QA_FR] + [("en", q, a) for q, a in QA_EN]
    random.Random(SEED).shuffle(rows)
    with open(OUT / "general_chat.jsonl", "w", encoding="utf-8") as f:
        for i, (lang, q, a) in enumerate(rows, start=1):
            f.write(
                json.dumps(
                    {
                        "id": f"gen-{i:04d}",
                        "lang": lang,
                        "messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(
        f"fr: {len(FR_PARAS)} paragraphs, {sum(len(p.split()) for p in FR_PARAS)} words; "
        f"en: {len(EN_PARAS)} paragraphs, {sum(len(p.split()) for p in EN_PARAS)} words; "
        f"chat: {len(rows)} pairs ({len(QA_FR)} fr, {len(QA_EN)} en)"
    )


if __name__ == "__main__":
    main()
