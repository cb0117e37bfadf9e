"""Hostile input shared by the property tests (test_properties_*.py): strategies, and oracles written apart from
the code under test.

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

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

import requests
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from qbdesk.callback.params import MAX_CODE_LENGTH

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
SELECTOR_512 = st.integers(0, 2**512 - 1)  # enough choices for every field of a server's answer
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


def assert_clean_address(url: str) -> None:
    """An address qbdesk keeps is one printable token: nothing urlsplit would silently strip or drop."""
    assert url and url.isprintable() and not any(ch.isspace() for ch in url), ascii(url)


def assert_endpoint_rules(url: str) -> None:
    assert_clean_address(url)
    parts = urlsplit(url)
    _ = parts.port
    assert "@" not in parts.netloc, url
    https = parts.scheme == "https" and parts.hostname
    assert https or (parts.scheme == "http" and is_loopback_literal(parts.hostname)), url


# ---------------------------------------------------------------------------------------------------------------
# Server answers, for the token and discovery endpoints
# ---------------------------------------------------------------------------------------------------------------

def prepared_answer(status: int, body: bytes, content_type: str) -> requests.Response:
    """A response as requests would hand it over, built without a network."""
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = content_type
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response


def nested_json(depth: int) -> bytes:
    """JSON arrays nested depth levels deep: enough to exhaust a recursive parser."""
    return b"[" * depth + b"]" * depth


CONTENT_TYPES = ["application/json", "application/json", "application/json; charset=utf-16", "text/html", ""]
