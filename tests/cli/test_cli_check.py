"""`qbdesk check`: Intuit's own answer tells right keys from wrong ones, before anyone signs in."""

from __future__ import annotations

import json

import pytest

from qbdesk.cli import ExitCode

pytestmark = pytest.mark.cli


def test_right_keys_are_accepted_without_issuing_any_token(qb, intuit):
    issued = intuit.issued_secrets()
    calls = intuit.token_calls
    result = qb.run("check", "--sandbox")
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stdout == "QuickBooks (Sandbox Mode): Intuit accepted the Client ID and Client Secret.\n"
    assert intuit.token_calls == calls + 1  # one request to the token endpoint
    assert intuit.issued_secrets() == issued  # and it bought nothing


def test_production_is_checked_unless_sandbox_is_asked_for(qb):
    result = qb.run("check", "--json")
    assert result.returncode == ExitCode.OK, result.stderr
    answer = json.loads(result.stdout)
    assert answer["destination"] == "production" and answer["verdict"] == "accepted"
    assert answer["client_id"] == qb.overrides["QBDESK_PRODUCTION_CLIENT_ID"]


def test_a_wrong_secret_is_a_setup_problem_and_never_printed(qb):
    wrong = qb.overrides["QBDESK_SANDBOX_CLIENT_SECRET"] + "x"
    result = qb.run("check", "--sandbox", "--json", env=qb.env(QBDESK_SANDBOX_CLIENT_SECRET=wrong))
    assert result.returncode == ExitCode.SETUP
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "wrong_keys" and answer["exit_code"] == 6
    assert "did not recognise this Client ID and Client Secret" in answer["message"]
    assert wrong not in result.stdout + result.stderr
    assert qb.overrides["QBDESK_SANDBOX_CLIENT_SECRET"] not in result.stdout + result.stderr


def test_a_wrong_client_id_is_a_setup_problem(qb):
    result = qb.run("check", "--sandbox", env=qb.env(QBDESK_SANDBOX_CLIENT_ID="ABnot-this-app"))
    assert result.returncode == ExitCode.SETUP
    assert "did not recognise this Client ID and Client Secret" in result.stdout
    assert "Correct it in the qbdesk window" in result.stdout  # what to do next, in the terminal's words


def test_missing_keys_are_a_setup_problem_without_calling_intuit(qb, intuit):
    calls = intuit.token_calls
    result = qb.run("check", "--sandbox", env=qb.env(QBDESK_SANDBOX_CLIENT_SECRET=""))
    assert result.returncode == ExitCode.SETUP
    assert "Enter the Client Secret" in result.stdout
    assert intuit.token_calls == calls


def test_a_discovery_document_that_is_not_one_is_named(qb, intuit):
    not_a_document = intuit.api_base_url("sandbox")  # answers, but with no discovery document there
    result = qb.run("check", "--sandbox", "--json", env=qb.env(QBDESK_SANDBOX_DISCOVERY_URL=not_a_document))
    assert result.returncode == ExitCode.SETUP
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "bad_discovery"
    assert not_a_document in answer["message"]


def test_intuit_out_of_reach_is_unreachable(qb_alone, emulator):
    discovery = emulator.discovery_url("sandbox")
    emulator.stop()
    result = qb_alone.run("check", "--sandbox", env=qb_alone.env(QBDESK_SANDBOX_DISCOVERY_URL=discovery))
    assert result.returncode == ExitCode.UNREACHABLE
    assert "could not reach Intuit" in result.stdout
