"""Reconnect in place: same id and name, new tokens; a different company only when the user agrees."""

from __future__ import annotations

import pytest

from qbdesk.core.credential import Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.services.signin import Phase
from qbdesk.store.vault import load_tokens

from consent import approve_in_browser

pytestmark = pytest.mark.e2e


@pytest.fixture
def connected(context, world):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    approve_in_browser(context.signin.begin(credential.id).url, company=world.emulator.companies[0].realm_id)
    return context.credentials.get(credential.id)



def test_reconnect_with_the_same_company_replaces_the_tokens_in_place(context, world, connected):
    context.credentials.set_health(connected.id, Health.NEEDS_RECONNECT, "refused")
    old = load_tokens(context.vault, connected.id)
    start = context.signin.begin(connected.id)
    assert approve_in_browser(start.url, company=connected.realm_id).status_code == 200
    after = context.credentials.get(connected.id)
    assert (after.id, after.name, after.realm_id, after.status) == (connected.id, "Acme", connected.realm_id, Status.CONNECTED)
    assert after.health is Health.OK and after.pending_expires_at is None
    assert load_tokens(context.vault, connected.id) != old
    assert context.audit.events()[0].event == "reconnected"


def test_a_different_company_waits_for_the_user_and_can_be_refused(context, world, connected, signin_updates):
    old = load_tokens(context.vault, connected.id)
    other = world.emulator.companies[1].realm_id
    page = approve_in_browser(context.signin.begin(connected.id).url, company=other)
    assert "Return to qbdesk" in page.text
    assert signin_updates[-1].phase is Phase.REALM_CHANGED and other in signin_updates[-1].cause
    assert context.credentials.get(connected.id).realm_id == connected.realm_id  # nothing replaced yet
    context.signin.resolve_realm_change(connected.id, replace=False)
    assert context.credentials.get(connected.id).realm_id == connected.realm_id
    assert load_tokens(context.vault, connected.id) == old
    assert signin_updates[-1].phase is Phase.FAILED and "Kept the previous company" in signin_updates[-1].cause


def test_a_different_company_replaces_the_old_one_when_the_user_agrees(context, world, connected, signin_updates):
    other = world.emulator.companies[2].realm_id
    approve_in_browser(context.signin.begin(connected.id).url, company=other)
    context.signin.resolve_realm_change(connected.id, replace=True)
    assert context.credentials.get(connected.id).realm_id == other
    assert signin_updates[-1].phase is Phase.CONNECTED
    assert [e.event for e in context.audit.events()][:3] == ["company_named", "reconnected", "company_replaced"]
    assert context.credentials.get(connected.id).company_name == world.emulator.companies[2].name
