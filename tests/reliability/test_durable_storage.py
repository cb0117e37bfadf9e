"""Start-up on hostile storage: a full disk during an upgrade, a newer or corrupt database. Nothing is lost."""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
from importlib.resources import files

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from qbdesk.store.database import DATABASE_FILENAME

pytestmark = pytest.mark.reliability


def old_database(folder):
    """A database at the first schema with one credential in it."""
    folder.mkdir()
    engine = create_engine(f"sqlite:///{folder / DATABASE_FILENAME}")
    config = Config()
    config.set_main_option("script_location", str(files("qbdesk.store") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql(
            "INSERT INTO credentials (id, name, name_key, destination, status, realm_id, created_at) "
            "VALUES ('a1', 'Acme', 'acme', 'sandbox', 'connected', '42', '2026-01-05 09:00:00')"
        )
    engine.dispose()
    return folder / DATABASE_FILENAME


def run_cli(data_dir, *args, file_size_limit=None):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "qbdesk", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=60, preexec_fn=limit if file_size_limit else None,
    )


def test_a_disk_that_fills_up_during_the_upgrade_loses_nothing(tmp_path):
    path = old_database(tmp_path / "data")
    before = path.read_bytes()
    result = run_cli(tmp_path / "data", "list", file_size_limit=len(before) // 2)
    assert result.returncode == 6, result.stderr
    assert "Nothing was lost" in result.stderr or "cannot be used" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT name FROM credentials").fetchall() == [("Acme",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # With room again, the same start-up upgrades and keeps the credential.
    result = run_cli(tmp_path / "data", "list", "--json")
    assert result.returncode == 0, result.stderr
    assert '"name": "Acme"' in result.stdout


def test_a_corrupt_database_is_refused_with_a_way_out_and_left_as_it_was(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / DATABASE_FILENAME).write_bytes(b"\x00garbage" * 512)
    result = run_cli(folder, "list")
    assert result.returncode == 6 and "Move it aside" in result.stderr
    assert (folder / DATABASE_FILENAME).read_bytes() == b"\x00garbage" * 512
