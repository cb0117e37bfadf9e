"""Hostile input against every parser: no crash, every rejection with a plain reason, accepted values follow the rules.

Each parser gets 10,000 generated cases (max_examples), derandomized and without an example database, so every run
checks the same cases; the token exchange through requests-oauthlib, which costs more per case, gets 2,000 on top of
the 10,000 for parse_token_response itself. The inputs mix realistic values with hostile ones: URLs with user info,
ports, IPv6, percent-encoding, Unicode, control characters and lone surrogates, huge strings, repeated parameters,
and server answers that are not JSON, nest thousands deep, or carry numbers too large for a date.

Speed: Hypothesis spends most of its time per choice drawn, so structured values are decoded from a few large choices:
one integer picks every categorical part (scheme, host, port form...) in mixed radix, and one string over a "marker"
alphabet stands for a sequence of multi-character pieces. Shrinking still works (towards the first option of each
part, and towards fewer pieces).
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import re
import string
import struct
import unicodedata
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import quote, unquote, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qbdesk.app import build_parser
from qbdesk.callback.address import MAX_PASTED_LENGTH, matches_redirect, query_from_pasted
from qbdesk.callback.params import MAX_CODE_LENGTH, CallbackInvalid, CallbackParams, parse_callback
from qbdesk.callback.plan import Capture, intuit_redirect_problem, plan_capture
from qbdesk.callback.redirect_uri import is_loopback_redirect, parse_redirect
from qbdesk.core.addresses import endpoint_problem
from qbdesk.core.destinations import Destination
from qbdesk.core.names import MAX_NAME_LENGTH, check_name
from qbdesk.intuit.discovery import MAX_DOCUMENT_BYTES, Endpoints, fetch_endpoints
from qbdesk.intuit.errors import IntuitError
from qbdesk.intuit.oauth import TokenSet, parse_token_response, refresh_tokens
from qbdesk.store.settings import client_id_problem, discovery_url_problem, redirect_uri_problem

pytestmark = pytest.mark.reliability

EXAMPLES = 10_000
HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run and every machine
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# ---------------------------------------------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------------------------------------------


class Picks:
    """Reads one drawn integer as a sequence of choices (mixed radix): picks(options) takes the next one."""

    def __init__(self, number: int) -> None:
        self.number = number

    def integer(self, low: int, high: int) -> int:
        """The next choice as an integer from low to high."""
        size = high - low + 1
        chosen = low + self.number % size
        self.number //= size
        return chosen

    def __call__(self, options):
        chosen = options[self.number % len(options)]
        self.number //= len(options)
        return chosen


SELECTOR = st.integers(0, 2**128 - 1)
MARK = 0xE000  # private-use code points stand for pieces of a pool
WILD = None  # a pool entry that stands for an arbitrary Unicode string drawn alongside
ANY_CHARACTER = st.characters(exclude_categories=())  # every code point, lone surrogates included


def pieces(pool: list[str | None], max_size: int) -> st.SearchStrategy[str]:
    """Strings glued from a pool of pieces: one string choice for the sequence, one for the arbitrary Unicode."""
    marks = "".join(chr(MARK + index) for index in range(len(pool)))

    def glue(sequence: str, wild: str) -> str:
        return "".join(wild if pool[ord(ch) - MARK] is WILD else pool[ord(ch) - MARK] for ch in sequence)

    return st.builds(glue, st.text(marks, max_size=max_size), st.text(ANY_CHARACTER, max_size=8))


VISIBLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))
CONTROL = [
    "\x00", "\x01", "\x07", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x1b", "\x1b[31m", "\x1b]0;t\x07", "\x7f",
    "\x85", "\xa0", "\u200b", "\u200c", "\u200d", "\u200e", "\u202e", "\u2028", "\u2029", "\u3000", "\ufeff",
    "\ud800", "\udcff",
]
PIECES = [
    "%", "%00", "%0a", "%2e%2e", "%2E", "%zz", "%25", "%ff", "%e2%80%ae", "@", ":", "::", "[", "]", "[::1]", "#", "?",
    "&", "=", "/", "//", "\\", ".", "..", "/../", "'", '"', "<script>", "'; DROP TABLE credentials;--", "localhost",
    "127.0.0.1", "http://", "https://", "code=", "state=", "realmId=", "\u0130", "\u0131", "\u00df", "\ufb00",
    "\uff03", "\uff0f", "\u2100", "\u0301", "\u0345", "\U0001f4da", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d",
    " ", "+", ";", ",", "~", "0", "-1", "99999", "\u0663", "a", "Z", "xyz",
]
SOUP = pieces([*PIECES, *CONTROL, WILD, WILD, WILD], max_size=12)
HUGE_UNITS = ["a", "%", "\u00e9", "\x00", "/", "&", "=", "\U0001d49c", " ", "a=b&", "\u0301"]
HUGE = st.integers(0, len(HUGE_UNITS) * 16_001 - 1).map(
    lambda n: HUGE_UNITS[n % len(HUGE_UNITS)] * (4_000 + n // len(HUGE_UNITS))  # 4,000 to 20,000 repeats
)
HOSTILE_TEXT = st.one_of(SOUP, st.text(ANY_CHARACTER, max_size=40), HUGE)

# Redirect query parameters: realistic values, their near misses, and hostile ones.
GOOD_STATE, GOOD_CODE, GOOD_REALM = "Zq7._~-xY3kP", "AB11724551234rTuv-_.~!*'()", "9130350264"
QUERY_POOL = [
    "&", "&", "&", "=", "code=", "state=", "realmId=", "error=", "error_description=", "realmid=", "CODE=", "=x",
    f"code={GOOD_CODE}&state={GOOD_STATE}&realmId={GOOD_REALM}", f"state={GOOD_STATE}&error=access_denied",
    GOOD_STATE, GOOD_CODE, GOOD_REALM, "S" * 200, "S" * 201, "s" * 7,
    "C" * MAX_CODE_LENGTH, "C" * (MAX_CODE_LENGTH + 1),
    "1" * 32, "1" * 33, "\u0663\u0664", "access_denied", "server_error", "e" * 101, "%41%42", "%2", "%00", "%0A",
    "%20", "+", "a b", "#", "#frag", ";", "%E2%80%AE", "%ED%A0%80", "%FF", *CONTROL[:8], WILD,
]
QUERY = pieces(QUERY_POOL, max_size=14)

SCHEMES = ["https", "http", "HTTP", "HtTpS", "ftp", "file", "javascript", "", "http:", "https:/", "hxxp"]
USERINFO = ["", "", "", "", "user@", "user:pass@", "@", ":@", "localhost@", "a%40b@", "u\x00@"]
HOSTS = [
    "books.example.com", "localhost", "LocalHost", "127.0.0.1", "[::1]", "[::1%25lo]", "[::ffff:127.0.0.1]",
    "[0:0:0:0:0:0:0:1]", "127.1", "2130706433", "0.0.0.0", "[::]", "[fe80::1]", "example.com", "Books.Example.COM",
    "books.example.com.evil.com", "evil.com", "localhost.", "xn--bcher-kva.example", "b\u00fccher.example",
    "exa\x00mple.com", "exa\tmple.com", "%6c%6fcalhost", "[::1", "::1", "", "appcenter.intuit.com",
    "\uff4c\uff4f\uff43alhost", "ex\uff03ample.com", "ex\u2100ample.com", "localhost\\@evil.com", "[v1.x]",
]
PORT_FORMS = ["", "", "NUMBER", "NUMBER", ":", ":080", ":abc", ":8765", ":443", ":80", ":0", ": 80", ":+80",
              ":\u0668\u0660", ":65535", ":65536", ":-1", ":99999999999"]
PATHS = ["", "/", "/callback", "/qbdesk/callback", "/callback/", "/Callback", "/a/../callback", "/%2e%2e/x", "/./x",
         "//double", "/a b", "/caf\u00e9", "/%zz", "/%00", "\\callback", "/cb;x=1", "/cb@x", "/cb:1", "/%2F", "SOUP"]
FRAGMENTS = ["", "", "", "#", "#top", "#code=1", "#\x00"]
AROUND = ["", "", "", "", " ", "\n", "\t", "\x00", "\x01", "\u3000", "\ufeff"]


def assemble_url(number: int, query: str) -> str:
    pick = Picks(number)
    port = pick(PORT_FORMS)
    if port == "NUMBER":
        port = f":{pick.number % 70_003 - 2}"
        pick.number //= 70_003
    path = pick(PATHS)
    if path == "SOUP":  # the same pieces, now in the path
        path = "/" + query[: pick.integer(1, 30)]
    question = pick(["", "?", "?", "??"])
    address = f"{pick(SCHEMES)}://{pick(USERINFO)}{pick(HOSTS)}{port}{path}{question}{query if question else ''}"
    return pick(AROUND) + address + pick(FRAGMENTS) + pick(AROUND)


URLS = st.builds(assemble_url, SELECTOR, QUERY)
ADDRESSES = st.one_of(URLS, HOSTILE_TEXT)

# ---------------------------------------------------------------------------------------------------------------
# Oracles, written independently of the code under test
# ---------------------------------------------------------------------------------------------------------------

_EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(Error|Exception)\b")
INVISIBLE = ("Cc", "Cf", "Cs", "Zl", "Zp")  # control and format characters, lone surrogates, line separators


def assert_plain_reason(message: object) -> None:
    """A rejection reason: words on one line, no control or format characters (so no raw hostile input that has
    them), no traceback or exception names."""
    assert isinstance(message, str) and message.strip(), message
    assert not any(unicodedata.category(ch) in INVISIBLE for ch in message), ascii(message)
    assert "Traceback" not in message and 'File "' not in message and not _EXCEPTION_NAME.search(message), message


def caseless(text: str) -> str:
    """Unicode canonical caseless matching (D145): NFD(casefold(NFD(text)))."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


def endpoint_of(address: str) -> tuple[str, str, int | None, str]:
    """(scheme, host, effective port, path) of an address that must be well formed and free of user info."""
    parts = urlsplit(address)
    assert "@" not in parts.netloc and parts.hostname, address
    scheme = parts.scheme.lower()
    port = parts.port if parts.port is not None else {"http": 80, "https": 443}.get(scheme)
    assert port is None or 1 <= port <= 65535, address
    return scheme, parts.hostname.lower(), port, parts.path or "/"


def is_loopback_literal(host: str | None) -> bool:
    """The loopback rule written out again on purpose, as the oracle for core.addresses.is_loopback_host."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def assert_clean_address(url: str) -> None:
    """An address qbdesk keeps is one printable token: nothing urlsplit would silently strip or drop."""
    assert url and url.isprintable() and not any(ch.isspace() for ch in url), ascii(url)


# ---------------------------------------------------------------------------------------------------------------
# Callback parameters
# ---------------------------------------------------------------------------------------------------------------

STATE = st.text(string.ascii_letters + string.digits + "._~-", min_size=8, max_size=200)
CODE = st.text(VISIBLE_ASCII, min_size=1, max_size=MAX_CODE_LENGTH + 20)
KEYS = ["state", "code", "realmId", "error", "error_description"]
ODD_VALUES = ["", "s" * 7, "S" * 201, "x" * (MAX_CODE_LENGTH + 1), "1" * 33, "\u0663\u0664", "\uff11", "123\n",
              "-1", " 1", "e" * 101, "access_denied", "bad error", "\x1b[2J" + "d" * 400, "caf\u00e9"]


def make_callback_query(number: int, state: str, code: str, wild: str) -> dict[str, str]:
    """Each parameter absent, well formed, odd or hostile; now and then an extra parameter."""
    pick = Picks(number)
    realm = str(pick.integer(0, 10**12))[: pick.integer(1, 32)]
    good = {"state": state, "code": code, "realmId": realm, "error": pick(["access_denied", "server_error", "x.y-z_1"]),
            "error_description": wild}
    query = {}
    for key in KEYS:
        kind = pick(["good", "good", "good", "absent", "absent", "odd", "wild"] if key in KEYS[:3]
                    else ["absent", "absent", "absent", "good", "odd", "wild"])
        if kind == "good":
            query[key] = good[key]
        elif kind == "odd":
            query[key] = pick(ODD_VALUES)
        elif kind == "wild":
            query[key] = wild
    if pick([False, False, True]):
        query[wild] = code
    return query


@HOSTILE
@given(st.builds(make_callback_query, SELECTOR, STATE, CODE, HOSTILE_TEXT))
@example({"state": "abcdefgh", "code": "x" * (MAX_CODE_LENGTH + 1), "realmId": "1"})
@example({"state": "abcdefgh", "code": "x" * MAX_CODE_LENGTH, "realmId": "1" * 32})
@example({"state": "abcdefgh", "error": "access_denied", "error_description": "\x1b[2J" + "d" * 1000})
@example({"state": "abcdefgh", "code": "AB", "realmId": "\u0663"})
@example({"state": "abcdefg\u0131", "code": "AB", "realmId": "1"})
def test_parse_callback(query):
    """10,000 redirect queries: accepted ones follow the rules exactly, well-formed ones are always accepted."""
    try:
        params = parse_callback(query)
    except CallbackInvalid as rejection:
        assert_plain_reason(str(rejection))
        state, code, realm = query.get("state", ""), query.get("code", ""), query.get("realmId", "")
        well_formed = (
            re.fullmatch(r"[A-Za-z0-9._~-]{8,200}", state, re.ASCII)
            and "error" not in query
            and re.fullmatch(r"[\x21-\x7e]{1,512}", code)
            and re.fullmatch(r"[0-9]{1,32}", realm, re.ASCII)
        )
        assert not well_formed, query
        return
    assert isinstance(params, CallbackParams)
    assert params.state == query["state"] and re.fullmatch(r"[A-Za-z0-9._~-]{8,200}", params.state, re.ASCII)
    if params.error is not None:
        assert params.error == query["error"] and re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", params.error, re.ASCII)
        assert params.code is None and params.realm_id is None
        description = params.error_description
        assert description is None or (0 < len(description) <= 300 and description.isprintable())
    else:
        assert "error" not in query
        assert params.code == query["code"] and 1 <= len(params.code) <= MAX_CODE_LENGTH
        assert all(ch in VISIBLE_ASCII for ch in params.code)
        assert params.realm_id == query["realmId"] and params.realm_id.isascii() and params.realm_id.isdigit()
        assert len(params.realm_id) <= 32


# ---------------------------------------------------------------------------------------------------------------
# The pasted address, and whether an address is the registered redirect
# ---------------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------------
# Loopback redirect URIs
# ---------------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------------
# Credential names
# ---------------------------------------------------------------------------------------------------------------

# Letters whose case mapping changes their length or composition: where duplicate detection goes wrong.
CASE_TRICKY = (
    "\u0390\u03b0\u1fb3\u1fb7\u1fc7\u1fd2\u1fd3\u1fe2\u1fe3\u1ff7\u0345\u0342\u0313\u0301\u0300\u0308\u030c"
    "\u00df\u1e9e\u0130\u0131\u01f0\u0149\ufb00\ufb01\u03a3\u03c3\u03c2\u212a\u212b\u00c5\u00b5\u017f\u2126"
    "\u0399\u03a5\u0391\u0397\u03a9\u00e9\u00c9Aa Ii"
)
NAMES = st.one_of(
    st.text(CASE_TRICKY, min_size=1, max_size=12),
    st.text(st.characters(categories=["Lu", "Ll", "Lt", "Mn", "Nd", "Zs", "So"]), min_size=1, max_size=30),
    st.text(max_size=120),
    SOUP,
    HUGE,
)
TAKEN_NAMES = [[], [], ["Acme Ltd"], ["ACME LTD", "Caf\u00e9"], ["\u00df", "\u0399\u0308\u0301"], ["   "]]
CHANGES = {"u": str.upper, "l": str.lower, "c": str.casefold, "t": str.title, "s": str.swapcase, "=": str}


def vary_case(name: str, changes: str, form: str) -> str:
    """The name with each character's case changed as told, in Unicode form NFC or NFD."""
    changes = changes.ljust(len(name), "=")[: len(name)]
    changed = "".join(CHANGES[change](ch) for ch, change in zip(name, changes, strict=True))
    return unicodedata.normalize(form, changed)


def assert_name_rules(typed: str, taken: list[str], result) -> None:
    if not result.ok:
        assert_plain_reason(result.problem)
        if "already exists" in result.problem:
            assert any(caseless(result.name) == caseless(other) for other in taken), (result, taken)
        return
    name = result.name
    assert name == unicodedata.normalize("NFC", typed.strip())
    assert name == name.strip() and 1 <= len(name) <= MAX_NAME_LENGTH
    assert not any(unicodedata.category(ch) in INVISIBLE for ch in name), ascii(name)
    name.encode("utf-8")  # storable and printable as it is
    assert all(caseless(name) != caseless(other) for other in taken), (name, taken)
    again = check_name(name, taken)
    assert again.ok and again.name == name  # idempotent


def make_name_case(typed: str, number: int, changes: str) -> tuple[str, list[str], str, str]:
    """(typed, names taken, how to change each character's case, Unicode form of the changed name)."""
    pick = Picks(number)
    return typed, pick(TAKEN_NAMES), changes, pick(["NFC", "NFD"])


@HOSTILE
@given(st.builds(make_name_case, NAMES, SELECTOR, st.text("ulcts=", max_size=30)))
@example(("Acme Ltd", ["acme ltd"], "", "NFC"))
@example(("acme LTD", ["Acme Ltd"], "u" * 30, "NFC"))
@example(("Caf\u00e9", [], "", "NFD"))
@example(("\u0390", [], "u", "NFC"))
@example(("\udcff", [], "", "NFC"))
def test_check_name(case):
    """10,000 names: accepted ones follow the rules and check again the same; a name differing from an accepted one
    only by case or Unicode composition is refused as a duplicate."""
    typed, taken, changes, form = case
    assert_name_rules(typed, taken, check_name(typed, taken))
    first = check_name(typed)
    variant = vary_case(typed, changes, form)
    if not first.ok or caseless(variant) != caseless(typed):
        return  # not the same name under Unicode's caseless matching (dotless i, for one)
    second = check_name(variant, taken=[first.name])
    assert not second.ok, (ascii(typed), ascii(variant))
    assert_plain_reason(second.problem)
    if check_name(variant).ok:
        assert "already exists" in second.problem
        assert not check_name(typed, taken=[check_name(variant).name]).ok


EXPLICIT_NAMES = [  # (typed, accepted)
    ("Books \U0001f4da", True),  # emoji
    ("\U0001f9fe\U0001f4b0 Ledger \u2764\ufe0f", True),  # emoji with a variation selector
    ("\u0634\u0631\u0643\u0629 \u0627\u0644\u0645\u062d\u0627\u0633\u0628\u0629", True),  # right-to-left (Arabic)
    ("\u05d7\u05e9\u05d1\u05d5\u05e0\u05d5\u05ea \u05d1\u05e2\"\u05de", True),  # right-to-left (Hebrew)
    ("Acme \u05d7\u05e9\u05d1\u05d5\u05df 2024", True),  # mixed directions
    ("\u202eevil\u202c", False),  # a right-to-left override: invisible, reorders what is shown
    ("     ", False),  # only spaces
    ("\u3000\u00a0 \u2003", False),  # only other kinds of space
    ("x" * 10_000, False),  # 10,000 characters
    ("'; DROP TABLE credentials;--", True),  # SQL-looking
    ("Robert'); DELETE FROM credentials WHERE ('1'='1", True),
    ("<script>alert(1)</script>", True),
    ("\udcff", False),  # an undecodable command-line byte, as Python hands it over
]


@pytest.mark.parametrize(("typed", "accepted"), EXPLICIT_NAMES)
def test_check_name_explicit_examples(typed, accepted):
    result = check_name(typed)
    assert_name_rules(typed, [], result)
    assert result.ok is accepted, result


@pytest.mark.parametrize(
    ("typed", "taken"),
    [("acme ltd", "Acme Ltd"), ("ACME LTD", "acme ltd"), ("Cafe\u0301", "CAF\u00c9"), ("STRASSE", "stra\u00dfe"),
     ("\u0399\u0308\u0301", "\u0390")],
)
def test_duplicates_differing_only_by_case_are_refused(typed, taken):
    result = check_name(typed, [taken])
    assert not result.ok and "already exists" in result.problem


# ---------------------------------------------------------------------------------------------------------------
# Settings validators, Intuit's Redirect URI rules and the capture plan
# ---------------------------------------------------------------------------------------------------------------

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


def assert_endpoint_rules(url: str) -> None:
    assert_clean_address(url)
    parts = urlsplit(url)
    _ = parts.port
    assert "@" not in parts.netloc, url
    https = parts.scheme == "https" and parts.hostname
    assert https or (parts.scheme == "http" and is_loopback_literal(parts.hostname)), url


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


# ---------------------------------------------------------------------------------------------------------------
# Intuit's token answer
# ---------------------------------------------------------------------------------------------------------------

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MAX_LIFETIME = timedelta(days=366 * 20)
ODD_NUMBERS = [3600, 8726400, 157680000, 1, 0, -5, "3600", " 3600 ", "1e5", "\u0663\u0666\u0660\u0660", "0x10",
               "3600.5", "inf", True, None, [], {}, [3600], 3600.9, 0.5, 1e300, float("inf"), float("-inf"),
               float("nan"), 10**6, 10**9, 10**12, 2**63, 10**30, -(10**30)]
TOKEN_KEYS = ["access_token", "refresh_token", "token_type", "expires_in", "x_refresh_token_expires_in",
              "x_refresh_token_hard_expires_in", "scope"]


def make_token_answer(number: int, first: str, wild: str) -> dict:
    """Each field absent, realistic, odd or hostile, as a server (or a man in the middle) might send it."""
    pick = Picks(number)
    second = first[::-1][: pick(range(1, 50))]
    integer = pick.integer(-(2**70), 2**70)
    real = struct.unpack("<d", pick.integer(0, 2**64 - 1).to_bytes(8, "little"))[0]  # any double: NaN, inf, tiny
    answer: dict = {}
    for key in TOKEN_KEYS:
        if key in ("access_token", "refresh_token"):
            options = ["absent", first, second, first, wild, "x" * 8193, "eyJ" + "a" * 8000, "\u20ac" * 3, 5, None,
                       ["a"], "a b", "a\x00"]
        elif key == "token_type":
            options = ["absent", "bearer", "Bearer", "BEARER", "mac", "", " bearer", "bearer\x00", wild, 1, None]
        elif key == "scope":
            options = ["absent", "absent", "com.intuit.quickbooks.accounting", ["x"], 5, None, wild]
        else:
            options = ["absent", integer, integer, real, wild, *ODD_NUMBERS]
        value = pick(options)
        if not (isinstance(value, str) and value == "absent"):
            answer[key] = value
    if pick([False, False, True]):
        answer[wild] = integer
    return answer


SELECTOR_512 = st.integers(0, 2**512 - 1)  # enough choices for every field
TOKEN_ANSWERS = st.builds(
    make_token_answer, SELECTOR_512, st.text(VISIBLE_ASCII, min_size=1, max_size=120), HOSTILE_TEXT
)
VALID_ANSWER = {"access_token": "eyJ.a.b", "refresh_token": "AB11", "token_type": "bearer", "expires_in": 3600}


def make_clock(token: dict) -> tuple[dict, datetime]:
    """The answer, and a moment in this century to read it at (the clock is not hostile; the answer is)."""
    seconds = zlib.crc32(repr(token).encode("utf-8", "surrogatepass")) % (100 * 365 * 86400)
    return token, datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)


@HOSTILE
@given(TOKEN_ANSWERS.map(make_clock))
@example(({**VALID_ANSWER, "expires_in": float("inf")}, NOW))
@example(({**VALID_ANSWER, "expires_in": 10**30}, NOW))
@example(({**VALID_ANSWER, "x_refresh_token_hard_expires_in": 10**12}, NOW))
@example(({**VALID_ANSWER, "access_token": "\u20ac" * 10}, NOW))
def test_parse_token_response(case):
    """10,000 token answers: a TokenSet whose tokens can travel in a header and whose dates are sane, or a reason."""
    token, now = case
    try:
        tokens = parse_token_response(token, now)
    except IntuitError as refusal:
        assert_plain_reason(str(refusal))
        return
    assert isinstance(tokens, TokenSet)
    for value, sent in ((tokens.access_token, token["access_token"]), (tokens.refresh_token, token["refresh_token"])):
        assert value == sent and 1 <= len(value) <= 8192 and all(ch in VISIBLE_ASCII for ch in value), ascii(value)
    assert str(token["token_type"]).lower() == "bearer"
    for moment in (tokens.access_expires_at, tokens.refresh_expires_at, tokens.hard_expires_at):
        assert moment is None or now < moment <= now + MAX_LIFETIME
    assert (tokens.hard_expires_at is None) is (token.get("x_refresh_token_hard_expires_in") is None)
    f"Bearer {tokens.access_token}".encode("latin-1")  # http.client sends header values as Latin-1


def _answer(status: int, body: bytes, content_type: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = content_type
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


CONTENT_TYPES = ["application/json", "application/json", "application/json; charset=utf-16", "text/html", ""]


def make_token_reply(number: int, answer: dict, raw: bytes) -> tuple[int, bytes, str]:
    pick = Picks(number)
    depth = pick(range(500, 100_000))
    body = pick([
        json.dumps(answer, default=str).encode(),  # Infinity and NaN, as Python writes them
        json.dumps({**VALID_ANSWER, **answer}, default=str).encode(),
        json.dumps({**VALID_ANSWER, "error": pick(["invalid_grant", "\x1b[2J", "x" * 5000, 5, "e"])}).encode(),
        raw, _nested(depth), b"[1]", b'"x"', b"null", b"{}", b"access_token=a&token_type=bearer&expires_in=9",
    ])
    return pick([200, 200, 200, 400, 401, 403, 429, 500, 503]), body, pick(CONTENT_TYPES)


@settings(HOSTILE, max_examples=2_000)  # each case goes through requests and oauthlib: about 2 ms
@given(st.builds(make_token_reply, SELECTOR, TOKEN_ANSWERS, st.binary(max_size=200)))
@example((200, b'{"access_token":"a","refresh_token":"b","token_type":"bearer","expires_in":Infinity}', CONTENT_TYPES[0]))
@example((200, _nested(100_000), "application/json"))
@example((200, b'{"access_token":"a","refresh_token":"b","token_type":"bearer","scope":5}', "application/json"))
@example((400, b'{"error":"\\u001b[2J"}', "application/json"))
def test_token_endpoint_answers(reply):
    """2,000 replies through requests-oauthlib (a transport that answers without a network): tokens or a reason."""
    status, body, content_type = reply
    with mock.patch.object(requests.adapters.HTTPAdapter, "send", return_value=_answer(status, body, content_type)):
        try:
            tokens = refresh_tokens(
                Endpoints("https://intuit.example/auth", "https://intuit.example/token", None, None),
                "client", "secret", "refresh", NOW,
            )
        except IntuitError as refusal:
            assert_plain_reason(str(refusal))
            return
    assert isinstance(tokens, TokenSet)


# ---------------------------------------------------------------------------------------------------------------
# The discovery document
# ---------------------------------------------------------------------------------------------------------------


class OneAnswer:
    """Stands in for requests.Session: every GET gets the same prepared answer."""

    def __init__(self, response: requests.Response) -> None:
        self.response = response

    def get(self, url, **_):
        return self.response


ENDPOINT_FIELDS = ["authorization_endpoint", "token_endpoint", "revocation_endpoint", "userinfo_endpoint"]
GOOD_ENDPOINTS = [
    "https://appcenter.intuit.com/connect/oauth2",
    "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer",
    "http://127.0.0.1:9/token",
    "https://developer.api.intuit.com/v2/oauth2/tokens/revoke",
]


def make_discovery_reply(number: int, url: str, wild: str) -> tuple[int, bytes, str]:
    pick = Picks(number)
    raw = wild.encode("utf-8", "surrogatepass")[:300]
    depth = pick(range(500, 100_000))
    document: dict = {}
    for field in ENDPOINT_FIELDS:
        value = pick(["absent", pick(GOOD_ENDPOINTS), pick(GOOD_ENDPOINTS), url, wild, "http://evil.example/token",
                      "https://u:p@evil.example/a", 5, None, [url], {"url": url}])
        if not (isinstance(value, str) and value == "absent"):
            document[field] = value
    body = pick([
        json.dumps(document).encode(), json.dumps(document).encode(), json.dumps(document).encode("utf-16"),
        json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass"), json.dumps([document]).encode(),
        raw, _nested(depth), b" " * MAX_DOCUMENT_BYTES + b"{}", b"\xef\xbb\xbf" + json.dumps(document).encode(),
    ])
    return pick([200, 200, 200, 200, 204, 301, 404, 500]), body, pick(CONTENT_TYPES)


@HOSTILE
@given(st.builds(make_discovery_reply, SELECTOR_512, URLS, HOSTILE_TEXT))
@example((200, _nested(100_000), "application/json"))
@example((200, b'{"authorization_endpoint":"https://u:p@evil.example/a","token_endpoint":"https://t.example/t"}', ""))
@example((200, b'{"authorization_endpoint":"https://a.example/\\u0000","token_endpoint":"https://t.example/t"}', ""))
def test_discovery_document(reply):
    """10,000 discovery answers: fetch_endpoints keeps only usable endpoints, or says why it cannot."""
    status, body, content_type = reply
    url = "https://developer.api.intuit.com/.well-known/openid_sandbox_configuration"
    try:
        endpoints = fetch_endpoints(OneAnswer(_answer(status, body, content_type)), url)
    except IntuitError as refusal:
        assert_plain_reason(str(refusal))
        return
    assert status == 200 and len(body) <= MAX_DOCUMENT_BYTES
    values = (endpoints.authorization, endpoints.token, endpoints.revocation, endpoints.userinfo)
    for name, value in zip(ENDPOINT_FIELDS, values, strict=True):
        if value is not None or name in ENDPOINT_FIELDS[:2]:
            assert isinstance(value, str), (name, value)
            assert_endpoint_rules(value)


# ---------------------------------------------------------------------------------------------------------------
# The command line (parsing only: no command runs)
# ---------------------------------------------------------------------------------------------------------------

ARGUMENT_POOL = [
    "list", "status", "token", "create", "test", "delete", "--name", "--name=", "--nam", "--sandbox", "--paste",
    "--no-browser", "--yes", "--json", "--data-dir", "--data-dir=", "--dat", "--demo", "--verbose", "--version", "-h",
    "--help", "--", "-", "-x", "--=x", "---", "-n", "Acme", "Acme Ltd", "%(prog)s", "%s", "@file", "\x1b[2J",
    "--name=\x1b]0;t\x07", "\udcff", "", " ", "-\u2013name", WILD, WILD, WILD,
]
ARGUMENT_MARKS = "".join(chr(MARK + index) for index in range(len(ARGUMENT_POOL)))
NAMED_COMMANDS = {"status", "token", "test", "delete", "create"}
PARSER = build_parser()  # parse_args keeps no state between calls


def make_argv(sequence: str, wild: str) -> list[str]:
    parts = [wild[: len(wild) // 2], wild[len(wild) // 2 :], wild]
    argv = []
    for index, ch in enumerate(sequence):
        argument = ARGUMENT_POOL[ord(ch) - MARK]
        argv.append(parts[index % 3] if argument is WILD else argument)
    return argv


@HOSTILE
@given(st.builds(make_argv, st.text(ARGUMENT_MARKS, max_size=8), st.text(ANY_CHARACTER, max_size=20)))
@example(["status", "\x1b]0;owned\x07", "extra\x1b[2J"])
@example(["create", "--name=\udcff"])
@example(["--version"])
@example(["create", "--name", "--"])
def test_command_line(argv):
    """10,000 command lines: parsed, or refused with exit status 2 and a printable usage error (never a traceback)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = PARSER.parse_args(argv)
    except SystemExit as stop:
        if stop.code == 0:  # --help or --version
            assert stdout.getvalue().strip() and not stderr.getvalue()
            return
        assert stop.code == 2
        message = stderr.getvalue()
        assert "error:" in message
        for line in message.splitlines():
            assert line.isprintable() and "Traceback" not in line, ascii(line)
        return
    assert not stderr.getvalue() and not stdout.getvalue()
    assert args.command in (None, "list", *NAMED_COMMANDS)
    assert args.data_dir is None or isinstance(args.data_dir, Path)
    if args.command in NAMED_COMMANDS:
        assert isinstance(args.name, str)
