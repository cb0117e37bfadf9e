"""Keeping credentials alive: hand out access tokens, refresh without ever losing a rotated token, test, revoke."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import requests

from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential, Health, Status
from qbdesk.core.health import access_token_fresh
from qbdesk.core.problems import NextStep, Problem
from qbdesk.intuit import api
from qbdesk.intuit.discovery import DiscoveryCache
from qbdesk.intuit.errors import THROTTLED, IntuitError, Kind
from qbdesk.intuit.oauth import refresh_tokens
from qbdesk.services.audit import AuditTrail
from qbdesk.services.credentials import CredentialService
from qbdesk.store.locks import LockTimeout, exclusive
from qbdesk.store.settings import SettingsStore
from qbdesk.store.vault import Vault, VaultUnavailable, load_tokens, migrate_tokens, read_tokens

log = logging.getLogger("qbdesk.tokens")

KEEP_ALIVE_WITHIN = timedelta(days=30)


class CredentialUnusable(Problem):
    """The credential cannot give a token now: the cause, and the next step."""

    def __init__(self, cause: str, kind: Kind = Kind.OTHER, next_step: NextStep = NextStep.NONE) -> None:
        super().__init__(cause, next_step, kind)
        self.throttled = False  # Intuit answered 429: the same call may be tried again after retry_after
        self.retry_after: float | None = None

    @classmethod
    def from_intuit(cls, error: IntuitError) -> CredentialUnusable:
        unusable = cls(error.cause, error.kind, error.next_step)
        unusable.throttled = error.code == THROTTLED
        unusable.retry_after = error.retry_after
        return unusable


class TokenService:
    """Access tokens on demand, refreshed under a lock that holds across processes."""

    def __init__(
        self,
        data_dir: Path,
        credentials: CredentialService,
        clock: Clock,
        settings: SettingsStore,
        vault: Vault,
        discovery: DiscoveryCache,
        audit: AuditTrail,
    ) -> None:
        self._data_dir = data_dir
        self._credentials = credentials
        self._clock = clock
        self._settings = settings
        self._vault = vault
        self._discovery = discovery
        self._audit = audit
        self._http = requests.Session()

    @property
    def _now(self) -> datetime:
        return self._clock.now()

    def _connected(self, credential_id: str) -> Credential:
        credential = self._credentials.get(credential_id)
        if credential is None:
            raise CredentialUnusable("That credential no longer exists.")
        if credential.status is not Status.CONNECTED:
            raise CredentialUnusable(
                f"\u201c{credential.name}\u201d has not finished signing in.", Kind.RECONNECT, NextStep.RECONNECT
            )
        return credential

    def _stored_tokens(self, credential: Credential, migrate: bool = False) -> tuple[str, str]:
        """The stored pair; with migrate, a pair still kept as one entry is rewritten in today's layout."""
        try:
            tokens, old_layout = read_tokens(self._vault, credential.id)
        except VaultUnavailable as exc:
            raise CredentialUnusable(str(exc), Kind.SETUP) from None
        if tokens is not None and old_layout and migrate:
            self._migrate(credential.id)
        if tokens is None:
            raise CredentialUnusable(
                f"The tokens of \u201c{credential.name}\u201d are missing from {self._vault.description}.",
                Kind.RECONNECT,
                NextStep.RECONNECT,
            )
        return tokens

    def _fresh(self, credential: Credential) -> bool:
        return access_token_fresh(credential, self._now)

    def access_token(self, credential_id: str) -> str:
        """A valid access token, refreshed first when under five minutes remain.

        A credential Intuit has refused is not handed out until it is reconnected.
        """
        credential = self._connected(credential_id)
        if credential.health is Health.NEEDS_RECONNECT:
            raise CredentialUnusable(
                credential.health_detail or f"Intuit no longer accepts \u201c{credential.name}\u201d.",
                Kind.RECONNECT,
                NextStep.RECONNECT,
            )
        if not self._fresh(credential):
            credential = self.refresh(credential_id, only_if_needed=True)
        access, _ = self._stored_tokens(credential, migrate=True)
        self._credentials.record_use(credential_id)
        return access

    def _migrate(self, credential_id: str) -> None:
        """Rewrite tokens kept as one entry (before qbdesk split them) under the lock refreshes take."""
        try:
            with exclusive(self._data_dir, credential_id):
                if migrate_tokens(self._vault, credential_id):
                    log.info("Moved the tokens of %s to the split layout", credential_id)
        except (VaultUnavailable, LockTimeout) as exc:
            log.warning("Could not move the tokens of %s to the split layout: %s", credential_id, type(exc).__name__)

    def refresh(self, credential_id: str, only_if_needed: bool = False) -> Credential:
        """Refresh the tokens. The newest refresh token is stored before anything else happens.

        Another process may have refreshed while this one waited for the lock: the credential is read
        again inside the lock, and with only_if_needed a fresh access token means no call to Intuit.
        """
        with exclusive(self._data_dir, credential_id):
            credential = self._connected(credential_id)
            if only_if_needed and self._fresh(credential):
                return credential
            _, refresh_token = self._stored_tokens(credential)
            app = self._settings.app(credential.destination)
            secret = self._settings.client_secret(credential.destination) or ""
            try:
                endpoints = self._discovery.endpoints(app.effective_discovery_url)
                tokens = refresh_tokens(endpoints, app.client_id, secret, refresh_token, self._now)
            except IntuitError as exc:
                self._audit.record(credential, "refresh_failed", f"{exc.code or exc.kind.value}: {exc}")
                self._credentials.note_trouble(credential.id, exc.kind, exc.cause)
                raise CredentialUnusable.from_intuit(exc) from None
            return self._credentials.store_refresh(credential_id, tokens, tokens.refresh_token != refresh_token)

    def test_connection(self, credential_id: str) -> Credential:
        """Call CompanyInfo with the credential and keep the company name it reports."""
        credential = self._connected(credential_id)
        app = self._settings.app(credential.destination)

        def company_name(access_token: str) -> str:
            return api.company_name(self._http, app.effective_api_base_url, credential.realm_id or "", access_token)

        try:
            try:
                name = company_name(self._fresh_token_for_test(credential))
            except IntuitError as refused:
                if refused.kind is not Kind.RECONNECT or refused.code != "3200":
                    raise
                # An access token can be refused before its time (revoked at Intuit): refresh once and retry.
                self.refresh(credential_id)
                name = company_name(self._stored_tokens(credential)[0])
        except CredentialUnusable as exc:
            self._audit.record(credential, "tested", f"failed: {exc.kind.value}")
            raise
        except IntuitError as exc:
            self._audit.record(credential, "tested", f"failed: {exc.code or exc.kind.value}")
            self._credentials.note_trouble(credential_id, exc.kind, exc.cause)
            raise CredentialUnusable.from_intuit(exc) from None
        return self._credentials.record_test_passed(credential_id, name)

    def _fresh_token_for_test(self, credential: Credential) -> str:
        """The access token for a test call; a test may try a credential marked for reconnect."""
        if not self._fresh(credential):
            self.refresh(credential.id, only_if_needed=True)
        return self._stored_tokens(credential)[0]

    def keep_alive(self) -> list[str]:
        """Refresh every connected credential whose refresh token has under 30 days left; returns their ids."""
        due = [
            c
            for c in self._credentials.list()
            if c.status is Status.CONNECTED
            and c.health is not Health.NEEDS_RECONNECT
            and c.refresh_token_expires_at is not None
            and c.refresh_token_expires_at - self._now < KEEP_ALIVE_WITHIN
        ]
        refreshed = []
        for credential in due:
            try:
                fresh = self.refresh(credential.id)
                refreshed.append(credential.id)
            except CredentialUnusable as exc:
                log.warning("Keep-alive refresh of %s failed: %s", credential.id, exc.kind.value)
                continue
            if not fresh.company_name:
                self._name_company(fresh)
        return refreshed

    def _name_company(self, credential: Credential) -> None:
        """Ask QuickBooks for a company name that sign-in could not learn; a failure changes nothing."""
        app = self._settings.app(credential.destination)
        try:
            access, _ = self._stored_tokens(credential)
            name = api.company_name(self._http, app.effective_api_base_url, credential.realm_id or "", access)
        except (IntuitError, CredentialUnusable) as exc:
            log.info("Still no company name for %s: %s", credential.id, type(exc).__name__)
            return
        self._credentials.record_company_name(credential.id, name)

    def delete(self, credential_id: str) -> bool:
        """Revoke at Intuit when possible, then remove secrets and metadata. True when Intuit confirmed."""
        credential = self._credentials.get(credential_id)
        if credential is None:
            return False
        revoked = False
        try:
            tokens = load_tokens(self._vault, credential_id)
        except VaultUnavailable:
            tokens = None
        if tokens is not None and credential.status is Status.CONNECTED:
            app = self._settings.app(credential.destination)
            try:
                endpoints = self._discovery.endpoints(app.effective_discovery_url)
                if endpoints.revocation:
                    secret = self._settings.client_secret(credential.destination) or ""
                    api.revoke(self._http, endpoints.revocation, app.client_id, secret, tokens[1])
                    revoked = True
            except (IntuitError, VaultUnavailable) as exc:
                log.warning("Revoking %s failed: %s", credential_id, type(exc).__name__)
        self._credentials.discard(credential_id, "deleted", "revoked at Intuit" if revoked else "removed here only")
        return revoked
