"""Recognising the redirect address in a navigation or a paste."""

import pytest

from qbdesk.callback.address import matches_redirect, query_from_pasted
from qbdesk.callback.params import CallbackInvalid

REDIRECT = "https://books.example.com/qbdesk/callback"


@pytest.mark.parametrize(
    "address",
    [
        "https://books.example.com/qbdesk/callback?code=a&state=b",
        "HTTPS://Books.Example.com:443/qbdesk/callback?x=1",
        "https://books.example.com/qbdesk/callback",
    ],
)
def test_the_registered_address_matches_with_any_query(address):
    assert matches_redirect(address, REDIRECT)


@pytest.mark.parametrize(
    "address",
    [
        "http://books.example.com/qbdesk/callback?code=a",
        "https://books.example.com:8443/qbdesk/callback",
        "https://books.example.com/qbdesk/callback/",
        "https://books.example.com/qbdesk/Callback",
        "https://evil.example.com/qbdesk/callback",
        "https://books.example.com.evil.com/qbdesk/callback",
        "https://books.example.com@evil.com/qbdesk/callback",
        "https://user@books.example.com/qbdesk/callback",
        "https://books.example.com:99999/qbdesk/callback",
        "not a url",
    ],
)
def test_anything_else_does_not_match(address):
    assert not matches_redirect(address, REDIRECT)


def test_a_loopback_redirect_matches_with_its_port():
    assert matches_redirect("http://localhost:8765/callback?code=1", "http://localhost:8765/callback")
    assert not matches_redirect("http://localhost:8766/callback?code=1", "http://localhost:8765/callback")


def test_a_pasted_full_address_gives_its_parameters():
    query = query_from_pasted(f"  {REDIRECT}?code=AB&state=CD&realmId=12#top \n", REDIRECT)
    assert query == {"code": "AB", "state": "CD", "realmId": "12"}


@pytest.mark.parametrize("text", ["?code=AB&state=CD&realmId=12", "code=AB&state=CD&realmId=12"])
def test_a_pasted_query_alone_is_accepted(text):
    assert query_from_pasted(text, REDIRECT)["code"] == "AB"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Paste the address"),
        ("https://appcenter.intuit.com/connect/oauth2?code=AB", "not your Redirect URI"),
        (f"{REDIRECT}", "no sign-in details"),
        ("hello", "no sign-in details"),
        (f"{REDIRECT}?code=a b", "single web address"),
        (f"{REDIRECT}?code=1&code=2&state=x", "repeats"),
        ("x" * 5000, "single web address"),
    ],
)
def test_bad_pastes_are_refused_with_a_reason(text, words):
    with pytest.raises(CallbackInvalid, match=words):
        query_from_pasted(text, REDIRECT)
