"""Start-up repair after an interruption: a connected credential whose tokens are gone is marked for reconnect."""

from __future__ import annotations

import logging

from qbdesk.core.credential import Health, Status
from qbdesk.services.audit import AuditTrail
from qbdesk.services.credentials import CredentialService
from qbdesk.store.repository import CredentialNotFound
from qbdesk.store.vault import Vault, VaultUnavailable, load_tokens

log = logging.getLogger("qbdesk.repair")

MISSING_TOKENS = "Its tokens were missing after an interruption."


def repair(credentials: CredentialService, vault: Vault, audit: AuditTrail) -> list[str]:
    """Mark every connected credential without usable tokens as Needs reconnect; returns their ids.

    Nothing is changed when the vault cannot be read: missing and unreadable are not the same.
    """
    repaired: list[str] = []
    for credential in credentials.list():
        if credential.status is not Status.CONNECTED or credential.health is Health.NEEDS_RECONNECT:
            continue
        try:
            if load_tokens(vault, credential.id) is not None:
                continue
        except VaultUnavailable:
            log.warning("Skipped the start-up token check: the vault cannot be read")
            return repaired
        try:
            updated = credentials.set_health(credential.id, Health.NEEDS_RECONNECT, MISSING_TOKENS)
        except CredentialNotFound:
            continue
        log.warning("Credential %s had no tokens after an interruption; marked Needs reconnect", credential.id)
        audit.record(updated, "repaired", "tokens missing; needs reconnect")
        repaired.append(credential.id)
    return repaired
