"""Reading the list and handing out a fresh access token without opening the services (no SQLAlchemy, no requests).

For scripts that call `qbdesk list`, `status` or `token` in a loop. QuickReads.open() refuses (NotQuick)
whenever the full start-up in AppContext.open would do something first: create, migrate or repair the
database, fix the folder's permissions, purge a sign-in that ran out of time, or clean up after a process
that was cut short. fresh_token() answers None whenever the token service would do more than read (refresh,
move tokens to the split layout); the caller then takes the full path.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from pathlib import Path

from qbdesk.core.clock import Clock, SystemClock
from qbdesk.core.credential import Credential, Health, Status
from qbdesk.core.health import access_token_fresh
from qbdesk.core.names import name_key
from qbdesk.core.ttl import pending_ttl
from qbdesk.store.managed import load_managed, managed_path
from qbdesk.store.quick import (
    NotQuick,
    open_current,
    pending_expiries,
    read_credential,
    read_credentials,
    read_names,
    record_use,
)
from qbdesk.store.runs import cut_short
from qbdesk.store.vault import UnavailableVault, VaultUnavailable, choose_vault, read_tokens

log = logging.getLogger("qbdesk.tokens")

__all__ = ["NotQuick", "QuickReads", "StoredCredentials", "VaultUnavailable"]


class StoredCredentials:
    """The credentials in the database, answering list(), get() and named() as CredentialService does; a
    credential looked up by name or id is read alone, the whole list only when asked for."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._all: list[Credential] | None = None

    def list(self) -> list[Credential]:
        if self._all is None:
            self._all = read_credentials(self._connection)
        return list(self._all)

    def get(self, credential_id: str) -> Credential | None:
        return read_credential(self._connection, credential_id)

    def named(self, key: str) -> Credential | None:
        found = next((ident for ident, name in read_names(self._connection) if name_key(name) == key), None)
        return None if found is None else self.get(found)


class QuickReads:
    """One data folder's credentials, read with the standard library; close() at the end."""

    def __init__(self, data_dir: Path, env: Mapping[str, str], connection: sqlite3.Connection, clock: Clock) -> None:
        self.data_dir = data_dir
        self.clock = clock
        self.credentials = StoredCredentials(connection)
        self._env = env
        self._connection = connection
        self.managed = load_managed(managed_path(env))  # read as the full path reads it, for its warnings

    @classmethod
    def open(cls, data_dir: Path, env: Mapping[str, str], clock: Clock | None = None) -> QuickReads:
        """The folder's credentials as they stand; NotQuick when the full start-up has work to do first."""
        try:
            pending_ttl(env)  # an unusable setting is the full start-up's to report
            if cut_short(data_dir):
                raise NotQuick("an earlier run was cut short")
        except (ValueError, OSError):
            raise NotQuick("the full start-up reports this") from None
        connection = open_current(data_dir)
        try:
            reads = cls(data_dir, env, connection, clock or SystemClock())
            now = reads.clock.now()
            if any(expiry <= now for expiry in pending_expiries(connection)):
                raise NotQuick("a sign-in ran out of time and is purged first")
        except (sqlite3.Error, ValueError, TypeError):
            connection.close()
            raise NotQuick("unexpected values in the database") from None
        except BaseException:
            connection.close()
            raise
        return reads

    def fresh_token(self, credential: Credential) -> str | None:
        """The stored access token, counted as a use, when it has more than five minutes left and nothing else
        needs doing; None (nothing written) otherwise.

        Raises VaultUnavailable when the keychain is locked, absent or refusing, where the token service stops
        too: asking a keychain that does not answer a second time would only double the wait."""
        from qbdesk.store.settings import SettingsStore

        now = self.clock.now()
        if (
            credential.status is not Status.CONNECTED
            or credential.health is Health.NEEDS_RECONNECT
            or not access_token_fresh(credential, now)
        ):
            return None
        # Only where secrets may be kept is read from the settings: no client secret is needed here.
        settings = SettingsStore(self.data_dir, UnavailableVault("not read here"), self._env)
        vault = choose_vault(self.data_dir, file_allowed=settings.secrets_in_file)
        tokens, old_layout = read_tokens(vault, credential.id)  # VaultUnavailable: the full path would stop there too
        if tokens is None or old_layout:
            return None
        try:
            if not record_use(self._connection, credential.id, self.clock.now()):
                return None
        except sqlite3.Error as exc:
            log.info("Could not note the use of %s on the quick path (%s)", credential.id, type(exc).__name__)
            return None
        return tokens[0]

    def close(self) -> None:
        self._connection.close()
