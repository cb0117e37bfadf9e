"""Keeping credentials alive against the emulator: refresh, rotation, failures, test call, delete, races."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.emulator import STRICT_ROTATION, Emulator
from qbdesk.intuit.errors import Kind
from qbdesk.services.context import AppContext
from qbdesk.services.tokens import CredentialUnusable
from qbdesk.store.vault import FileVault, load_tokens

from consent import approve_in_browser
from world import make_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def emulator(clock):
    """The emulator on the same fake clock as qbdesk, so token lifetimes agree."""
    with Emulator(clock=clock) as running:
        yield running


@pytest.fixture
def world(emulator, tmp_path):
    return make_world(emulator, tmp_path / "data")


@pytest.fixture
def context(world, clock):
    opened = AppContext.open(world.data_dir, world.overrides, clock=clock, vault=FileVault(world.data_dir / "s.json"))
    yield opened
    opened.close()


def connected(context, name="Acme") -> str:
    credential = context.credentials.create_pending(name, Destination.SANDBOX)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    assert context.credentials.get(credential.id).status is Status.CONNECTED
    return credential.id


def test_a_fresh_access_token_is_handed_out_without_calling_intuit(context, world):
    credential_id = connected(context)
    calls = world.emulator.token_calls
    access, _ = load_tokens(context.vault, credential_id)
    assert context.tokens.access_token(credential_id) == access
    assert world.emulator.token_calls == calls
    assert context.credentials.get(credential_id).last_used_at is not None


def test_near_expiry_refreshes_first_and_stores_the_rotated_refresh_token(context, world, clock):
    world.emulator.rotation = STRICT_ROTATION  # every refresh rotates and the previous token dies at once
    credential_id = connected(context)
    old_access, old_refresh = load_tokens(context.vault, credential_id)
    clock.advance(3600 - 240)  # under five minutes left
    new_access = context.tokens.access_token(credential_id)
    new_access_stored, new_refresh = load_tokens(context.vault, credential_id)
    assert new_access == new_access_stored != old_access
    assert new_refresh != old_refresh
    credential = context.credentials.get(credential_id)
    assert credential.access_token_expires_at == clock.now() + timedelta(seconds=3600)
    assert credential.hard_expires_at is not None and credential.health is Health.OK
    # The old refresh token is dead at Intuit: losing the new one would have meant re-consent.
    endpoints = context.discovery.endpoints(world.emulator.discovery_url("sandbox"))
    answer = requests.post(endpoints.token, data={"grant_type": "refresh_token", "refresh_token": old_refresh},
                           auth=("test-sandbox-client", "test-sandbox-secret"), timeout=10)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert [e.event for e in context.audit.events()][:1] == ["refreshed"]


def test_a_revoked_credential_is_marked_needs_reconnect_with_plain_words(context, world):
    credential_id = connected(context)
    _, refresh = load_tokens(context.vault, credential_id)
    endpoints = context.discovery.endpoints(world.emulator.discovery_url("sandbox"))
    requests.post(endpoints.revocation, json={"token": refresh}, auth=("test-sandbox-client", "test-sandbox-secret"),
                  timeout=10).raise_for_status()
    with pytest.raises(CredentialUnusable) as refused:
        context.tokens.refresh(credential_id)
    assert refused.value.kind is Kind.RECONNECT and refused.value.next_step is NextStep.RECONNECT
    assert "no longer accepts" in str(refused.value)
    credential = context.credentials.get(credential_id)
    assert credential.health is Health.NEEDS_RECONNECT and "no longer accepts" in credential.health_detail
    assert load_tokens(context.vault, credential_id)[1] == refresh  # nothing stored was lost


def test_offline_marks_the_credential_unknown_and_keeps_its_tokens(context, world):
    credential_id = connected(context)
    before = load_tokens(context.vault, credential_id)
    world.emulator.stop()
    with pytest.raises(CredentialUnusable) as refused:
        context.tokens.refresh(credential_id)
    assert refused.value.kind is Kind.OFFLINE
    assert context.credentials.get(credential_id).health is Health.OFFLINE
    assert load_tokens(context.vault, credential_id) == before


def test_test_connection_stores_the_company_name(context, world):
    credential_id = connected(context)
    credential = context.tokens.test_connection(credential_id)
    assert credential.company_name == world.emulator.companies[0].name
    assert context.credentials.get(credential_id).company_name == world.emulator.companies[0].name


def test_keep_alive_refreshes_only_credentials_near_the_refresh_deadline(context, world, clock):
    soon = connected(context, "Soon")
    clock.advance(75 * 86400)
    later = connected(context, "Later")
    assert context.tokens.keep_alive() == [soon]
    assert context.credentials.get(soon).refresh_token_expires_at > clock.now() + timedelta(days=99)
    assert context.credentials.get(later).last_refreshed_at is None


def test_delete_revokes_at_intuit_and_removes_everything(context, world):
    credential_id = connected(context)
    _, refresh = load_tokens(context.vault, credential_id)
    assert context.tokens.delete(credential_id) is True
    assert context.credentials.get(credential_id) is None
    assert load_tokens(context.vault, credential_id) is None
    assert context.audit.events()[0].detail == "revoked at Intuit"


def test_delete_while_offline_removes_here_only_and_says_so(context, world):
    credential_id = connected(context)
    world.emulator.stop()
    assert context.tokens.delete(credential_id) is False
    assert context.credentials.get(credential_id) is None
    assert context.audit.events()[0].detail == "removed here only"


def test_racing_processes_make_one_refresh_and_share_the_new_tokens(world, tmp_path):
    """Four separate processes ask for a token at once; exactly one refresh reaches Intuit."""
    secrets = world.data_dir / "s.json"
    # Signed in two hours ago by this clock: the one-hour access token has expired by the time the processes ask.
    earlier = FakeClock(datetime.now(UTC) - timedelta(hours=2))
    context = AppContext.open(world.data_dir, world.overrides, clock=earlier, vault=FileVault(secrets))
    try:
        credential_id = connected(context)
        assert context.credentials.get(credential_id).access_token_expires_at < datetime.now(UTC)
    finally:
        context.close()
    calls = world.emulator.token_calls
    script = Path(__file__).with_name("token_client.py")
    args = [str(world.data_dir), str(secrets), credential_id, json.dumps(world.overrides)]
    processes = [
        subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], [err for _, err in outputs]
    tokens = {out.strip() for out, _ in outputs}
    assert len(tokens) == 1
    assert world.emulator.token_calls == calls + 1
    assert load_tokens(FileVault(secrets), credential_id)[0] == tokens.pop()


def test_a_credential_marked_for_reconnect_hands_out_no_token(context, world):
    credential_id = connected(context)
    context.credentials.set_health(credential_id, Health.NEEDS_RECONNECT, "Intuit refused it.")
    with pytest.raises(CredentialUnusable) as refused:
        context.tokens.access_token(credential_id)
    assert refused.value.kind is Kind.RECONNECT and refused.value.next_step is NextStep.RECONNECT
    assert str(refused.value) == "Intuit refused it."
