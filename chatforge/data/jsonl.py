"""Writing JSON Lines files: one JSON object a line, UTF-8, written to a temporary file and renamed into place.

    from chatforge.data.jsonl import write_jsonl
    write_jsonl(rows, "runs/feedback/dpo.jsonl")

Used by every stage that writes rows (data prepare, feedback export, annotate export, the loop), so a killed
run never leaves a half-written file under the final name.
"""

from __future__ import annotations

import json
from pathlib import Path


def write_jsonl(rows, out: str | Path) -> Path:
    """Write `rows` (dicts) to `out` atomically, creating its folder; returns the path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out
