"""Opening the SQLite file: permissions, WAL, and schema migrations run before anything reads it."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from qbdesk.store.models import SCHEMA_HEAD

log = logging.getLogger("qbdesk.store")

DATABASE_FILENAME = "qbdesk.sqlite3"


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def _schema_revision(path: Path) -> str | None:
    """The Alembic revision recorded in the file, without importing Alembic."""
    with sqlite3.connect(path) as conn:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None


def _migrate(engine: Engine) -> None:
    """Bring the schema up to SCHEMA_HEAD with Alembic."""
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("qbdesk.store") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_database(data_dir: Path) -> Engine:
    """Open (creating if needed) the database in data_dir, migrated to the current schema."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / DATABASE_FILENAME
    if not path.exists():
        path.touch(mode=0o600)
    if os.name == "posix":
        os.chmod(path, 0o600)
    try:
        revision = _schema_revision(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The database {path} is damaged or is not a qbdesk database ({exc}). "
            "Move it aside and start qbdesk again to begin with an empty list."
        ) from None
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    if revision != SCHEMA_HEAD:
        if revision is not None and revision > SCHEMA_HEAD:
            engine.dispose()
            raise StoreError(
                f"The database {path} was written by a newer version of qbdesk (schema {revision}). "
                "Install that version again to use it."
            )
        log.info("Upgrading the database schema from %s to %s", revision or "empty", SCHEMA_HEAD)
        _migrate(engine)
    return engine
