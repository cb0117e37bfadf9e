"""Web addresses without I/O: Intuit's published defaults per destination, and the checks every address from
settings or servers must pass (the store, Intuit calls and the window all apply the same ones)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from qbdesk.core.destinations import Destination

DEFAULT_DISCOVERY_URLS = {
    Destination.PRODUCTION: "https://developer.api.intuit.com/.well-known/openid_configuration",
    Destination.SANDBOX: "https://developer.api.intuit.com/.well-known/openid_sandbox_configuration",
}

DEFAULT_API_BASE_URLS = {
    Destination.PRODUCTION: "https://quickbooks.api.intuit.com/v3",
    Destination.SANDBOX: "https://sandbox-quickbooks.api.intuit.com/v3",
}


def is_loopback_host(host: str | None) -> bool:
    """True for localhost and loopback IP literals only."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_problem(url: str, what: str) -> str | None:
    """Why url cannot serve as an OAuth endpoint (https, or http on this machine only), or None."""
    # urlsplit silently drops tabs and line breaks and strips leading control characters, so check the text first;
    # this also keeps invisible characters out of the message that quotes the address.
    if not url.isprintable() or any(ch.isspace() for ch in url):
        return f"The {what} must be one web address, without spaces or invisible characters."
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return f"The {what} \u201c{url}\u201d is not a valid address."
    if parts.username is not None or parts.password is not None:
        return f"The {what} must not contain a user name or password."
    if parts.scheme == "https" and host:
        return None
    if parts.scheme == "http" and is_loopback_host(host):
        return None
    return f"The {what} must start with https:// (plain http:// is allowed only for this computer)."
