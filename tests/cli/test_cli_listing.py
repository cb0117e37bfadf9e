"""`qbdesk list` and `qbdesk status`: what scripts can read about credentials, and never a secret."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from qbdesk.cli import ExitCode

pytestmark = pytest.mark.cli

SUMMARY_KEYS = {
    "id", "name", "destination", "realm_id", "company_name", "state", "created_at",
    "access_token_expires_at", "refresh_token_expires_at", "hard_expires_at",
}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def assert_no_secret(qb, *outputs):
    secrets = qb.secrets()
    assert secrets
    for output in outputs:
        for secret in secrets:
            assert secret not in output


def test_list_json_gives_plain_objects_and_no_secret(qb, intuit):
    acme = qb.connect("Acme")
    qb.connect("Beta Books")
    pending = qb.pending("Gamma")
    result = qb.run("list", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [c["name"] for c in listed] == ["Acme", "Beta Books", "Gamma"]
    assert all(set(c) == SUMMARY_KEYS for c in listed)
    first = listed[0]
    assert first["id"] == acme and first["destination"] == "sandbox" and first["state"] == "connected"
    assert first["realm_id"] == intuit.companies[0].realm_id
    assert first["company_name"] == intuit.companies[0].name  # named at sign-in, without a test call
    for field in ("created_at", "access_token_expires_at", "refresh_token_expires_at", "hard_expires_at"):
        assert ISO_UTC.match(first[field]), first[field]
    assert listed[2]["id"] == pending and listed[2]["state"] == "incomplete" and listed[2]["realm_id"] is None
    table = qb.run("list")
    assert table.returncode == 0
    assert table.stdout.splitlines()[0].split() == ["NAME", "DESTINATION", "COMPANY", "STATE", "CREATED"]
    assert "Beta Books" in table.stdout and "Incomplete" in table.stdout
    assert_no_secret(qb, result.stdout, result.stderr, table.stdout, table.stderr)


def test_an_empty_list_is_an_empty_array_and_a_hint_on_stderr(qb):
    assert json.loads(qb.run("list", "--json").stdout) == []
    table = qb.run("list")
    assert table.returncode == 0 and table.stdout == "" and "qbdesk create" in table.stderr


def test_status_finds_the_name_ignoring_case_or_the_id(qb):
    acme = qb.connect("Acme Books")
    by_name = qb.run("status", "aCME bOOKS", "--json")
    assert by_name.returncode == 0, by_name.stderr
    shown = json.loads(by_name.stdout)
    assert shown["id"] == acme and shown["state"] == "connected" and shown["warnings"] == []
    assert SUMMARY_KEYS <= set(shown) and ISO_UTC.match(shown["connected_at"])
    by_id = qb.run("status", acme)
    assert by_id.returncode == 0
    assert by_id.stdout.startswith("Acme Books\n") and "Connected" in by_id.stdout and acme in by_id.stdout
    assert_no_secret(qb, by_name.stdout, by_id.stdout, by_name.stderr, by_id.stderr)


def test_status_warns_when_the_refresh_token_runs_out_within_14_days(qb):
    acme = qb.connect("Acme")
    qb.set_expiries(acme, access_in=timedelta(minutes=30), refresh_in=timedelta(days=5))
    result = qb.run("status", "acme", "--json")
    assert result.returncode == 0
    warnings = json.loads(result.stdout)["warnings"]
    assert len(warnings) == 1 and "refresh token expires in 4 days" in warnings[0]
    text = qb.run("status", "acme")
    assert "Warning: The refresh token expires" in text.stdout


def test_status_of_an_incomplete_credential_exits_4(qb):
    qb.pending("Gamma")
    result = qb.run("status", "gamma", "--json")
    assert result.returncode == ExitCode.RECONNECT
    shown = json.loads(result.stdout)
    assert shown["state"] == "incomplete" and "never finished" in shown["warnings"][0]


@pytest.mark.parametrize("command", ["status", "token", "test", "delete"])
def test_an_unknown_name_exits_3_with_one_plain_line(qb, command):
    qb.connect("Acme")
    result = qb.run(command, "Nobody", *(["--yes"] if command == "delete" else []))
    assert result.returncode == ExitCode.NOT_FOUND
    assert result.stdout == ""
    assert result.stderr == "qbdesk: No credential is named \u201cNobody\u201d. Run \u201cqbdesk list\u201d to see the names.\n"


@pytest.mark.parametrize("command", [["list"], ["token", "Acme"]])
def test_commands_do_not_import_qt(qb, command):
    qb.connect("Acme")
    result = qb.run("--data-dir", str(qb.data_dir), *command)
    assert result.returncode == 0, result.stderr
    imported = qb.run_python("-X", "importtime", "-m", "qbdesk", *command)
    assert imported.returncode == 0
    modules = {line.split("|")[-1].strip().split(".")[0] for line in imported.stderr.splitlines() if "|" in line}
    assert "qbdesk" in modules and "sqlite3" in modules  # the listing is complete
    assert "PySide6" not in modules and "shiboken6" not in modules


def test_global_options_work_after_the_command(qb, tmp_path):
    other = tmp_path / "elsewhere"
    result = qb.run("list", "--json", "--data-dir", str(other))
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert (other / "qbdesk.sqlite3").exists()


def test_help_documents_every_exit_code(qb):
    result = qb.run("--help")
    assert result.returncode == 0
    for code in ExitCode:
        assert re.search(rf"^  {code.value}  \w", result.stdout, re.MULTILINE), code
    for command in ("list", "status", "token", "create", "test", "delete"):
        assert re.search(rf"^    {command}\s", result.stdout, re.MULTILINE)


def test_a_bad_command_line_exits_2(qb):
    result = qb.run("status")
    assert result.returncode == ExitCode.USAGE and "usage: qbdesk status" in result.stderr


def test_a_database_from_a_newer_version_is_a_setup_problem(qb):
    import sqlite3

    with sqlite3.connect(qb.data_dir / "qbdesk.sqlite3") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    result = qb.run("list")
    assert result.returncode == ExitCode.SETUP and result.stdout == ""
    assert result.stderr.startswith("qbdesk: The database ") and "newer version of qbdesk" in result.stderr
