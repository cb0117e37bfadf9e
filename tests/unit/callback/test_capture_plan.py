"""The capture plan per destination and Redirect URI, and Intuit's Redirect URI rules."""

import socket

import pytest

from qbdesk.callback.plan import (
    PROPOSED_SANDBOX_PORT,
    Capture,
    intuit_redirect_problem,
    plan_capture,
    proposed_redirect_uri,
)
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


def test_the_proposed_redirect_uris_fit_intuits_rules():
    for destination in Destination:
        proposed = proposed_redirect_uri(destination)
        assert intuit_redirect_problem(proposed, destination) is None
    assert proposed_redirect_uri(Destination.PRODUCTION).startswith("https://")
    assert proposed_redirect_uri(Destination.SANDBOX).startswith("http://localhost:")


def test_a_registered_redirect_uri_that_fits_is_kept_and_one_that_does_not_is_replaced():
    assert proposed_redirect_uri(Destination.SANDBOX, "http://localhost:9001/cb") == "http://localhost:9001/cb"
    assert proposed_redirect_uri(Destination.PRODUCTION, "http://localhost:9001/cb").startswith("https://")


def test_the_sandbox_proposal_skips_a_port_in_use():
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", PROPOSED_SANDBOX_PORT))
        except OSError:
            pass  # someone else holds it already: the proposal must skip it all the same
        taken.listen()
        assert proposed_redirect_uri(Destination.SANDBOX) != f"http://localhost:{PROPOSED_SANDBOX_PORT}/callback"
