"""A database as the first qbdesk release left it: schema 0001 with one connected credential."""

from pathlib import Path

from sqlalchemy import create_engine

from qbdesk.store.database import migrate
from qbdesk.store.schema import DATABASE_FILENAME


def first_release_database(folder: Path) -> Path:
    """Create folder/qbdesk.sqlite3 at schema 0001 holding the credential 'Acme' (id a1, realm 42)."""
    folder.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{folder / DATABASE_FILENAME}")
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO credentials (id, name, name_key, destination, status, realm_id, created_at) "
            "VALUES ('a1', 'Acme', 'acme', 'sandbox', 'connected', '42', '2026-01-05 09:00:00')"
        )
    engine.dispose()
    return folder / DATABASE_FILENAME
