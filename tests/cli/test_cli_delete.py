"""`qbdesk delete`: revoke at Intuit and remove, only when confirmed at a terminal or by --yes."""

from __future__ import annotations

import json
import os
import pty
import subprocess

import pytest

from qbdesk.cli import ExitCode

pytestmark = pytest.mark.cli


def names(qb) -> list[str]:
    return [c["name"] for c in json.loads(qb.run("list", "--json").stdout)]


def delete_at_a_terminal(qb, name: str, answer: str) -> subprocess.CompletedProcess:
    """Run delete with a pseudo-terminal as stdin and type the answer to its question."""
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode() + b"\n")
        return qb.run("delete", name, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)


def test_delete_yes_revokes_at_intuit_and_removes_everything(qb):
    acme = qb.connect("Acme")
    qb.connect("Beta")
    result = qb.run("delete", "acme", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Deleted \u201cAcme\u201d: revoked at Intuit.\n"
    assert names(qb) == ["Beta"] and qb.tokens(acme) is None


def test_delete_without_yes_and_no_terminal_refuses_with_exit_2(qb):
    acme = qb.connect("Acme")
    result = qb.run("delete", "Acme")
    assert result.returncode == ExitCode.USAGE and result.stdout == ""
    assert "Add --yes" in result.stderr and result.stderr.count("\n") == 1
    assert names(qb) == ["Acme"] and qb.tokens(acme) is not None


def test_delete_asks_at_a_terminal_and_a_no_keeps_the_credential(qb):
    qb.connect("Acme")
    result = delete_at_a_terminal(qb, "Acme", "n")
    assert result.returncode == ExitCode.CANCELLED
    assert "Delete \u201cAcme\u201d" in result.stderr and "[y/N]" in result.stderr
    assert result.stderr.rstrip().endswith("qbdesk: \u201cAcme\u201d was not deleted.")
    assert names(qb) == ["Acme"]


def test_delete_asks_at_a_terminal_and_a_yes_deletes(qb):
    qb.connect("Acme")
    result = delete_at_a_terminal(qb, "Acme", "y")
    assert result.returncode == 0, result.stderr
    assert "revoked at Intuit" in result.stdout and names(qb) == []


def test_delete_while_intuit_is_out_of_reach_removes_here_only_and_says_so(qb_alone):
    acme = qb_alone.connect("Acme")
    qb_alone.emulator.stop()
    result = qb_alone.run("delete", "Acme", "--yes")
    assert result.returncode == 0
    assert result.stdout.startswith("Deleted \u201cAcme\u201d: removed here only.")
    assert names(qb_alone) == [] and qb_alone.tokens(acme) is None
