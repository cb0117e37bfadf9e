"""How long an unfinished sign-in may wait, and how the time left is shown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

DEFAULT_PENDING_TTL_SECONDS = 600
MAX_PENDING_TTL_SECONDS = 24 * 3600
TTL_ENV = "QBDESK_PENDING_TTL_SECONDS"


def pending_ttl(env: Mapping[str, str]) -> timedelta:
    """The pending time-to-live, from QBDESK_PENDING_TTL_SECONDS when it holds a sane number."""
    raw = env.get(TTL_ENV, "").strip()
    if not raw:
        return timedelta(seconds=DEFAULT_PENDING_TTL_SECONDS)
    try:
        seconds = int(raw)
    except ValueError:
        raise ValueError(f"{TTL_ENV} must be a whole number of seconds, not {raw!r}.") from None
    if not 1 <= seconds <= MAX_PENDING_TTL_SECONDS:
        raise ValueError(f"{TTL_ENV} must be between 1 and {MAX_PENDING_TTL_SECONDS} seconds, not {seconds}.")
    return timedelta(seconds=seconds)


def format_remaining(remaining: timedelta) -> str:
    """Time left as m:ss for a countdown, never negative."""
    seconds = max(0, int(remaining.total_seconds() + 0.999))
    return f"{seconds // 60}:{seconds % 60:02d}"
