"""A stock requests-oauthlib client completes the whole flow against the emulator."""

from __future__ import annotations

from urllib.parse import urlsplit

from emulator_flow import ACCOUNTING, SANDBOX_KEYS, query_of, read_form
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session


def test_oauth2session_end_to_end(emulator, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    discovery = OAuth2Session().get(emulator.discovery_url("sandbox"), timeout=10).json()
    keys = SANDBOX_KEYS
    session = OAuth2Session(
        keys.client_id, redirect_uri=keys.redirect_uri, scope=[ACCOUNTING, "openid", "profile"], pkce="S256"
    )
    authorization_url, _state = session.authorization_url(discovery["authorization_endpoint"])
    assert "code_challenge=" in authorization_url

    # Play the browser: load the consent page and press Connect.
    page = session.get(authorization_url, timeout=10)
    form = read_form(page.text)
    fields = [*form.hidden_fields(), ("company", form.radios()[0]["value"]), ("decision", "connect")]
    landing = session.post(discovery["authorization_endpoint"], data=fields, allow_redirects=False, timeout=10)
    callback_url = landing.headers["Location"]
    assert urlsplit(callback_url)._replace(query="").geturl() == keys.redirect_uri
    realm_id = query_of(callback_url)["realmId"]

    token = session.fetch_token(
        discovery["token_endpoint"], authorization_response=callback_url, client_secret=keys.client_secret
    )
    assert token["token_type"].lower() == "bearer"
    assert "id_token" in token and "x_refresh_token_expires_in" in token

    api = emulator.api_base_url("sandbox")
    info = session.get(
        f"{api}/company/{realm_id}/companyinfo/{realm_id}", headers={"Accept": "application/json"}, timeout=10
    )
    assert info.status_code == 200
    assert info.json()["CompanyInfo"]["Id"] == realm_id

    old_access, old_refresh = token["access_token"], token["refresh_token"]
    refreshed = session.refresh_token(
        discovery["token_endpoint"], auth=HTTPBasicAuth(keys.client_id, keys.client_secret)
    )
    # Within a day Intuit hands the same refresh token back, with a new access token.
    assert refreshed["refresh_token"] == old_refresh and refreshed["access_token"] != old_access
    assert session.get(discovery["userinfo_endpoint"], timeout=10).json()["givenName"]

    revoke = session.post(
        discovery["revocation_endpoint"],
        json={"token": refreshed["refresh_token"]},
        auth=HTTPBasicAuth(keys.client_id, keys.client_secret),
        timeout=10,
    )
    assert revoke.status_code == 200
    assert session.get(f"{api}/company/{realm_id}/companyinfo/{realm_id}", timeout=10).status_code == 401
