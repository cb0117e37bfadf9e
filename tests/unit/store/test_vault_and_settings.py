"""Where secrets go, and how settings and their environment overrides behave."""

import json
import os
import stat

import keyring
import pytest
from keyring.backends import fail

from qbdesk.core.destinations import Destination
from qbdesk.store.settings import IntuitApp, SettingsStore
from qbdesk.store.vault import (
    FileVault,
    KeychainVault,
    UnavailableVault,
    VaultUnavailable,
    choose_vault,
    keychain_problem,
)


def test_the_keychain_is_used_when_one_exists(tmp_path, memory_keyring):
    vault = choose_vault(tmp_path, file_allowed=True)
    assert isinstance(vault, KeychainVault)
    vault.set("tokens/x", "secret-value")
    assert memory_keyring.secrets[("qbdesk", "tokens/x")] == "secret-value"
    vault.delete("tokens/x")
    vault.delete("tokens/x")  # deleting twice is fine
    assert vault.get("tokens/x") is None


def test_without_a_keychain_nothing_is_stored_unless_the_user_allows_a_file(tmp_path):
    keyring.set_keyring(fail.Keyring())
    assert "No keychain is available" in keychain_problem()
    vault = choose_vault(tmp_path, file_allowed=False)
    assert isinstance(vault, UnavailableVault)
    with pytest.raises(VaultUnavailable, match="Store secrets in a file"):
        vault.set("k", "v")
    assert not any(tmp_path.iterdir())
    allowed = choose_vault(tmp_path, file_allowed=True)
    assert isinstance(allowed, FileVault) and allowed.less_safe


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_secrets_file_is_private_and_survives_reopening(tmp_path):
    vault = FileVault(tmp_path / "secrets.json")
    vault.set("a", "1")
    vault.set("b", "2")
    vault.delete("a")
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert FileVault(tmp_path / "secrets.json").get("b") == "2"
    assert FileVault(tmp_path / "secrets.json").get("a") is None


def test_a_damaged_secrets_file_is_reported_not_overwritten(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text("{not json")
    with pytest.raises(VaultUnavailable, match="cannot be read"):
        FileVault(path).set("a", "1")
    assert path.read_text() == "{not json"


def test_settings_round_trip_and_the_secret_stays_out_of_the_file(tmp_path, memory_keyring):
    vault = KeychainVault()
    store = SettingsStore(tmp_path, vault, {})
    app = IntuitApp(Destination.SANDBOX, "ABclient", "http://localhost:8765/callback", "")
    store.save_app(app, client_secret="TOPSECRET")
    reloaded = SettingsStore(tmp_path, vault, {})
    assert reloaded.app(Destination.SANDBOX) == app
    assert reloaded.client_secret(Destination.SANDBOX) == "TOPSECRET"
    assert "TOPSECRET" not in (tmp_path / "settings.json").read_text()
    assert reloaded.app(Destination.PRODUCTION) == IntuitApp(Destination.PRODUCTION)
    assert "openid_configuration" in reloaded.app(Destination.PRODUCTION).effective_discovery_url


def test_environment_overrides_win_and_are_never_written_back(tmp_path):
    vault = KeychainVault()
    env = {"QBDESK_SANDBOX_CLIENT_ID": "from-env", "QBDESK_SANDBOX_CLIENT_SECRET": "env-secret"}
    store = SettingsStore(tmp_path, vault, env)
    assert store.overridden(Destination.SANDBOX, "client_id") == "QBDESK_SANDBOX_CLIENT_ID"
    store.save_app(IntuitApp(Destination.SANDBOX, "from-env", "http://localhost:1/cb"), client_secret="typed")
    saved = json.loads((tmp_path / "settings.json").read_text())["destinations"]["sandbox"]
    assert saved["client_id"] == "" and saved["redirect_uri"] == "http://localhost:1/cb"
    assert store.client_secret(Destination.SANDBOX) == "env-secret"
    assert vault.get("client-secret/sandbox") is None


@pytest.mark.parametrize("content", ["[1,2]", "{bad", '{"destinations": "x"}', '{"destinations": {"sandbox": 5}}'])
def test_a_hostile_settings_file_is_ignored_not_fatal(tmp_path, content):
    (tmp_path / "settings.json").write_text(content)
    store = SettingsStore(tmp_path, KeychainVault(), {})
    assert store.app(Destination.SANDBOX) == IntuitApp(Destination.SANDBOX)
