"""What the database file looks like, readable with the standard library alone.

The window shows the list from here before SQLAlchemy is even imported: `read_snapshot` opens the file
read-only and gives up (None) on anything unexpected, leaving the full start-up to explain the problem.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from qbdesk.core.credential import Credential, Health, Status
from qbdesk.core.destinations import Destination

DATABASE_FILENAME = "qbdesk.sqlite3"
# The newest Alembic revision this code knows; start-up skips Alembic when the file is already there.
SCHEMA_HEAD = "0003"

_TIMES = (
    "created_at",
    "pending_expires_at",
    "connected_at",
    "access_token_expires_at",
    "refresh_token_expires_at",
    "hard_expires_at",
    "last_refreshed_at",
    "last_used_at",
)
_COLUMNS = ("id", "name", "destination", "status", "realm_id", "company_name", "health", "health_detail", *_TIMES)
SELECT_CREDENTIALS = f"SELECT {', '.join(_COLUMNS)} FROM credentials ORDER BY created_at"
SELECT_CREDENTIAL = f"SELECT {', '.join(_COLUMNS)} FROM credentials WHERE id = ?"


def parse_stored_time(text: str | None) -> datetime | None:
    """SQLite keeps UTC times as naive text; give them their zone back."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def credential_from_row(row: Sequence) -> Credential:
    """A Credential from one row of SELECT_CREDENTIALS or SELECT_CREDENTIAL: the one mapping of a stored row."""
    ident, name, destination, status, realm_id, company_name, health, health_detail, *times = row
    created, pending, connected, access, refresh, hard, refreshed, used = (parse_stored_time(t) for t in times)
    return Credential(
        id=ident,
        name=name,
        destination=Destination.parse(destination),
        status=Status(status),
        created_at=created,
        realm_id=realm_id,
        pending_expires_at=pending,
        connected_at=connected,
        access_token_expires_at=access,
        refresh_token_expires_at=refresh,
        company_name=company_name,
        health=Health(health),
        health_detail=health_detail,
        hard_expires_at=hard,
        last_refreshed_at=refreshed,
        last_used_at=used,
    )


def credentials_from_rows(rows: Iterable[Sequence]) -> list[Credential]:
    return [credential_from_row(row) for row in rows]


def schema_revision(connection: sqlite3.Connection) -> str | None:
    """The Alembic revision recorded in the file, without importing Alembic."""
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def read_snapshot(data_dir: Path) -> list[Credential] | None:
    """The stored list, read-only; [] without a database yet, None when the file needs the full start-up
    (an older or newer schema, damage, unexpected values)."""
    path = data_dir / DATABASE_FILENAME
    if not path.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if schema_revision(connection) != SCHEMA_HEAD:
            return None
        return credentials_from_rows(connection.execute(SELECT_CREDENTIALS))
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    finally:
        connection.close()
