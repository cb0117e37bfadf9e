"""The keychain as it really behaves: missing items, locked or refusing keychains, and ones that hang or dawdle."""

import time

import keyring
import pytest
from keychains import BlockingKeyring, MacKeyring, SecretServiceKeyring, SlowKeyring

from qbdesk.store import keychain_calls
from qbdesk.store.keychain_calls import keychain_thread
from qbdesk.store.vault import (
    KEYCHAIN_LOCKED_MESSAGE,
    KeychainLocked,
    KeychainVault,
    VaultUnavailable,
    load_tokens,
    save_tokens,
)


@pytest.fixture
def short_timeout(monkeypatch):
    monkeypatch.setattr(keychain_calls, "CALL_TIMEOUT_SECONDS", 0.5)


@pytest.fixture
def blocking(short_timeout):
    """A keychain whose unlock prompt nobody answers, until the test ends."""
    backend = BlockingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release()
    wait_until_the_keychain_answers()


def wait_until_the_keychain_answers() -> None:
    """Once the stuck call is let go, the keychain thread takes calls again (polled, never timed)."""
    for _ in range(500):
        try:
            keychain_thread.call(lambda: None)
            return
        except keychain_calls.KeychainNotAnswering:
            time.sleep(0.01)
    raise AssertionError("the keychain thread never came free")


@pytest.mark.parametrize("backend_type", [MacKeyring, SecretServiceKeyring])
def test_a_missing_item_reads_as_none_and_deletes_quietly(backend_type):
    keyring.set_keyring(backend_type())
    vault = KeychainVault()
    assert vault.get("tokens/nobody") is None
    vault.delete("tokens/nobody")
    assert load_tokens(vault, "nobody") is None


@pytest.mark.parametrize("state", ["locked", "denied"])
def test_a_locked_or_refusing_mac_keychain_says_how_to_unlock_it(state):
    backend = MacKeyring()
    keyring.set_keyring(backend)
    vault = KeychainVault()
    save_tokens(vault, "c1", "access", "AB11refresh")
    backend.state = state
    for attempt in (lambda: vault.get("tokens/c1"), lambda: vault.set("k", "v"), lambda: load_tokens(vault, "c1")):
        with pytest.raises(KeychainLocked) as raised:
            attempt()
        assert str(raised.value) == KEYCHAIN_LOCKED_MESSAGE
    # macOS words a refused delete like a missing item: qbdesk must not take it for done.
    with pytest.raises(VaultUnavailable):
        vault.delete("tokens/c1")
    backend.state = "open"
    assert load_tokens(vault, "c1") == ("access", "AB11refresh")


def test_a_locked_secret_service_collection_says_how_to_unlock_it():
    backend = SecretServiceKeyring()
    keyring.set_keyring(backend)
    vault = KeychainVault()
    vault.set("client-secret/sandbox", "s3cret")
    backend.locked = True
    with pytest.raises(KeychainLocked, match="Unlock it"):
        vault.get("client-secret/sandbox")
    with pytest.raises(KeychainLocked):
        vault.delete("client-secret/sandbox")
    backend.locked = False
    assert vault.get("client-secret/sandbox") == "s3cret"


def test_a_keychain_that_never_answers_gives_the_locked_message_instead_of_hanging(blocking):
    vault = KeychainVault()
    with pytest.raises(KeychainLocked) as raised:
        vault.get("tokens/c1")
    assert "locked or is waiting for an answer" in str(raised.value)
    # While the first call is still stuck, later ones say so at once and are never run late.
    with pytest.raises(KeychainLocked):
        vault.set("tokens/c1", "written-late?")
    with pytest.raises(KeychainLocked):
        save_tokens(vault, "c2", "access", "AB11refresh")
    assert blocking.calls_started == 1
    blocking.release()
    wait_until_the_keychain_answers()
    assert vault.get("tokens/c1") is None  # the set that timed out never happened
    vault.set("tokens/c1", "now")
    assert vault.get("tokens/c1") == "now"


def test_a_slow_keychain_that_answers_within_the_limit_just_works(monkeypatch):
    monkeypatch.setattr(keychain_calls, "CALL_TIMEOUT_SECONDS", 5.0)
    keyring.set_keyring(SlowKeyring(delay=0.05))
    vault = KeychainVault()
    save_tokens(vault, "c1", "A" * 3000, "AB11refresh")
    assert load_tokens(vault, "c1") == ("A" * 3000, "AB11refresh")


def test_a_keychain_slower_than_the_limit_is_reported_and_its_late_answer_is_not_lost(short_timeout):
    backend = SlowKeyring(delay=1.0)
    keyring.set_keyring(backend)
    vault = KeychainVault()
    with pytest.raises(KeychainLocked):
        vault.set("client-secret/sandbox", "s3cret")
    backend.delay = 0
    wait_until_the_keychain_answers()
    # The call already inside the keychain when its caller gave up still finishes there.
    assert vault.get("client-secret/sandbox") == "s3cret"
