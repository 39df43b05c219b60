"""Opening the serving database from a command: one function for every command that names a `--db`.

    store = open_database(db)                  # serve, keys create, annotate create: created when new
    store = open_database(db, create=False)    # commands that only read or act on existing data

A database that does not exist (a sqlite file that is not there, a server database without
chatforge's tables) is a `StoreMissing` when `create=False`: exit 2, naming it, nothing created.
One that cannot be opened (the sqlite file's folder is missing, PostgreSQL unreachable or refusing
the credentials) is a `StoreUnavailable`: one line, exit 1. Passwords never appear in either.
"""

from __future__ import annotations

from pathlib import Path

from chatforge.errors import MissingResource, UserError
from chatforge.output import redact_url
from chatforge.store.database import Store


class StoreMissing(MissingResource):
    """The database named does not exist: commands that act on existing data refuse to create it."""


class StoreUnavailable(UserError):
    """The database cannot be opened (server unreachable, folder missing); exit 1, as the cause may be passing."""

    exit_code = 1


def store_error(db: str, exc: BaseException) -> str:
    """One line saying why the database at `db` cannot be opened; its password never appears."""
    from urllib.parse import urlsplit

    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error, whose first line says it all
    reason = next((line.strip() for line in str(orig).splitlines() if line.strip()), type(orig).__name__)
    try:
        password = urlsplit(str(db)).password
    except ValueError:
        password = None
    if password:
        reason = reason.replace(password, "***")
    return f"--db {redact_url(str(db))}: cannot open the database ({redact_url(reason)})"


def sqlite_file(db: str) -> Path | None:
    """The file of a SQLite database given as a path or a sqlite:/// URL; None for other backends."""
    if "://" not in db:
        return Path(db).expanduser()
    if db.startswith("sqlite:///"):
        return Path(db.removeprefix("sqlite:///")).expanduser()
    return None


def open_database(db: str | Path, create: bool = True) -> Store:
    """The Store at `db`; see the module docstring for what `create=False` refuses and the errors raised."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import SQLAlchemyError

    from chatforge.store.database import database_url

    db = str(db)
    path = sqlite_file(db)
    if path is not None and not create and not path.is_file():
        raise StoreMissing(
            f"--db {db}: no such database file (give the serving database, e.g. runs/serve/chatforge.db)"
        )
    if path is not None and not path.parent.is_dir():
        raise StoreUnavailable(f"--db {db}: no such folder {path.parent}")
    try:
        if path is None and not create:
            engine = create_engine(database_url(db), pool_pre_ping=True)
            try:
                present = inspect(engine).has_table("users")
            finally:
                engine.dispose()
            if not present:
                raise StoreMissing(f"--db {redact_url(db)}: this database holds no chatforge tables (no `users` table)")
        return Store(db)
    except (SQLAlchemyError, OSError, ImportError) as exc:  # the driver's errors: unreachable, refused, no driver
        raise StoreUnavailable(store_error(db, exc)) from None
