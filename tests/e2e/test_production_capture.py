"""Production-style sign-in (https Redirect URI): no listener, the address is caught or pasted."""

from __future__ import annotations

import pytest

from qbdesk.callback.plan import Capture
from qbdesk.core.credential import Status
from qbdesk.core.destinations import Destination
from qbdesk.services.signin import Phase, SignInProblem

from consent import consent_redirect

pytestmark = pytest.mark.e2e


def test_https_redirect_plans_the_sign_in_window_and_opens_no_listener(context):
    credential = context.credentials.create_pending("Prod Co", Destination.PRODUCTION)
    start = context.signin.begin(credential.id)
    assert start.plan.capture is Capture.EMBEDDED and start.plan.warning is None
    assert start.redirect_uri.startswith("https://")
    assert context.signin.listening() == []


def test_preferring_the_system_browser_plans_paste(context):
    context.settings.save_prefer_system_browser(True)
    assert context.signin.capture_plan(Destination.PRODUCTION).capture is Capture.PASTE
    assert context.signin.capture_plan(Destination.SANDBOX).capture is Capture.LISTENER


def test_the_pasted_address_completes_sign_in(context, world):
    credential = context.credentials.create_pending("Prod Co", Destination.PRODUCTION)
    address = consent_redirect(context.signin.begin(credential.id).url, company=world.emulator.companies[2].realm_id)
    assert address.startswith(world.redirect_uri(Destination.PRODUCTION) + "?")
    context.signin.complete_from_address(credential.id, "  " + address + "\n")
    stored = context.credentials.get(credential.id)
    assert stored.status is Status.CONNECTED and stored.realm_id == world.emulator.companies[2].realm_id


def test_only_the_query_part_is_enough(context):
    credential = context.credentials.create_pending("Prod Co", Destination.PRODUCTION)
    address = consent_redirect(context.signin.begin(credential.id).url)
    context.signin.complete_from_address(credential.id, address.split("?", 1)[1])
    assert context.credentials.get(credential.id).status is Status.CONNECTED


@pytest.mark.parametrize(
    ("mangle", "words"),
    [
        (lambda a: a.replace("https://", "http://"), "not your Redirect URI"),
        (lambda a: a.split("?")[0], "no sign-in details"),
        (lambda a: "https://appcenter.intuit.com/connect/oauth2", "not your Redirect URI"),
    ],
)
def test_a_wrong_paste_is_refused_with_a_reason_and_nothing_changes(context, world, mangle, words):
    credential = context.credentials.create_pending("Prod Co", Destination.PRODUCTION)
    address = consent_redirect(context.signin.begin(credential.id).url)
    calls = world.emulator.token_calls
    with pytest.raises(SignInProblem, match=words):
        context.signin.complete_from_address(credential.id, mangle(address))
    assert world.emulator.token_calls == calls
    assert context.credentials.get(credential.id).status is Status.PENDING
    context.signin.complete_from_address(credential.id, address)  # the right one still works
    assert context.credentials.get(credential.id).status is Status.CONNECTED


def test_an_address_from_an_earlier_attempt_is_refused(context, signin_updates):
    credential = context.credentials.create_pending("Prod Co", Destination.PRODUCTION)
    old = consent_redirect(context.signin.begin(credential.id).url)
    context.signin.begin(credential.id)
    context.signin.complete_from_address(credential.id, old)
    assert signin_updates[-1].phase is Phase.FAILED and "earlier attempt" in signin_updates[-1].cause
    assert context.credentials.get(credential.id).status is Status.PENDING


def test_a_denied_consent_pasted_back_is_explained(context, signin_updates):
    credential = context.credentials.create_pending("Prod Co", Destination.PRODUCTION)
    address = consent_redirect(context.signin.begin(credential.id).url, decision="cancel")
    context.signin.complete_from_address(credential.id, address)
    assert signin_updates[-1].phase is Phase.FAILED and "not granted" in signin_updates[-1].cause
