"""Which registered model versions learnt from erased data: the operator's list of what to retrain after an erasure.

    chatforge users erase --user NAME --db URL [--registry URI]     # erases, then names the versions
    chatforge users erasures --db URL [--registry URI]              # every erasure so far, with the versions

Feedback reaches a model through files: `feedback export` and `chatforge loop` write rows that
keep the stored ids (`message_id` for sft / kto, `chosen_id` / `rejected_id` for dpo), and an
annotation export keeps `item_id`. A version's lineage (lineage.py) lists the data files it was
trained on with their sha256. A version is affected when one of those files, unchanged since
registration, holds a row with an erased id; or when its parent is affected (it was trained on
top of that model). A data file that is gone or changed since registration cannot be checked:
the version is listed as unverified, with the reason, never silently passed.

Ids are per serving database: a registry fed from several databases may name a version trained
on another database's row with the same id. That errs on the side of retraining.
"""

from __future__ import annotations

import json
from pathlib import Path

from chatforge.provenance import file_sha256

MESSAGE_KEYS = ("message_id", "chosen_id", "rejected_id")


def _rows(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("{"):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue


def _file_holds(path: Path, message_ids: set[int], item_ids: set[int]) -> int:
    """How many rows of a JSONL file carry an erased message id or annotation item id."""
    hits = 0
    for row in _rows(path):
        if not isinstance(row, dict):
            continue
        if any(row.get(k) in message_ids for k in MESSAGE_KEYS if isinstance(row.get(k), int)) or (
            isinstance(row.get("item_id"), int) and row["item_id"] in item_ids
        ):
            hits += 1
    return hits


def _data_files(entry_path: str, info: dict) -> list[tuple[Path, str | None]]:
    """(file, sha256 at registration) for one lineage data entry: the file itself, or each file of a folder."""
    path = Path(entry_path)
    if info.get("file_hashes"):
        return [(path / rel, sha) for rel, sha in info["file_hashes"].items()]
    return [(path, info.get("sha256"))]


def check_version(
    lineage: dict, message_ids: set[int], item_ids: set[int], cache: dict
) -> tuple[list[dict], list[str]]:
    """(files of this version's data holding erased rows, reasons some data could not be checked)."""
    hits, unverified = [], []
    for entry, info in (lineage.get("data") or {}).items():
        for path, sha in _data_files(entry, info if isinstance(info, dict) else {}):
            if path.suffix.lower() not in (".jsonl", ".json"):
                continue
            if not path.is_file():
                unverified.append(f"{path}: data file gone")
                continue
            key = (str(path.resolve()), sha)
            if key not in cache:
                current = file_sha256(path)
                cache[key] = None if sha and current != sha else _file_holds(path, message_ids, item_ids)
            if cache[key] is None:
                unverified.append(f"{path}: changed since registration")
            elif cache[key]:
                hits.append({"file": str(path), "rows": cache[key]})
    return hits, unverified


def affected_versions(registry, message_ids, item_ids) -> dict:
    """{"affected": [{ref, reason, files}], "unverified": [{ref, reasons}]} over every registered model."""
    message_ids, item_ids = set(message_ids), set(item_ids)
    cache: dict = {}
    versions = [v for name in registry.names() for v in registry.versions(name)]
    affected: dict[str, dict] = {}
    unverified: list[dict] = []
    if message_ids or item_ids:
        for v in versions:
            hits, reasons = check_version(v.lineage, message_ids, item_ids, cache)
            if hits:
                affected[v.ref] = {
                    "ref": v.ref,
                    "aliases": v.aliases,
                    "reason": "trained on erased feedback",
                    "files": hits,
                }
            elif reasons:
                unverified.append({"ref": v.ref, "aliases": v.aliases, "reasons": reasons})
    grew = True
    while grew:  # a model trained on top of an affected one carries what it learnt
        grew = False
        for v in versions:
            parent = v.lineage.get("parent") or {}
            pref = f"{parent.get('name')}@{parent.get('version')}" if parent else None
            if v.ref not in affected and pref in affected:
                affected[v.ref] = {"ref": v.ref, "aliases": v.aliases, "reason": f"trained from {pref}", "files": []}
                grew = True
    unverified = [u for u in unverified if u["ref"] not in affected]
    return {"registry": registry.uri, "affected": list(affected.values()), "unverified": unverified}
