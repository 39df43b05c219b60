"""The serving database: users and hashed keys, conversations, messages, feedback, A/B assignments, erasures.

    chatforge serve --model M --db serve.db                      # SQLite file, WAL mode (default)
    chatforge serve --model M --db postgresql://u:p@host/chatforge  # same code on PostgreSQL

One SQLAlchemy schema serves both backends. Every write commits before it returns, so a
response acknowledging a message or a feedback is only sent once it is on disk: a server
killed at any moment loses nothing it acknowledged. A plain path (or `sqlite:///...`) is
SQLite in WAL mode with `synchronous=FULL`; a `postgresql://` URL uses psycopg 3.
A chat turn's rows go in together (`record_turn`), so a refused or abandoned request stores nothing.
With `redact` (serve's `store.redact_at_rest`), message text, the prompt kept with each answer,
conversation titles and feedback comments are redacted before they are written.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

KEY_PREFIX = "cf_"
TITLE_CHARS = 80  # a conversation's title: the start of its first question


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # SHA-256 of the whole key: keys are 256-bit random tokens, so a fast hash is enough (no dictionary to attack).
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise a key in listings
    roles: Mapped[list] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(300), nullable=True)
    variant: Mapped[str | None] = mapped_column(String(8), nullable=True)  # "A" / "B" for assistant messages
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the user message an answer replies to
    regenerates: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the answer this one replaces
    prompt: Mapped[list | None] = mapped_column(JSON, nullable=True)  # the user-visible chat it answered (no RAG text)
    sources: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # an answer's check against its passages (rag/verify.py): abstained, verified, support, citations, removed_sentences
    grounding: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    prompt_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    completion_tokens: Mapped[int | None] = mapped_column(Integer, nullable=True)
    finish_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    latency_s: Mapped[float | None] = mapped_column(Float, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Feedback(Base):
    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # thumb | rating | pick | survey | comment
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)  # thumb ±1, rating/survey 1-5
    other_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # pick: the answer not chosen
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Assignment(Base):
    __tablename__ = "ab_assignments"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    variant: Mapped[str] = mapped_column(String(8))
    sticky: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Erasure(Base):
    """That a user's data was erased (chatforge/annotate/erasure.py): by whom, when, how many rows; never the content.

    The erased ids let `chatforge users erasures` name the registry versions trained on those rows later."""

    __tablename__ = "erasures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)  # the users row stays, with its keys revoked
    by: Mapped[str] = mapped_column(String(200))  # the operator: admin key's user, or the CLI's login
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    counts: Mapped[dict] = mapped_column(JSON)  # table -> rows deleted, keys revoked
    message_ids: Mapped[list] = mapped_column(JSON)  # ids only: what feedback exports called message_id / chosen_id
    item_ids: Mapped[list] = mapped_column(JSON)  # annotation items built from those messages (exports' item_id)


def database_url(db: str | Path) -> str:
    """A SQLAlchemy URL: URLs pass through, a plain path becomes a SQLite file URL."""
    db = str(db)
    if "://" in db:
        return db.replace("postgresql://", "postgresql+psycopg://", 1) if db.startswith("postgresql://") else db
    Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(db).expanduser()}"


def add_missing_columns(engine) -> list[str]:
    """Add the nullable columns a newer chatforge declares to tables an older one created (create_all only
    creates missing tables); SQLite and PostgreSQL both take `ALTER TABLE ... ADD COLUMN`. Returns what it added."""
    from sqlalchemy import inspect, text

    added = []
    existing = inspect(engine)
    for table in Base.metadata.sorted_tables:
        if not existing.has_table(table.name):
            continue
        have = {c["name"] for c in existing.get_columns(table.name)}
        for col in table.columns:
            if col.name not in have and col.nullable and not col.primary_key:
                with engine.begin() as conn:
                    conn.execute(
                        text(f"ALTER TABLE {table.name} ADD COLUMN {col.name} {col.type.compile(engine.dialect)}")
                    )
                added.append(f"{table.name}.{col.name}")
    return added


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Store:
    """Thin, committing data access over one engine; safe to share between threads."""

    def __init__(self, db: str | Path, redact=None):
        self.url = database_url(db)
        # redaction at rest (store.redact_at_rest): text -> text applied to what users write before it is stored
        self.redact = redact
        if self.url.startswith("sqlite"):
            # hide_parameters: a failed statement's error (logged with its traceback) never shows what users wrote
            self.engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
            )

            @event.listens_for(self.engine, "connect")
            def _sqlite_pragmas(
                conn, _record
            ):  # WAL: readers never block the writer; FULL: a commit survives power loss
                cur = conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()
        else:
            # connect_timeout: a host that drops packets is an error after 10 s, not a hang until the TCP timeout
            self.engine = create_engine(
                self.url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 10}
            )
        from chatforge.store import annotation  # noqa: F401  the annotation tables join Base.metadata: one schema

        Base.metadata.create_all(self.engine)
        add_missing_columns(self.engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # users and keys
    def user(self, name: str, s: Session) -> User:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            user = User(name=name)
            s.add(user)
            s.flush()
        return user

    def create_key(self, user: str, roles: list[str]) -> tuple[str, ApiKey]:
        """(the key in clear — shown once, never stored —, its row)."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self.session() as s:
            row = ApiKey(user_id=self.user(user, s).id, key_hash=hash_key(key), prefix=key[:10], roles=list(roles))
            s.add(row)
            s.commit()
        return key, row

    def verify_key(self, key: str) -> tuple[User, ApiKey] | None:
        with self.session() as s:
            row = s.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key), ApiKey.revoked.is_(None)))
            return (s.get(User, row.user_id), row) if row else None

    def list_keys(self) -> list[dict]:
        with self.session() as s:
            rows = s.execute(select(ApiKey, User.name).join(User, User.id == ApiKey.user_id).order_by(ApiKey.id)).all()
            return [
                {
                    "id": k.id,
                    "user": name,
                    "prefix": k.prefix,
                    "roles": k.roles,
                    "created": k.created,
                    "revoked": k.revoked,
                }
                for k, name in rows
            ]

    def revoke_key(self, key_id: int) -> bool:
        with self.session() as s:
            row = s.get(ApiKey, key_id)
            if row is None or row.revoked is not None:
                return False
            row.revoked = _now()
            s.commit()
            return True

    # conversations and messages
    def conversation(self, user_id: int, conversation_id: int | None, title: str) -> Conversation:
        """The caller's conversation `conversation_id`, or a new one; someone else's id is a KeyError."""
        with self.session() as s:
            if conversation_id is not None:
                conv = s.get(Conversation, conversation_id)
                if conv is None or conv.user_id != user_id:
                    raise KeyError(conversation_id)
                return conv
            # the title is the start of the first question: redacted before it is cut, so no half card number stays
            conv = Conversation(user_id=user_id, title=self._at_rest(title)[:TITLE_CHARS])
            s.add(conv)
            s.commit()
            return conv

    def _at_rest(self, text):
        return self.redact(text) if self.redact is not None and isinstance(text, str) else text

    def _message_at_rest(self, fields: dict) -> dict:
        if self.redact is not None:  # the answer may echo what the user typed, the prompt holds the whole chat
            fields["content"] = self._at_rest(fields.get("content"))
            if fields.get("prompt"):
                fields["prompt"] = [{**m, "content": self._at_rest(m.get("content"))} for m in fields["prompt"]]
        return fields

    def add_message(self, **fields) -> Message:
        with self.session() as s:
            msg = Message(**self._message_at_rest(fields))
            s.add(msg)
            s.commit()
            return msg

    # a chat turn: the conversation (when new), the user's message and the answer
    def _turn_rows(
        self, s: Session, user_id: int, conversation_id: int | None, question: str | None
    ) -> tuple[Conversation, Message | None]:
        if conversation_id is None:
            conv = Conversation(user_id=user_id, title=self._at_rest(question or "")[:TITLE_CHARS])
            s.add(conv)
            s.flush()
        else:
            conv = s.get(Conversation, conversation_id)
            if conv is None or conv.user_id != user_id:
                raise KeyError(conversation_id)
        asked = None
        if question is not None:  # None: a regeneration, which answers an existing user message
            asked = Message(**self._message_at_rest({"conversation_id": conv.id, "role": "user", "content": question}))
            s.add(asked)
            s.flush()
        return conv, asked

    def open_turn(
        self, user_id: int, conversation_id: int | None, question: str | None
    ) -> tuple[Conversation, Message | None]:
        """Commit together the conversation (new when `conversation_id` is None) and the user message.

        For a stream, whose first chunk names the conversation; `drop_turn` undoes it when no answer comes."""
        with self.session() as s:
            conv, asked = self._turn_rows(s, user_id, conversation_id, question)
            s.commit()
            return conv, asked

    def record_turn(
        self, user_id: int, conversation_id: int | None, question: str | None, **answer
    ) -> tuple[Conversation, Message]:
        """Commit the conversation (when new), the user message (unless `question` is None) and the answer at once.

        A request refused or abandoned before its answer thus leaves no row. The answer's `parent_id`
        defaults to the user message written here."""
        with self.session() as s:
            conv, asked = self._turn_rows(s, user_id, conversation_id, question)
            answer.setdefault("parent_id", asked.id if asked is not None else None)
            msg = Message(**self._message_at_rest({"conversation_id": conv.id, "role": "assistant", **answer}))
            s.add(msg)
            s.commit()
            return conv, msg

    def drop_turn(self, conversation_id: int | None, message_id: int | None) -> None:
        """Undo `open_turn` for a turn that got no answer: delete its user message (and feedback on it), and
        its conversation when given and nothing else was written in it."""
        with self.session() as s:
            if message_id is not None:
                s.execute(delete(Feedback).where(Feedback.message_id == message_id))
                s.execute(delete(Message).where(Message.id == message_id))
            if conversation_id is not None:
                others = s.scalar(select(func.count(Message.id)).where(Message.conversation_id == conversation_id))
                notes = s.scalar(select(func.count(Feedback.id)).where(Feedback.conversation_id == conversation_id))
                if not others and not notes:
                    s.execute(delete(Conversation).where(Conversation.id == conversation_id))
            s.commit()

    def message(self, message_id: int) -> Message | None:
        with self.session() as s:
            return s.get(Message, message_id)

    def conversations(self, user_id: int | None = None, limit: int = 100) -> list[dict]:
        with self.session() as s:
            q = (
                select(Conversation, User.name, func.count(Message.id))
                .join(User, User.id == Conversation.user_id)
                .outerjoin(Message, Message.conversation_id == Conversation.id)
                .group_by(Conversation.id, User.name)
                .order_by(Conversation.id.desc())
                .limit(limit)
            )
            if user_id is not None:
                q = q.where(Conversation.user_id == user_id)
            return [
                {"id": c.id, "user": name, "title": c.title, "created": c.created, "messages": n}
                for c, name, n in s.execute(q).all()
            ]

    def messages(self, conversation_id: int) -> list[Message]:
        with self.session() as s:
            return list(
                s.scalars(select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id))
            )

    def add_feedback(self, **fields) -> Feedback:
        if fields.get("comment"):
            fields["comment"] = self._at_rest(fields["comment"])
        with self.session() as s:
            row = Feedback(**fields)
            s.add(row)
            s.commit()
            return row
