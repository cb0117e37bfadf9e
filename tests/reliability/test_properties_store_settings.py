"""Hostile values typed in Settings against its validators (qbdesk/store/settings.py), and the same values through
the checks Settings relies on: loopback redirects (callback/redirect_uri.py), endpoint rules (core/addresses.py)
and the capture plan (callback/plan.py)."""

from __future__ import annotations

import ipaddress
import re
import string
from urllib.parse import unquote, urlsplit

import pytest
import requests
from hypothesis import example, given
from hypothesis import strategies as st

from qbdesk.callback.plan import Capture, intuit_redirect_problem, plan_capture
from qbdesk.callback.redirect_uri import is_loopback_redirect, parse_redirect
from qbdesk.core.addresses import endpoint_problem
from qbdesk.core.destinations import Destination
from qbdesk.store.settings import client_id_problem, discovery_url_problem, redirect_uri_problem

from hostile_input import (
    HOSTILE,
    HOSTILE_TEXT,
    SELECTOR,
    URLS,
    VISIBLE_ASCII,
    Picks,
    assert_clean_address,
    assert_endpoint_rules,
    assert_plain_reason,
    is_loopback_literal,
)

pytestmark = pytest.mark.reliability


_PATH_CHARACTERS = set(string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/%")
LOOPBACK_HOSTS = ["localhost", "LOCALHOST", "127.0.0.1", "[::1]"]
SEGMENT = st.text(string.ascii_letters + string.digits + "-_~", min_size=1, max_size=12)


def well_formed_loopback(number: int, segments: str) -> tuple[str, tuple]:
    """A plain-http loopback redirect URI, and the (host, port, path) parse_redirect must give for it."""
    pick = Picks(number)
    host, port = pick(LOOPBACK_HOSTS), 1 + pick(range(65535))
    path = "/" + "/".join(filter(None, segments.split("-")))
    return f"http://{host}:{port}{path}", (host.lower(), port, path)


def check_loopback_redirect(uri: object, expected: tuple | None) -> None:
    """parse_redirect accepts only plain-http loopback addresses a browser would not rewrite."""
    result = parse_redirect(uri)
    assert is_loopback_redirect(uri) is (result is not None)
    if expected is not None:
        assert result == expected, uri
    if result is None:
        return
    host, port, path = result
    assert isinstance(uri, str) and uri.isascii() and all(" " < ch < "\x7f" for ch in uri)
    assert "?" not in uri and "#" not in uri and uri[:7].lower() == "http://"
    rest = uri[7:]
    assert host in ("localhost", "127.0.0.1", "[::1]") and rest.lower().startswith(host)
    after = rest[len(host):]
    written_port = re.match(r":([0-9]{1,5})", after)
    if written_port:
        assert port == int(written_port[1])
        after = after[written_port.end():]
    else:
        assert port == 80
    assert 1 <= port <= 65535 and path == (after or "/") and path.startswith("/")
    assert set(path) <= _PATH_CHARACTERS and not re.search(r"%(?![0-9A-Fa-f]{2})", path)
    assert all(unquote(segment) not in (".", "..") for segment in path.split("/"))


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


ADDRESS_CASES = st.one_of(  # (candidate, what parse_redirect must give for it, or None when unknown)
    URLS.map(lambda url: (url, None)),
    URLS.map(lambda url: (url, None)),
    st.builds(well_formed_loopback, SELECTOR, SEGMENT),
    st.text(string.ascii_letters + string.digits, min_size=1, max_size=220).map(lambda text: (text, None)),
    st.text(VISIBLE_ASCII, max_size=60).map(lambda text: (text, None)),
    HOSTILE_TEXT.map(lambda text: (text, None)),
    st.sampled_from([None, 8765, b"http://localhost/cb", ["http://localhost/"], 1.5]).map(lambda thing: (thing, None)),
)
PLANS = [(destination, prefer) for destination in Destination for prefer in (False, True)]
SANDBOX, PRODUCTION = (Destination.SANDBOX, False), (Destination.PRODUCTION, False)


@HOSTILE
@given(ADDRESS_CASES, st.sampled_from(PLANS))
@example(("AB\u20acCD", None), SANDBOX)
@example(("https://user:pass@books.example.com/callback", None), PRODUCTION)
@example(("https://@books.example.com/callback", None), PRODUCTION)
@example(("https://books.exa\tmple.com/callback", None), PRODUCTION)
@example(("\x01https://books.example.com/callback", None), PRODUCTION)
@example(("https://[::1/\x1b[2J", None), SANDBOX)
@example(("https://localhost/cb", None), SANDBOX)
@example(("https://127.0.0.1/cb", None), (Destination.PRODUCTION, True))
@example(("http://localhost:8765/cb#x", None), SANDBOX)
@example(("http://localhost:8765/a/%2E%2e/cb", None), SANDBOX)
@example(("http://LOCALHOST:65536/cb", None), SANDBOX)
@example(("http://127.0.0.1:0/cb", None), SANDBOX)
@example(("http://[::1]/", ("[::1]", 80, "/")), SANDBOX)
def test_addresses_in_settings(case, plan):
    """10,000 typed values through parse_redirect, is_loopback_redirect, client_id_problem, redirect_uri_problem,
    discovery_url_problem, endpoint_problem, intuit_redirect_problem and plan_capture: none raises, and what each
    lets through follows the rules."""
    value, expected = case
    check_loopback_redirect(value, expected)
    if not isinstance(value, str):
        return
    destination, prefer_system_browser = plan
    problem = client_id_problem(value)
    if problem is None:
        assert 1 <= len(value) <= 200 and all(ch in VISIBLE_ASCII for ch in value), ascii(value)
        requests.auth._basic_auth_str(value, "secret")  # the token exchange sends it in an HTTP header
    else:
        assert_plain_reason(problem)

    for problem in (redirect_uri_problem(value), discovery_url_problem(value), endpoint_problem(value, "address")):
        if problem is None:
            if value:  # an empty discovery address means Intuit's default
                assert_endpoint_rules(value)
        else:
            assert_plain_reason(problem)

    rule = intuit_redirect_problem(value, destination)
    plan = plan_capture(destination, value, prefer_system_browser)
    assert plan.warning == rule
    if is_loopback_redirect(value):
        assert plan.capture is Capture.LISTENER
    else:
        assert plan.capture is (Capture.PASTE if prefer_system_browser else Capture.EMBEDDED)
    if rule is not None:
        assert_plain_reason(rule)
        return
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    assert parts.scheme in ("http", "https") and host and "@" not in parts.netloc and not parts.fragment
    if destination is Destination.PRODUCTION:
        assert parts.scheme == "https" and host != "localhost" and not is_ip_literal(host)
    elif parts.scheme == "http":
        assert is_loopback_redirect(value)
    else:
        assert not is_loopback_literal(host)
    if redirect_uri_problem(value) is None:  # what Settings lets through, all checks together
        assert_clean_address(value)
