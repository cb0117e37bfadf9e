"""`qbdesk token` and `qbdesk test`: a valid access token alone on stdout, and plain failures with their exit codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qbdesk.cli import ExitCode
from qbdesk.emulator import STRICT_ROTATION

pytestmark = pytest.mark.cli


def test_token_prints_exactly_the_stored_access_token_and_nothing_else(qb, intuit):
    acme = qb.connect("Acme")
    access, _ = qb.tokens(acme)
    calls = intuit.token_calls
    result = qb.run("token", "ACME")
    assert result.returncode == 0, result.stderr
    assert result.stdout == access + "\n"
    assert result.stderr == ""
    assert intuit.token_calls == calls  # still fresh: no call to Intuit


def test_token_refreshes_an_expired_access_token_first(qb, intuit, monkeypatch):
    monkeypatch.setattr(intuit, "rotation", STRICT_ROTATION)  # every refresh rotates: is the new one kept?
    acme = qb.connect("Acme")
    old_access, old_refresh = qb.tokens(acme)
    qb.set_expiries(acme, access_in=timedelta(minutes=-1))
    calls = intuit.token_calls
    result = qb.run("token", "Acme")
    assert result.returncode == 0, result.stderr
    new_access, new_refresh = qb.tokens(acme)
    assert result.stdout == new_access + "\n" and new_access != old_access
    assert new_refresh != old_refresh  # the rotated refresh token was kept
    assert result.stderr == "" and intuit.token_calls == calls + 1
    again = qb.run("token", "Acme")
    assert again.stdout == result.stdout and intuit.token_calls == calls + 1


def test_token_of_a_credential_revoked_at_intuit_exits_4_with_plain_words(qb):
    acme = qb.connect("Acme")
    qb.revoke_at_intuit(acme)
    qb.set_expiries(acme, access_in=timedelta(minutes=-1))
    result = qb.run("token", "Acme")
    assert result.returncode == ExitCode.RECONNECT
    assert result.stdout == ""
    assert result.stderr.startswith("qbdesk: Intuit no longer accepts this credential")
    assert "sign it in at Intuit again" in result.stderr and result.stderr.count("\n") == 1
    status = qb.run("status", "Acme")
    assert status.returncode == ExitCode.RECONNECT and "Needs reconnect" in status.stdout


def test_token_of_an_incomplete_credential_exits_4(qb):
    qb.pending("Gamma")
    result = qb.run("token", "gamma")
    assert result.returncode == ExitCode.RECONNECT and result.stdout == ""
    assert "has not finished signing in" in result.stderr


def test_token_when_intuit_cannot_be_reached_exits_5_and_keeps_the_tokens(qb_alone):
    acme = qb_alone.connect("Acme")
    before = qb_alone.tokens(acme)
    qb_alone.set_expiries(acme, access_in=timedelta(minutes=-1))
    qb_alone.emulator.stop()
    result = qb_alone.run("token", "Acme")
    assert result.returncode == ExitCode.UNREACHABLE
    assert result.stdout == ""
    assert result.stderr == "qbdesk: qbdesk could not reach Intuit. Check your internet connection and try again.\n"
    assert qb_alone.tokens(acme) == before
    assert "Offline" in qb_alone.run("status", "Acme").stdout


def test_token_without_a_keychain_or_the_file_choice_is_a_setup_problem(qb):
    acme = qb.connect("Acme")
    (qb.data_dir / "settings.json").write_text("{}", encoding="utf-8")
    result = qb.run("token", acme)
    assert result.returncode == ExitCode.SETUP and result.stdout == ""
    assert result.stderr.startswith("qbdesk: No keychain is available on this computer")


def test_test_prints_the_company_name(qb, intuit):
    qb.connect("Acme")
    result = qb.run("test", "acme")
    assert result.returncode == 0, result.stderr
    assert result.stdout == intuit.companies[0].name + "\n"
    assert '"company_name": "' + intuit.companies[0].name in qb.run("status", "Acme", "--json").stdout


def test_test_when_intuit_cannot_be_reached_exits_5(qb_alone):
    qb_alone.connect("Acme")
    qb_alone.emulator.stop()
    result = qb_alone.run("test", "Acme")
    assert result.returncode == ExitCode.UNREACHABLE and result.stdout == ""
    assert result.stderr.startswith("qbdesk: ")
