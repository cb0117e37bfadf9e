"""Recognising the redirect address: in a browser's navigation, or pasted by the user."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from qbdesk.callback.params import CallbackInvalid

MAX_PASTED_LENGTH = 4096


def _origin_and_path(address: str) -> tuple[str, str, int | None, str] | None:
    try:
        parts = urlsplit(address.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.username is not None or not parts.hostname or port == 0:  # an empty user info ("http://@host") too
        return None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), parts.hostname.lower(), default if port is None else port, parts.path or "/"


def matches_redirect(address: str, redirect_uri: str) -> bool:
    """True when address is the registered redirect URI (scheme, host, port and path exactly), any query."""
    candidate, registered = _origin_and_path(address), _origin_and_path(redirect_uri)
    return candidate is not None and candidate == registered


def split_query(query: str) -> dict[str, str]:
    """Parse a query string; a repeated or empty-named parameter makes it malformed."""
    pairs = parse_qsl(query, keep_blank_values=True)
    values: dict[str, str] = {}
    for name, value in pairs:
        if not name or name in values:
            raise CallbackInvalid("The address repeats or garbles its parameters; copy it again from the browser.")
        values[name] = value
    return values


def query_from_pasted(text: str, redirect_uri: str) -> dict[str, str]:
    """The redirect's parameters from what the user pasted: the whole address, or just its query."""
    pasted = text.strip()
    if not pasted:
        raise CallbackInvalid("Paste the address your browser shows after you approve access.")
    if len(pasted) > MAX_PASTED_LENGTH or not pasted.isprintable() or any(ch.isspace() for ch in pasted):
        raise CallbackInvalid("That is not a single web address. Copy the whole address bar again.")
    if "://" in pasted:
        if not matches_redirect(pasted, redirect_uri):
            raise CallbackInvalid(
                f"That address is not your Redirect URI ({redirect_uri}). Approve access at Intuit first, then "
                "copy the address the browser lands on."
            )
        query = urlsplit(pasted).query
    else:
        query = pasted.lstrip("?")
    if "=" not in query:
        raise CallbackInvalid("The address has no sign-in details in it. Copy the whole address bar again.")
    return split_query(query.split("#", 1)[0])
