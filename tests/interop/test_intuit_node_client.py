"""Intuit's Node client (npm intuit-oauth), unchanged, against the emulator over the whole lifecycle.

intuit_node_client.js drives the client and reports each step as a line of JSON; this test plays the
person at the consent page over real HTTP, as tests/consent.py does, and checks what the client saw.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from qbdesk.emulator import Emulator

from consent import consent_redirect
from node_script import NodeScript

pytestmark = pytest.mark.interop

CLIENT_ID, CLIENT_SECRET = "intuit-node-client", "intuit-node-secret"
REDIRECT_URI = "http://localhost:8766/callback"
SCOPES = ["com.intuit.quickbooks.accounting", "openid", "profile", "email"]


@pytest.fixture(scope="module")
def intuit():
    with Emulator() as emulator:  # the real clock: the Node client checks id token expiry against it
        emulator.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], "sandbox")
        yield emulator


@pytest.fixture(scope="module")
def steps(intuit):
    """Run the driver through sign-in and every later step; returns {step name: what it reported}."""
    driver = NodeScript("intuit_node_client.js", needs="intuit-oauth")
    try:
        driver.send(
            {
                "base_url": intuit.base_url,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": REDIRECT_URI,
                "scopes": SCOPES,
            }
        )
        authorize = driver.receive()
        assert authorize["step"] == "authorize"
        driver.send({"redirect": consent_redirect(authorize["url"], company=intuit.companies[1].realm_id)})
        reported: dict[str, dict] = {"authorize": authorize}
        while (step := driver.receive())["step"] not in ("done", "failed"):
            reported[step["step"]] = step
        assert step["step"] == "done", step
        return reported
    finally:
        driver.stop()


def test_the_authorization_address_is_intuits_with_the_emulator_as_host(steps, intuit):
    address = urlsplit(steps["authorize"]["url"])
    assert f"{address.scheme}://{address.netloc}{address.path}" == intuit.base_url + "/connect/oauth2"
    query = parse_qs(address.query)
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT_URI] and query["scope"] == [" ".join(SCOPES)]


def test_code_exchange_gives_intuit_shaped_tokens_and_the_chosen_company(steps, intuit):
    token = steps["token"]
    assert token["status"] == 200 and token["intuit_tid"]
    assert token["realm_id"] == intuit.companies[1].realm_id
    assert token["state"] == "interop-state-1"  # the client hands the state back; checking it is the caller's job
    assert token["access_token"].count(".") == 4 and token["refresh_token"].startswith("AB11")
    assert token["id_token"].count(".") == 2 and token["access_token_valid"] is True


def test_the_client_validates_the_id_token_and_refuses_a_forged_signature(steps):
    assert steps["validate_id_token"] == {"step": "validate_id_token", "ok": True, "value": True}
    forged = steps["validate_forged_id_token"]
    assert forged["ok"] is False and forged["message"] == "invalid signature"


def test_userinfo_and_company_info_through_the_client(steps, intuit):
    userinfo = steps["userinfo"]
    assert userinfo["ok"] and userinfo["value"]["givenName"] == "Alex" and userinfo["value"]["email"]
    realm_id = intuit.companies[1].realm_id
    company = steps["company_info"]
    assert company["ok"], company
    assert company["value"]["CompanyInfo"]["Id"] == realm_id
    assert company["value"]["CompanyInfo"]["CompanyName"] == intuit.companies[1].name


def test_refresh_keeps_the_refresh_token_and_the_new_access_token_works(steps, intuit):
    assert steps["refresh"]["access_token"] != steps["token"]["access_token"]
    assert steps["refresh"]["refresh_token"] == steps["token"]["refresh_token"]  # Intuit's rule within a day
    assert steps["company_info_after_refresh"]["ok"]


def test_revoke_ends_the_grant_for_refresh_and_api_calls(steps):
    assert steps["revoke"] == {"step": "revoke", "status": 200, "cleared": True}
    refused = steps["refresh_after_revoke"]
    assert refused["ok"] is False and refused["error"] == "invalid_grant" and refused["intuit_tid"]
    api = steps["company_info_after_revoke"]
    assert api["ok"] is False and api["code"] == "401"
