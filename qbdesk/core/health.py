"""A credential's state at a glance, and the warnings that come before trouble."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

from qbdesk.core.credential import Credential, Health, Status

WARN_WITHIN = timedelta(days=14)
ACCESS_MARGIN = timedelta(minutes=5)  # an access token with less left is refreshed before it is handed out


def access_token_fresh(credential: Credential, now: datetime) -> bool:
    """True when the stored access token may be handed out as it is (more than ACCESS_MARGIN left)."""
    expires = credential.access_token_expires_at
    return expires is not None and expires - now > ACCESS_MARGIN


class State(str, Enum):
    """What the list shows for a credential."""

    CONNECTED = "Connected"
    INCOMPLETE = "Incomplete"
    NEEDS_RECONNECT = "Needs reconnect"
    OFFLINE = "Offline-unknown"


def state_of(credential: Credential, now: datetime | None = None) -> State:
    """The credential's state; an expired refresh token means it needs a new sign-in."""
    if credential.status is Status.PENDING:
        return State.INCOMPLETE
    if credential.health is Health.NEEDS_RECONNECT:
        return State.NEEDS_RECONNECT
    if now is not None and any(
        moment is not None and moment <= now for moment in (credential.refresh_token_expires_at, credential.hard_expires_at)
    ):
        return State.NEEDS_RECONNECT
    if credential.health is Health.OFFLINE:
        return State.OFFLINE
    return State.CONNECTED


def _days(delta: timedelta) -> str:
    days = max(0, delta.days)
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def expiry_warning(credential: Credential, now: datetime) -> str | None:
    """A warning when the refresh token or the hard expiry falls within 14 days, else None."""
    if credential.status is not Status.CONNECTED:
        return None
    hard = credential.hard_expires_at
    if hard is not None and now < hard <= now + WARN_WITHIN:
        return f"Intuit's hard limit ends this connection {_days(hard - now)}: reconnect before then."
    refresh = credential.refresh_token_expires_at
    if refresh is not None and now < refresh <= now + WARN_WITHIN:
        return f"The refresh token expires {_days(refresh - now)} unless qbdesk refreshes it: open qbdesk or reconnect."
    return None
