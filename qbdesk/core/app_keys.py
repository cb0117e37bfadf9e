"""Pasted Intuit app keys: tidied of stray spaces and line breaks, and caught when they sit in the wrong field."""

from __future__ import annotations

# Characters a copy from a web page or an e-mail drags along and no key ever contains.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def tidy_key(pasted: str) -> str:
    """The key without the spaces, tabs, line breaks and invisible marks a copy and paste brings along."""
    return "".join(ch for ch in "".join(pasted.split()) if ch not in _INVISIBLE)


def looks_like_client_id(value: str) -> bool:
    """Intuit's Client IDs are about 50 letters and digits starting with "AB"."""
    return value.startswith("AB") and len(value) >= 44 and value.isalnum()


def looks_like_client_secret(value: str) -> bool:
    """Intuit's Client Secrets are 40 letters and digits (and, unlike Client IDs, do not start with "AB")."""
    return len(value) == 40 and value.isalnum() and not value.startswith("AB")


def swapped_keys_problem(client_id: str, client_secret: str) -> str | None:
    """Why these two values look as if they were pasted into each other's field, or None."""
    if client_id and client_id == client_secret:
        return ("The Client ID and the Client Secret are the same value: copy each one from its own line "
                "on Intuit's Keys & credentials page.")
    if looks_like_client_secret(client_id):
        return ("The Client ID looks like a Client Secret (40 letters and digits). The Client ID is the longer "
                "value starting with AB; the secret is the one shown only after \u201cShow\u201d.")
    if looks_like_client_id(client_secret):
        return ("The Client Secret looks like a Client ID (it starts with AB). Paste the Client ID into its own "
                "field and the Client Secret, the shorter hidden value, into this one.")
    return None
