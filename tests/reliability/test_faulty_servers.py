"""qbdesk against an Intuit that misbehaves: every token-endpoint fault in a sign-in and in a refresh.

Each failure must be told in plain words with a next step, must lose nothing already stored, and
must give way to a plain retry once Intuit behaves again.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from qbdesk.callback.listener import CallbackListener
from qbdesk.core.credential import Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.problems import Kind, NextStep
from qbdesk.emulator import STRICT_ROTATION, Fault
from qbdesk.emulator.faults import FAKE_ACCESS_TOKEN
from qbdesk.services.signin import Phase, SignInProblem
from qbdesk.services.tokens import CredentialUnusable
from qbdesk.store.vault import load_tokens

from consent import approve_in_browser
from faulty import (
    CLIENT_TIMEOUT_SECONDS,
    HOLD_SECONDS,
    SLOW_SECONDS,
    assert_plain_problem,
    secrets_of,
    shorten_timeouts,
)

pytestmark = pytest.mark.reliability

# fault -> (kind, next step, words the cause must contain)
EXCHANGE_FAILURES = {
    Fault.HTTP_400: (Kind.RECONNECT, NextStep.SIGN_IN_AGAIN, "Intuit did not accept the sign-in"),
    Fault.HTTP_401: (Kind.SETUP, NextStep.CHECK_SETUP, "Client ID and Client Secret"),
    Fault.HTTP_500: (Kind.SERVICE, NextStep.TRY_LATER, "Intuit's service is having trouble right now"),
    Fault.HTTP_429: (Kind.SERVICE, NextStep.TRY_LATER, "too many requests"),
    Fault.TIMEOUT: (Kind.OFFLINE, NextStep.CHECK_CONNECTION, "Intuit took too long to answer"),
    Fault.GARBAGE: (Kind.OTHER, NextStep.TRY_LATER, "an answer qbdesk does not understand"),
    Fault.TRUNCATED: (Kind.OFFLINE, NextStep.CHECK_CONNECTION, "could not reach Intuit"),
    Fault.MISSING_FIELD: (Kind.OTHER, NextStep.SIGN_IN_AGAIN, "no usable refresh token"),
    Fault.WRONG_TOKEN_TYPE: (Kind.OTHER, NextStep.SIGN_IN_AGAIN, "unexpected token type"),
    Fault.RESET: (Kind.OFFLINE, NextStep.CHECK_CONNECTION, "could not reach Intuit"),
}
REFRESH_FAILURES = {
    **{fault: outcome for fault, outcome in EXCHANGE_FAILURES.items() if fault is not Fault.MISSING_FIELD},
    Fault.HTTP_400: (Kind.RECONNECT, NextStep.RECONNECT, "Intuit no longer accepts this credential"),
    Fault.WRONG_TOKEN_TYPE: (Kind.OTHER, NextStep.TRY_LATER, "unexpected token type"),
}
SUCCEEDED = "succeeded"  # the flow went through: the fault was one Intuit's clients must take in their stride
HEALTH_AFTER = {Kind.RECONNECT: Health.NEEDS_RECONNECT, Kind.OFFLINE: Health.OFFLINE}


@pytest.fixture(autouse=True)
def short_timeouts(monkeypatch):
    shorten_timeouts(monkeypatch)


def delay_for(fault: Fault) -> float | None:
    return {Fault.SLOW: SLOW_SECONDS, Fault.TIMEOUT: HOLD_SECONDS}.get(fault)


def connected(context, name: str = "Acme Books") -> str:
    credential = context.credentials.create_pending(name, Destination.SANDBOX)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    assert context.credentials.get(credential.id).status is Status.CONNECTED
    return credential.id


def exchange_outcome(context, world, fault: Fault, signin_updates) -> object:
    """Sign a new credential in while the token endpoint serves the fault: what the sign-in reported."""
    credential = context.credentials.create_pending(f"Exchange {fault.name}", Destination.SANDBOX)
    world.emulator.inject_fault("token", fault, delay=delay_for(fault))
    try:
        approve_in_browser(context.signin.begin(credential.id).url)
    finally:
        world.emulator.clear_faults()
    last = signin_updates[-1]
    assert last.credential_id == credential.id
    if last.phase is Phase.CONNECTED:
        return SUCCEEDED
    assert last.phase is Phase.FAILED
    return (last.kind, last.next_step, last.cause)


def refresh_outcome(context, world, fault: Fault) -> object:
    """Refresh a connected credential while the token endpoint serves the fault: what the refresh said."""
    credential_id = connected(context, f"Refresh {fault.name}")
    world.emulator.inject_fault("token", fault, delay=delay_for(fault))
    try:
        context.tokens.refresh(credential_id)
    except CredentialUnusable as refused:
        return (refused.kind, refused.next_step, refused.cause)
    finally:
        world.emulator.clear_faults()
    return SUCCEEDED


def matches(outcome: object, known: tuple[Kind, NextStep, str] | None) -> bool:
    if known is None:
        return outcome == SUCCEEDED
    kind, next_step, words = known
    return outcome != SUCCEEDED and outcome[:2] == (kind, next_step) and words in outcome[2]


def test_every_fault_has_a_known_outcome_in_both_flows(context, world, signin_updates):
    """Every fault the stand-in for Intuit can serve, through a real sign-in and a real refresh: each ends as
    the tables say (a success, or a failure of that kind with that next step), never in the catch-all."""
    unknown = []
    for fault in Fault:
        for flow, observed, known in (
            ("exchange", exchange_outcome(context, world, fault, signin_updates), EXCHANGE_FAILURES.get(fault)),
            ("refresh", refresh_outcome(context, world, fault), REFRESH_FAILURES.get(fault)),
        ):
            assert world.emulator.served_faults()[-1] == ("token", fault)
            if not matches(observed, known):
                unknown.append((flow, fault.name, observed))
    assert unknown == []


# --- sign-in: the code exchange -----------------------------------------------------------------


@pytest.mark.parametrize("fault", list(EXCHANGE_FAILURES), ids=lambda fault: fault.name)
def test_a_failed_code_exchange_is_explained_and_a_new_attempt_connects(context, world, signin_updates, fault):
    kind, next_step, words = EXCHANGE_FAILURES[fault]
    credential = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    world.emulator.inject_fault("token", fault, delay=delay_for(fault))

    started = time.monotonic()
    page = approve_in_browser(context.signin.begin(credential.id).url)
    elapsed = time.monotonic() - started

    assert world.emulator.served_faults() == [("token", fault)]
    failed = signin_updates[-1]
    assert (failed.phase, failed.credential_id, failed.kind) == (Phase.FAILED, credential.id, kind)
    assert words in failed.cause and failed.next_step is next_step
    assert_plain_problem(failed.cause, failed.next_step, world)
    assert page.status_code == 400
    assert not any(secret in page.text for secret in secrets_of(world))
    if fault is Fault.TIMEOUT:
        assert CLIENT_TIMEOUT_SECONDS * 0.9 <= elapsed < HOLD_SECONDS / 2
    # Nothing was stored: the credential still waits for a sign-in, with no tokens.
    assert context.credentials.get(credential.id).status is Status.PENDING
    assert load_tokens(context.vault, credential.id) is None
    assert not context.signin.waiting_on(credential.id)  # the used link is dead; codes are single-use

    world.emulator.clear_faults()
    retry = approve_in_browser(context.signin.begin(credential.id).url)  # "Go to QuickBooks" again
    assert retry.status_code == 200 and "Connected to QuickBooks" in retry.text
    assert signin_updates[-1].phase is Phase.CONNECTED
    assert context.credentials.get(credential.id).status is Status.CONNECTED
    access, refresh = load_tokens(context.vault, credential.id)
    assert {access, refresh} <= world.emulator.issued_secrets()


def test_go_again_right_after_a_failure_waits_for_the_old_listener_to_free_its_port(
    context, world, signin_updates, monkeypatch
):
    """The listener of a failed sign-in closes in the background; a quick retry must not find its port taken."""
    stop = CallbackListener.stop

    def slow_stop(listener):
        time.sleep(0.3)
        stop(listener)

    monkeypatch.setattr(CallbackListener, "stop", slow_stop)
    credential = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    world.emulator.inject_fault("token", Fault.HTTP_500)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 400
    world.emulator.clear_faults()
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    assert signin_updates[-1].phase is Phase.CONNECTED


def test_a_slow_code_exchange_is_waited_for(context, world, signin_updates):
    credential = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    world.emulator.inject_fault("token", Fault.SLOW, delay=SLOW_SECONDS)
    started = time.monotonic()
    page = approve_in_browser(context.signin.begin(credential.id).url)
    assert time.monotonic() - started >= SLOW_SECONDS * 0.9
    assert world.emulator.served_faults() == [("token", Fault.SLOW)]
    assert page.status_code == 200 and signin_updates[-1].phase is Phase.CONNECTED
    assert load_tokens(context.vault, credential.id) is not None


# --- keeping alive: the refresh -----------------------------------------------------------------


@pytest.fixture
def rotating_every_refresh(world):
    """Intuit hands the same refresh token back for a day: these tests need every refresh to rotate it."""
    world.emulator.rotation = STRICT_ROTATION


@pytest.mark.parametrize("fault", list(REFRESH_FAILURES), ids=lambda fault: fault.name)
def test_a_failed_refresh_loses_nothing_and_refreshing_again_works(context, world, rotating_every_refresh, fault):
    kind, next_step, words = REFRESH_FAILURES[fault]
    credential_id = connected(context)
    tokens_before = load_tokens(context.vault, credential_id)
    row_before = context.credentials.get(credential_id)
    world.emulator.inject_fault("token", fault, delay=delay_for(fault))

    with pytest.raises(CredentialUnusable) as refused:
        context.tokens.refresh(credential_id)

    assert world.emulator.served_faults() == [("token", fault)]
    assert refused.value.kind is kind
    assert words in str(refused.value) and refused.value.next_step is next_step
    assert_plain_problem(refused.value.cause, refused.value.next_step, world)
    assert load_tokens(context.vault, credential_id) == tokens_before
    row_after = context.credentials.get(credential_id)
    # Only the health note may change (offline, or needs reconnect); everything else is as it was.
    assert replace(row_after, health=row_before.health, health_detail=row_before.health_detail) == row_before
    assert row_after.health is HEALTH_AFTER.get(kind, Health.OK)

    world.emulator.clear_faults()
    refreshed = context.tokens.refresh(credential_id)
    access, refresh = load_tokens(context.vault, credential_id)
    assert access != tokens_before[0] and refresh != tokens_before[1]
    assert refreshed.health is Health.OK and refreshed.last_refreshed_at is not None


def test_a_slow_refresh_is_waited_for(context, world, rotating_every_refresh):
    credential_id = connected(context)
    tokens_before = load_tokens(context.vault, credential_id)
    world.emulator.inject_fault("token", Fault.SLOW, delay=SLOW_SECONDS)
    started = time.monotonic()
    context.tokens.refresh(credential_id)
    assert time.monotonic() - started >= SLOW_SECONDS * 0.9
    assert load_tokens(context.vault, credential_id)[1] != tokens_before[1]


def test_a_refresh_answer_without_a_refresh_token_keeps_the_one_held(context, world, rotating_every_refresh):
    """RFC 6749 section 6: a refresh answer may leave the refresh token out, meaning "keep using yours"."""
    credential_id = connected(context)
    _, refresh_before = load_tokens(context.vault, credential_id)
    world.emulator.inject_fault("token", Fault.MISSING_FIELD)
    context.tokens.refresh(credential_id)
    assert load_tokens(context.vault, credential_id) == (FAKE_ACCESS_TOKEN, refresh_before)
    world.emulator.clear_faults()
    context.tokens.refresh(credential_id)  # the refresh token kept is still good
    assert load_tokens(context.vault, credential_id)[1] != refresh_before


# --- the other endpoints ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fault", [Fault.HTTP_500, Fault.GARBAGE, Fault.TRUNCATED, Fault.TIMEOUT, Fault.RESET], ids=lambda f: f.name
)
def test_a_faulty_discovery_document_stops_sign_in_plainly_and_a_retry_works(context, world, fault):
    credential = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    world.emulator.inject_fault("discovery", fault, delay=delay_for(fault))
    with pytest.raises(SignInProblem) as problem:
        context.signin.begin(credential.id)
    assert_plain_problem(problem.value.cause, problem.value.next_step, world)
    assert context.credentials.get(credential.id).status is Status.PENDING
    world.emulator.clear_faults()
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200


@pytest.mark.parametrize(
    "fault", [Fault.HTTP_500, Fault.GARBAGE, Fault.TRUNCATED, Fault.TIMEOUT, Fault.RESET], ids=lambda f: f.name
)
def test_a_faulty_test_call_is_explained_and_keeps_the_tokens(context, world, fault):
    credential_id = connected(context)
    tokens_before = load_tokens(context.vault, credential_id)
    world.emulator.inject_fault("companyinfo", fault, delay=delay_for(fault))
    with pytest.raises(CredentialUnusable) as refused:
        context.tokens.test_connection(credential_id)
    assert_plain_problem(refused.value.cause, refused.value.next_step, world)
    assert load_tokens(context.vault, credential_id) == tokens_before
    world.emulator.clear_faults()
    assert context.tokens.test_connection(credential_id).health is Health.OK


def test_a_refused_test_call_refreshes_once_and_succeeds(context, world):
    credential_id = connected(context)
    world.emulator.inject_fault("companyinfo", Fault.HTTP_401)
    assert context.tokens.test_connection(credential_id).company_name
    assert world.emulator.served_faults() == [("companyinfo", Fault.HTTP_401)]


@pytest.mark.parametrize("fault", [Fault.HTTP_500, Fault.RESET], ids=lambda f: f.name)
def test_a_faulty_revoke_still_deletes_here(context, world, fault):
    credential_id = connected(context)
    world.emulator.inject_fault("revoke", fault)
    assert context.tokens.delete(credential_id) is False  # not confirmed by Intuit
    assert context.credentials.get(credential_id) is None
    assert load_tokens(context.vault, credential_id) is None
