"""Command line: run the Intuit emulator on its own until Ctrl+C."""

from __future__ import annotations

import argparse
import logging
import sys
import threading

from .config import ENVIRONMENTS, PRODUCTION, SANDBOX
from .emulator import Emulator

EXAMPLE = "--client demo-id:demo-secret:sandbox:http://localhost:8765/callback"


def _client_spec(text: str) -> tuple[str, str, str, str]:
    parts = text.split(":", 3)
    if len(parts) != 4 or not all(parts):
        raise argparse.ArgumentTypeError(f"expected ID:SECRET:ENV:REDIRECT_URI, e.g. {EXAMPLE.split(' ', 1)[1]}")
    client_id, secret, environment, redirect_uri = parts
    if environment not in ENVIRONMENTS:
        raise argparse.ArgumentTypeError(f"ENV must be one of {', '.join(ENVIRONMENTS)}")
    return client_id, secret, environment, redirect_uri


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, kept separate so --help can be checked."""
    parser = argparse.ArgumentParser(
        prog="python -m qbdesk.emulator",
        description=(
            "Run a local stand-in for Intuit's OAuth 2.0 server and the QuickBooks Online "
            "CompanyInfo API. Nothing leaves this machine; tokens it issues only work against it."
        ),
        epilog=f"example:\n  python -m qbdesk.emulator --port 8700 {EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8700, help="port to listen on; 0 picks a free one (default: 8700)")
    parser.add_argument(
        "--client",
        action="append",
        type=_client_spec,
        default=[],
        metavar="ID:SECRET:ENV:REDIRECT_URI",
        help="register an app (repeatable); ENV is production or sandbox. "
        "Repeat with the same ID to add more redirect URIs.",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Start the emulator, print where it listens, and wait for Ctrl+C."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.client:
        parser.error(f"at least one --client is required, e.g. {EXAMPLE}")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(message)s")
    if args.verbose:
        logging.getLogger("oauthlib").setLevel(logging.INFO)
    emulator = Emulator(host=args.host, port=args.port)
    registrations: dict[str, tuple[str, str, list[str]]] = {}
    for client_id, secret, environment, redirect_uri in args.client:
        _, _, uris = registrations.setdefault(client_id, (secret, environment, []))
        uris.append(redirect_uri)
    try:
        for client_id, (secret, environment, uris) in registrations.items():
            emulator.register_client(client_id, secret, uris, environment)
        emulator.start()
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"qbdesk Intuit emulator running at {emulator.base_url}")
    print(f"  production discovery: {emulator.discovery_url(PRODUCTION)}")
    print(f"  sandbox discovery:    {emulator.discovery_url(SANDBOX)}")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
