"""The first screen's read of the list: the same credentials the store gives, or None when only a full
start-up can tell what is wrong. Real SQLite files throughout."""

import sqlite3
from datetime import timedelta

import pytest

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Health
from qbdesk.core.destinations import Destination
from qbdesk.store.database import open_database
from qbdesk.store.repository import CredentialRepository
from qbdesk.store.schema import DATABASE_FILENAME, read_snapshot

from old_schema import first_release_database


@pytest.fixture
def stored(tmp_path):
    """A migrated database holding one pending and one connected credential with every time set."""
    engine = open_database(tmp_path)
    repository = CredentialRepository(engine)
    now = FakeClock().now()
    repository.add_pending("Blue Heron", Destination.PRODUCTION, now, now + timedelta(minutes=10))
    soon = now + timedelta(minutes=10)
    acme = repository.add_pending("Acme Books", Destination.SANDBOX, now + timedelta(seconds=1), soon)
    repository.mark_connected(acme.id, "9130", now, now + timedelta(hours=1), now + timedelta(days=100),
                              now + timedelta(days=1800))
    repository.record_refresh(acme.id, now, now + timedelta(hours=1), now + timedelta(days=100), None)
    repository.record_use(acme.id, now, "Acme Books Ltd")
    repository.set_health(acme.id, Health.OFFLINE, "Intuit could not be reached.")
    yield repository
    engine.dispose()


def test_snapshot_equals_what_the_store_reads(tmp_path, stored):
    snapshot = read_snapshot(tmp_path)
    assert snapshot == stored.all()
    assert [c.name for c in snapshot] == ["Blue Heron", "Acme Books"]
    acme = snapshot[1]
    assert acme.company_name == "Acme Books Ltd" and acme.health is Health.OFFLINE
    assert all(moment.tzinfo is not None for moment in (acme.created_at, acme.hard_expires_at, acme.last_used_at))


def test_snapshot_reads_a_closed_database_without_writing_to_it(tmp_path, stored):
    stored._engine.dispose()  # no connection open: the WAL files are gone
    before = (tmp_path / DATABASE_FILENAME).read_bytes()
    assert len(read_snapshot(tmp_path)) == 2
    assert (tmp_path / DATABASE_FILENAME).read_bytes() == before


def test_no_database_yet_is_an_empty_list_and_creates_nothing(tmp_path):
    assert read_snapshot(tmp_path / "new") == []
    assert not (tmp_path / "new").exists()


def test_an_older_schema_is_left_to_the_full_start_up(tmp_path):
    first_release_database(tmp_path)
    assert read_snapshot(tmp_path) is None


def test_a_newer_schema_is_left_to_the_full_start_up(tmp_path, stored):
    with sqlite3.connect(tmp_path / DATABASE_FILENAME) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert read_snapshot(tmp_path) is None


def test_a_damaged_file_is_left_to_the_full_start_up(tmp_path):
    (tmp_path / DATABASE_FILENAME).write_bytes(b"\x00garbage" * 512)
    assert read_snapshot(tmp_path) is None
    assert (tmp_path / DATABASE_FILENAME).read_bytes() == b"\x00garbage" * 512


@pytest.mark.parametrize(
    ("column", "value"),
    [("destination", "mars"), ("status", "half"), ("health", "??"), ("created_at", "yesterday"),
     ("pending_expires_at", 12)],
)
def test_an_unexpected_value_is_left_to_the_full_start_up(tmp_path, stored, column, value):
    with sqlite3.connect(tmp_path / DATABASE_FILENAME) as connection:
        connection.execute(f"UPDATE credentials SET {column} = ? WHERE name = 'Blue Heron'", (value,))
    assert read_snapshot(tmp_path) is None
