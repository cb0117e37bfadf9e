"""Hostile discovery documents against fetch_endpoints (qbdesk/intuit/discovery.py): only usable endpoints kept, or
a plain reason."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import example, given
from hypothesis import strategies as st

from qbdesk.intuit.discovery import MAX_DOCUMENT_BYTES, fetch_endpoints
from qbdesk.intuit.errors import IntuitError

from hostile_input import (
    CONTENT_TYPES,
    HOSTILE,
    HOSTILE_TEXT,
    SELECTOR_512,
    URLS,
    Picks,
    assert_endpoint_rules,
    assert_plain_reason,
    nested_json,
    prepared_answer,
)

pytestmark = pytest.mark.reliability


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
        raw, nested_json(depth), b" " * MAX_DOCUMENT_BYTES + b"{}", b"\xef\xbb\xbf" + json.dumps(document).encode(),
    ])
    return pick([200, 200, 200, 200, 204, 301, 404, 500]), body, pick(CONTENT_TYPES)


@HOSTILE
@given(st.builds(make_discovery_reply, SELECTOR_512, URLS, HOSTILE_TEXT))
@example((200, nested_json(100_000), "application/json"))
@example((200, b'{"authorization_endpoint":"https://u:p@evil.example/a","token_endpoint":"https://t.example/t"}', ""))
@example((200, b'{"authorization_endpoint":"https://a.example/\\u0000","token_endpoint":"https://t.example/t"}', ""))
def test_discovery_document(reply):
    """10,000 discovery answers: fetch_endpoints keeps only usable endpoints, or says why it cannot."""
    status, body, content_type = reply
    url = "https://developer.api.intuit.com/.well-known/openid_sandbox_configuration"
    try:
        endpoints = fetch_endpoints(OneAnswer(prepared_answer(status, body, content_type)), url)
    except IntuitError as refusal:
        assert_plain_reason(str(refusal))
        return
    assert status == 200 and len(body) <= MAX_DOCUMENT_BYTES
    values = (endpoints.authorization, endpoints.token, endpoints.revocation, endpoints.userinfo)
    for name, value in zip(ENDPOINT_FIELDS, values, strict=True):
        if value is not None or name in ENDPOINT_FIELDS[:2]:
            assert isinstance(value, str), (name, value)
            assert_endpoint_rules(value)
