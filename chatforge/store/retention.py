"""How long the serving database keeps what users wrote: the store settings, the retention purge and its daily task.

    chatforge store purge --db URL --retention-days 90 [--json]     # or store.retention_days in a serve config
    chatforge serve ... --set store.retention_days=90                # the server purges at start, then daily

A conversation expires when its last activity (its creation, its newest message, its newest
feedback) is older than the retention period; it then goes with all its messages and all the
feedback on it (thumbs, ratings, picks, comments and survey answers). The unit is the
conversation because every stored answer carries the conversation it replied to (`prompt`):
deleting old messages one by one would leave their text inside the newer answers.
Users, keys, A/B assignments, annotation campaigns and erasure records are not aged.

Commands that only act on an existing database refuse one that does not exist (`open_existing`),
so a typo in `--db` never creates an empty database and reports "nothing to purge".
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import Field, model_validator
from sqlalchemy import delete, exists, func, select

from chatforge.config import StageConfig
from chatforge.data.pii import PIIConfig
from chatforge.store.database import Conversation, Feedback, Message, Store
from chatforge.store.opening import StoreMissing, open_database  # noqa: F401 (StoreMissing: its callers import it here)

log = logging.getLogger("chatforge.store.retention")
DAY_S = 86_400.0


class StoreConfig(StageConfig):
    retention_days: float | None = Field(
        None,
        ge=0,
        description="Delete conversations (with their messages, feedback and survey answers) inactive for "
        "longer than this many days; unset or 0 = keep forever.",
    )
    purge_interval_s: float = Field(
        DAY_S, gt=0, description="Seconds between two purges while serving (first one at start)."
    )
    redact_at_rest: bool = Field(
        False,
        description="Redact personal data (e-mail, phone, IBAN, card) in messages, titles and feedback comments "
        "before they are stored; the answer is still generated from the original text.",
    )
    pii: PIIConfig = Field(
        default_factory=PIIConfig,
        description="What redact_at_rest redacts, as data prepare: types, custom patterns, allow-list.",
    )

    @model_validator(mode="after")
    def _redaction_on(self):
        if self.redact_at_rest and not self.pii.enabled:
            raise ValueError("store.redact_at_rest needs store.pii.enabled (it redacts with those settings)")
        return self


def open_existing(db: str | Path) -> Store:
    """The Store at `db`, or StoreMissing when there is no chatforge database there (nothing is created)."""
    return open_database(db, create=False)


def expired_conversations(cutoff: datetime):
    """A SELECT of the ids of conversations whose last activity is before `cutoff`."""
    newer_message = exists().where(Message.conversation_id == Conversation.id, Message.created >= cutoff)
    newer_feedback = exists().where(Feedback.conversation_id == Conversation.id, Feedback.created >= cutoff)
    return select(Conversation.id).where(Conversation.created < cutoff, ~newer_message, ~newer_feedback)


def purge(store: Store, retention_days: float, now: datetime | None = None) -> dict:
    """Delete what expired (see the module docstring) in one transaction; returns counts per table and the cutoff."""
    if not retention_days or retention_days <= 0:
        raise ValueError("retention_days: give a period in days greater than 0 (unset = keep forever)")
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=retention_days)
    with store.session() as s:
        ids = list(s.scalars(expired_conversations(cutoff)))
        counts = {"conversations": len(ids), "messages": 0, "feedback": 0, "survey_answers": 0}
        for start in range(0, len(ids), 500):  # bounded IN lists (SQLite's parameter limit)
            chunk = ids[start : start + 500]
            counts["survey_answers"] += (
                s.scalar(
                    select(func.count())
                    .select_from(Feedback)
                    .where(Feedback.conversation_id.in_(chunk), Feedback.kind == "survey")
                )
                or 0
            )
            counts["feedback"] += s.execute(delete(Feedback).where(Feedback.conversation_id.in_(chunk))).rowcount
            counts["messages"] += s.execute(delete(Message).where(Message.conversation_id.in_(chunk))).rowcount
            s.execute(delete(Conversation).where(Conversation.id.in_(chunk)))
        s.commit()
    return {"retention_days": retention_days, "cutoff": cutoff.isoformat(), "deleted": counts}


def table_counts(store: Store) -> dict[str, int]:
    """Rows per retention table (for reports and tests)."""
    with store.session() as s:
        return {
            "conversations": s.scalar(select(func.count()).select_from(Conversation)),
            "messages": s.scalar(select(func.count()).select_from(Message)),
            "feedback": s.scalar(select(func.count()).select_from(Feedback)),
            "survey_answers": s.scalar(select(func.count()).select_from(Feedback).where(Feedback.kind == "survey")),
        }


async def purge_forever(store: Store, cfg: StoreConfig, on_purge=None) -> None:
    """The server's purge loop: once at start, then every `purge_interval_s`; a failed purge is logged and retried."""
    from fastapi.concurrency import run_in_threadpool

    while True:
        try:
            result = await run_in_threadpool(purge, store, cfg.retention_days)
            log.info("retention purge (%s days): %s", cfg.retention_days, result["deleted"])  # counts only, no content
            if on_purge is not None:
                on_purge(result)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a locked or unreachable database must not stop serving
            log.warning("retention purge failed: %s", type(exc).__name__)
        await asyncio.sleep(cfg.purge_interval_s)
