"""A credential as the rest of the app sees it: plain data, no database or Qt attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from qbdesk.core.destinations import Destination


class Status(str, Enum):
    """Where a credential stands in its life."""

    PENDING = "pending"
    CONNECTED = "connected"


class Health(str, Enum):
    """What the last contact with Intuit said about a connected credential."""

    OK = "ok"
    NEEDS_RECONNECT = "needs_reconnect"  # refresh refused (invalid_grant), revoked, or refresh token expired
    OFFLINE = "offline"  # Intuit could not be reached last time; state unknown


@dataclass(frozen=True)
class Credential:
    """One QuickBooks credential's metadata. Secrets live in the vault, never here."""

    id: str
    name: str
    destination: Destination
    status: Status
    created_at: datetime
    realm_id: str | None = None
    pending_expires_at: datetime | None = None
    connected_at: datetime | None = None
    access_token_expires_at: datetime | None = None
    refresh_token_expires_at: datetime | None = None
    company_name: str | None = None
    health: Health = Health.OK
    health_detail: str | None = None
    hard_expires_at: datetime | None = None
    last_refreshed_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def display_name(self) -> str:
        """The name as listed: an unfinished sign-in carries an '(Incomplete)' suffix."""
        return f"{self.name} (Incomplete)" if self.status is Status.PENDING else self.name

    @property
    def company_label(self) -> str:
        """The company as people read it: "Harbor Lane Bakery (9341452718063011)", or the realm id alone."""
        if self.company_name and self.realm_id:
            return f"{self.company_name} ({self.realm_id})"
        return self.company_name or self.realm_id or ""

    def is_expired(self, now: datetime) -> bool:
        """True for a pending credential whose time to finish sign-in has run out."""
        return (
            self.status is Status.PENDING
            and self.pending_expires_at is not None
            and self.pending_expires_at <= now
        )
