"""The one writer of credentials: every change commits here first, then is announced as an event.

Sign-in and token upkeep ask this service to write; nothing else holds the repository.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential, Health
from qbdesk.core.destinations import Destination
from qbdesk.core.events import Event
from qbdesk.core.names import NameCheck, check_name, find_named, name_key, taken_name
from qbdesk.core.problems import Kind
from qbdesk.intuit.oauth import TokenSet
from qbdesk.services.audit import AuditTrail
from qbdesk.store.repository import CredentialNotFound, CredentialRepository, NameTaken, PendingExpired
from qbdesk.store.vault import Vault, VaultUnavailable, delete_tokens, save_tokens

log = logging.getLogger("qbdesk.credentials")


@dataclass(frozen=True)
class CredentialRemoved:
    """A credential left the list; expired is True when its sign-in ran out of time."""

    credential: Credential
    expired: bool = False


class NameRejected(ValueError):
    """The name breaks a rule; the message is the reason to show."""


# What a failed call to Intuit says about a credential's health; other kinds say nothing about it.
HEALTH_AFTER = {Kind.RECONNECT: Health.NEEDS_RECONNECT, Kind.OFFLINE: Health.OFFLINE}


class CredentialService:
    """The credential list and every change to it: each write commits, then its event is emitted."""

    def __init__(
        self, repository: CredentialRepository, vault: Vault, clock: Clock, pending_ttl: timedelta, audit: AuditTrail
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._vault = vault
        self._clock = clock
        self.pending_ttl = pending_ttl
        self.added: Event[Credential] = Event()
        self.changed: Event[Credential] = Event()
        self.removed: Event[CredentialRemoved] = Event()

    def list(self) -> list[Credential]:
        return self._repository.all()

    def get(self, credential_id: str) -> Credential | None:
        return self._repository.get(credential_id)

    def named(self, key: str) -> Credential | None:
        """The oldest credential whose name_key() is `key`, or None."""
        return next((c for c in self.list() if name_key(c.name) == key), None)

    def find(self, typed: str) -> Credential | None:
        """The credential with this name (ignoring case) or id, or None."""
        return find_named(self, typed)

    def check_name(self, typed: str, ignore_id: str | None = None) -> NameCheck:
        """Check a typed name against the rules and every other credential's name."""
        result = check_name(typed)
        if result.ok and self._repository.name_in_use(result.name, ignore_id):
            return taken_name(result.name)
        return result

    def _checked_name(self, typed: str, ignore_id: str | None = None) -> str:
        result = self.check_name(typed, ignore_id)
        if not result.ok:
            raise NameRejected(result.problem)
        return result.name

    def create_pending(self, typed_name: str, destination: Destination) -> Credential:
        """Add a credential whose sign-in has not happened yet; it expires after the pending TTL."""
        name = self._checked_name(typed_name)
        now = self._clock.now()
        try:
            credential = self._repository.add_pending(name, destination, now, now + self.pending_ttl)
        except NameTaken:
            raise NameRejected(taken_name(name).problem) from None
        log.info("Created pending credential %s", credential.id)
        self._audit.record(credential, "created", credential.destination.label)
        self.added.emit(credential)
        return credential

    def revise_pending(
        self, credential_id: str, typed_name: str, destination: Destination, restart_ttl: bool = False
    ) -> Credential:
        """Change a pending credential's name or destination; optionally give it a fresh TTL."""
        name = self._checked_name(typed_name, ignore_id=credential_id)
        expires_at = self._clock.now() + self.pending_ttl if restart_ttl else None
        try:
            credential = self._repository.revise_pending(credential_id, name, destination, expires_at)
        except NameTaken:
            raise NameRejected(taken_name(name).problem) from None
        self.changed.emit(credential)
        return credential

    def rename(self, credential_id: str, typed_name: str) -> Credential:
        """Give a credential a new name, under the same rules as a new one."""
        old = self._repository.get(credential_id)
        name = self._checked_name(typed_name, ignore_id=credential_id)
        try:
            credential = self._repository.rename(credential_id, name)
        except NameTaken:
            raise NameRejected(taken_name(name).problem) from None
        self._audit.record(credential, "renamed", f"from \u201c{old.name if old else ''}\u201d")
        self.changed.emit(credential)
        return credential

    def add_connected(self, credential: Credential, access_token: str, refresh_token: str, detail: str) -> Credential:
        """Keep a connected credential brought from another computer: its tokens to the vault first, then the row."""
        credential = replace(credential, name=self._checked_name(credential.name))
        save_tokens(self._vault, credential.id, access_token, refresh_token)
        try:
            stored = self._repository.add_connected(credential)
        except NameTaken:
            delete_tokens(self._vault, credential.id)
            raise NameRejected(taken_name(credential.name).problem) from None
        log.info("Imported credential %s", stored.id)
        self._audit.record(stored, "imported", detail)
        self.added.emit(stored)
        return stored

    def discard(self, credential_id: str, event: str = "discarded", detail: str = "") -> None:
        """Remove a credential and its secrets, recording why."""
        credential = self._repository.get(credential_id)
        if credential is None:
            return
        self._forget_secrets(credential_id)
        if self._repository.delete(credential_id):
            log.info("Removed credential %s (%s)", credential_id, event)
            self._audit.record(credential, event, detail)
            self.removed.emit(CredentialRemoved(credential))

    def purge_expired(self) -> list[Credential]:
        """Remove every pending credential whose time ran out; returns them."""
        removed = self._repository.delete_expired(self._clock.now())
        for credential in removed:
            log.info("Pending credential %s expired", credential.id)
            self._audit.record(credential, "expired", "sign-in did not finish in time")
            self._forget_secrets(credential.id)
            self.removed.emit(CredentialRemoved(credential, expired=True))
        return removed

    def remove_if_expired(self, credential_id: str) -> bool:
        """True when the credential is pending past its stored expiry by the wall clock; it is removed as expired."""
        credential = self._repository.get(credential_id)
        if credential is None or not credential.is_expired(self._clock.now()):
            return False
        self.purge_expired()
        return True

    def changed_elsewhere(self) -> bool:
        """True when another process changed the list since the last call: time to reload it."""
        return self._repository.changed_elsewhere()

    def next_expiry(self) -> datetime | None:
        return self._repository.next_pending_expiry()

    def time_to_next_expiry(self) -> timedelta | None:
        """How long until the earliest pending credential runs out (negative once it has), or None."""
        moment = self.next_expiry()
        return None if moment is None else moment - self._clock.now()

    # --- writes on behalf of sign-in and token upkeep ------------------------------------------

    def store_connection(
        self, credential_id: str, realm_id: str, tokens: TokenSet, event: str, replaced_realm: str | None = None
    ) -> Credential:
        """Keep a finished sign-in: secrets to the vault first, then the row; audit and announce it.

        replaced_realm is the company the credential had, when the user agreed to another one.
        Raises CredentialNotFound (after taking the secrets back out) when the row went meanwhile, and
        PendingExpired when a pending credential's stored expiry has passed: nothing is kept, and it is
        removed as expired. The expiry is checked again in the row's own transaction, since the keychain
        may take its time.
        """
        if self.remove_if_expired(credential_id):
            raise PendingExpired(credential_id)
        save_tokens(self._vault, credential_id, tokens.access_token, tokens.refresh_token)
        try:
            credential = self._repository.mark_connected(
                credential_id, realm_id, self._clock.now(),
                tokens.access_expires_at, tokens.refresh_expires_at, tokens.hard_expires_at,
            )
        except CredentialNotFound:
            delete_tokens(self._vault, credential_id)
            raise
        except PendingExpired:
            self.purge_expired()  # removes the row and, through _forget_secrets, the tokens just saved
            raise
        if replaced_realm is not None:
            self._audit.record(credential, "company_replaced", f"from {replaced_realm} to {realm_id}")
        self._audit.record(credential, event, f"company {credential.realm_id}")
        self.changed.emit(credential)
        return credential

    def store_refresh(self, credential_id: str, tokens: TokenSet, rotated: bool) -> Credential:
        """Keep refreshed tokens: the newest refresh token is in the vault before the row says so."""
        save_tokens(self._vault, credential_id, tokens.access_token, tokens.refresh_token)
        credential = self._repository.record_refresh(
            credential_id, self._clock.now(),
            tokens.access_expires_at, tokens.refresh_expires_at, tokens.hard_expires_at,
        )
        self._audit.record(credential, "refreshed", "refresh token rotated" if rotated else "refresh token unchanged")
        self.changed.emit(credential)
        return credential

    def set_health(self, credential_id: str, health: Health, detail: str | None) -> Credential:
        """Record what is known about the credential at Intuit; detail is the cause, in plain words."""
        credential = self._repository.set_health(credential_id, health, detail)
        self.changed.emit(credential)
        return credential

    def note_trouble(self, credential_id: str, kind: Kind, cause: str) -> Credential | None:
        """A call to Intuit failed: mark the credential when the kind of failure says something about it."""
        health = HEALTH_AFTER.get(kind)
        return None if health is None else self.set_health(credential_id, health, cause)

    def record_use(self, credential_id: str) -> Credential:
        """An access token was handed out."""
        credential = self._repository.record_use(credential_id, self._clock.now())
        self.changed.emit(credential)
        return credential

    def record_test_passed(self, credential_id: str, company_name: str) -> Credential:
        """QuickBooks answered with the company's name: keep it, and the credential is healthy."""
        credential = self._repository.record_use(credential_id, self._clock.now(), company_name=company_name)
        if credential.health is not Health.OK or credential.health_detail is not None:  # one write less when healthy
            credential = self._repository.set_health(credential_id, Health.OK, None)
        self._audit.record(credential, "tested", f"company: {company_name}")
        self.changed.emit(credential)
        return credential

    def record_company_name(self, credential_id: str, company_name: str) -> Credential:
        """QuickBooks named the company right after sign-in: keep the name, and say so in the audit log.

        A name already known (a reconnect to the same company) is neither written nor logged again.
        """
        known = self._repository.get(credential_id)
        if known is not None and known.company_name == company_name:
            return known
        credential = self._repository.set_company_name(credential_id, company_name)
        self._audit.record(credential, "company_named", credential.company_label)
        self.changed.emit(credential)
        return credential

    def _forget_secrets(self, credential_id: str) -> None:
        try:
            delete_tokens(self._vault, credential_id)
        except VaultUnavailable:
            log.warning("Could not remove the secrets of %s: no vault available", credential_id)
