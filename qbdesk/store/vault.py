"""Where secrets live: the OS keychain, or a file only when the user (or demo mode) chose one."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Protocol

from qbdesk.core.events import Event
from qbdesk.store.keychain_calls import KeychainNotAnswering, keychain_thread
from qbdesk.store.token_entries import (  # noqa: F401 - the token layout's calls, offered here beside the vaults
    delete_tokens,
    load_tokens,
    migrate_tokens,
    read_tokens,
    save_tokens,
    tokens_key,
)

log = logging.getLogger("qbdesk.vault")
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows has no symlinks an ordinary user can plant here

KEYRING_SERVICE = "qbdesk"
NO_KEYCHAIN_MESSAGE = (
    "No keychain is available on this computer, so qbdesk has nowhere safe to keep client secrets "
    "and tokens. Install and unlock a keychain (for example GNOME Keyring or KWallet), or turn on "
    "\u201cStore secrets in a file\u201d in Settings (less safe)."
)
KEYCHAIN_LOCKED_MESSAGE = (
    "The system keychain is locked or is waiting for an answer, so qbdesk cannot read or store "
    "secrets. Unlock it: answer the unlock prompt if one is open (it may be on another screen), or unlock "
    "the keychain in your keychain app (Passwords and Keys, KWalletManager or Keychain Access)."
)


class VaultUnavailable(Exception):
    """Secrets cannot be stored or read; the message says what to do."""


class KeychainLocked(VaultUnavailable):
    """The keychain is locked, or did not answer in time (a prompt to unlock it waits): it may work again soon."""


class Vault(Protocol):
    """A small key/value store for secrets."""

    description: str
    less_safe: bool

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


def client_secret_key(destination_value: str) -> str:
    return f"client-secret/{destination_value}"


def keychain_problem() -> str | None:
    """Why the OS keychain cannot be used, or None when it can."""
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring installation
        log.warning("The keyring library failed to load: %s", type(exc).__name__)
        return NO_KEYCHAIN_MESSAGE
    if isinstance(backend, fail.Keyring):
        return NO_KEYCHAIN_MESSAGE
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return NO_KEYCHAIN_MESSAGE
    return None


class KeychainVault:
    """Secrets in the OS keychain through keyring."""

    description = "the system keychain"
    less_safe = False

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self._service = service

    def _call(self, action: str, fn, *args):
        """fn(service, *args) on the keychain thread, within its time limit; keychain failures in plain words."""
        import keyring
        import keyring.errors

        try:
            try:
                return keychain_thread.call(fn, self._service, *args)
            except keyring.errors.PasswordDeleteError:
                # Missing, or refused: macOS words both alike, so look whether the secret is still there.
                if keychain_thread.call(keyring.get_password, self._service, *args) is None:
                    return None
                raise VaultUnavailable(
                    "The system keychain refused to delete a secret. Unlock the keychain and try again."
                ) from None
        except VaultUnavailable:
            raise
        except (KeychainNotAnswering, keyring.errors.KeyringLocked):
            raise KeychainLocked(KEYCHAIN_LOCKED_MESSAGE) from None
        except Exception as exc:  # KeyringError, or a backend's own error (Windows raises pywintypes.error)
            raise VaultUnavailable(
                f"The system keychain refused to {action} a secret ({type(exc).__name__}). "
                "Unlock the keychain and try again."
            ) from None

    def get(self, key: str) -> str | None:
        import keyring

        return self._call("read", keyring.get_password, key)

    def set(self, key: str, value: str) -> None:
        import keyring

        self._call("store", keyring.set_password, key, value)

    def delete(self, key: str) -> None:
        import keyring

        self._call("delete", keyring.delete_password, key)


class FileVault:
    """Secrets in a JSON file readable only by this user: for demo mode, or when the user opts in."""

    less_safe = True

    def __init__(self, path: Path, description: str = "a file on this computer (less safe)") -> None:
        self._path = path
        self._lock = threading.Lock()
        self.description = description

    def _load(self) -> dict[str, str]:
        try:
            fd = os.open(self._path, os.O_RDONLY | _NO_FOLLOW)
        except FileNotFoundError:
            return {}
        except OSError:
            raise VaultUnavailable(
                f"The secrets file {self._path} cannot be read (it may be a link to another file). "
                "Move it aside and sign in again."
            ) from None
        try:
            self._check_private(fd)
            with os.fdopen(fd, encoding="utf-8") as handle:
                fd = -1
                data = json.load(handle)
        except (OSError, ValueError):
            raise VaultUnavailable(
                f"The secrets file {self._path} cannot be read. Move it aside and sign in again."
            ) from None
        finally:
            if fd >= 0:
                os.close(fd)
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise VaultUnavailable(f"The secrets file {self._path} is not in the expected form. Move it aside.")
        return data

    def _check_private(self, fd: int) -> None:
        """Refuse a secrets file that belongs to someone else; make one that others could read private again."""
        if os.name != "posix":
            return
        info = os.fstat(fd)
        if info.st_uid != os.geteuid():
            raise VaultUnavailable(
                f"The secrets file {self._path} belongs to another user, so qbdesk will not trust it. "
                "Move it aside and sign in again."
            )
        if info.st_mode & 0o077:
            os.fchmod(fd, 0o600)
            log.warning(
                "The secrets file %s could be read by other users (mode %o); it is private again. "
                "Anyone who read it meanwhile may hold its secrets: reconnect the credentials if in doubt.",
                self._path,
                info.st_mode & 0o777,
            )

    def _save(self, data: dict[str, str]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self._path.with_name(self._path.name + ".tmp")
        try:
            temporary.unlink()  # left by an interrupted write, or planted: never write through it
        except FileNotFoundError:
            pass
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), 0o600)  # whatever the umask did
            json.dump(data, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self._path)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._load().get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            data = self._load()
            data[key] = value
            self._save(data)

    def delete(self, key: str) -> None:
        with self._lock:
            data = self._load()
            if data.pop(key, None) is not None:
                self._save(data)


class UnavailableVault:
    """Stands in when there is no keychain and no file was allowed: every use says why."""

    description = "nowhere (no keychain available)"
    less_safe = False

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def get(self, key: str) -> str | None:
        raise VaultUnavailable(self.reason)

    def set(self, key: str, value: str) -> None:
        raise VaultUnavailable(self.reason)

    def delete(self, key: str) -> None:
        raise VaultUnavailable(self.reason)


class VaultSwitch:
    """The vault in use now; the user can switch to a file at run time without others noticing.

    It also tells whether the keychain is locked (or not answering) as of the last call, and announces
    each change on locked_changed, so the window can say so and stop saying so once it answers again.
    """

    def __init__(self, vault: Vault) -> None:
        self.current = vault
        self.locked = False
        self.locked_changed: Event[bool] = Event()

    @property
    def description(self) -> str:
        return self.current.description

    @property
    def less_safe(self) -> bool:
        return self.current.less_safe

    def _note(self, locked: bool) -> None:
        if locked != self.locked:
            self.locked = locked
            self.locked_changed.emit(locked)

    def _use(self, action, *args):
        try:
            result = action(*args)
        except KeychainLocked:
            self._note(True)
            raise
        self._note(False)
        return result

    def get(self, key: str) -> str | None:
        return self._use(self.current.get, key)

    def set(self, key: str, value: str) -> None:
        self._use(self.current.set, key, value)

    def delete(self, key: str) -> None:
        self._use(self.current.delete, key)

    def check(self) -> None:
        """One harmless read, to learn whether the keychain answers now (raises as any read would)."""
        self.get(AVAILABILITY_CHECK_KEY)


AVAILABILITY_CHECK_KEY = "availability-check"  # never written: reading it only asks the keychain to answer
SECRETS_FILENAME = "secrets.json"


def choose_vault(data_dir: Path, file_allowed: bool) -> Vault:
    """The keychain when there is one; a file only when allowed; otherwise a vault that explains."""
    problem = keychain_problem()
    if problem is None:
        return KeychainVault()
    if file_allowed:
        return FileVault(data_dir / SECRETS_FILENAME)
    return UnavailableVault(problem)
