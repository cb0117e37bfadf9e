"""`qbdesk test --all`: every credential checked with Intuit, a line each, a summary, the worst state's exit code."""

from __future__ import annotations

import json

import pytest

from qbdesk.cli import ExitCode
from qbdesk.emulator import Fault

pytestmark = pytest.mark.cli


def test_every_credential_gets_a_line_and_the_summary_counts_them_by_state(qb):
    qb.connect("Acme")
    qb.connect("Birch")
    revoked = qb.connect("Cedar")
    qb.revoke_at_intuit(revoked)
    qb.pending("Dune")
    result = qb.run("test", "--all")
    assert result.returncode == ExitCode.RECONNECT, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith(("[1/4]", "[2/4]", "[3/4]", "[4/4]")) for line in lines[:4])
    by_name = {line.split("] ", 1)[1].split(":", 1)[0]: line for line in lines[:4]}
    assert set(by_name) == {"Acme", "Birch", "Cedar", "Dune"}
    company = qb.emulator.companies[0].name
    assert by_name["Acme"].endswith(f"Acme: Connected ({company})")
    assert "Cedar: Needs reconnect. Intuit no longer accepts this credential" in by_name["Cedar"]
    assert "sign it in at Intuit again" in by_name["Cedar"]
    assert by_name["Dune"].endswith("Dune: Incomplete (its sign-in never finished; not checked)")
    assert lines[4] == "Checked 4 credentials: 2 Connected, 1 Incomplete, 1 Needs reconnect; 2 need attention."
    assert result.stderr == ""
    assert "Needs reconnect" in qb.run("status", "Cedar").stdout  # the check was recorded, as a single test is


def test_json_gives_each_result_and_the_counts_and_keeps_the_lines_on_stderr(qb):
    acme = qb.connect("Acme")
    result = qb.run("test", "--all", "--json")
    assert result.returncode == ExitCode.OK, result.stderr
    answer = json.loads(result.stdout)
    assert answer["total"] == 1 and answer["cancelled"] is False
    assert answer["summary"] == {"connected": 1, "incomplete": 0, "needs_reconnect": 0, "offline": 0}
    (only,) = answer["results"]
    assert only == {"id": acme, "name": "Acme", "state": "connected", "company_name": qb.emulator.companies[0].name,
                    "passed": True, "problem": None, "exit_code": 0}
    assert result.stderr.splitlines() == [f"[1/1] Acme: Connected ({only['company_name']})",
                                          "Checked 1 credential: 1 Connected."]
    assert not any(secret in result.stdout + result.stderr for secret in qb.secrets())


def test_throttled_calls_are_backed_off_and_retried_until_every_check_passes(qb):
    for name in ("Acme", "Birch", "Cedar"):
        qb.connect(name)
    qb.emulator.inject_fault("companyinfo", Fault.HTTP_429, times=3, delay=0)
    result = qb.run("test", "--all")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert qb.emulator.served_faults()[-3:] == [("companyinfo", Fault.HTTP_429)] * 3
    assert result.stdout.count(": Connected (") == 3
    assert result.stdout.splitlines()[-1] == (
        "Checked 3 credentials: 3 Connected. (Intuit asked qbdesk to slow down 3 times)")


def test_a_credential_throttled_every_time_is_reported_as_needing_a_later_try(qb):
    qb.connect("Acme")
    qb.emulator.inject_fault("companyinfo", Fault.HTTP_429, times=50, delay=0)
    try:
        result = qb.run("test", "--all")
    finally:
        qb.emulator.clear_faults()
    assert result.returncode == ExitCode.UNREACHABLE
    assert "too many requests" in result.stdout and "Try again in a few minutes." in result.stdout


def test_when_intuit_cannot_be_reached_the_credentials_are_offline_and_the_exit_code_is_5(qb_alone):
    qb_alone.connect("Acme")
    qb_alone.emulator.stop()
    result = qb_alone.run("test", "--all")
    assert result.returncode == ExitCode.UNREACHABLE
    assert "Acme: Offline-unknown. qbdesk could not reach Intuit." in result.stdout


def test_no_credentials_is_a_summary_of_none(qb):
    result = qb.run("test", "--all")
    assert result.returncode == ExitCode.OK and result.stdout == "Checked 0 credentials: none.\n"


@pytest.mark.parametrize("args", [("test",), ("test", "Acme", "--all")])
def test_test_needs_a_name_or_all_but_not_both(qb, args):
    result = qb.run(*args)
    assert result.returncode == ExitCode.USAGE and "--all" in result.stderr
