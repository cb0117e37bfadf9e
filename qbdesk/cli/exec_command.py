"""`qbdesk exec NAME -- COMMAND [ARGS...]`: run a program with a fresh access token in its environment.

The token goes in QBO_ACCESS_TOKEN, never on a command line; the program's exit code is qbdesk's.
"""

from __future__ import annotations

import argparse
import os
import subprocess

from qbdesk.cli import ExitCode, Failure
from qbdesk.cli.commands import find
from qbdesk.services.context import AppContext

SHELL_NOT_FOUND = 127  # what shells answer for a command that does not exist
SHELL_NOT_RUNNABLE = 126


def credential_environment(context: AppContext, typed_name: str) -> dict[str, str]:
    """The variables a program needs to call QuickBooks with this credential (the token refreshed first if due)."""
    credential = find(context, typed_name)
    token = context.tokens.access_token(credential.id)  # the same path as `qbdesk token`
    return {
        "QBO_ACCESS_TOKEN": token,
        "QBO_REALM_ID": credential.realm_id or "",
        "QBO_API_BASE": context.settings.app(credential.destination).effective_api_base_url,
        "QBO_ENVIRONMENT": credential.destination.value,
    }


def exec_command(context: AppContext, args: argparse.Namespace) -> int:
    """Run the command with the credential's variables added to this environment; return its exit code."""
    command = list(args.program)
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        raise Failure("Give the command to run after --, e.g. qbdesk exec Acme -- python report.py",
                      ExitCode.USAGE)
    env = dict(os.environ)
    env.update(credential_environment(context, args.name))
    try:
        child = subprocess.Popen(command, env=env)
    except FileNotFoundError:
        raise Failure(f"The command \u201c{command[0]}\u201d was not found.", SHELL_NOT_FOUND) from None
    except OSError as exc:
        raise Failure(f"The command \u201c{command[0]}\u201d cannot be run ({exc.strerror}).", SHELL_NOT_RUNNABLE) \
            from None
    while True:
        try:
            code = child.wait()
            break
        except KeyboardInterrupt:  # Ctrl+C reached the child too: let it decide how to end
            continue
    return 128 - code if code < 0 else code  # ended by a signal: the shell's convention
