"""The commands that use or change existing credentials (token, test, delete), and the table of every command.

list and status live in reading.py, which the quick path shares."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from qbdesk.cli import ExitCode, Failure
from qbdesk.cli.check import check_command
from qbdesk.cli.create import create_command
from qbdesk.cli.reading import find, list_command, status_command
from qbdesk.cli.test_all import test_all_command
from qbdesk.core.credential import Status
from qbdesk.services.context import AppContext


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
