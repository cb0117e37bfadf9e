"""The CLI on keychains as strict as Windows (2,560 bytes a secret) and as stuck as an unanswered unlock prompt."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from keychains import FILE_KEYCHAIN_VARIABLE, WINDOWS_LIMIT_UTF16_BYTES, WindowsFileKeyring
from test_cli_create import answer_consent

from qbdesk.cli import ExitCode
from qbdesk.emulator import STRICT_ROTATION, Emulator
from qbdesk.store.vault import KEYCHAIN_LOCKED_MESSAGE, KeychainVault, load_tokens

pytestmark = pytest.mark.cli
TESTS = Path(__file__).resolve().parents[1]
LONGEST_ACCESS_TOKEN = 4096  # Intuit's are about 1,000 characters today and may grow: qbdesk must still fit


@pytest.fixture
def emulator():
    """The emulator for this module issues access tokens of LONGEST_ACCESS_TOKEN characters and a new refresh
    token on every refresh, so a refresh replaces the whole pair in the keychain."""
    with Emulator(access_token_length=LONGEST_ACCESS_TOKEN, rotation=STRICT_ROTATION) as running:
        yield running


@pytest.fixture
def windows_keychain(qb_alone, tmp_path, monkeypatch):
    """qbdesk processes and this test share one Windows-limited keychain, kept in a file."""
    path = tmp_path / "windows-keychain.json"
    monkeypatch.setenv(FILE_KEYCHAIN_VARIABLE, str(path))
    keyring.set_keyring(WindowsFileKeyring())
    paths = os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))
    env = qb_alone.env(PYTHON_KEYRING_BACKEND="keychains.WindowsFileKeyring", PYTHONPATH=paths,
                       **{FILE_KEYCHAIN_VARIABLE: str(path)})
    return env, path


def test_create_token_and_refresh_with_4096_character_access_tokens(qb_alone, windows_keychain):
    env, path = windows_keychain
    running = qb_alone.start("create", "--name", "Acme", "--sandbox", "--no-browser", env=env)
    browser, _ = answer_consent(running.url())
    created = running.finish()
    browser.join(timeout=10)
    assert created.returncode == 0, created.stderr
    [credential] = listed_with(qb_alone, env)
    vault = KeychainVault()
    access, refresh = load_tokens(vault, credential["id"])
    assert len(access) == LONGEST_ACCESS_TOKEN

    token = qb_alone.run("token", "Acme", env=env)
    assert token.returncode == 0, token.stderr
    assert token.stdout == access + "\n"

    qb_alone.set_expiries(credential["id"], access_in=timedelta(minutes=-1))
    refreshed = qb_alone.run("token", "Acme", env=env)
    assert refreshed.returncode == 0, refreshed.stderr
    new_access, new_refresh = load_tokens(vault, credential["id"])
    assert refreshed.stdout == new_access + "\n" and new_access != access and new_refresh != refresh
    assert len(new_access) == LONGEST_ACCESS_TOKEN

    stored = WindowsFileKeyring()._load()
    assert stored and all(len(v.encode("utf-16-le")) <= WINDOWS_LIMIT_UTF16_BYTES for v in stored.values())
    assert not any(access[:200] in value for value in stored.values())  # the old generation is gone

    deleted = qb_alone.run("delete", "Acme", "--yes", env=env)
    assert deleted.returncode == 0, deleted.stderr
    assert not any(key.startswith("qbdesk\ntokens/") for key in WindowsFileKeyring()._load())


def listed_with(qb, env) -> list[dict]:
    result = qb.run("list", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_keychain_that_never_answers_exits_6_with_how_to_unlock_it(qb):
    acme = qb.connect("Acme")
    paths = os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))
    env = qb.env(PYTHON_KEYRING_BACKEND="keychains.NeverAnsweringKeyring", PYTHONPATH=paths)
    assert qb.tokens(acme) is not None
    result = qb.run("token", "Acme", env=env)
    assert result.returncode == ExitCode.SETUP
    assert result.stdout == ""
    assert result.stderr == f"qbdesk: {KEYCHAIN_LOCKED_MESSAGE}\n"
    listing = qb.run("list", env=env)  # what needs no secret still works
    assert listing.returncode == 0 and "Acme" in listing.stdout
