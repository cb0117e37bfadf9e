"""Intuit's own Python client (intuit-oauth, module intuitlib), unchanged, against the emulator.

intuitlib is pointed at the emulator through its public configuration only: AuthClient's `environment`
takes a discovery address in place of "sandbox" or "production". It then reads every endpoint from there.
"""

from __future__ import annotations

import pytest
import requests
from intuitlib.exceptions import AuthClientError
from intuitlib.utils import validate_id_token

from intuitlib_sign_in import CLIENT_ID, emulator_with_intuitlib_app, signed_in_client

pytestmark = pytest.mark.interop


@pytest.fixture
def intuit():
    with emulator_with_intuitlib_app() as emulator:
        yield emulator


def test_intuitlib_signs_in_validates_the_id_token_refreshes_and_revokes(intuit):
    client, realm_id = signed_in_client(intuit)
    assert realm_id == intuit.companies[2].realm_id
    assert client.access_token.count(".") == 4 and client.refresh_token.startswith("AB11")
    # intuitlib keeps the id token only when its signature checks out against the JWKS, by kid.
    assert client.id_token is not None

    info = client.get_user_info().json()
    assert info["givenName"] and info["email"]

    api = f"{intuit.api_base_url('sandbox')}/company/{realm_id}/companyinfo/{realm_id}"
    headers = {"Authorization": f"Bearer {client.access_token}", "Accept": "application/json"}
    assert requests.get(api, headers=headers, timeout=10).json()["CompanyInfo"]["Id"] == realm_id

    first_access, first_refresh = client.access_token, client.refresh_token
    client.refresh()
    assert client.access_token != first_access
    assert client.refresh_token == first_refresh  # Intuit hands the same refresh token back within a day

    assert client.revoke() is True
    with pytest.raises(AuthClientError) as refused:
        client.refresh()
    assert refused.value.status_code == 400
    assert refused.value.intuit_tid  # read from Intuit's response header
    headers["Authorization"] = f"Bearer {client.access_token}"
    assert requests.get(api, headers=headers, timeout=10).status_code == 401


def test_intuitlib_drops_an_id_token_whose_signature_does_not_match(intuit):
    client, _ = signed_in_client(intuit)
    header, claims, signature = client.id_token.split(".")
    forged = f"{header}.{claims}.{signature[:-4]}AAAA"

    assert validate_id_token(client.id_token, CLIENT_ID, client.issuer_uri, client.jwks_uri) is True
    assert validate_id_token(forged, CLIENT_ID, client.issuer_uri, client.jwks_uri) is False
