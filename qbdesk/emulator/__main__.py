"""Command line: run the Intuit emulator on its own until Ctrl+C."""

from __future__ import annotations

import argparse
import logging
import sys
import threading

from .config import ENVIRONMENTS, INTUIT_ROTATION, PRODUCTION, SANDBOX, STRICT_ROTATION, Rotation
from .emulator import Emulator
from .shapes import MAX_ACCESS_TOKEN_LENGTH, MIN_ACCESS_TOKEN_LENGTH, check_access_token_length

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
            "CompanyInfo and query calls. Nothing leaves this machine; tokens it issues only work against it."
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
    parser.add_argument(
        "--access-token-length",
        type=_access_token_length,
        default=None,
        metavar="N",
        help="make every access token exactly N characters "
        f"({MIN_ACCESS_TOKEN_LENGTH}-{MAX_ACCESS_TOKEN_LENGTH}; default: 900-1,300, varying, like Intuit's)",
    )
    parser.add_argument(
        "--reuse-refresh-token-for",
        type=_seconds,
        default=INTUIT_ROTATION.reuse_for,
        metavar="SECONDS",
        help="hand the same refresh token back for this long before rotating it (default: %(default)s, a day)",
    )
    parser.add_argument(
        "--refresh-grace",
        type=_seconds,
        default=INTUIT_ROTATION.grace,
        metavar="SECONDS",
        help="keep accepting a rotated refresh token for this long (default: %(default)s)",
    )
    parser.add_argument(
        "--strict-rotation",
        action="store_true",
        help="rotate the refresh token on every refresh and refuse the previous one at once",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def _access_token_length(text: str) -> int:
    if text.isdigit():
        try:
            return check_access_token_length(int(text))
        except ValueError:
            pass  # out of range: said below
    raise argparse.ArgumentTypeError(
        f"expected a whole number from {MIN_ACCESS_TOKEN_LENGTH} to {MAX_ACCESS_TOKEN_LENGTH}"
    )


def _seconds(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError("expected a whole number of seconds")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    """Start the emulator, print where it listens, and wait for Ctrl+C."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.client:
        parser.error(f"at least one --client is required, e.g. {EXAMPLE}")
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(message)s")
    if args.verbose:
        logging.getLogger("oauthlib").setLevel(logging.INFO)
    rotation = STRICT_ROTATION if args.strict_rotation else Rotation(args.reuse_refresh_token_for, args.refresh_grace)
    emulator = Emulator(host=args.host, port=args.port, access_token_length=args.access_token_length, rotation=rotation)
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
