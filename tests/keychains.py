"""Keyring backends that behave like the keychains qbdesk must fit, so their limits and moods can be tested here.

Each raises what keyring's own backend for that system raises (keyring 25):
- Windows Credential Manager refuses a secret over 2,560 bytes as UTF-16 with pywintypes.error 1783 from
  CredWrite, which keyring passes on unchanged (not as a KeyringError).
- macOS: a locked keychain, or an access prompt answered "Deny", gives KeyringLocked on get and set; every
  failed delete, the refused one too, is a PasswordDeleteError, just like a delete of a missing item.
- Secret Service: a locked collection whose unlock prompt is dismissed gives KeyringLocked; a delete of a
  missing item is a PasswordDeleteError.
And two moods no system admits to: a keychain that never answers (an unlock prompt nobody sees) and a slow one.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError

from memory_keyring import MemoryKeyring

WINDOWS_LIMIT_UTF16_BYTES = 2560
FILE_KEYCHAIN_VARIABLE = "KEYCHAIN_TEST_FILE"  # where WindowsFileKeyring keeps its secrets


class CredWriteError(Exception):
    """What pywintypes.error looks like: (winerror, funcname, strerror)."""

    def __init__(self, winerror: int, funcname: str, strerror: str) -> None:
        super().__init__(winerror, funcname, strerror)
        self.winerror, self.funcname, self.strerror = winerror, funcname, strerror


def check_windows_limit(password: str) -> None:
    if len(password.encode("utf-16-le")) > WINDOWS_LIMIT_UTF16_BYTES:
        raise CredWriteError(1783, "CredWrite", "The stub received bad data.")


class WindowsKeyring(MemoryKeyring):
    """Windows Credential Manager's size limit, in memory; remembers the largest secret it accepted."""

    priority = 0.1  # below every real backend: keyring never picks these on its own, only when a test asks

    def __init__(self) -> None:
        super().__init__()
        self.largest_utf16_bytes = 0

    def set_password(self, service: str, username: str, password: str) -> None:
        check_windows_limit(password)
        self.largest_utf16_bytes = max(self.largest_utf16_bytes, len(password.encode("utf-16-le")))
        super().set_password(service, username, password)


class WindowsFileKeyring(MemoryKeyring):
    """Windows' size limit, kept in a JSON file so that several processes share one keychain (CLI tests).

    The subprocess selects it with PYTHON_KEYRING_BACKEND=keychains.WindowsFileKeyring and tests/ on PYTHONPATH.
    """

    priority = 0.1

    @property
    def path(self) -> Path:
        return Path(os.environ[FILE_KEYCHAIN_VARIABLE])

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def _save(self, data: dict[str, str]) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, self.path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        check_windows_limit(password)
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError("Password not found")
        self._save(data)


class MacKeyring(MemoryKeyring):
    """The macOS keychain: state is "open", "locked" or "denied" (an access prompt answered Deny)."""

    priority = 0.1

    def __init__(self) -> None:
        super().__init__()
        self.state = "open"

    def get_password(self, service: str, username: str) -> str | None:
        if self.state != "open":
            raise KeyringLocked("Can't get password from keychain: (-25293, 'Access denied')")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.state != "open":
            raise KeyringLocked("Can't store password on keychain: (-25293, 'Access denied')")
        if not password:
            raise PasswordSetError("Can't store password on keychain: (-50, 'bad parameter')")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        if self.state != "open":
            raise PasswordDeleteError("Can't delete password in keychain: (-25293, 'Access denied')")
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("Can't delete password in keychain: (-25300, 'Item not found')")


class SecretServiceKeyring(MemoryKeyring):
    """GNOME Keyring or KWallet over Secret Service: locked means the unlock prompt was dismissed."""

    priority = 0.1

    def __init__(self) -> None:
        super().__init__()
        self.locked = False

    def _unlock(self) -> None:
        if self.locked:
            raise KeyringLocked("Failed to unlock the collection!")

    def get_password(self, service: str, username: str) -> str | None:
        self._unlock()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._unlock()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._unlock()
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class BlockingKeyring(MemoryKeyring):
    """A keychain waiting on an unlock prompt nobody answers: every call blocks until release() (the test's end)."""

    priority = 0.1

    def __init__(self) -> None:
        super().__init__()
        self.answered = threading.Event()
        self.calls_started = 0

    def _wait(self) -> None:
        self.calls_started += 1
        self.answered.wait()

    def release(self) -> None:
        """Someone answers the prompt: the waiting call goes on, and so will later ones."""
        self.answered.set()

    def get_password(self, service: str, username: str) -> str | None:
        self._wait()
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait()
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._wait()
        super().delete_password(service, username)


class SlowKeyring(MemoryKeyring):
    """A keychain that answers every call, but only after `delay` seconds (a busy D-Bus, a slow disk)."""

    priority = 0.1

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(self.delay)
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(self.delay)
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(self.delay)
        super().delete_password(service, username)


class NeverAnsweringKeyring(MemoryKeyring):
    """For a qbdesk process: every call waits forever, as on an unlock prompt on a screen nobody watches.

    The process's time limit comes from KEYCHAIN_TEST_TIMEOUT (seconds), set here because a subprocess
    cannot be patched from the test.
    """

    priority = 0.1

    def __init__(self) -> None:
        super().__init__()
        from qbdesk.store import keychain_calls

        keychain_calls.CALL_TIMEOUT_SECONDS = float(os.environ.get("KEYCHAIN_TEST_TIMEOUT", "0.5"))

    def get_password(self, service: str, username: str) -> str | None:
        threading.Event().wait()

    def set_password(self, service: str, username: str, password: str) -> None:
        threading.Event().wait()

    def delete_password(self, service: str, username: str) -> None:
        threading.Event().wait()
