"""The commands that only read credentials (list, status) and finding one by name, on anything that lists them.

They run on the full services (commands.py) and on the quick path's plain read of the database (quick.py)
alike, so both print the same. Light to import: no SQLAlchemy, no services.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Protocol

from qbdesk.cli import ExitCode, Failure
from qbdesk.cli.report import detail, print_json, say, summary, table, warnings, when
from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential, Status
from qbdesk.core.health import State, state_of
from qbdesk.core.names import find_named


class CredentialSource(Protocol):
    """What these commands read credentials from: CredentialService, or the quick path's stored list."""

    def list(self) -> Sequence[Credential]: ...
    def get(self, credential_id: str) -> Credential | None: ...
    def named(self, key: str) -> Credential | None: ...


class ReadingContext(Protocol):
    """The part of AppContext these commands use."""

    credentials: CredentialSource
    clock: Clock


def find(context: ReadingContext, typed: str) -> Credential:
    """The credential with this name (ignoring case) or id."""
    credential = find_named(context.credentials, typed)
    if credential is None:
        raise Failure(f"No credential is named \u201c{typed.strip()}\u201d. Run \u201cqbdesk list\u201d to see the names.",
                      ExitCode.NOT_FOUND)
    return credential


def list_command(context: ReadingContext, args: argparse.Namespace) -> ExitCode:
    """Every credential, as a table or a JSON list."""
    now = context.clock.now()
    credentials = context.credentials.list()
    if args.json:
        print_json([summary(c, now) for c in credentials])
        return ExitCode.OK
    if not credentials:
        say("No credentials yet. Create one with \u201cqbdesk create --name NAME\u201d or in the qbdesk window.")
        return ExitCode.OK
    rows = [["NAME", "DESTINATION", "COMPANY", "STATE", "CREATED"]]
    for c in credentials:
        company = " ".join(filter(None, [c.company_name, f"({c.realm_id})" if c.company_name else c.realm_id]))
        created = f"{c.created_at.astimezone():%Y-%m-%d %H:%M}"
        rows.append([c.name, c.destination.value, company or "-", state_of(c, now).value, created])
    print(table(rows))
    return ExitCode.OK


def status_command(context: ReadingContext, args: argparse.Namespace) -> ExitCode:
    """One credential in detail; exits RECONNECT when it cannot be used as it is."""
    credential = find(context, args.name)
    now = context.clock.now()
    state = state_of(credential, now)
    if args.json:
        print_json(detail(credential, now))
    else:
        lines = [
            ("State", state.value),
            ("Destination", credential.destination.label),
            ("Company", credential.company_name or "-"),
            ("Realm ID", credential.realm_id or "-"),
            ("ID", credential.id),
            ("Created", when(credential.created_at, now)),
        ]
        if credential.status is Status.PENDING:
            lines.append(("Removed if unfinished", when(credential.pending_expires_at, now)))
        else:
            lines += [
                ("Connected", when(credential.connected_at, now)),
                ("Access token expires", when(credential.access_token_expires_at, now)),
                ("Refresh token expires", when(credential.refresh_token_expires_at, now)),
                ("Hard expiry", when(credential.hard_expires_at, now)),
                ("Last refreshed", when(credential.last_refreshed_at, now)),
                ("Last used", when(credential.last_used_at, now)),
            ]
        width = max(len(label) for label, _ in lines) + 1
        print(credential.name)
        for label, value in lines:
            print(f"  {(label + ':').ljust(width)} {value}")
        for warning in warnings(credential, now):
            print(f"Warning: {warning}")
    usable = state not in (State.INCOMPLETE, State.NEEDS_RECONNECT)
    return ExitCode.OK if usable else ExitCode.RECONNECT
