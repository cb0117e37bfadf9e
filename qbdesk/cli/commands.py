"""The commands on existing credentials (list, status, token, test, delete), and the table of every command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from qbdesk.cli import ExitCode, Failure
from qbdesk.cli.check import check_command
from qbdesk.cli.create import create_command
from qbdesk.cli.report import detail, print_json, say, summary, table, warnings, when
from qbdesk.cli.test_all import test_all_command
from qbdesk.core.credential import Credential, Status
from qbdesk.core.health import State, state_of
from qbdesk.core.names import name_key
from qbdesk.services.context import AppContext


def find(context: AppContext, typed: str) -> Credential:
    """The credential with this name (ignoring case) or id."""
    wanted = typed.strip()
    key = name_key(wanted)
    for credential in context.credentials.list():
        if name_key(credential.name) == key:
            return credential
    credential = context.credentials.get(wanted)
    if credential is None:
        raise Failure(f"No credential is named \u201c{wanted}\u201d. Run \u201cqbdesk list\u201d to see the names.",
                      ExitCode.NOT_FOUND)
    return credential


def list_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
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


def status_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
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


def token_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Print a current access token, refreshing it first if needed."""
    credential = find(context, args.name)
    print(context.tokens.access_token(credential.id), flush=True)
    return ExitCode.OK


def test_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Call Intuit with the credential and print the company's name; with --all, every credential."""
    if getattr(args, "all", False):
        if args.name:
            raise Failure("Give a credential's name or --all, not both.", ExitCode.USAGE)
        return test_all_command(context, args)
    if not args.name:
        raise Failure("Give a credential's name, or --all to test every credential.", ExitCode.USAGE)
    credential = find(context, args.name)
    tested = context.tokens.test_connection(credential.id)
    print(tested.company_name or "")
    return ExitCode.OK


def delete_command(context: AppContext, args: argparse.Namespace) -> ExitCode:
    """Revoke the credential at Intuit and remove it here, after confirmation unless --yes."""
    credential = find(context, args.name)
    if not args.yes:
        if not sys.stdin.isatty():
            raise Failure(
                f"Not deleting \u201c{credential.name}\u201d without confirmation, and there is no terminal to ask "
                "on. Add --yes to delete it.",
                ExitCode.USAGE,
            )
        print(f"Delete \u201c{credential.name}\u201d ({credential.destination.label})? It is revoked at Intuit and "
              "removed here. [y/N] ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            raise Failure(f"\u201c{credential.name}\u201d was not deleted.", ExitCode.CANCELLED)
    if context.tokens.delete(credential.id):
        print(f"Deleted \u201c{credential.name}\u201d: revoked at Intuit.")
    elif credential.status is Status.PENDING:
        print(f"Deleted \u201c{credential.name}\u201d: removed here only (its sign-in never finished, so there "
              "was nothing to revoke).")
    else:
        print(f"Deleted \u201c{credential.name}\u201d: removed here only. Intuit did not confirm the revocation; "
              "to be sure, disconnect the app from the company in QuickBooks.")
    return ExitCode.OK


def _imported_when_run(module: str, function: str) -> Callable[[AppContext, argparse.Namespace], ExitCode]:
    """A command whose module is imported only when it runs, so the other commands start no slower."""

    def run(context: AppContext, args: argparse.Namespace) -> ExitCode:
        return getattr(importlib.import_module(module), function)(context, args)

    return run


COMMANDS: dict[str, Callable[[AppContext, argparse.Namespace], ExitCode]] = {
    "list": list_command,
    "status": status_command,
    "token": token_command,
    "create": create_command,
    "test": test_command,
    "delete": delete_command,
    "export": _imported_when_run("qbdesk.cli.transfer", "export_command"),
    "import": _imported_when_run("qbdesk.cli.transfer", "import_command"),
    "exec": _imported_when_run("qbdesk.cli.exec_command", "exec_command"),
    "check": check_command,
}
