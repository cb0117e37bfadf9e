"""The database through the standard library alone, for commands that only read (and mark a token as used).

open_current() refuses (NotQuick) every data folder that the full start-up in database.py would change or
complain about: no database yet, a folder or file others could read, one that cannot be written, a schema
other than SCHEMA_HEAD. The caller then takes the full path, which explains or repairs it.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from qbdesk.core.credential import Credential, Status
from qbdesk.store.schema import (
    DATABASE_FILENAME,
    SCHEMA_HEAD,
    SELECT_CREDENTIAL,
    SELECT_CREDENTIALS,
    credential_from_row,
    credentials_from_rows,
    parse_stored_time,
    schema_revision,
)

BUSY_TIMEOUT_MS = 5000  # as the full path's connections wait for another writer


class NotQuick(Exception):
    """This data folder needs the full start-up (creating, repairing, migrating or explaining)."""


def _private(data_dir: Path, path: Path) -> bool:
    """The folder and the file are as the full start-up leaves them: private to this user and writable."""
    if not (os.access(data_dir, os.W_OK) and os.access(path, os.R_OK | os.W_OK)):
        return False
    if os.name != "posix":
        return True
    return not data_dir.stat().st_mode & 0o077 and path.stat().st_mode & 0o777 == 0o600


def open_current(data_dir: Path) -> sqlite3.Connection:
    """A connection to the data folder's database, which must exist and be at the current schema."""
    path = data_dir / DATABASE_FILENAME
    try:
        if not path.is_file() or not _private(data_dir, path):
            raise NotQuick(path)
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, isolation_level=None)
    except (OSError, sqlite3.Error):
        raise NotQuick(path) from None
    try:
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if schema_revision(connection) != SCHEMA_HEAD:
            raise NotQuick(path)
    except BaseException:
        connection.close()
        raise
    return connection


def read_credentials(connection: sqlite3.Connection) -> list[Credential]:
    """Every credential, oldest first, as the repository reads them (raises ValueError on unexpected values)."""
    return credentials_from_rows(connection.execute(SELECT_CREDENTIALS))


def read_credential(connection: sqlite3.Connection, credential_id: str) -> Credential | None:
    row = connection.execute(SELECT_CREDENTIAL, (credential_id,)).fetchone()
    return None if row is None else credential_from_row(row)


def read_names(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """(id, name) of every credential, oldest first: finding one by name without reading them all in full."""
    return connection.execute("SELECT id, name FROM credentials ORDER BY created_at").fetchall()


def pending_expiries(connection: sqlite3.Connection) -> list[datetime]:
    """When each unfinished sign-in runs out."""
    rows = connection.execute(
        "SELECT pending_expires_at FROM credentials WHERE status = ? AND pending_expires_at IS NOT NULL",
        (Status.PENDING.value,),
    )
    return [parse_stored_time(text) for (text,) in rows]


def stored_time(moment: datetime) -> str:
    """A moment as SQLAlchemy's DateTime keeps it in SQLite: naive UTC text with microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def record_use(connection: sqlite3.Connection, credential_id: str, now: datetime) -> bool:
    """Note that an access token was handed out, counted in the list version as every write is.

    One transaction, as CredentialRepository.record_use writes it; False (nothing written) when the row is gone.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        changed = connection.execute(
            "UPDATE credentials SET last_used_at = ? WHERE id = ?", (stored_time(now), credential_id)
        ).rowcount
        if changed != 1:
            connection.execute("ROLLBACK")
            return False
        connection.execute("UPDATE list_version SET version = version + 1")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return True
