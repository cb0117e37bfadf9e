"""The command line for scripts: list, status, token, create, test, delete and check, on the services the window uses.

This module runs a parsed command: it sets up logging, tries the quick path (quick.py: list, status and a
fresh token straight from the database), else opens the services, and turns what went wrong into one line
and an exit code. report.py shows results; reading.py, commands.py and create.py are the commands.

Results go to stdout, everything else (prompts, progress, errors) to stderr; an error is one line,
"qbdesk: <what happened and what to do>", and the exit code says what kind of trouble it was.
No Qt is imported here.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from qbdesk import launch
from qbdesk.cli.report import one_line, say
from qbdesk.cli.wording import explain, managed_setup_warnings
from qbdesk.core.exit_codes import ExitCode
from qbdesk.core.problems import Kind
from qbdesk.log import LOG_FILENAME, configure_logging

if TYPE_CHECKING:  # the services (SQLAlchemy, requests) are imported only when a command needs them
    from qbdesk.services.context import AppContext
    from qbdesk.services.signin import SignInProblem

log = logging.getLogger("qbdesk.cli")


class Failure(Exception):
    """A command stops with this plain message and exit code."""

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.code = code


KIND_CODES = {
    Kind.RECONNECT: ExitCode.RECONNECT,
    Kind.OFFLINE: ExitCode.UNREACHABLE,
    Kind.SERVICE: ExitCode.UNREACHABLE,
    Kind.SETUP: ExitCode.SETUP,
    Kind.OTHER: ExitCode.ERROR,
}


def _unusable_folder(data_dir: Path, exc: OSError) -> Failure:
    return Failure(f"The data folder {data_dir} cannot be used ({exc.strerror or exc}).", ExitCode.SETUP)


@contextmanager
def open_services(data_dir: Path, env: dict[str, str], demo: bool) -> Iterator[AppContext]:
    """The services of the data folder (or of the demo, with its emulator running) until the block ends."""
    from qbdesk.store.database import StoreError

    try:
        launched = launch.open_services(data_dir, env, demo)
    except OSError as exc:
        raise _unusable_folder(data_dir, exc) from None
    except (StoreError, ValueError) as exc:
        raise Failure(str(exc), ExitCode.SETUP) from None
    for warning in managed_setup_warnings(launched.context.settings.managed):
        say(warning)
    try:
        yield launched.context
    finally:
        launched.close()


def _start_logging(data_dir: Path, verbose: bool) -> None:
    """Log to the data folder's file; on stderr only with --verbose (errors are reported as one line)."""
    try:
        configure_logging(data_dir, verbose)
    except OSError as exc:
        raise _unusable_folder(data_dir, exc) from None
    if not verbose:
        for handler in logging.getLogger("qbdesk").handlers:
            if getattr(handler, "qbdesk_handler", False) and not isinstance(handler, logging.FileHandler):
                handler.setLevel(logging.CRITICAL + 1)


def _fail(message: str, code: ExitCode) -> int:
    say(f"qbdesk: {one_line(message)}")
    return int(code)


def run_command(args: argparse.Namespace, data_dir: Path, env: dict[str, str]) -> int:
    """Run the parsed command against the data folder; returns the exit code."""
    from qbdesk.cli.quick import run_quick

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        _start_logging(data_dir, args.verbose)
        code = run_quick(args, data_dir, env)
        return int(code if code is not None else _run_on_services(args, data_dir, env))
    except Failure as exc:
        return _fail(str(exc), exc.code)
    except KeyboardInterrupt:
        return _fail("Cancelled.", ExitCode.CANCELLED)
    except BrokenPipeError:  # the reader of stdout went away (`qbdesk list | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except Exception:
        log.exception("The %s command failed unexpectedly", args.command)
        return _fail(f"Something unexpected went wrong. {data_dir / LOG_FILENAME} has the details.", ExitCode.ERROR)


def _run_on_services(args: argparse.Namespace, data_dir: Path, env: dict[str, str]) -> ExitCode:
    """The full path: open the services and run the command there; the services' own errors become Failures."""
    # Imported here, not above: the commands import ExitCode and Failure from this module.
    from qbdesk.cli.commands import COMMANDS
    from qbdesk.services.credentials import NameRejected
    from qbdesk.services.signin import SignInProblem
    from qbdesk.services.tokens import CredentialUnusable
    from qbdesk.store.database import StoreError
    from qbdesk.store.vault import VaultUnavailable

    try:
        with open_services(data_dir, env, args.demo) as context:
            return COMMANDS[args.command](context, args)
    except CredentialUnusable as exc:
        raise Failure(explain(exc), KIND_CODES.get(exc.kind, ExitCode.ERROR)) from None
    except SignInProblem as exc:
        raise Failure(explain(exc), _sign_in_code(exc)) from None
    except NameRejected as exc:
        raise Failure(str(exc), ExitCode.USAGE) from None
    except (StoreError, VaultUnavailable) as exc:
        raise Failure(str(exc), ExitCode.SETUP) from None


def _sign_in_code(problem: SignInProblem) -> ExitCode:
    """Sign-in could not start: Intuit unreachable, or something to fix in the setup."""
    return ExitCode.UNREACHABLE if problem.kind in (Kind.OFFLINE, Kind.SERVICE) else ExitCode.SETUP

