"""Hostile redirect queries against parse_callback (qbdesk/callback/params.py): accepted ones follow the rules,
well-formed ones always pass, rejections give a plain reason."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qbdesk.callback.params import MAX_CODE_LENGTH, CallbackInvalid, CallbackParams, parse_callback

from hostile_input import HOSTILE, HOSTILE_TEXT, SELECTOR, VISIBLE_ASCII, Picks, assert_plain_reason

pytestmark = pytest.mark.reliability


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
