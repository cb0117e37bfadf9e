"""The company is named right after sign-in, so a new row never shows a bare realm id; a failed call costs nothing."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from qbdesk.core.credential import Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.emulator import Fault
from qbdesk.services.signin import Phase
from qbdesk.store.repository import CredentialRepository

from consent import approve_in_browser

pytestmark = pytest.mark.e2e


def _events(context, credential_id: str) -> list[tuple[str, str]]:
    return [(e.event, e.detail) for e in reversed(context.audit.events()) if e.credential_id == credential_id]


def test_sign_in_names_the_company_everywhere_without_a_test(context, world, signin_updates):
    harbor = world.emulator.companies[1]
    credential = context.credentials.create_pending("Bakery", Destination.SANDBOX)
    page = approve_in_browser(context.signin.begin(credential.id).url, company=harbor.realm_id)

    assert html.escape(f"connected to {harbor.name} ({harbor.realm_id})") in page.text
    stored = context.credentials.get(credential.id)
    assert stored.status is Status.CONNECTED and stored.company_name == harbor.name
    connected = [u for u in signin_updates if u.phase is Phase.CONNECTED]
    assert connected[-1].credential.company_name == harbor.name  # the Connected message can name it
    assert ("company_named", f"{harbor.name} ({harbor.realm_id})") in _events(context, credential.id)
    assert stored.last_used_at is None  # naming the company is not a use of the credential


def test_a_failed_company_call_leaves_the_credential_connected_and_test_names_it_later(context, world):
    world.emulator.inject_fault("companyinfo", Fault.HTTP_500)
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    page = approve_in_browser(context.signin.begin(credential.id).url)

    assert page.status_code == 200 and "Connected to QuickBooks" in page.text
    assert ("companyinfo", Fault.HTTP_500) in world.emulator.served_faults()
    stored = context.credentials.get(credential.id)
    assert stored.status is Status.CONNECTED and stored.company_name is None
    assert stored.health is Health.OK  # QuickBooks' trouble says nothing about the new credential
    assert "company_named" not in [event for event, _ in _events(context, credential.id)]

    tested = context.tokens.test_connection(credential.id)
    assert tested.company_name == world.emulator.companies[0].name


def test_keep_alive_names_a_company_that_sign_in_could_not(context, world):
    world.emulator.inject_fault("companyinfo", Fault.HTTP_500)
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    approve_in_browser(context.signin.begin(credential.id).url)
    assert context.credentials.get(credential.id).company_name is None
    stored = context.credentials.get(credential.id)
    # The refresh token is near its end, so keep-alive refreshes it, and asks QuickBooks for the name it lacks.
    now = context.clock.now()
    CredentialRepository(context.engine).record_refresh(
        credential.id, now, stored.access_token_expires_at, now + timedelta(days=5), stored.hard_expires_at
    )
    assert context.tokens.keep_alive() == [credential.id]
    assert context.credentials.get(credential.id).company_name == world.emulator.companies[0].name
