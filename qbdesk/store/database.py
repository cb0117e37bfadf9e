"""Opening the SQLite file: permissions, WAL, and schema migrations run before anything reads it."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from qbdesk.store.schema import DATABASE_FILENAME, SCHEMA_HEAD, schema_revision

log = logging.getLogger("qbdesk.store")


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def _schema_revision(path: Path) -> str | None:
    with sqlite3.connect(path) as connection:
        return schema_revision(connection)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to a revision (the newest by default) with Alembic, imported only when needed."""
    from importlib.resources import files

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("qbdesk.store") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _backup(path: Path, revision: str) -> Path:
    """Copy the database aside (consistently, through SQLite) before a migration touches it."""
    target = path.with_name(f"{path.name}.before-{SCHEMA_HEAD}-from-{revision}")
    target.unlink(missing_ok=True)  # an earlier attempt's copy is replaced, never written through
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    try:
        with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    except BaseException:
        target.unlink(missing_ok=True)  # half a copy is no backup (a full disk, say)
        raise
    return target


def _make_private(data_dir: Path) -> None:
    """Take group and other access away from a data folder that has it (made by hand, or by an old copy)."""
    if os.name != "posix":
        return
    mode = data_dir.stat().st_mode
    if mode & 0o077:
        os.chmod(data_dir, 0o700)
        log.warning("The data folder %s could be read by other users (mode %o); it is private again.",
                    data_dir, mode & 0o777)


def _prepare_folder(data_dir: Path) -> Path:
    """Create the private data folder and database file, or say plainly why that is impossible."""
    path = data_dir / DATABASE_FILENAME
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _make_private(data_dir)
        if not path.exists():
            path.touch(mode=0o600)
        if os.name == "posix":
            os.chmod(path, 0o600)
        if not os.access(data_dir, os.W_OK) or not os.access(path, os.R_OK | os.W_OK):
            raise PermissionError(errno.EACCES, "not writable")
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or type(exc).__name__).lower()
        raise StoreError(
            f"The data folder {data_dir} cannot be used ({reason}). Free some space or fix its permissions, "
            "or start qbdesk with --data-dir pointing to a folder you can write to."
        ) from None
    return path


def open_database(data_dir: Path) -> Engine:
    """Open (creating if needed) the database in data_dir, migrated to the current schema.

    A database from an older qbdesk is copied aside before it is migrated.
    """
    path = _prepare_folder(data_dir)
    try:
        revision = _schema_revision(path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The database {path} is damaged or is not a qbdesk database ({exc}). "
            "Move it aside and start qbdesk again to begin with an empty list."
        ) from None
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    if revision == SCHEMA_HEAD:
        return engine
    if revision is not None and revision > SCHEMA_HEAD:
        engine.dispose()
        raise StoreError(
            f"The database {path} was written by a newer version of qbdesk (schema {revision}). "
            "Install that version again to use it."
        )
    try:
        if revision is not None:
            log.info("Backed up the database to %s before upgrading it", _backup(path, revision).name)
        log.info("Upgrading the database schema from %s to %s", revision or "empty", SCHEMA_HEAD)
        migrate(engine)
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        engine.dispose()
        text = str(exc).lower()
        full = "full" in text or "too large" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EFBIG)
        raise StoreError(
            f"The database in {data_dir} could not be upgraded ("
            + ("the disk is full" if full else "a write to the disk failed")
            + "). Nothing was lost: free some space or fix the folder's permissions, then start qbdesk again."
        ) from None
    return engine
