"""A keychain that hangs on an unanswered unlock prompt: the window shows the list, says so, and retries."""

from __future__ import annotations

import keyring
import pytest
from keychains import BlockingKeyring

from qbdesk.core.destinations import Destination
from qbdesk.store import keychain_calls
from qbdesk.store.vault import KEYCHAIN_LOCKED_MESSAGE, save_tokens
from qbdesk.ui import keychain_watch


@pytest.fixture
def hanging_keychain(monkeypatch, memory_keyring):
    """The test's keychain, from now on stuck on an unlock prompt until the test releases it."""
    monkeypatch.setattr(keychain_calls, "CALL_TIMEOUT_SECONDS", 0.3)
    monkeypatch.setattr(keychain_watch, "RETRY_MS", 100)
    backend = BlockingKeyring()
    backend.secrets = memory_keyring.secrets
    yield backend
    backend.release()


def test_the_window_shows_the_list_says_the_keychain_is_locked_and_recovers(
    world, open_window, qtbot, hanging_keychain
):
    context = world.open()
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    save_tokens(context.vault, credential.id, "access", "AB11refresh")
    keyring.set_keyring(hanging_keychain)

    window = open_window(context)
    qtbot.waitUntil(lambda: window.banners.vault.isVisibleTo(window), timeout=10000)
    assert KEYCHAIN_LOCKED_MESSAGE in window.banners.vault_message.text()
    assert window.banners.retry_button.isVisibleTo(window)
    assert [row[0] for row in window.quickbooks_page.visible_rows()] == ["Acme (Incomplete)"]
    assert window.banners.keychain_watch.locked

    hanging_keychain.release()  # the person unlocks the keychain; the next retry finds it answering
    qtbot.waitUntil(lambda: not window.banners.vault.isVisibleTo(window), timeout=10000)
    assert not context.vault.locked
    assert hanging_keychain.calls_started >= 1
