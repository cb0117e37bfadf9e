"""A sign-in that finishes after its stored expiry, as when a laptop slept: refused, nothing kept, credential gone.

The wall clock moves (a FakeClock) while nothing purges the credential, as when the window's timer, which counts
monotonic time, slept along with the computer.
"""

from __future__ import annotations

import pytest
import requests

from qbdesk.core.clock import FakeClock
from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.services.signin import EXPIRED, Phase
from qbdesk.store.vault import tokens_key

from consent import approve_in_browser, consent_redirect

pytestmark = pytest.mark.e2e
SLEEP_SECONDS = 20 * 60


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def late(world, clock):
    """Services on the fake wall clock, and every sign-in update they announce."""
    context = world.open(clock)
    updates = []
    context.signin.updated.subscribe(updates.append)
    yield context, updates
    context.close()


def assert_refused_as_expired(context, updates, credential_id, memory_keyring):
    assert updates[-1].phase is Phase.FAILED and updates[-1].credential_id == credential_id
    assert updates[-1].cause == EXPIRED.cause and updates[-1].next_step is NextStep.START_OVER
    assert Phase.CONNECTED not in [update.phase for update in updates]
    assert context.credentials.get(credential_id) is None
    assert ("qbdesk", tokens_key(credential_id)) not in memory_keyring.secrets
    recorded = [entry.event for entry in context.audit.events() if entry.credential_id == credential_id]
    assert "expired" in recorded and "signed_in" not in recorded


def test_a_browser_coming_back_to_the_listener_after_the_expiry_does_not_connect(
    late, clock, world, memory_keyring
):
    context, updates = late
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    url = context.signin.begin(credential.id).url
    redirect = consent_redirect(url)  # approved in time at Intuit ...
    clock.advance(SLEEP_SECONDS)  # ... and the computer slept before the browser came back
    calls = world.emulator.token_calls
    page = requests.get(redirect, timeout=30)
    assert page.status_code == 400 and "expired" in page.text
    assert world.emulator.token_calls == calls  # the code was not even exchanged
    assert_refused_as_expired(context, updates, credential.id, memory_keyring)
    assert context.credentials.list() == []


def test_an_address_pasted_or_caught_by_the_sign_in_window_after_the_expiry_does_not_connect(
    late, clock, memory_keyring
):
    context, updates = late
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    redirect = consent_redirect(context.signin.begin(credential.id).url)
    clock.advance(SLEEP_SECONDS)
    context.signin.complete_from_address(credential.id, redirect)
    assert_refused_as_expired(context, updates, credential.id, memory_keyring)


def test_a_sign_in_one_second_before_the_expiry_still_connects(late, clock):
    context, updates = late
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    url = context.signin.begin(credential.id).url
    clock.advance(context.credentials.pending_ttl.total_seconds() - 1)
    assert approve_in_browser(url).status_code == 200
    assert updates[-1].phase is Phase.CONNECTED
    assert context.credentials.get(credential.id).pending_expires_at is None


def test_an_expiry_that_passes_while_the_keychain_stores_the_tokens_keeps_nothing(
    late, clock, memory_keyring
):
    """The expiry is checked again where the row is written: a slow keychain can outlast it."""
    context, updates = late
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    url = context.signin.begin(credential.id).url
    clock.advance(context.credentials.pending_ttl.total_seconds() - 1)
    keep = memory_keyring.set_password

    def slow_keychain(service, username, password):
        clock.advance(2)
        keep(service, username, password)

    memory_keyring.set_password = slow_keychain
    page = approve_in_browser(url)
    assert page.status_code == 400 and "expired" in page.text
    assert_refused_as_expired(context, updates, credential.id, memory_keyring)
