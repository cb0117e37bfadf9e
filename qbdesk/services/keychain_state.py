"""What the front ends may know of the keychain: whether it is locked, and the words that say how to unlock it."""

from qbdesk.store.vault import KEYCHAIN_LOCKED_MESSAGE, KeychainLocked, VaultSwitch, VaultUnavailable

__all__ = ["KEYCHAIN_LOCKED_MESSAGE", "KeychainLocked", "VaultSwitch", "VaultUnavailable"]
