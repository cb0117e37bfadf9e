"""The SQLite store on real temporary files: migrations, metadata only, expiry, permissions."""

import os
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import create_engine

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Status
from qbdesk.core.destinations import Destination
from qbdesk.store.database import StoreError, migrate, open_database
from qbdesk.store.repository import CredentialNotFound, CredentialRepository, NameTaken, PendingExpired
from qbdesk.store.schema import DATABASE_FILENAME, SCHEMA_HEAD

from old_schema import first_release_database


@pytest.fixture
def repository(tmp_path):
    engine = open_database(tmp_path)
    yield CredentialRepository(engine)
    engine.dispose()


def test_a_new_database_is_migrated_to_the_head_revision_in_wal_mode(tmp_path):
    open_database(tmp_path).dispose()
    with sqlite3.connect(tmp_path / DATABASE_FILENAME) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_schema_head_matches_the_newest_migration(tmp_path):
    """open_database skips Alembic when the file is at SCHEMA_HEAD: that must be Alembic's head too."""
    engine = create_engine(f"sqlite:///{tmp_path / 'head.sqlite3'}")
    migrate(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_HEAD
    engine.dispose()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_and_database_are_private(tmp_path):
    folder = tmp_path / "data"
    open_database(folder).dispose()
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert ((folder / DATABASE_FILENAME).stat().st_mode & 0o777) == 0o600


def test_pending_credential_round_trips_with_aware_times(repository):
    clock = FakeClock()
    created = repository.add_pending("Acme", Destination.SANDBOX, clock.now(), clock.now() + timedelta(minutes=10))
    loaded = repository.get(created.id)
    assert loaded == created
    assert loaded.status is Status.PENDING and loaded.display_name == "Acme (Incomplete)"
    assert loaded.pending_expires_at == clock.now() + timedelta(minutes=10)
    assert loaded.pending_expires_at.tzinfo is not None


def test_names_are_unique_ignoring_case_even_past_the_service(repository):
    now = FakeClock().now()
    repository.add_pending("Acme", Destination.SANDBOX, now, now)
    with pytest.raises(NameTaken):
        repository.add_pending("ACME", Destination.PRODUCTION, now, now)
    assert [c.name for c in repository.all()] == ["Acme"]


def test_mark_connected_clears_the_expiry_and_keeps_the_realm(repository):
    clock = FakeClock()
    pending = repository.add_pending("Acme", Destination.SANDBOX, clock.now(), clock.now() + timedelta(minutes=10))
    connected = repository.mark_connected(
        pending.id, "9130350", clock.now(), clock.now() + timedelta(hours=1), clock.now() + timedelta(days=100)
    )
    assert connected.status is Status.CONNECTED and connected.realm_id == "9130350"
    assert connected.pending_expires_at is None and connected.display_name == "Acme"
    with pytest.raises(CredentialNotFound):
        repository.mark_connected("missing", "1", clock.now(), clock.now(), clock.now())


def test_a_pending_credential_past_its_stored_expiry_cannot_be_connected(repository):
    clock = FakeClock()
    pending = repository.add_pending("Acme", Destination.SANDBOX, clock.now(), clock.now() + timedelta(minutes=10))
    clock.advance(600)
    with pytest.raises(PendingExpired):
        repository.mark_connected(pending.id, "9130350", clock.now(), clock.now(), clock.now())
    unchanged = repository.get(pending.id)
    assert unchanged.status is Status.PENDING and unchanged.realm_id is None


def test_only_expired_pending_credentials_are_purged(repository):
    clock = FakeClock()
    now = clock.now()
    soon = repository.add_pending("Soon", Destination.SANDBOX, now, now + timedelta(seconds=30))
    later = repository.add_pending("Later", Destination.SANDBOX, now, now + timedelta(seconds=90))
    done = repository.add_pending("Done", Destination.SANDBOX, now, now + timedelta(seconds=10))
    repository.mark_connected(done.id, "1", now, now, now)
    assert repository.next_pending_expiry() == soon.pending_expires_at
    clock.advance(60)
    assert [c.id for c in repository.delete_expired(clock.now())] == [soon.id]
    assert {c.id for c in repository.all()} == {later.id, done.id}
    assert repository.next_pending_expiry() == later.pending_expires_at


def test_the_database_file_holds_no_secret_columns(tmp_path):
    open_database(tmp_path).dispose()
    with sqlite3.connect(tmp_path / DATABASE_FILENAME) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(credentials)")}
    assert not {c for c in columns if "token" in c and not c.endswith("expires_at")}
    assert "client_secret" not in columns


def test_a_corrupt_file_is_refused_with_a_way_out_and_left_alone(tmp_path):
    path = tmp_path / DATABASE_FILENAME
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="Move it aside"):
        open_database(tmp_path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_a_newer_schema_is_refused_instead_of_downgraded(tmp_path):
    open_database(tmp_path).dispose()
    with sqlite3.connect(tmp_path / DATABASE_FILENAME) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer version"):
        open_database(tmp_path)


def test_reopening_keeps_every_row(tmp_path):
    engine = open_database(tmp_path)
    now = FakeClock().now()
    CredentialRepository(engine).add_pending("Acme", Destination.SANDBOX, now, now + timedelta(days=1))
    engine.dispose()
    engine = open_database(tmp_path)
    assert [c.name for c in CredentialRepository(engine).all()] == ["Acme"]
    engine.dispose()


def test_an_older_schema_is_backed_up_then_migrated_keeping_every_row(tmp_path):
    first_release_database(tmp_path)

    upgraded = open_database(tmp_path)
    credential = CredentialRepository(upgraded).get("a1")
    upgraded.dispose()
    assert credential.name == "Acme" and credential.realm_id == "42" and credential.status is Status.CONNECTED
    backups = list(tmp_path.glob(f"{DATABASE_FILENAME}.before-*"))
    assert [b.name for b in backups] == [f"{DATABASE_FILENAME}.before-{SCHEMA_HEAD}-from-0001"]
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT name FROM credentials").fetchall() == [("Acme",)]


def test_a_data_folder_that_cannot_be_created_is_reported_plainly(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match="cannot be used"):
        open_database(blocker / "data")


def test_a_window_can_tell_other_processes_writes_from_its_own(tmp_path):
    """Two repositories on one file stand for two processes; each sees only the other's writes."""
    mine, theirs = CredentialRepository(open_database(tmp_path)), CredentialRepository(open_database(tmp_path))
    now = FakeClock().now()
    mine.changed_elsewhere()
    mine.add_pending("Mine", Destination.SANDBOX, now, now + timedelta(minutes=10))
    assert mine.changed_elsewhere() is False  # only my own write
    theirs.add_pending("Theirs", Destination.SANDBOX, now, now + timedelta(minutes=10))
    mine.add_pending("Mine too", Destination.SANDBOX, now, now + timedelta(minutes=10))
    assert mine.changed_elsewhere() is True  # their write sits between two of mine
    assert mine.changed_elsewhere() is False
    theirs.delete_expired(now + timedelta(hours=1))
    assert mine.changed_elsewhere() is True
