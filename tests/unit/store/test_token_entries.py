"""The token layout: every entry fits Windows' keychain, a save is all-or-nothing, old single entries still work."""

import json
import threading

import keyring
import pytest
from keychains import WINDOWS_LIMIT_UTF16_BYTES, WindowsKeyring

from qbdesk.store.vault import (
    KeychainVault,
    VaultUnavailable,
    delete_tokens,
    load_tokens,
    migrate_tokens,
    read_tokens,
    save_tokens,
    tokens_key,
)


def token(length: int, seed: str) -> str:
    """An access token shaped like Intuit's (dot-separated base64url), of exactly `length` characters."""
    body = (f"eyJ{seed}." * (length // 4 + 1))[: length - 1]
    return body + seed[0]


@pytest.fixture
def windows():
    backend = WindowsKeyring()
    keyring.set_keyring(backend)
    return backend


class Crash(Exception):
    """The process died here."""


class CrashingVault:
    """A vault (over the memory keyring) whose process dies just before its N-th write or delete."""

    def __init__(self, dies_before: int) -> None:
        self.inner = KeychainVault()
        self.description = "test"
        self.less_safe = False
        self.dies_before = dies_before
        self.changes = 0

    def _change(self) -> None:
        self.changes += 1
        if self.changes == self.dies_before:
            raise Crash

    def get(self, key):
        return self.inner.get(key)

    def set(self, key, value):
        self._change()
        self.inner.set(key, value)

    def delete(self, key):
        self._change()
        self.inner.delete(key)


def test_a_4096_character_access_token_fits_the_windows_keychain(windows):
    vault = KeychainVault()
    access, refresh = token(4096, "new"), "AB11" + "r" * 46
    save_tokens(vault, "c1", access, refresh)
    assert load_tokens(vault, "c1") == (access, refresh)
    assert 0 < windows.largest_utf16_bytes <= WINDOWS_LIMIT_UTF16_BYTES
    assert len(windows.secrets) > 2  # really split: the manifest and several parts


def test_the_windows_backend_refuses_what_the_old_single_entry_would_have_been(windows):
    """The test backend is strict the way Windows is: one JSON entry with a 4,096-character token fails."""
    value = json.dumps({"access_token": token(4096, "x"), "refresh_token": "AB11rt"})
    with pytest.raises(VaultUnavailable, match="refused to store"):
        KeychainVault().set(tokens_key("c1"), value)


def test_a_refresh_replaces_every_part_and_leaves_none_of_the_old_ones(windows):
    vault = KeychainVault()
    save_tokens(vault, "c1", token(3000, "one"), "AB11first")
    first_keys = set(windows.secrets)
    save_tokens(vault, "c1", token(1200, "two"), "AB11second")
    assert load_tokens(vault, "c1") == (token(1200, "two"), "AB11second")
    remaining = {key for _, key in windows.secrets}
    assert not any("one" in value for value in windows.secrets.values())
    assert remaining & {key for _, key in first_keys} == {tokens_key("c1")}
    delete_tokens(vault, "c1")
    assert windows.secrets == {}
    assert load_tokens(vault, "c1") is None


def test_a_crash_at_any_point_of_a_save_leaves_the_old_pair_or_the_new_one(memory_keyring):
    old = (token(4096, "old"), "AB11old")
    new = (token(2500, "new"), "AB11new")
    outcomes = set()
    for dies_before in range(1, 20):
        memory_keyring.secrets.clear()
        save_tokens(KeychainVault(), "c1", *old)
        save_tokens(KeychainVault(), "c1", *old)  # a second generation, so an old one is retired too
        crashing = CrashingVault(dies_before)
        try:
            save_tokens(crashing, "c1", *new)
        except Crash:
            pass
        else:
            break
        found = load_tokens(KeychainVault(), "c1")
        assert found in (old, new), f"crash before change {dies_before} left {found!r}"
        outcomes.add("new" if found == new else "old")
        # The next save (after restart) cleans whatever the crash left behind.
        save_tokens(KeychainVault(), "c1", *new)
        assert len(memory_keyring.secrets) == 1 + 3  # the manifest and the three parts of the new pair
    assert outcomes == {"old", "new"} and dies_before > 5


def test_a_crash_while_deleting_never_leaves_a_pair_that_reads_as_whole(memory_keyring):
    for dies_before in range(1, 10):
        memory_keyring.secrets.clear()
        save_tokens(KeychainVault(), "c1", token(4096, "a"), "AB11a")
        try:
            delete_tokens(CrashingVault(dies_before), "c1")
        except Crash:
            # Before the first delete the pair is whole and untouched; after it, the pair reads as gone.
            expected = (token(4096, "a"), "AB11a") if dies_before == 1 else None
            assert load_tokens(KeychainVault(), "c1") == expected
            delete_tokens(KeychainVault(), "c1")  # deleting again, after a restart, finishes the job
        assert memory_keyring.secrets == {}


def test_a_reader_never_sees_a_new_access_token_with_an_old_refresh_token(memory_keyring):
    """A writer replaces the pair over and over while a reader reads; every pair read is one that was saved."""
    vault = KeychainVault()
    pairs = [(token(1500 + 500 * (n % 6), f"g{n}"), f"AB11refresh{n}") for n in range(40)]
    save_tokens(vault, "c1", *pairs[0])
    done = threading.Event()
    seen = []

    def read_while_written():
        while not done.is_set():
            seen.append(load_tokens(vault, "c1"))

    reader = threading.Thread(target=read_while_written)
    reader.start()
    try:
        for pair in pairs[1:]:
            save_tokens(vault, "c1", *pair)
    finally:
        done.set()
        reader.join()
    assert seen and all(found in pairs for found in seen)


def test_a_pair_kept_as_one_entry_is_read_and_migrated(windows):
    vault = KeychainVault()
    access, refresh = token(1100, "legacy"), "AB11legacy"
    windows.secrets[("qbdesk", tokens_key("c1"))] = json.dumps({"access_token": access, "refresh_token": refresh})
    assert read_tokens(vault, "c1") == ((access, refresh), True)
    assert migrate_tokens(vault, "c1") is True
    assert read_tokens(vault, "c1") == ((access, refresh), False)
    assert json.loads(windows.secrets[("qbdesk", tokens_key("c1"))])["format"] == 2
    assert migrate_tokens(vault, "c1") is False  # once is enough


@pytest.mark.parametrize("manifest", [
    '{"format": 2, "generation": "../x", "parts": 1, "length": 5}',
    '{"format": 2, "generation": "abc", "parts": 100000, "length": 5}',
    '{"format": 2, "generation": "abc", "parts": "1", "length": 5}',
    '{"format": 2}',
    "[]",
])
def test_a_damaged_manifest_reads_as_missing_tokens_not_a_crash(memory_keyring, manifest):
    memory_keyring.secrets[("qbdesk", tokens_key("c1"))] = manifest
    memory_keyring.secrets[("qbdesk", "tokens/c1/abc/0")] = '{"access_token": "a", "refresh_token": "b"}'
    assert load_tokens(KeychainVault(), "c1") is None


def test_a_part_of_the_wrong_length_is_not_taken_for_the_pair(memory_keyring):
    vault = KeychainVault()
    save_tokens(vault, "c1", token(2500, "a"), "AB11a")
    manifest = json.loads(memory_keyring.secrets[("qbdesk", tokens_key("c1"))])
    last = f"tokens/c1/{manifest['generation']}/{manifest['parts'] - 1}"
    memory_keyring.secrets[("qbdesk", last)] = memory_keyring.secrets[("qbdesk", last)][:-3] + '"}'
    assert load_tokens(vault, "c1") is None
