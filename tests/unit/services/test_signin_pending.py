"""Pending sign-ins: a state works once, a new attempt retires the old one, and what is retired stays bounded."""

from __future__ import annotations

from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.intuit.discovery import Endpoints
from qbdesk.intuit.oauth import start_authorization
from qbdesk.services.signin_pending import ALREADY_USED, EARLIER_ATTEMPT, PendingSignIn, PendingSignIns, Retirement

ENDPOINTS = Endpoints("https://appcenter.intuit.com/connect/oauth2", "https://oauth.example/token", None, None)
REDIRECT = "http://localhost:8765/callback"


def pending_for(credential_id: str) -> tuple[str, PendingSignIn]:
    attempt = start_authorization(ENDPOINTS, "client", REDIRECT)
    return attempt.state, PendingSignIn(credential_id, Destination.SANDBOX, ENDPOINTS, attempt)


def test_a_state_works_once_and_then_says_it_was_used():
    registry = PendingSignIns()
    state, pending = pending_for("a")
    registry.add(state, pending)
    assert registry.waiting_on("a") and registry.redirect_uris() == {REDIRECT}
    assert registry.claim(state) == (pending, None)
    assert registry.claim(state) == (None, ALREADY_USED)
    assert not registry.waiting_on("a") and registry.redirect_uris() == set()


def test_a_new_attempt_retires_the_earlier_one_of_the_same_credential_only():
    registry = PendingSignIns()
    first, second, other = pending_for("a"), pending_for("a"), pending_for("b")
    for state, pending in (first, other, second):
        registry.add(state, pending)
    assert registry.claim(first[0]) == (None, EARLIER_ATTEMPT)
    assert registry.claim(other[0])[0] is other[1]
    assert registry.claim(second[0])[0] is second[1]


def test_an_unknown_state_has_no_reason_and_a_dropped_one_keeps_its_own():
    registry = PendingSignIns()
    state, pending = pending_for("a")
    registry.add(state, pending)
    why = Retirement("Removed.", NextStep.START_OVER)
    registry.drop("a", why)
    assert registry.claim(state) == (None, why)
    assert registry.claim("never-issued") == (None, None)


def test_the_retired_states_are_pruned_oldest_first():
    registry = PendingSignIns()
    states = []
    for number in range(registry.retired_limit * 3):
        state, pending = pending_for(f"c{number}")
        registry.add(state, pending)
        registry.claim(state)
        states.append(state)
    assert registry.retired_count() == registry.retired_limit
    assert registry.claim(states[-1]) == (None, ALREADY_USED)  # the newest still explain themselves
    assert registry.claim(states[0]) == (None, None)  # the oldest are forgotten
