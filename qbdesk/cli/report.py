"""How the command line shows things: credentials as JSON or text, times and tables.

Results are printed to stdout; say() talks to the person at the terminal on stderr.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from qbdesk.cli.wording import health_detail, sentence
from qbdesk.core.credential import Credential, Health
from qbdesk.core.health import State, expiry_warning, state_of
from qbdesk.core.problems import NextStep

# The states as the JSON output names them (ui/credential_model.py maps the same states to icons).
STATE_WORDS = {
    State.CONNECTED: "connected",
    State.INCOMPLETE: "incomplete",
    State.NEEDS_RECONNECT: "needs_reconnect",
    State.OFFLINE: "offline",
}


def say(message: str) -> None:
    """Tell the person at the terminal (stderr, so stdout stays for results)."""
    print(message, file=sys.stderr, flush=True)


def one_line(message: str) -> str:
    """The message with its white space folded onto one line."""
    return " ".join(message.split())


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def _relative(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    span = abs(seconds)
    for unit, size in (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if span >= size:
            count = int(span // size)
            words = f"{count} {unit}{'' if count == 1 else 's'}"
            return f"in {words}" if seconds > 0 else f"{words} ago"
    return "in under a minute" if seconds > 0 else "just now"


def when(moment: datetime | None, now: datetime) -> str:
    """A moment in local time with how far off it is, or "-" for none."""
    if moment is None:
        return "-"
    return f"{moment.astimezone():%Y-%m-%d %H:%M %Z} ({_relative(moment, now)})"


def summary(credential: Credential, now: datetime) -> dict[str, str | None]:
    """A credential as a plain JSON object: metadata only, never a secret."""
    return {
        "id": credential.id,
        "name": credential.name,
        "destination": credential.destination.value,
        "realm_id": credential.realm_id,
        "company_name": credential.company_name,
        "state": STATE_WORDS[state_of(credential, now)],
        "created_at": _iso(credential.created_at),
        "access_token_expires_at": _iso(credential.access_token_expires_at),
        "refresh_token_expires_at": _iso(credential.refresh_token_expires_at),
        "hard_expires_at": _iso(credential.hard_expires_at),
    }


def warnings(credential: Credential, now: datetime) -> list[str]:
    """What needs attention: a sign-in that never finished, a needed reconnect, an expiry within 14 days."""
    state = state_of(credential, now)
    found = []
    if state is State.INCOMPLETE and credential.pending_expires_at is not None:
        found.append(
            "Its sign-in never finished. Finish it in the qbdesk window or delete it; it is removed "
            f"{_relative(credential.pending_expires_at, now)}."
        )
    elif state is State.NEEDS_RECONNECT:
        found.append(
            health_detail(credential)
            if credential.health is Health.NEEDS_RECONNECT and credential.health_detail
            else sentence("Intuit's time limit for this sign-in has passed.", NextStep.RECONNECT)
        )
    elif state is State.OFFLINE:
        found.append(health_detail(credential) or "Intuit could not be reached last time; its state is unknown.")
    expiry = expiry_warning(credential, now)
    if expiry:
        found.append(expiry)
    return found


def detail(credential: Credential, now: datetime) -> dict[str, object]:
    """Everything `status --json` shows: the summary, more times, and warnings."""
    return {
        **summary(credential, now),
        "pending_expires_at": _iso(credential.pending_expires_at),
        "connected_at": _iso(credential.connected_at),
        "last_refreshed_at": _iso(credential.last_refreshed_at),
        "last_used_at": _iso(credential.last_used_at),
        "health_detail": credential.health_detail,
        "warnings": warnings(credential, now),
    }


def print_json(value: object) -> None:
    """Print a result as indented JSON."""
    print(json.dumps(value, indent=2))


def table(rows: list[list[str]]) -> str:
    """Rows as left-aligned columns, the first row being the heading."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )
