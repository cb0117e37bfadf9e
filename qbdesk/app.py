"""qbdesk's entry point: parse the command line, then run a command (qbdesk.cli) or open the window (Qt only then)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from qbdesk import __version__
from qbdesk.launch import DATA_DIR_ENV, data_folder

EPILOG = """\
commands print results on stdout and everything else (prompts, progress, errors) on stderr.
`qbdesk token NAME` prints the access token alone, for scripts: TOKEN=$(qbdesk token Acme)

exit codes:
{exit_codes}

environment:
  QBDESK_DATA_DIR (data folder)
  QBDESK_{{SANDBOX,PRODUCTION}}_{{CLIENT_ID,CLIENT_SECRET,REDIRECT_URI,DISCOVERY_URL,API_BASE_URL}} override Settings
  QBDESK_PENDING_TTL_SECONDS (default 600): how long an unfinished sign-in is kept
"""


class _ArgumentParser(argparse.ArgumentParser):
    """argparse quotes rejected arguments in its errors; show their invisible characters as escapes instead,
    so an argument cannot send control sequences to the terminal."""

    def error(self, message: str):
        super().error("".join(ch if ch.isprintable() or ch == "\n" else ascii(ch)[1:-1] for ch in message))

    def format_help(self) -> str:
        """The exit codes are filled in only when help is shown: opening the window does without them."""
        if self.epilog == EPILOG:
            from qbdesk.core.exit_codes import exit_codes_help

            self.epilog = EPILOG.format(exit_codes=exit_codes_help())
        return super().format_help()


def _add_global_options(parser: argparse.ArgumentParser, after_command: bool) -> None:
    """--data-dir, --demo and --verbose; after a command they only override what was given before it."""
    default = {"default": argparse.SUPPRESS} if after_command else {}
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"folder for the database, settings and logs (default: ${DATA_DIR_ENV} or your user data folder)",
        **default,
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against a bundled Intuit emulator with demo keys, in a separate demo data folder",
        **default,
    )
    parser.add_argument("--verbose", action="store_true", help="log debugging detail", **default)


def _add_commands(parser: argparse.ArgumentParser) -> None:
    """The subcommands run by qbdesk.cli; without one, the window opens."""
    common = argparse.ArgumentParser(add_help=False)
    _add_global_options(common, after_command=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands (none opens the window)")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=summary, parents=[common])

    listing = command("list", "List the credentials (never any secret).")
    listing.add_argument("--json", action="store_true", help="print a JSON array instead of a table")

    status = command("status", "Show one credential in detail, with warnings before its sign-in runs out.")
    status.add_argument("name", metavar="NAME", help="the credential's name (any case) or id")
    status.add_argument("--json", action="store_true", help="print a JSON object")

    token = command("token", "Print a valid access token (refreshed first when needed) and nothing else.")
    token.add_argument("name", metavar="NAME", help="the credential's name (any case) or id")

    create = command("create", "Create a credential: sign in at Intuit in your browser and wait until connected.")
    create.add_argument("--name", required=True, help="the new credential's name (unique, ignoring case)")
    create.add_argument("--sandbox", action="store_true", help="sign in to QuickBooks (Sandbox Mode) instead")
    create.add_argument("--no-browser", action="store_true", help="only print the sign-in address; open it yourself")
    create.add_argument(
        "--paste",
        action="store_true",
        help="read the address your browser lands on from stdin (needed for https Redirect URIs)",
    )

    test = command("test", "Call QuickBooks with the credential and print the company's name, or test them all.")
    test.add_argument("name", metavar="NAME", nargs="?", help="the credential's name (any case) or id")
    test.add_argument("--all", action="store_true", help="test every credential, a few at a time; exit code of the worst")
    test.add_argument("--json", action="store_true", help="with --all: print the results as a JSON object")

    delete = command("delete", "Revoke a credential at Intuit and remove it here.")
    delete.add_argument("name", metavar="NAME", help="the credential's name (any case) or id")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation (required without a terminal)")

    export = command("export", "Write credentials with their tokens to a file encrypted with a passphrase.")
    export.add_argument("names", nargs="*", metavar="NAME", help="the credentials to export (default: all connected)")
    export.add_argument("--to", required=True, metavar="FILE", help="the file to write (must not exist yet)")
    export.add_argument("--move", action="store_true",
                        help="remove the exported credentials here once the file is written and verified "
                             "(they are not revoked at Intuit)")
    export.add_argument("--passphrase-file", metavar="FILE",
                        help="read the passphrase from the first line of FILE instead of asking twice")

    importing = command("import", "Import the credentials of a file written by \u201cqbdesk export\u201d.")
    importing.add_argument("file", metavar="FILE", help="the file to import")
    importing.add_argument("--passphrase-file", metavar="FILE",
                           help="read the passphrase from the first line of FILE instead of asking")
    importing.add_argument("--on-conflict", choices=["skip", "rename", "replace"],
                           help="what to do with a name already used here (asked at a terminal otherwise)")

    run = command("exec", "Run a command with a fresh access token, the realm id and the API base in its environment.")
    run.add_argument("name", metavar="NAME", help="the credential's name (any case) or id")
    run.add_argument("program", nargs=argparse.REMAINDER, metavar="-- COMMAND [ARGS...]",
                     help="the command to run; it gets QBO_ACCESS_TOKEN, QBO_REALM_ID, QBO_API_BASE and "
                          "QBO_ENVIRONMENT, and its exit code is qbdesk's")
    check = command("check", "Ask Intuit whether the Client ID and Client Secret are right, without signing in.")
    check.add_argument("--sandbox", action="store_true", help="check the QuickBooks (Sandbox Mode) keys instead")
    check.add_argument("--json", action="store_true", help="print a JSON object")


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(  # the subcommands' parsers take the same class
        prog="qbdesk",
        description="Create and keep QuickBooks Online integration credentials.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"qbdesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window and the sign-in window once, then exit: 0 when they work, else 1 with the reason",
    )
    _add_global_options(parser, after_command=False)
    _add_commands(parser)
    return parser


def main(argv: list[str]) -> int:
    """Run qbdesk with these arguments and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test and args.command:
        parser.error("--self-test checks the window: give it without a command")
    data_dir = data_folder(args.data_dir, os.environ)
    if args.command:
        from qbdesk.cli import run_command

        return run_command(args, data_dir, dict(os.environ))
    from qbdesk.ui.application import run_window

    return run_window(data_dir, dict(os.environ), demo=args.demo, verbose=args.verbose, self_test=args.self_test)


def run() -> None:
    """Console-script entry."""
    sys.exit(main(sys.argv[1:]))
