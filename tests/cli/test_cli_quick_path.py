"""The quick path of list, status and token: the same output as the full path, without SQLAlchemy or requests.

Each quick run goes through `python -X importtime`, so the test sees which path it took: the modules the
full path needs (SQLAlchemy, Alembic, requests, oauthlib) must be missing from a quick run and present when
the quick path had to hand over. Its output is compared with the full path's (QBDESK_FULL_PATH=1) run just
before and just after it, so a minute ticking over between runs cannot make a difference appear.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qbdesk.cli import ExitCode
from qbdesk.core.credential import Health
from qbdesk.store.schema import DATABASE_FILENAME

from old_schema import first_release_database

pytestmark = [pytest.mark.cli, pytest.mark.timeout(180)]  # a few dozen whole processes per test

REPOSITORY = Path(__file__).resolve().parents[2]
FULL_PATH_ONLY = ("sqlalchemy", "alembic", "requests", "oauthlib", "requests_oauthlib")


def run(qb, *args: str, full: bool = False, **extra_env: str) -> tuple[tuple[int, str, str], set[str]]:
    """(exit code, stdout, stderr) of `qbdesk ARGS`, and the top-level modules it imported."""
    env = qb.env(**({"QBDESK_FULL_PATH": "1"} if full else {}), **extra_env)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "qbdesk", *args], stdin=subprocess.DEVNULL,
        capture_output=True, text=True, env=env, cwd=REPOSITORY, timeout=60,
    )
    timing = [line for line in result.stderr.splitlines(keepends=True) if line.startswith("import time:")]
    stderr = "".join(line for line in result.stderr.splitlines(keepends=True) if not line.startswith("import time:"))
    modules = {line.split("|")[-1].strip().split(".")[0] for line in timing}
    return (result.returncode, result.stdout, stderr), modules


def assert_quick_matches_full(qb, *args: str) -> tuple[int, str, str]:
    """The quick run's output equals a full run's next to it, and it imported none of the full path's modules."""
    before, full_modules = run(qb, *args, full=True)
    quick, modules = run(qb, *args)
    assert "sqlalchemy" in full_modules  # the comparison really ran the full path
    if quick != before:  # perhaps a minute ticked over in between: the full run after it must then agree
        assert quick == run(qb, *args, full=True)[0], (quick, before)
    assert modules.isdisjoint(FULL_PATH_ONLY), sorted(modules & set(FULL_PATH_ONLY))
    assert "qbdesk" in modules
    return quick


@pytest.fixture
def every_state(qb):
    """A data folder with a credential in every state the commands tell apart."""
    ids = {"Acme": qb.connect("Acme"), "Reminder": qb.connect("Reminder")}
    ids["Refused"] = qb.connect("Refused")
    ids["Unreached"] = qb.connect("Unreached")
    ids["Waiting"] = qb.pending("Waiting")
    # access tokens half an hour from a minute's edge, so "in 30 minutes" stays true for the whole test
    for name in ("Acme", "Refused", "Unreached"):
        qb.set_expiries(ids[name], access_in=timedelta(minutes=30, seconds=30))
    qb.set_expiries(ids["Reminder"], access_in=timedelta(minutes=30, seconds=30), refresh_in=timedelta(days=10))
    with qb.services() as context:
        context.credentials.set_health(ids["Refused"], Health.NEEDS_RECONNECT, "Intuit refused the refresh token.")
        context.credentials.set_health(ids["Unreached"], Health.OFFLINE, "Intuit could not be reached.")
    return ids


def test_list_is_the_same_on_the_quick_path_with_every_state(qb, every_state):
    assert_quick_matches_full(qb, "list")
    listed = assert_quick_matches_full(qb, "list", "--json")
    assert listed[1].count('"id"') == len(every_state)


@pytest.mark.parametrize(("name", "code"), [("Acme", 0), ("Reminder", 0), ("Refused", ExitCode.RECONNECT),
                                            ("Unreached", 0), ("Waiting", ExitCode.RECONNECT)])
def test_status_is_the_same_on_the_quick_path_in_every_state(qb, every_state, name, code):
    assert assert_quick_matches_full(qb, "status", name.upper())[0] == code
    assert assert_quick_matches_full(qb, "status", every_state[name], "--json")[0] == code


def test_an_unknown_name_is_the_same_on_the_quick_path(qb, every_state):
    missing = assert_quick_matches_full(qb, "status", "Nobody")
    assert missing[0] == ExitCode.NOT_FOUND and missing[2].startswith("qbdesk: No credential is named")
    assert assert_quick_matches_full(qb, "token", "Nobody")[0] == ExitCode.NOT_FOUND


def test_an_empty_list_is_the_same_on_the_quick_path(qb):
    run(qb, "list", full=True)  # creates the database
    assert assert_quick_matches_full(qb, "list", "--json")[1] == "[]\n"
    assert "No credentials yet" in assert_quick_matches_full(qb, "list")[2]


def test_a_fresh_token_comes_from_the_quick_path_and_counts_as_a_use(qb, intuit, every_state):
    acme = every_state["Acme"]
    access, _ = qb.tokens(acme)
    calls = intuit.token_calls
    with sqlite3.connect(qb.data_dir / DATABASE_FILENAME) as connection:
        version = connection.execute("SELECT version FROM list_version").fetchone()[0]
    started = datetime.now(UTC)
    result, modules = run(qb, "token", "acme")
    assert result == (0, access + "\n", "")
    assert modules.isdisjoint(FULL_PATH_ONLY) and intuit.token_calls == calls
    with sqlite3.connect(qb.data_dir / DATABASE_FILENAME) as connection:
        assert connection.execute("SELECT version FROM list_version").fetchone()[0] == version + 1  # the window sees it
        stored = connection.execute("SELECT created_at, last_used_at FROM credentials WHERE id = ?", (acme,)).fetchone()
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", text) for text in stored)  # as SQLAlchemy writes
    with qb.services() as context:
        used = context.credentials.get(acme).last_used_at  # read back through SQLAlchemy's own mapping
    assert started - timedelta(seconds=1) <= used <= datetime.now(UTC)


@pytest.mark.parametrize("name", ["Refused", "Waiting"])
def test_a_token_the_full_path_refuses_is_refused_in_the_same_words(qb, every_state, name):
    before, _ = run(qb, "token", name, full=True)
    quick, modules = run(qb, "token", name)
    assert quick == before and quick[0] == ExitCode.RECONNECT and quick[1] == ""
    assert "sqlalchemy" in modules  # handed over: the full path words the refusal


def test_a_token_about_to_expire_is_refreshed_on_the_full_path(qb, intuit, every_state):
    acme = every_state["Acme"]
    qb.set_expiries(acme, access_in=timedelta(minutes=4))
    old_access, _ = qb.tokens(acme)
    calls = intuit.token_calls
    (code, stdout, stderr), modules = run(qb, "token", "Acme")
    assert (code, stderr) == (0, "") and "requests" in modules and intuit.token_calls == calls + 1
    assert stdout == qb.tokens(acme)[0] + "\n" and stdout != old_access + "\n"


def test_what_the_full_start_up_must_do_first_takes_the_full_path(qb, every_state):
    with sqlite3.connect(qb.data_dir / DATABASE_FILENAME) as connection:  # the sign-in ran out of time
        connection.execute("UPDATE credentials SET pending_expires_at = '2026-01-01 00:00:00.000000' "
                           "WHERE id = ?", (every_state["Waiting"],))
    (code, stdout, _), modules = run(qb, "list")
    assert code == 0 and "sqlalchemy" in modules and "Waiting" not in stdout  # purged first, as always
    marker = qb.data_dir / "running" / f"{2**22 + 7}.pid"  # a process that ended without closing the folder
    marker.parent.mkdir(exist_ok=True)
    marker.touch()
    _, modules = run(qb, "status", "Acme")
    assert "sqlalchemy" in modules and not marker.exists()
    os.chmod(qb.data_dir / DATABASE_FILENAME, 0o644)
    _, modules = run(qb, "list", "--json")
    assert "sqlalchemy" in modules and (qb.data_dir / DATABASE_FILENAME).stat().st_mode & 0o777 == 0o600
    _, modules = run(qb, "list", "--verbose")
    assert "sqlalchemy" in modules
    _, modules = run(qb, "list")
    assert modules.isdisjoint(FULL_PATH_ONLY)  # all put right again


def test_an_older_schema_is_migrated_on_the_full_path(qb):
    first_release_database(qb.data_dir)
    (code, stdout, stderr), modules = run(qb, "list", "--json")
    assert code == 0, stderr
    assert "alembic" in modules and '"realm_id": "42"' in stdout
    _, modules = run(qb, "list", "--json")
    assert modules.isdisjoint(FULL_PATH_ONLY)


@pytest.mark.parametrize("keychain", ["none", "never answering"])
def test_a_keychain_problem_ends_the_quick_path_in_the_full_paths_words(qb, every_state, keychain):
    """Asking a keychain that does not answer a second time, on the full path, would only double the wait."""
    extra = {}
    if keychain == "none":
        (qb.data_dir / "settings.json").write_text("{}", encoding="utf-8")  # and no file allowed either
    else:
        paths = os.pathsep.join(filter(None, [str(REPOSITORY / "tests"), os.environ.get("PYTHONPATH")]))
        extra = {"PYTHON_KEYRING_BACKEND": "keychains.NeverAnsweringKeyring", "PYTHONPATH": paths}
    full, _ = run(qb, "token", "Acme", full=True, **extra)
    quick, modules = run(qb, "token", "Acme", **extra)
    assert quick == full and quick[0] == ExitCode.SETUP and quick[1] == ""
    assert modules.isdisjoint(FULL_PATH_ONLY)
