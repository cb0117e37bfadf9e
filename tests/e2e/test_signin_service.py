"""Sign-in end to end without the GUI: real listener, real emulator, real SQLite file."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Status
from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.emulator import Fault
from qbdesk.intuit.discovery import DiscoveryCache
from qbdesk.intuit.errors import IntuitError
from qbdesk.intuit.oauth import exchange_code, start_authorization
from qbdesk.services.signin import Phase, SignInProblem
from qbdesk.store.schema import DATABASE_FILENAME
from qbdesk.store.vault import KeychainVault, load_tokens, tokens_key

from consent import approve_in_browser, consent_redirect

pytestmark = pytest.mark.e2e



def test_sign_in_connects_stores_tokens_in_the_vault_and_only_metadata_in_sqlite(context, world, memory_keyring):
    credential = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    url = context.signin.begin(credential.id).url
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["com.intuit.quickbooks.accounting"]
    assert query["code_challenge_method"] == ["S256"] and query["state"][0]
    assert query["redirect_uri"] == [world.redirect_uri(Destination.SANDBOX)]

    page = approve_in_browser(url, company=world.emulator.companies[1].realm_id)
    assert page.status_code == 200 and "Connected to QuickBooks" in page.text

    stored = context.credentials.get(credential.id)
    assert stored.status is Status.CONNECTED
    assert stored.realm_id == world.emulator.companies[1].realm_id
    assert load_tokens(KeychainVault(), credential.id) is not None
    assert ("qbdesk", tokens_key(credential.id)) in memory_keyring.secrets
    raw = (world.data_dir / DATABASE_FILENAME).read_bytes()
    wal = world.data_dir / (DATABASE_FILENAME + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    for secret in world.emulator.issued_secrets() | {"test-sandbox-secret"}:
        assert secret.encode() not in raw


def test_the_list_hears_of_the_connected_credential_before_the_sign_in_says_connected(context):
    """Whoever waits on "Connected" (the Create page, then its list) must find the credential connected."""
    heard = []
    context.credentials.changed.subscribe(lambda c: heard.append(("changed", c.status)))
    context.signin.updated.subscribe(lambda u: heard.append(("updated", u.phase)))
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    approve_in_browser(context.signin.begin(credential.id).url)
    connected = heard.index(("updated", Phase.CONNECTED))
    assert ("changed", Status.CONNECTED) in heard[:connected]


def test_the_listener_closes_once_nothing_waits(context):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    url = context.signin.begin(credential.id).url
    assert context.signin.listening()
    approve_in_browser(url)
    port = urlsplit(context.settings.app(Destination.SANDBOX).redirect_uri).port
    for _ in range(50):
        if not context.signin.listening():
            break
        import time

        time.sleep(0.05)
    assert not context.signin.listening()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/callback", timeout=2)


def test_denied_consent_leaves_the_credential_incomplete_and_retry_works(context, signin_updates):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    page = approve_in_browser(context.signin.begin(credential.id).url, decision="cancel")
    assert page.status_code == 400 and "not granted" in page.text
    assert signin_updates[-1].phase is Phase.FAILED and signin_updates[-1].next_step is NextStep.SIGN_IN_AGAIN
    assert "not granted" in signin_updates[-1].cause
    assert context.credentials.get(credential.id).status is Status.PENDING

    page = approve_in_browser(context.signin.begin(credential.id).url)
    assert page.status_code == 200
    assert context.credentials.get(credential.id).status is Status.CONNECTED


def test_a_forged_state_is_refused_and_changes_nothing(context, signin_updates):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    url = context.signin.begin(credential.id).url
    redirect = consent_redirect(url)
    forged = redirect.replace("state=", "state=forged")
    before = list(signin_updates)
    page = requests.get(forged, timeout=10)
    assert page.status_code == 400 and "not started by qbdesk" in page.text
    assert signin_updates == before  # the waiting sign-in hears nothing of it
    assert context.credentials.get(credential.id).status is Status.PENDING
    # The genuine redirect still works afterwards.
    assert requests.get(redirect, timeout=30).status_code == 200


def test_a_replayed_redirect_is_refused_and_the_credential_stays_connected(context, world):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    context.signin.begin(credential.id)
    other = context.credentials.create_pending("Other", Destination.SANDBOX)
    url = context.signin.begin(other.id).url  # keeps the listener open after the first completes
    redirect = consent_redirect(url)
    assert requests.get(redirect, timeout=30).status_code == 200
    calls = world.emulator.token_calls
    replay = requests.get(redirect, timeout=10)
    assert replay.status_code == 400 and "already used" in replay.text
    assert world.emulator.token_calls == calls
    assert context.credentials.get(other.id).status is Status.CONNECTED


def test_an_earlier_attempts_link_is_refused_after_pressing_go_again(context):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    first = context.signin.begin(credential.id).url
    second = context.signin.begin(credential.id).url
    page = approve_in_browser(first)
    assert page.status_code == 400 and "earlier attempt" in page.text
    assert approve_in_browser(second).status_code == 200


def test_a_reused_code_is_refused_by_intuit_with_a_plain_next_step(world):
    """Exchanging one code twice fails with invalid_grant, explained in words a user can act on."""
    endpoints = DiscoveryCache().endpoints(world.emulator.discovery_url("sandbox"))
    attempt = start_authorization(endpoints, "test-sandbox-client", world.redirect_uri(Destination.SANDBOX))
    code = parse_qs(urlsplit(consent_redirect(attempt.url)).query)["code"][0]
    now = FakeClock().now()
    tokens = exchange_code(attempt, endpoints, "test-sandbox-secret", code, now)
    assert tokens.access_expires_at > now
    with pytest.raises(IntuitError) as refused:
        exchange_code(attempt, endpoints, "test-sandbox-secret", code, now)
    assert refused.value.code == "invalid_grant"
    assert "already used or has expired" in str(refused.value) and refused.value.next_step is NextStep.SIGN_IN_AGAIN
    assert code not in str(refused.value)


def test_wrong_client_secret_is_explained(world):
    endpoints = DiscoveryCache().endpoints(world.emulator.discovery_url("sandbox"))
    attempt = start_authorization(endpoints, "test-sandbox-client", world.redirect_uri(Destination.SANDBOX))
    code = parse_qs(urlsplit(consent_redirect(attempt.url)).query)["code"][0]
    with pytest.raises(IntuitError, match="Client ID and Client Secret"):
        exchange_code(attempt, endpoints, "wrong-secret", code, FakeClock().now())


def test_missing_keys_stop_sign_in_before_any_network_call(world, tmp_path):
    """Without a Client ID, begin() neither fetches Intuit's discovery document nor opens a listener."""
    overrides = {k: v for k, v in world.overrides.items() if "SANDBOX_CLIENT_ID" not in k}
    from qbdesk.services.context import AppContext

    # A discovery request would be answered with this fault and recorded as served.
    world.emulator.inject_fault("discovery", Fault.HTTP_500)
    context = AppContext.open(world.data_dir, overrides)
    try:
        problem = context.signin.setup_problem(Destination.SANDBOX)
        assert "no Client ID yet" in problem.cause and problem.next_step is NextStep.ENTER_KEYS
        credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
        with pytest.raises(SignInProblem, match="no Client ID yet") as stopped:
            context.signin.begin(credential.id)
        assert stopped.value.next_step is NextStep.ENTER_KEYS
        assert world.emulator.served_faults() == []
        assert world.emulator.token_calls == 0
        assert context.signin.listening() == []
    finally:
        context.close()
        world.emulator.clear_faults()


def test_expiry_is_kept_across_a_restart(world):
    clock = FakeClock()
    first = world.open(clock)
    credential = first.credentials.create_pending("Acme", Destination.SANDBOX)
    first.close()
    clock.advance(599)
    second = world.open(clock)
    assert [c.display_name for c in second.credentials.list()] == ["Acme (Incomplete)"]
    second.close()
    clock.advance(2)
    third = world.open(clock)
    try:
        assert third.credentials.list() == []
        assert third.credentials.get(credential.id) is None
    finally:
        third.close()
    with sqlite3.connect(world.data_dir / DATABASE_FILENAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_late_redirect_for_an_expired_credential_gets_a_clear_page(world):
    clock = FakeClock()
    context = world.open(clock)
    try:
        expiring = context.credentials.create_pending("Late", Destination.SANDBOX)
        late_url = context.signin.begin(expiring.id).url
        clock.advance(30)
        keeper = context.credentials.create_pending("Keeper", Destination.SANDBOX)
        context.signin.begin(keeper.id)  # keeps the listener open
        clock.advance(580)
        assert [c.id for c in context.credentials.purge_expired()] == [expiring.id]
        page = approve_in_browser(late_url)
        assert page.status_code == 400 and "expired" in page.text
        assert context.credentials.get(expiring.id) is None
    finally:
        context.close()


def test_a_failed_exchange_says_what_kind_of_trouble_it_was(world, tmp_path):
    from qbdesk.intuit.errors import Kind
    from qbdesk.services.context import AppContext

    overrides = dict(world.overrides, QBDESK_SANDBOX_CLIENT_SECRET="wrong-secret")
    context = AppContext.open(world.data_dir, overrides)
    try:
        seen = []
        context.signin.updated.subscribe(seen.append)
        credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
        approve_in_browser(context.signin.begin(credential.id).url)
        assert seen[-1].phase is Phase.FAILED and seen[-1].kind is Kind.SETUP
        assert "Client ID and Client Secret" in seen[-1].cause and seen[-1].next_step is NextStep.CHECK_SETUP
    finally:
        context.close()


def test_the_browser_having_its_answer_is_announced_after_the_outcome(context, signin_updates):
    """The command line waits on this before it exits, so the browser is never left without its page."""
    heard = []
    context.signin.updated.subscribe(lambda update: heard.append(update.phase))
    context.signin.answer_delivered.subscribe(lambda uri: heard.append(("delivered", uri)))
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    start = context.signin.begin(credential.id)
    assert approve_in_browser(start.url).status_code == 200
    assert context.signin.wait_answers_delivered(timeout=30)
    assert heard == [Phase.EXCHANGING, Phase.CONNECTED, ("delivered", start.redirect_uri)]


def test_a_pasted_address_leaves_no_browser_waiting(context, world):
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    delivered = []
    context.signin.answer_delivered.subscribe(delivered.append)
    context.signin.complete_from_address(credential.id, consent_redirect(context.signin.begin(credential.id).url))
    assert context.credentials.get(credential.id).status is Status.CONNECTED
    assert context.signin.wait_answers_delivered(timeout=0) and delivered == []
