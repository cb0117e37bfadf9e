"""Hostile pastes against query_from_pasted and matches_redirect (qbdesk/callback/address.py): only the registered
redirect is taken."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qbdesk.callback.address import MAX_PASTED_LENGTH, matches_redirect, query_from_pasted
from qbdesk.callback.params import CallbackInvalid, CallbackParams, parse_callback

from hostile_input import (
    FRAGMENTS,
    GOOD_CODE,
    GOOD_REALM,
    GOOD_STATE,
    HOSTILE,
    HOSTILE_TEXT,
    QUERY,
    SELECTOR,
    URLS,
    Picks,
    assert_clean_address,
    assert_plain_reason,
)

pytestmark = pytest.mark.reliability


ADDRESSES = st.one_of(URLS, HOSTILE_TEXT)


def endpoint_of(address: str) -> tuple[str, str, int | None, str]:
    """(scheme, host, effective port, path) of an address that must be well formed and free of user info."""
    parts = urlsplit(address)
    assert "@" not in parts.netloc and parts.hostname, address
    scheme = parts.scheme.lower()
    port = parts.port if parts.port is not None else {"http": 80, "https": 443}.get(scheme)
    assert port is None or 1 <= port <= 65535, address
    return scheme, parts.hostname.lower(), port, parts.path or "/"


REDIRECTS = [
    "http://localhost:8765/callback",
    "http://127.0.0.1:53682/qbdesk/callback",
    "http://[::1]:8080/cb",
    "http://localhost/callback",
    "https://books.example.com/qbdesk/callback",
    "https://books.example.com:8443/cb",
]
VARIANTS = ["exact", "exact", "upper", "default-port", "fragment", "query-only"]


def make_paste(number: int, query: str) -> tuple[str, str, bool]:
    """(pasted text, registered redirect URI, whether this is the redirect itself with the sign-in's parameters)."""
    pick = Picks(number)
    redirect = pick(REDIRECTS)
    parts = urlsplit(redirect)
    variant = pick(VARIANTS)
    genuine = pick([False, False, True])
    if genuine:
        query = f"code={quote(GOOD_CODE, safe='')}&state={GOOD_STATE}&realmId={GOOD_REALM}"
    if variant == "exact":
        text = f"{redirect}?{query}"
    elif variant == "upper":
        text = f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path}?{query}"
    elif variant == "default-port":
        host = parts.netloc.rsplit(":", 1)[0] if parts.port else parts.netloc
        text = f"{parts.scheme}://{host}:{parts.port or {'http': 80, 'https': 443}[parts.scheme]}{parts.path}?{query}"
    elif variant == "fragment":
        text = f"{redirect}?{query}{pick(FRAGMENTS[3:6])}"
    else:
        text = pick(["", "?"]) + query
    around = pick(["", "", " ", "\n", " \t"]), pick(["", "", " ", "\r\n"])
    return around[0] + text + around[1], redirect, genuine


@HOSTILE
@given(st.one_of(
    st.builds(make_paste, SELECTOR, QUERY),
    st.tuples(ADDRESSES, st.sampled_from(REDIRECTS), st.just(False)),  # anything else
))
@example(("\x01http://localhost:8765/callback?code=AB&state=abcdefgh&realmId=1", REDIRECTS[0], False))
@example(("http://localhost:0/callback?code=AB&state=abcdefgh&realmId=1", "http://localhost/callback", False))
@example(("http://@localhost:8765/callback?code=AB&state=abcdefgh&realmId=1", "http://localhost:8765/callback", False))
@example(("a=1&a=2", REDIRECTS[0], False))
@example(("x" * 10_000, REDIRECTS[0], False))
@example(("https://user@books.example.com/qbdesk/callback?code=AB&state=abcdefgh&realmId=1", REDIRECTS[4], False))
def test_pasted_address(case):
    """10,000 pastes: query_from_pasted and matches_redirect take only the registered address."""
    text, redirect, genuine = case
    matched = matches_redirect(text, redirect)
    assert isinstance(matched, bool)
    if matched:
        assert endpoint_of(text.strip()) == endpoint_of(redirect), (text, redirect)
    try:
        query = query_from_pasted(text, redirect)
    except CallbackInvalid as rejection:
        assert_plain_reason(str(rejection))
        assert not genuine, (text, str(rejection))
        return
    pasted = text.strip()
    assert 0 < len(pasted) <= MAX_PASTED_LENGTH
    assert_clean_address(pasted)
    if "://" in pasted:
        assert matched and endpoint_of(pasted) == endpoint_of(redirect), (pasted, redirect)
    assert isinstance(query, dict) and all(isinstance(k, str) and k and isinstance(v, str) for k, v in query.items())
    if genuine and query.get("state") == GOOD_STATE:
        assert parse_callback(query) == CallbackParams(GOOD_STATE, GOOD_CODE, GOOD_REALM)
    try:  # what the paste leads to must not crash either
        parse_callback(query)
    except CallbackInvalid as rejection:
        assert_plain_reason(str(rejection))
