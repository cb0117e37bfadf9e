"""Which way qbdesk can catch the redirect for a destination, and Intuit's rules for Redirect URIs."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from qbdesk.callback.redirect_uri import is_loopback_redirect
from qbdesk.core.destinations import Destination


class Capture(str, Enum):
    """How the redirect reaches qbdesk."""

    LISTENER = "listener"  # the system browser, caught by the loopback listener
    EMBEDDED = "embedded"  # qbdesk's own sign-in window catches the navigation
    PASTE = "paste"  # the system browser; the user pastes the address back


@dataclass(frozen=True)
class CapturePlan:
    """The chosen way, and a warning when Intuit may refuse the Redirect URI (each front end words the way)."""

    capture: Capture
    warning: str | None = None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def intuit_redirect_problem(redirect_uri: str, destination: Destination) -> str | None:
    """Why Intuit would refuse this Redirect URI for the destination's keys, or None."""
    try:
        parts = urlsplit(redirect_uri)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return "That Redirect URI is not a valid address."
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return "A Redirect URI starts with https:// (or http://localhost for sandbox keys)."
    if parts.username is not None or parts.fragment:  # username is "" for "https://@host"
        return "A Redirect URI has no user name, password or #fragment."
    if destination is Destination.PRODUCTION:
        if parts.scheme != "https":
            return "Intuit accepts only https:// Redirect URIs for production keys."
        if host == "localhost" or _is_ip(host):
            return "Intuit refuses localhost and IP addresses in production Redirect URIs; use an https address with a host name."
        return None
    if parts.scheme == "http":
        if not is_loopback_redirect(redirect_uri):
            return "For sandbox keys, plain http:// works only as http://localhost:PORT/path; anything else needs https://."
        return None
    if host == "localhost" or (_is_ip(host) and ipaddress.ip_address(host).is_loopback):
        return "Intuit refuses https on localhost; use http://localhost:PORT/path for sandbox keys."
    return None


def plan_capture(destination: Destination, redirect_uri: str, prefer_system_browser: bool) -> CapturePlan:
    """Pick the best way to catch the redirect: the listener for loopback addresses, else the window or paste."""
    warning = intuit_redirect_problem(redirect_uri, destination)
    if is_loopback_redirect(redirect_uri):
        return CapturePlan(Capture.LISTENER, warning)
    return CapturePlan(Capture.PASTE if prefer_system_browser else Capture.EMBEDDED, warning)


# The Redirect URI qbdesk suggests registering. Sandbox keys may return to this computer; production keys need
# https with a host name, and Intuit's own OAuth Playground address is one every Intuit app can register.
# Nothing has to serve it for qbdesk: the sign-in window stops there and reads the result from the address.
PROPOSED_SANDBOX_PORT = 8765
PROPOSED_PRODUCTION_REDIRECT_URI = "https://developer.intuit.com/v2/OAuth2Playground/RedirectUrl"


def _port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def proposed_redirect_uri(destination: Destination, current: str = "") -> str:
    """The Redirect URI to register at Intuit: the current one when Intuit would take it, else one that fits its rules.

    For sandbox keys a loopback address on a port nobody uses now; for production keys an https address.
    """
    if current and intuit_redirect_problem(current, destination) is None:
        return current
    if destination is Destination.PRODUCTION:
        return PROPOSED_PRODUCTION_REDIRECT_URI
    port = PROPOSED_SANDBOX_PORT
    while not _port_free(port) and port < PROPOSED_SANDBOX_PORT + 50:
        port += 1
    return f"http://localhost:{port}/callback"
