"""The token endpoint: code exchange, PKCE, client authentication, rotation and expiry fields."""

from __future__ import annotations

import pytest
from emulator_flow import PRODUCTION_KEYS, SANDBOX_KEYS, Driver, fault_code, pkce_pair

from qbdesk.emulator import Emulator, Rotation

HARD_HEADER = {"x-include-refresh-token-hard-expires-in": "true"}


def test_code_exchange_with_basic_auth_returns_intuit_fields(driver, emulator):
    callback = driver.code()
    reply = driver.exchange(callback["code"])
    assert reply.status_code == 200
    assert reply.headers["Cache-Control"] == "no-store"
    body = reply.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["x_refresh_token_expires_in"] == 8726400
    assert "id_token" not in body
    assert "x_refresh_token_hard_expires_in" not in body
    assert {body["access_token"], body["refresh_token"], callback["code"]} <= emulator.issued_secrets()
    assert body["access_token"] != body["refresh_token"]
    assert driver.company_info(body["access_token"], callback["realmId"]).status_code == 200


def test_client_secret_post_is_accepted(driver, emulator):
    callback = driver.code()
    data = {
        "grant_type": "authorization_code",
        "code": callback["code"],
        "redirect_uri": PRODUCTION_KEYS.redirect_uri,
        "client_id": PRODUCTION_KEYS.client_id,
        "client_secret": PRODUCTION_KEYS.client_secret,
    }
    reply = driver.http.post(emulator.base_url + "/oauth2/v1/tokens/bearer", data=data, timeout=10)
    assert reply.status_code == 200, reply.text


def test_pkce_s256_good_verifier(driver):
    verifier, challenge = pkce_pair()
    callback = driver.code(code_challenge=challenge, code_challenge_method="S256")
    assert driver.exchange(callback["code"], code_verifier=verifier).status_code == 200


def test_pkce_s256_bad_or_missing_verifier_is_refused(driver):
    verifier, challenge = pkce_pair()
    callback = driver.code(code_challenge=challenge, code_challenge_method="S256")
    reply = driver.exchange(callback["code"], code_verifier=verifier[:-1] + ("A" if verifier[-1] != "A" else "B"))
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"
    assert driver.exchange(callback["code"]).json()["error"] == "invalid_request"
    # A failed check does not burn the code: the right verifier still works.
    assert driver.exchange(callback["code"], code_verifier=verifier).status_code == 200


def test_wrong_secret_or_unknown_client_is_401_invalid_client(driver):
    callback = driver.code()
    data = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": PRODUCTION_KEYS.redirect_uri}
    reply = driver.token_request(data, secret="wrong-secret")
    assert reply.status_code == 401
    assert reply.json() == {"error": "invalid_client"}
    assert reply.headers["WWW-Authenticate"].startswith("Basic")
    reply = driver.token_request(data, keys=SANDBOX_KEYS)
    assert reply.status_code == 400  # right keys, but the code belongs to another client
    assert reply.json()["error"] == "invalid_grant"
    assert driver.exchange(callback["code"]).status_code == 200


def test_code_reuse_fails_and_revokes_tokens_from_that_code(driver):
    callback = driver.code()
    first = driver.exchange(callback["code"]).json()
    assert driver.company_info(first["access_token"], callback["realmId"]).status_code == 200
    again = driver.exchange(callback["code"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    reply = driver.company_info(first["access_token"], callback["realmId"])
    assert reply.status_code == 401
    assert fault_code(reply) == "3200"
    assert driver.refresh(first["refresh_token"]).json()["error"] == "invalid_grant"


def test_redirect_uri_must_match_the_authorize_request(driver):
    callback = driver.code()
    data = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": "https://other.example/cb"}
    reply = driver.token_request(data)
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"


def test_code_expires_after_code_ttl(driver, clock):
    callback = driver.code()
    clock.advance(601)
    reply = driver.exchange(callback["code"])
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_grant"


def test_refresh_token_expiry_is_rolling(driver, clock):
    first, _ = driver.tokens()
    clock.advance(8726400 - 10)
    second = driver.refresh(first["refresh_token"])
    assert second.status_code == 200
    clock.advance(8726400 - 10)
    assert driver.refresh(second.json()["refresh_token"]).status_code == 200


def test_refresh_token_expires_when_unused(driver, clock):
    first, _ = driver.tokens()
    clock.advance(8726400)
    assert driver.refresh(first["refresh_token"]).json()["error"] == "invalid_grant"


def test_hard_expiry_field_only_with_the_header(driver):
    callback = driver.code()
    data = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": PRODUCTION_KEYS.redirect_uri}
    body = driver.token_request(data, headers=HARD_HEADER).json()
    assert body["x_refresh_token_hard_expires_in"] == 5 * 365 * 86400
    refreshed = driver.refresh(body["refresh_token"]).json()
    assert "x_refresh_token_hard_expires_in" not in refreshed
    with_header = driver.token_request(
        {"grant_type": "refresh_token", "refresh_token": refreshed["refresh_token"]}, headers=HARD_HEADER
    ).json()
    assert with_header["x_refresh_token_hard_expires_in"] == 5 * 365 * 86400


@pytest.fixture
def short_lived(clock):
    lifetimes = {"refresh_token_ttl": 100, "hard_expiry_ttl": 250, "access_token_ttl": 30, "code_ttl": 5}
    with Emulator(clock=clock, rotation=Rotation(reuse_for=60, grace=0), **lifetimes) as emu:
        emu.register_client(
            PRODUCTION_KEYS.client_id, PRODUCTION_KEYS.client_secret, [PRODUCTION_KEYS.redirect_uri], "production"
        )
        yield emu


def test_refresh_expiry_is_capped_by_the_hard_expiry(short_lived, clock):
    flow = Driver(short_lived)
    try:
        body, _ = flow.tokens()
        assert body["expires_in"] == 30
        assert body["x_refresh_token_expires_in"] == 100
        clock.advance(90)
        body = flow.refresh(body["refresh_token"]).json()
        clock.advance(90)
        body = flow.token_request(
            {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}, headers=HARD_HEADER
        ).json()
        assert body["x_refresh_token_expires_in"] == 70  # a new one: its lifetime capped by the hard expiry
        assert body["x_refresh_token_hard_expires_in"] == 70
        clock.advance(70)
        assert flow.refresh(body["refresh_token"]).json()["error"] == "invalid_grant"
    finally:
        flow.close()


def test_grant_type_errors(driver):
    reply = driver.token_request({"grant_type": "password", "username": "u", "password": "p"})
    assert reply.status_code == 400
    assert reply.json()["error"] == "unsupported_grant_type"
    reply = driver.token_request({"code": "x"})
    assert reply.json()["error"] == "invalid_request"
    reply = driver.token_request({"grant_type": "authorization_code", "redirect_uri": PRODUCTION_KEYS.redirect_uri})
    assert reply.json()["error"] == "invalid_request"
    assert driver.refresh("never-issued").json()["error"] == "invalid_grant"


def test_tokens_are_tied_to_their_client(driver):
    body, _ = driver.tokens(SANDBOX_KEYS)
    assert driver.refresh(body["refresh_token"], keys=PRODUCTION_KEYS).json()["error"] == "invalid_grant"
    assert driver.refresh(body["refresh_token"], keys=SANDBOX_KEYS).status_code == 200
