"""Everything one running qbdesk needs, wired together once: store, vault, settings and services."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from qbdesk.core.clock import Clock, SystemClock
from qbdesk.core.ttl import pending_ttl
from qbdesk.intuit.discovery import DiscoveryCache
from qbdesk.services.audit import AuditTrail
from qbdesk.services.credentials import CredentialService
from qbdesk.services.repair import repair
from qbdesk.services.signin import SignInService
from qbdesk.services.tokens import TokenService
from qbdesk.store.audit import AuditLog
from qbdesk.store.database import open_database
from qbdesk.store.managed import NO_MANAGED_SETUP, load_managed, managed_path
from qbdesk.store.repository import CredentialRepository
from qbdesk.store.runs import begin_run, end_run
from qbdesk.store.settings import SettingsStore
from qbdesk.store.vault import Vault, VaultSwitch, choose_vault

log = logging.getLogger("qbdesk")


@dataclass
class AppContext:
    """The services of one data folder. Build with open(); close() at exit."""

    data_dir: Path
    engine: Engine
    vault: VaultSwitch
    settings: SettingsStore
    credentials: CredentialService
    signin: SignInService
    tokens: TokenService
    audit: AuditTrail
    clock: Clock  # every rule about time reads this one
    discovery: DiscoveryCache  # Intuit's endpoints, fetched once per discovery address
    demo: bool = False

    @classmethod
    def open(
        cls,
        data_dir: Path,
        overrides: Mapping[str, str],
        clock: Clock | None = None,
        vault: Vault | None = None,
        demo: bool = False,
    ) -> AppContext:
        """Open the data folder: migrate the database, pick the vault, purge expired sign-ins.

        The administrator's managed file applies except in demo mode, which keeps to its own emulator."""
        ttl = pending_ttl(overrides)
        engine = open_database(data_dir)
        repository = CredentialRepository(engine)
        switch = VaultSwitch(vault or choose_vault(data_dir, file_allowed=False))
        managed = NO_MANAGED_SETUP if demo else load_managed(managed_path(overrides))
        settings = SettingsStore(data_dir, switch, overrides, managed)
        if vault is None and settings.secrets_in_file:
            switch.current = choose_vault(data_dir, file_allowed=True)
        clock = clock or SystemClock()
        audit = AuditTrail(AuditLog(engine), clock)
        discovery = DiscoveryCache()
        credentials = CredentialService(repository, switch, clock, ttl, audit)
        signin = SignInService(credentials, clock, settings, switch, discovery, audit)
        tokens = TokenService(data_dir, credentials, clock, settings, switch, discovery, audit)
        context = cls(data_dir, engine, switch, settings, credentials, signin, tokens, audit, clock, discovery, demo)
        credentials.purge_expired()
        if begin_run(data_dir):  # an earlier process was cut short: check what it may have left half done
            repair(credentials, switch, audit)
        return context

    def allow_secrets_in_file(self, allowed: bool) -> None:
        """Record the user's choice and switch vaults when no keychain exists."""
        self.settings.save_secrets_in_file(allowed)
        if not self.demo:
            self.vault.current = choose_vault(self.data_dir, file_allowed=allowed)

    def close(self) -> None:
        self.signin.shutdown()
        self.engine.dispose()
        end_run(self.data_dir)
