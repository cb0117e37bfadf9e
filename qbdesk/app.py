"""qbdesk's entry point: parse the command line, then open the window (Qt is imported only then)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from qbdesk import __version__

DATA_DIR_ENV = "QBDESK_DATA_DIR"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("qbdesk", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qbdesk",
        description="Create and keep QuickBooks Online integration credentials.",
        epilog=(
            "Environment: QBDESK_DATA_DIR (data folder); QBDESK_{SANDBOX,PRODUCTION}_{CLIENT_ID,CLIENT_SECRET,"
            "REDIRECT_URI,DISCOVERY_URL,API_BASE_URL} override Settings; QBDESK_PENDING_TTL_SECONDS (default 600) is how "
            "long an unfinished sign-in is kept."
        ),
    )
    parser.add_argument("--version", action="version", version=f"qbdesk {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help=f"folder for the database, settings and logs (default: ${DATA_DIR_ENV} or your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run against a bundled Intuit emulator with demo keys, in a separate demo data folder",
    )
    parser.add_argument("--verbose", action="store_true", help="log debugging detail")
    return parser


def main(argv: list[str]) -> int:
    """Run qbdesk with these arguments and return its exit code."""
    args = build_parser().parse_args(argv)
    data_dir = args.data_dir or Path(os.environ.get(DATA_DIR_ENV) or default_data_dir())
    from qbdesk.ui.application import run_window

    return run_window(data_dir.expanduser().resolve(), dict(os.environ), demo=args.demo, verbose=args.verbose)


def run() -> None:
    """Console-script entry."""
    sys.exit(main(sys.argv[1:]))
