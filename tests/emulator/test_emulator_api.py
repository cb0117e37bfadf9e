"""CompanyInfo, userinfo and revocation: which tokens the API accepts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests
from emulator_flow import ACCOUNTING, PRODUCTION_KEYS, SANDBOX_KEYS, Driver, fault_code

from qbdesk.emulator import Emulator


def test_company_info_returns_the_connected_company(driver, emulator):
    company = emulator.companies[2]
    body, callback = driver.tokens(company=company.realm_id)
    reply = driver.company_info(body["access_token"], callback["realmId"])
    assert reply.status_code == 200
    info = reply.json()["CompanyInfo"]
    assert info["CompanyName"] == company.name
    assert info["LegalName"]
    assert info["Id"] == company.realm_id
    assert info["Country"] == "US"
    assert "time" in reply.json()


def test_expired_access_token_gets_3200(driver, clock):
    body, callback = driver.tokens()
    clock.advance(3599)
    assert driver.company_info(body["access_token"], callback["realmId"]).status_code == 200
    clock.advance(1)
    reply = driver.company_info(body["access_token"], callback["realmId"])
    assert reply.status_code == 401
    assert fault_code(reply) == "3200"
    assert reply.json()["Fault"]["type"] == "AUTHENTICATION"
    assert body["access_token"] not in reply.text
    refreshed = driver.refresh(body["refresh_token"]).json()
    assert driver.company_info(refreshed["access_token"], callback["realmId"]).status_code == 200


def test_unknown_or_missing_token_gets_3200(driver, emulator):
    realm = emulator.companies[0].realm_id
    assert fault_code(driver.company_info("made-up-token", realm)) == "3200"
    url = f"{emulator.api_base_url('production')}/company/{realm}/companyinfo/{realm}"
    reply = requests.get(url, timeout=10)
    assert reply.status_code == 401 and fault_code(reply) == "3200"


def test_other_realm_gets_3100(driver, emulator):
    body, _ = driver.tokens(company=emulator.companies[0].realm_id)
    reply = driver.company_info(body["access_token"], emulator.companies[1].realm_id)
    assert reply.status_code == 403
    assert fault_code(reply) == "3100"


def test_sandbox_tokens_fail_on_the_production_api_and_vice_versa(driver):
    sandbox, callback = driver.tokens(SANDBOX_KEYS)
    assert driver.company_info(sandbox["access_token"], callback["realmId"], "sandbox").status_code == 200
    reply = driver.company_info(sandbox["access_token"], callback["realmId"], "production")
    assert reply.status_code == 401 and fault_code(reply) == "3200"
    production, callback = driver.tokens(PRODUCTION_KEYS)
    reply = driver.company_info(production["access_token"], callback["realmId"], "sandbox")
    assert reply.status_code == 401 and fault_code(reply) == "3200"


def test_revoke_kills_the_whole_family(driver):
    body, callback = driver.tokens()
    reply = driver.revoke(body["refresh_token"])
    assert reply.status_code == 200
    after = driver.company_info(body["access_token"], callback["realmId"])
    assert after.status_code == 401 and fault_code(after) == "3200"
    assert driver.refresh(body["refresh_token"]).json()["error"] == "invalid_grant"


def test_revoking_the_access_token_also_kills_the_refresh_token(driver):
    body, _ = driver.tokens()
    assert driver.revoke(body["access_token"]).status_code == 200
    assert driver.refresh(body["refresh_token"]).json()["error"] == "invalid_grant"


def test_revoke_unknown_token_is_200_and_bad_client_is_401(driver):
    assert driver.revoke("never-issued").status_code == 200
    body, callback = driver.tokens()
    reply = driver.revoke(body["refresh_token"], secret="wrong")
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"
    # Another client cannot revoke someone else's tokens.
    assert driver.revoke(body["refresh_token"], keys=SANDBOX_KEYS).status_code == 200
    assert driver.company_info(body["access_token"], callback["realmId"]).status_code == 200


def test_revoke_rejects_malformed_bodies(driver, emulator):
    url = emulator.base_url + "/v2/oauth2/tokens/revoke"
    auth = (PRODUCTION_KEYS.client_id, PRODUCTION_KEYS.client_secret)
    for payload in ("not json", "[1, 2]", '{"token": 5}', "{}"):
        reply = driver.http.post(url, data=payload, auth=auth, timeout=10, headers={"Content-Type": "application/json"})
        assert reply.status_code == 400, payload
        assert reply.json()["error"] == "invalid_request"


def test_userinfo_needs_openid_and_the_right_environment(driver, emulator):
    body, _ = driver.tokens(SANDBOX_KEYS, scope=f"{ACCOUNTING} openid email profile")
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    sandbox_url = emulator.base_url + "/sandbox/v1/openid_connect/userinfo"
    reply = requests.get(sandbox_url, headers=headers, timeout=10)
    assert reply.status_code == 200
    assert set(reply.json()) == {"sub", "email", "emailVerified", "givenName", "familyName"}
    production_url = emulator.base_url + "/v1/openid_connect/userinfo"
    assert requests.get(production_url, headers=headers, timeout=10).status_code == 401
    assert requests.get(sandbox_url, headers={"Authorization": "Bearer nope"}, timeout=10).status_code == 401
    plain, _ = driver.tokens(SANDBOX_KEYS)
    reply = requests.get(sandbox_url, headers={"Authorization": f"Bearer {plain['access_token']}"}, timeout=10)
    assert reply.status_code == 403


class DatetimeClock:
    """A clock in the style of qbdesk.core: now() returns an aware datetime."""

    def __init__(self) -> None:
        self.current = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current


def test_a_datetime_clock_drives_expiry_too():
    clock = DatetimeClock()
    with Emulator(clock=clock) as emu:
        emu.register_client(
            PRODUCTION_KEYS.client_id, PRODUCTION_KEYS.client_secret, [PRODUCTION_KEYS.redirect_uri], "production"
        )
        flow = Driver(emu)
        try:
            body, callback = flow.tokens()
            assert flow.company_info(body["access_token"], callback["realmId"]).status_code == 200
            clock.current += timedelta(hours=1)
            assert fault_code(flow.company_info(body["access_token"], callback["realmId"])) == "3200"
        finally:
            flow.close()
