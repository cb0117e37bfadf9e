"""Checking redirect parameters before anything trusts them."""

import pytest

from qbdesk.callback.params import CallbackInvalid, parse_callback

STATE = "AbCdEfGh12345678"


def test_a_good_redirect_gives_code_state_and_realm():
    params = parse_callback({"code": "AB11-xyz", "state": STATE, "realmId": "9130350"})
    assert (params.code, params.state, params.realm_id, params.error) == ("AB11-xyz", STATE, "9130350", None)


def test_the_code_never_shows_in_repr():
    assert "SECRETCODE" not in repr(parse_callback({"code": "SECRETCODE", "state": STATE, "realmId": "1"}))


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"code": "abc", "realmId": "1"}, "state"),
        ({"code": "abc", "state": "short", "realmId": "1"}, "state"),
        ({"code": "abc", "state": "<script>alert(1)</script>", "realmId": "1"}, "state"),
        ({"state": STATE, "realmId": "1"}, "authorization code"),
        ({"code": "a b", "state": STATE, "realmId": "1"}, "authorization code"),
        ({"code": "x" * 513, "state": STATE, "realmId": "1"}, "authorization code"),
        ({"code": "abc", "state": STATE}, "realmId"),
        ({"code": "abc", "state": STATE, "realmId": "12a"}, "realmId"),
        ({"error": "<b>", "state": STATE}, "error"),
    ],
)
def test_malformed_redirects_are_refused_with_a_reason(query, words):
    with pytest.raises(CallbackInvalid, match=words):
        parse_callback(query)


def test_an_error_redirect_keeps_a_cleaned_description():
    params = parse_callback({"error": "access_denied", "error_description": "User\x00 denied\n", "state": STATE})
    assert params.error == "access_denied" and params.error_description == "User denied"
    assert params.code is None
