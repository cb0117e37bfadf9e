"""Start-up on hostile storage: a full disk during an upgrade, a newer or corrupt database. Nothing is lost."""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys

import pytest

from qbdesk.store.schema import DATABASE_FILENAME

from old_schema import first_release_database

pytestmark = pytest.mark.reliability


def run_cli(data_dir, *args, file_size_limit=None):
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [sys.executable, "-m", "qbdesk", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=60, preexec_fn=limit if file_size_limit else None,
    )


def test_a_disk_that_fills_up_during_the_upgrade_loses_nothing(tmp_path):
    path = first_release_database(tmp_path / "data")
    before = path.read_bytes()
    result = run_cli(tmp_path / "data", "list", file_size_limit=len(before) // 2)
    # The folder itself is fine: the upgrade is what fails, and the user is told the old data is intact.
    assert result.returncode == 6, result.stderr
    assert "could not be upgraded" in result.stderr and "Nothing was lost" in result.stderr, result.stderr
    assert "free some space" in result.stderr and "Traceback" not in result.stderr
    assert not list(path.parent.glob(f"{path.name}.before-*"))  # no half-written copy posing as a backup
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
