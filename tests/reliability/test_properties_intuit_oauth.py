"""Hostile token answers against qbdesk/intuit/oauth.py, parsed directly and through requests-oauthlib: tokens that
can travel in a header with sane dates, or a plain reason."""

from __future__ import annotations

import json
import struct
import zlib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import requests
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qbdesk.intuit.discovery import Endpoints
from qbdesk.intuit.errors import IntuitError
from qbdesk.intuit.oauth import TokenSet, parse_token_response, refresh_tokens

from hostile_input import (
    CONTENT_TYPES,
    HOSTILE,
    HOSTILE_TEXT,
    SELECTOR,
    SELECTOR_512,
    VISIBLE_ASCII,
    Picks,
    assert_plain_reason,
    nested_json,
    prepared_answer,
)

pytestmark = pytest.mark.reliability


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


def make_token_reply(number: int, answer: dict, raw: bytes) -> tuple[int, bytes, str]:
    pick = Picks(number)
    depth = pick(range(500, 100_000))
    body = pick([
        json.dumps(answer, default=str).encode(),  # Infinity and NaN, as Python writes them
        json.dumps({**VALID_ANSWER, **answer}, default=str).encode(),
        json.dumps({**VALID_ANSWER, "error": pick(["invalid_grant", "\x1b[2J", "x" * 5000, 5, "e"])}).encode(),
        raw, nested_json(depth), b"[1]", b'"x"', b"null", b"{}", b"access_token=a&token_type=bearer&expires_in=9",
    ])
    return pick([200, 200, 200, 400, 401, 403, 429, 500, 503]), body, pick(CONTENT_TYPES)


@settings(HOSTILE, max_examples=2_000)  # each case goes through requests and oauthlib: about 2 ms
@given(st.builds(make_token_reply, SELECTOR, TOKEN_ANSWERS, st.binary(max_size=200)))
@example((200, b'{"access_token":"a","refresh_token":"b","token_type":"bearer","expires_in":Infinity}', CONTENT_TYPES[0]))
@example((200, nested_json(100_000), "application/json"))
@example((200, b'{"access_token":"a","refresh_token":"b","token_type":"bearer","scope":5}', "application/json"))
@example((400, b'{"error":"\\u001b[2J"}', "application/json"))
def test_token_endpoint_answers(reply):
    """2,000 replies through requests-oauthlib (a transport that answers without a network): tokens or a reason."""
    status, body, content_type = reply
    answer = prepared_answer(status, body, content_type)
    with mock.patch.object(requests.adapters.HTTPAdapter, "send", return_value=answer):
        try:
            tokens = refresh_tokens(
                Endpoints("https://intuit.example/auth", "https://intuit.example/token", None, None),
                "client", "secret", "refresh", NOW,
            )
        except IntuitError as refusal:
            assert_plain_reason(str(refusal))
            return
    assert isinstance(tokens, TokenSet)
