"""Refresh-token rotation: Intuit's rule (the same token for a day, then a new one, the previous kept for a
grace period) by default, and the strict rule (retired at once) when asked for."""

from __future__ import annotations

import pytest
from emulator_flow import PRODUCTION_KEYS, Driver

from qbdesk.emulator import INTUIT_ROTATION, STRICT_ROTATION, Emulator, Rotation

REFUSED = {"error": "invalid_grant", "error_description": "Incorrect or invalid refresh token"}
DAY = 86400


def test_intuits_rule_is_the_default_a_day_of_reuse_and_a_day_of_grace(emulator):
    assert emulator.rotation == INTUIT_ROTATION == Rotation(reuse_for=DAY, grace=DAY)


def test_within_the_window_the_same_refresh_token_comes_back_with_new_access_tokens(driver, emulator, clock):
    first, callback = driver.tokens()
    clock.advance(DAY - 60)
    again = driver.refresh(first["refresh_token"]).json()
    assert again["refresh_token"] == first["refresh_token"]
    assert again["access_token"] != first["access_token"]
    assert again["x_refresh_token_expires_in"] == first["x_refresh_token_expires_in"] - (DAY - 60)
    assert driver.company_info(again["access_token"], callback["realmId"]).status_code == 200


def test_after_the_window_a_new_one_and_the_previous_works_through_its_grace(driver, clock):
    first, _ = driver.tokens()
    clock.advance(DAY)
    second = driver.refresh(first["refresh_token"]).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["x_refresh_token_expires_in"] == first["x_refresh_token_expires_in"]  # a fresh 100 days
    clock.advance(DAY - 1)
    # A client that lost the new token (a crash before it was saved) is led back to it, not to a third.
    late = driver.refresh(first["refresh_token"])
    assert late.status_code == 200 and late.json()["refresh_token"] == second["refresh_token"]
    clock.advance(1)
    stale = driver.refresh(first["refresh_token"])
    assert stale.status_code == 400 and stale.json() == REFUSED
    assert driver.refresh(second["refresh_token"]).json()["refresh_token"] != second["refresh_token"]


def test_a_replaced_token_in_its_grace_rotates_the_newest_once_that_is_old_enough(clock):
    with Emulator(clock=clock, rotation=Rotation(reuse_for=100, grace=1000)) as emulator:
        emulator.register_client(
            PRODUCTION_KEYS.client_id, PRODUCTION_KEYS.client_secret, [PRODUCTION_KEYS.redirect_uri], "production"
        )
        driver = Driver(emulator)
        first, _ = driver.tokens()
        clock.advance(100)
        second = driver.refresh(first["refresh_token"]).json()["refresh_token"]
        clock.advance(100)
        third = driver.refresh(first["refresh_token"]).json()["refresh_token"]
        assert len({first["refresh_token"], second, third}) == 3
        assert driver.refresh(second).json()["refresh_token"] == third
        driver.close()


def test_strict_rule_retires_the_previous_token_at_once(driver, emulator, clock):
    emulator.rotation = STRICT_ROTATION
    first, callback = driver.tokens()
    calls_before = emulator.token_calls
    second = driver.refresh(first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    stale = driver.refresh(first["refresh_token"])
    assert stale.status_code == 400 and stale.json() == REFUSED
    assert driver.refresh(rotated["refresh_token"]).status_code == 200
    assert emulator.token_calls == calls_before + 3
    assert driver.company_info(rotated["access_token"], callback["realmId"]).status_code == 200


def test_revoking_ends_a_token_in_its_grace_too(driver, clock):
    first, _ = driver.tokens()
    clock.advance(DAY)
    second = driver.refresh(first["refresh_token"]).json()
    assert driver.revoke(second["refresh_token"]).status_code == 200
    assert driver.refresh(first["refresh_token"]).json() == REFUSED
    assert driver.refresh(second["refresh_token"]).json() == REFUSED


@pytest.mark.parametrize("bad", [{"reuse_for": -1}, {"grace": float("inf")}, {"grace": "1"}, {"reuse_for": True}])
def test_impossible_rotations_are_refused(bad):
    with pytest.raises(ValueError):
        Rotation(**bad)
    with pytest.raises(TypeError):
        Emulator(rotation="strict")  # type: ignore[arg-type]
