"""`qbdesk export` and `qbdesk import`: credentials moved between two data folders in an encrypted file."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from qbdesk.cli import ExitCode

pytestmark = pytest.mark.cli

REPOSITORY = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def new_computer(qb, tmp_path):
    """A second data folder with the same Intuit app keys, as on the bookkeeper's new laptop."""
    other = type(qb)(qb.emulator, tmp_path / "new")
    other.overrides = dict(qb.overrides)
    return other


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return str(path)


def names(qb) -> list[str]:
    return [c["name"] for c in json.loads(qb.run("list", "--json").stdout)]


def audit_events(qb) -> list[tuple[str, str]]:
    with qb.services() as context:
        return [(e.credential_name, e.event) for e in reversed(context.audit.events())]


def export(qb, tmp_path, passphrase_file, *extra: str) -> subprocess.CompletedProcess:
    return qb.run("export", "--to", str(tmp_path / "move.qbdesk"), "--passphrase-file", passphrase_file, *extra)


def test_a_moved_credential_gives_a_token_on_the_new_side_and_is_gone_from_the_old(qb, new_computer, tmp_path,
                                                                                   passphrase_file, intuit):
    acme = qb.connect("Acme")
    qb.connect("Beta")
    _, moved_refresh = qb.tokens(acme)
    result = export(qb, tmp_path, passphrase_file, "acme", "--move")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Moved 1 credential(s) to ") and "\u201cAcme\u201d" in result.stdout
    assert names(qb) == ["Beta"] and qb.tokens(acme) is None
    assert qb.run("token", "Acme").returncode == ExitCode.NOT_FOUND

    imported = new_computer.run("import", str(tmp_path / "move.qbdesk"), "--passphrase-file", passphrase_file)
    assert imported.returncode == 0, imported.stderr
    assert "holds 1 credential(s)" in imported.stderr and "Acme" in imported.stderr
    assert imported.stdout == "Imported 1 credential(s): \u201cAcme\u201d.\n"
    [moved] = json.loads(new_computer.run("list", "--json").stdout)
    assert moved["name"] == "Acme" and moved["state"] == "connected" and moved["destination"] == "sandbox"
    assert new_computer.tokens(moved["id"])[1] == moved_refresh

    new_computer.set_expiries(moved["id"], access_in=timedelta(minutes=-1))  # the first use must refresh
    calls = intuit.token_calls
    token = new_computer.run("token", "Acme")
    assert token.returncode == 0, token.stderr
    assert intuit.token_calls == calls + 1
    assert token.stdout == new_computer.tokens(moved["id"])[0] + "\n"
    assert new_computer.run("test", "Acme").returncode == 0

    assert ("Acme", "moved") in audit_events(qb) and ("Beta", "moved") not in audit_events(qb)
    assert ("Acme", "imported") in audit_events(new_computer)


def test_the_file_holds_no_token_name_or_company_in_the_clear(qb, tmp_path, passphrase_file):
    ids = [qb.connect("Acme Holdings"), qb.connect("Beta Bakery")]
    for credential_id in ids:
        qb.run("test", credential_id)
    listed = json.loads(qb.run("list", "--json").stdout)
    result = export(qb, tmp_path, passphrase_file)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "move.qbdesk").read_bytes()
    clear = set(qb.secrets()) | {t for i in ids for t in qb.tokens(i)}
    clear |= {c["name"] for c in listed} | {c["company_name"] for c in listed} | {c["realm_id"] for c in listed}
    clear |= {qb.overrides["QBDESK_SANDBOX_CLIENT_ID"]}
    assert all(c["company_name"] for c in listed)
    for text in clear:
        assert text.encode() not in data and text.encode("utf-16-le") not in data
    assert oct((tmp_path / "move.qbdesk").stat().st_mode & 0o777) == "0o600"
    assert names(qb) == ["Acme Holdings", "Beta Bakery"]  # an export without --move keeps them here
    assert [e for e in audit_events(qb) if e[1] == "exported"] == [("Acme Holdings", "exported"),
                                                                   ("Beta Bakery", "exported")]


@pytest.fixture
def moved_file(qb, tmp_path, passphrase_file):
    qb.connect("Acme")
    assert export(qb, tmp_path, passphrase_file).returncode == 0
    return tmp_path / "move.qbdesk"


def refused(new_computer, path, passphrase_file, code=ExitCode.USAGE) -> str:
    result = new_computer.run("import", str(path), "--passphrase-file", passphrase_file)
    assert result.returncode == code, result.stderr
    assert result.stdout == "" and names(new_computer) == []
    assert not [e for e in audit_events(new_computer) if e[1] == "imported"]
    return result.stderr.splitlines()[-1]


def test_a_wrong_passphrase_changes_nothing(new_computer, moved_file, tmp_path):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("correct horse battery stapler\n", encoding="utf-8")
    assert refused(new_computer, moved_file, str(wrong)) == (
        "qbdesk: The passphrase does not open this file. Check it and try again.")


def test_a_truncated_file_changes_nothing(new_computer, moved_file, passphrase_file):
    moved_file.write_bytes(moved_file.read_bytes()[:-40])
    assert refused(new_computer, moved_file, passphrase_file).startswith("qbdesk: move.qbdesk is incomplete")


def test_a_damaged_file_changes_nothing(new_computer, moved_file, passphrase_file):
    data = bytearray(moved_file.read_bytes())
    data[len(data) // 2] ^= 0x01
    moved_file.write_bytes(bytes(data))
    assert refused(new_computer, moved_file, passphrase_file).startswith("qbdesk: move.qbdesk is damaged")


def test_a_file_from_a_newer_qbdesk_changes_nothing(new_computer, moved_file, passphrase_file):
    moved_file.write_bytes(moved_file.read_bytes().replace(b'{"format":1,', b'{"format":2,', 1))
    assert "written by a newer version of qbdesk" in refused(new_computer, moved_file, passphrase_file)


def test_a_file_for_other_app_keys_says_which_keys_to_set_up(qb, moved_file, passphrase_file, tmp_path):
    elsewhere = type(qb)(qb.emulator, tmp_path / "elsewhere")  # its own app keys
    message = refused(elsewhere, moved_file, passphrase_file, ExitCode.SETUP)
    client_id = qb.overrides["QBDESK_SANDBOX_CLIENT_ID"]
    assert f"QuickBooks (Sandbox Mode) with Client ID {client_id} and its Client Secret" in message
    assert client_id != elsewhere.overrides["QBDESK_SANDBOX_CLIENT_ID"]


def test_names_that_exist_are_skipped_renamed_or_replaced_by_flag(new_computer, moved_file, passphrase_file):
    kept = new_computer.connect("Acme")
    base = ("import", str(moved_file), "--passphrase-file", passphrase_file)
    no_terminal = new_computer.run(*base)
    assert no_terminal.returncode == ExitCode.USAGE and "--on-conflict" in no_terminal.stderr
    skipped = new_computer.run(*base, "--on-conflict", "skip")
    assert skipped.returncode == 0 and "Skipped (the name exists here): \u201cAcme\u201d." in skipped.stdout
    assert names(new_computer) == ["Acme"]
    renamed = new_computer.run(*base, "--on-conflict", "rename")
    assert renamed.returncode == 0 and "\u201cAcme (2)\u201d" in renamed.stdout
    assert sorted(names(new_computer)) == ["Acme", "Acme (2)"]
    replaced = new_computer.run(*base, "--on-conflict", "replace")
    assert replaced.returncode == 0 and "Replaced: \u201cAcme\u201d." in replaced.stdout
    assert sorted(names(new_computer)) == ["Acme", "Acme (2)"]
    assert new_computer.tokens(kept) is None  # the replaced one's tokens went with it
    assert ("Acme", "replaced") in audit_events(new_computer)


def at_a_terminal(qb, *args: str, answers: list[str]) -> subprocess.CompletedProcess:
    """Run qbdesk in a session of its own with a pseudo-terminal as stdin; answer each prompt once it is shown
    (a password prompt throws away whatever was typed before it)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "qbdesk", *args], stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=qb.env(), cwd=REPOSITORY, start_new_session=True,
    )
    os.close(terminal)
    stderr, answered = b"", 0
    try:
        for answer in answers:
            while not stderr[answered:].endswith((b": ", b"? ")):
                ready, _, _ = select.select([process.stderr], [], [], 30)
                chunk = os.read(process.stderr.fileno(), 4096) if ready else b""
                if not chunk:
                    raise AssertionError("no prompt: " + stderr.decode())
                stderr += chunk
            answered = len(stderr)
            os.write(controller, answer.encode() + b"\n")
        stdout, rest = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return subprocess.CompletedProcess(args, process.returncode, stdout.decode(), (stderr + rest).decode())


def test_the_passphrase_is_asked_twice_at_a_terminal_and_must_match(qb, tmp_path, new_computer):
    qb.connect("Acme")
    target = str(tmp_path / "typed.qbdesk")
    differ = at_a_terminal(qb, "export", "--to", target, answers=[PASSPHRASE, PASSPHRASE + "x"])
    assert differ.returncode == ExitCode.USAGE and "The two passphrases differ" in differ.stderr
    assert not os.path.exists(target)
    done = at_a_terminal(qb, "export", "--to", target, "--move", answers=[PASSPHRASE, PASSPHRASE])
    assert done.returncode == 0, done.stderr
    assert PASSPHRASE not in done.stderr + done.stdout  # not echoed
    imported = at_a_terminal(new_computer, "import", target, answers=[PASSPHRASE])
    assert imported.returncode == 0, imported.stderr
    assert names(new_computer) == ["Acme"] and names(qb) == []


def test_a_name_conflict_is_asked_at_a_terminal(new_computer, moved_file, passphrase_file):
    new_computer.connect("Acme")
    result = at_a_terminal(new_computer, "import", str(moved_file), "--passphrase-file", passphrase_file,
                           answers=["r"])
    assert result.returncode == 0, result.stderr
    assert "\u201cAcme\u201d already exists here. [s]kip, [r]ename or re[p]lace?" in result.stderr
    assert sorted(names(new_computer)) == ["Acme", "Acme (2)"]


def test_without_a_terminal_or_passphrase_file_nothing_is_exported(qb, tmp_path):
    qb.connect("Acme")
    result = qb.run("export", "--to", str(tmp_path / "x.qbdesk"), "--move")
    assert result.returncode == ExitCode.USAGE and "--passphrase-file" in result.stderr
    assert names(qb) == ["Acme"] and not (tmp_path / "x.qbdesk").exists()
