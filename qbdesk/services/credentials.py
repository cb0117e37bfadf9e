"""Use cases on the list of credentials: create pending, revise, discard, purge the expired."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.core.events import Event
from qbdesk.core.names import NameCheck, check_name, taken_name
from qbdesk.services.audit import AuditTrail
from qbdesk.store.repository import CredentialRepository, NameTaken
from qbdesk.store.vault import Vault, VaultUnavailable, tokens_key

log = logging.getLogger("qbdesk.credentials")


@dataclass(frozen=True)
class CredentialRemoved:
    """A credential left the list; expired is True when its sign-in ran out of time."""

    credential: Credential
    expired: bool = False


class NameRejected(ValueError):
    """The name breaks a rule; the message is the reason to show."""


class CredentialService:
    """The credential list and its changes, announced through plain events."""

    def __init__(
        self, repository: CredentialRepository, vault: Vault, clock: Clock, pending_ttl: timedelta, audit: AuditTrail
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._vault = vault
        self.clock = clock
        self.pending_ttl = pending_ttl
        self.added: Event[Credential] = Event()
        self.changed: Event[Credential] = Event()
        self.removed: Event[CredentialRemoved] = Event()

    def list(self) -> list[Credential]:
        return self._repository.all()

    def get(self, credential_id: str) -> Credential | None:
        return self._repository.get(credential_id)

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
        now = self.clock.now()
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
        expires_at = self.clock.now() + self.pending_ttl if restart_ttl else None
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
        removed = self._repository.delete_expired(self.clock.now())
        for credential in removed:
            log.info("Pending credential %s expired", credential.id)
            self._audit.record(credential, "expired", "sign-in did not finish in time")
            self._forget_secrets(credential.id)
            self.removed.emit(CredentialRemoved(credential, expired=True))
        return removed

    def changed_elsewhere(self) -> bool:
        """True when another process changed the list since the last call: time to reload it."""
        return self._repository.changed_elsewhere()

    def next_expiry(self) -> datetime | None:
        return self._repository.next_pending_expiry()

    def _forget_secrets(self, credential_id: str) -> None:
        try:
            self._vault.delete(tokens_key(credential_id))
        except VaultUnavailable:
            log.warning("Could not remove the secrets of %s: no vault available", credential_id)
