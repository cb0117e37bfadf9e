"""Which redirect URIs are plain-http loopback ones the callback listener can serve, and how to split them."""

from __future__ import annotations

import re
import socket
from urllib.parse import unquote, urlsplit

__all__ = ["HOST_ADDRESSES", "is_loopback_host_header", "is_loopback_redirect", "parse_redirect"]

# The loopback host spellings accepted, and the (family, address) pairs each one means.
HOST_ADDRESSES = {
    "localhost": ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")),
    "127.0.0.1": ((socket.AF_INET, "127.0.0.1"),),
    "[::1]": ((socket.AF_INET6, "::1"),),
}
_NETLOC = re.compile(r"(?P<host>localhost|127\.0\.0\.1|\[::1\])(?::(?P<port>[0-9]{1,5}))?", re.IGNORECASE)
_PATH = re.compile(r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")


def is_loopback_redirect(redirect_uri: str) -> bool:
    """Tell whether a redirect URI is plain http to this machine's loopback, which the listener can serve."""
    return parse_redirect(redirect_uri) is not None


def is_loopback_host_header(value: str) -> bool:
    """Tell whether a Host header value names the loopback, with an optional port, in an accepted spelling.

    Stricter than core.addresses.is_loopback_host, which takes any loopback IP and no port: only the three
    spellings in HOST_ADDRESSES, so a DNS-rebinding name that resolves to 127.0.0.1 is refused."""
    return _NETLOC.fullmatch(value) is not None


def parse_redirect(uri: object) -> tuple[str, int, str] | None:
    """Split a loopback redirect URI into (host as written, port, path), or None if it is anything else."""
    if not isinstance(uri, str) or not uri.isascii() or any(c <= " " or c == "\x7f" for c in uri):
        return None
    if "?" in uri or "#" in uri:  # a query would mix with Intuit's; a fragment is forbidden in redirect URIs
        return None
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    if parts.scheme != "http" or not uri.lower().startswith("http://"):
        return None
    netloc = _NETLOC.fullmatch(parts.netloc)  # no userinfo, no other host spelling
    if netloc is None:
        return None
    port = int(netloc["port"]) if netloc["port"] else 80
    if not 1 <= port <= 65535:
        return None
    path = parts.path or "/"
    if not _PATH.fullmatch(path) or any(unquote(seg) in (".", "..") for seg in path.split("/")):
        return None  # a browser would rewrite this path, so it could never match exactly
    return netloc["host"].lower(), port, path
