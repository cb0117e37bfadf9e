"""The quick path for scripts: list, status, and token while the access token is fresh, without the services.

The database is read with the standard library (services/quick_reads.py) and, for a token, only the vault's
backend is loaded: SQLAlchemy, Alembic, requests and oauthlib stay unimported. The commands are the full
path's own (reading.py), so the output is the same. Whenever the full path would do something more (migrate,
purge, repair, refresh, report a keychain problem), run_quick returns None before printing anything and the
full path runs instead. QBDESK_FULL_PATH=1 turns the quick path off (for comparisons and benchmarks).
"""

from __future__ import annotations

import argparse
import io
import logging
import sqlite3
import sys
from contextlib import redirect_stdout
from pathlib import Path

from qbdesk.cli import ExitCode, Failure
from qbdesk.cli.reading import find, list_command, status_command
from qbdesk.cli.report import say
from qbdesk.cli.wording import managed_setup_warnings, sentence
from qbdesk.core.problems import NextStep
from qbdesk.services.quick_reads import NotQuick, QuickReads, VaultUnavailable

log = logging.getLogger("qbdesk.cli")

FULL_PATH_ENV = "QBDESK_FULL_PATH"
QUICK_COMMANDS = ("list", "status", "token")


def _wanted(args: argparse.Namespace, env: dict[str, str]) -> bool:
    """The command may take the quick path at all (demo mode starts an emulator; --verbose logs the full path)."""
    return args.command in QUICK_COMMANDS and not args.demo and not args.verbose and env.get(FULL_PATH_ENV) != "1"


def run_quick(args: argparse.Namespace, data_dir: Path, env: dict[str, str]) -> ExitCode | None:
    """Run the command on the quick path and return its exit code, or None (nothing printed) for the full path.

    A Failure (no such credential, a keychain problem) is raised as the full path raises it."""
    if not _wanted(args, env):
        return None
    try:
        reads = QuickReads.open(data_dir, env)
    except NotQuick:
        return None
    output = io.StringIO()  # printed only once the command is done, so handing over never prints twice
    try:
        with redirect_stdout(output):
            code = _run(reads, args)
    except (sqlite3.Error, ValueError, TypeError) as exc:  # a stored value this code does not know
        log.info("The quick path handed %s over to the full path (%s)", args.command, type(exc).__name__)
        return None
    finally:
        reads.close()
    if code is not None:
        for warning in managed_setup_warnings(reads.managed):
            say(warning)
        sys.stdout.write(output.getvalue())
        sys.stdout.flush()
    return code


def _run(reads: QuickReads, args: argparse.Namespace) -> ExitCode | None:
    if args.command == "list":
        return list_command(reads, args)
    if args.command == "status":
        return status_command(reads, args)
    try:
        token = reads.fresh_token(find(reads, args.name))
    except VaultUnavailable as exc:  # the token service's words for it (tokens.CredentialUnusable, Kind.SETUP)
        raise Failure(sentence(str(exc), NextStep.NONE), ExitCode.SETUP) from None
    if token is None:
        return None
    print(token)
    return ExitCode.OK
