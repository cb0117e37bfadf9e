"""The capture plan per destination and Redirect URI, and Intuit's Redirect URI rules."""

import pytest

from qbdesk.callback.plan import Capture, intuit_redirect_problem, plan_capture
from qbdesk.core.destinations import Destination

P, S = Destination.PRODUCTION, Destination.SANDBOX


@pytest.mark.parametrize(
    ("destination", "uri", "prefer_browser", "capture"),
    [
        (S, "http://localhost:8765/callback", False, Capture.LISTENER),
        (S, "http://localhost:8765/callback", True, Capture.LISTENER),
        (P, "https://books.example.com/cb", False, Capture.EMBEDDED),
        (P, "https://books.example.com/cb", True, Capture.PASTE),
        (S, "https://books.example.com/cb", False, Capture.EMBEDDED),
        (P, "https://developer.intuit.com/v2/OAuth2Playground/RedirectUrl", True, Capture.PASTE),
    ],
)
def test_the_plan_follows_the_redirect_uri_and_the_preference(destination, uri, prefer_browser, capture):
    plan = plan_capture(destination, uri, prefer_browser)
    assert plan.capture is capture and plan.warning is None


def test_production_with_a_loopback_redirect_is_planned_but_warned():
    plan = plan_capture(P, "http://localhost:8765/callback", False)
    assert plan.capture is Capture.LISTENER and "only https" in plan.warning


@pytest.mark.parametrize(
    ("destination", "uri", "words"),
    [
        (P, "http://books.example.com/cb", "only https"),
        (P, "https://localhost/cb", "localhost and IP"),
        (P, "https://10.0.0.5/cb", "localhost and IP"),
        (S, "http://books.example.com/cb", "http://localhost"),
        (S, "https://localhost:8765/cb", "https on localhost"),
        (S, "http://localhost:8765/cb?x=1", "http://localhost"),
        (P, "https://user:pw@books.example.com/cb", "user name"),
        (P, "https://books.example.com/cb#frag", "fragment"),
        (P, "ftp://books.example.com/cb", "starts with https"),
        (P, "https://books.example.com:99999/cb", "not a valid address"),
    ],
)
def test_redirect_uris_intuit_refuses_are_explained(destination, uri, words):
    assert words in intuit_redirect_problem(uri, destination)


@pytest.mark.parametrize(
    ("destination", "uri"),
    [(P, "https://books.example.com/qbdesk/callback"), (S, "http://localhost:8765/callback"), (S, "https://a.example/cb")],
)
def test_redirect_uris_intuit_accepts_pass(destination, uri):
    assert intuit_redirect_problem(uri, destination) is None
