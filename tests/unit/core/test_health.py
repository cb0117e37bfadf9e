"""States and early warnings as the list shows them."""

from dataclasses import replace
from datetime import timedelta

import pytest

from qbdesk.core.clock import FakeClock
from qbdesk.core.credential import Credential, Health, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.health import State, expiry_warning, state_of

NOW = FakeClock().now()
CONNECTED = Credential(
    id="x", name="Acme", destination=Destination.SANDBOX, status=Status.CONNECTED, created_at=NOW, realm_id="1",
    access_token_expires_at=NOW + timedelta(hours=1), refresh_token_expires_at=NOW + timedelta(days=100),
    hard_expires_at=NOW + timedelta(days=1800),
)


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, State.CONNECTED),
        ({"status": Status.PENDING}, State.INCOMPLETE),
        ({"health": Health.NEEDS_RECONNECT}, State.NEEDS_RECONNECT),
        ({"health": Health.OFFLINE}, State.OFFLINE),
        ({"refresh_token_expires_at": NOW - timedelta(seconds=1)}, State.NEEDS_RECONNECT),
        ({"hard_expires_at": NOW}, State.NEEDS_RECONNECT),
        ({"health": Health.OFFLINE, "refresh_token_expires_at": NOW}, State.NEEDS_RECONNECT),
    ],
)
def test_state_follows_status_health_and_expiry(changes, state):
    assert state_of(replace(CONNECTED, **changes), NOW) is state


def test_no_warning_far_from_any_expiry():
    assert expiry_warning(CONNECTED, NOW) is None


def test_refresh_token_within_fourteen_days_warns():
    soon = replace(CONNECTED, refresh_token_expires_at=NOW + timedelta(days=9, hours=2))
    assert "in 9 days" in expiry_warning(soon, NOW)


def test_hard_expiry_within_fourteen_days_warns_first():
    both = replace(CONNECTED, refresh_token_expires_at=NOW + timedelta(days=3), hard_expires_at=NOW + timedelta(days=1, hours=1))
    assert "hard limit" in expiry_warning(both, NOW) and "tomorrow" in expiry_warning(both, NOW)


def test_pending_credentials_have_no_expiry_warning():
    assert expiry_warning(replace(CONNECTED, status=Status.PENDING, refresh_token_expires_at=NOW), NOW) is None
