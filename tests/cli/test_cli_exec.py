"""`qbdesk exec NAME -- COMMAND`: the program gets a fresh token, the realm id and the API base in its environment."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from qbdesk.cli import ExitCode

pytestmark = pytest.mark.cli

REPOSITORY = Path(__file__).resolve().parents[2]

# The child reports what it was given: its environment's QBO_* variables and its own command line.
REPORTER = (
    "import json, os, sys; "
    "print(json.dumps({'env': {k: v for k, v in os.environ.items() if k.startswith('QBO_')}, 'argv': sys.argv})); "
    "sys.exit(int(sys.argv[1]))"
)


def run_reporter(qb, name: str, exit_code: int = 0):
    return qb.run("exec", name, "--", sys.executable, "-c", REPORTER, str(exit_code))


def test_exec_gives_the_program_the_token_realm_base_and_environment(qb, intuit):
    acme = qb.connect("Acme")
    result = run_reporter(qb, "acme")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    access, _ = qb.tokens(acme)
    [listed] = json.loads(qb.run("list", "--json").stdout)
    assert got["env"] == {
        "QBO_ACCESS_TOKEN": access,
        "QBO_REALM_ID": listed["realm_id"],
        "QBO_API_BASE": intuit.api_base_url("sandbox"),
        "QBO_ENVIRONMENT": "sandbox",
    }
    assert access not in " ".join(got["argv"])  # never on a command line
    assert result.stderr == ""


def test_exec_refreshes_an_expiring_token_first_like_token_does(qb, intuit):
    acme = qb.connect("Acme")
    old_access, _ = qb.tokens(acme)
    qb.set_expiries(acme, access_in=timedelta(minutes=2))  # under the five-minute margin
    calls = intuit.token_calls
    result = run_reporter(qb, "Acme")
    assert result.returncode == 0, result.stderr
    token = json.loads(result.stdout)["env"]["QBO_ACCESS_TOKEN"]
    assert intuit.token_calls == calls + 1
    assert token != old_access and token == qb.tokens(acme)[0]


def test_exec_passes_the_programs_exit_code_through(qb):
    qb.connect("Acme")
    assert run_reporter(qb, "Acme", 42).returncode == 42
    assert run_reporter(qb, "Acme", 3).returncode == 3


def test_exec_without_a_usable_credential_runs_nothing(qb):
    qb.pending("Gamma")
    result = run_reporter(qb, "Gamma")
    assert result.returncode == ExitCode.RECONNECT and result.stdout == ""
    assert "has not finished signing in" in result.stderr
    missing = run_reporter(qb, "Nobody")
    assert missing.returncode == ExitCode.NOT_FOUND and missing.stdout == ""


def test_exec_says_when_the_command_is_missing(qb):
    qb.connect("Acme")
    nothing = qb.run("exec", "Acme")
    assert nothing.returncode == ExitCode.USAGE and "after --" in nothing.stderr
    absent = qb.run("exec", "Acme", "--", "no-such-program-qbdesk")
    assert absent.returncode == 127
    assert absent.stderr == "qbdesk: The command \u201cno-such-program-qbdesk\u201d was not found.\n"


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's example needs curl")
def test_the_readme_curl_example_reads_the_company_through_exec(qb, intuit):
    """The README's example, as written there, against the emulator's CompanyInfo."""
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    example = readme.split("qbdesk exec Acme -- sh -c '", 1)[1].split("'\n```", 1)[0].replace("\\\n", "")
    qb.connect("Acme")
    result = qb.run("exec", "Acme", "--", "sh", "-c", example)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["CompanyInfo"]["CompanyName"] == intuit.companies[0].name
