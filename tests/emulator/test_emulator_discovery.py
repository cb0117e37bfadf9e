"""Discovery documents, addresses and routing of the emulator."""

from __future__ import annotations

import pytest
import requests

from qbdesk.emulator import DemoCompany, Emulator


@pytest.mark.parametrize(
    ("environment", "userinfo_path"),
    [("production", "/v1/openid_connect/userinfo"), ("sandbox", "/sandbox/v1/openid_connect/userinfo")],
)
def test_discovery_document_lists_intuit_endpoints(emulator, environment, userinfo_path):
    reply = requests.get(emulator.discovery_url(environment), timeout=10)
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("application/json")
    doc = reply.json()
    base = emulator.base_url
    assert doc["authorization_endpoint"] == base + "/connect/oauth2"
    assert doc["token_endpoint"] == base + "/oauth2/v1/tokens/bearer"
    assert doc["revocation_endpoint"] == base + "/v2/oauth2/tokens/revoke"
    assert doc["userinfo_endpoint"] == base + userinfo_path
    assert doc["issuer"] == "https://oauth.platform.intuit.com/op/v1"  # Intuit's fixed name, not its host
    assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_post", "client_secret_basic"]
    assert doc["response_types_supported"] == ["code"]
    assert {"openid", "com.intuit.quickbooks.accounting"} <= set(doc["scopes_supported"])
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    (key,) = requests.get(doc["jwks_uri"], timeout=10).json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]


@pytest.mark.parametrize(
    ("path", "environment"),
    [
        ("/.well-known/openid_configuration", "production"),
        ("/.well-known/openid_configuration/", "production"),  # developer.intuit.com's, as intuitlib reads it
        ("/.well-known/openid_sandbox_configuration", "sandbox"),
        ("/.well-known/openid_sandbox_configuration/", "sandbox"),
    ],
)
def test_discovery_is_served_at_every_address_intuits_clients_use(emulator, path, environment):
    reply = requests.get(emulator.base_url + path, timeout=10)
    assert reply.status_code == 200
    assert reply.json() == requests.get(emulator.discovery_url(environment), timeout=10).json()


def test_discovery_urls_and_api_bases(emulator):
    base = emulator.base_url
    assert base.startswith("http://127.0.0.1:")
    assert emulator.discovery_url("production") == base + "/.well-known/openid_configuration"
    assert emulator.discovery_url("sandbox") == base + "/.well-known/openid_sandbox_configuration"
    assert emulator.api_base_url("production") == base + "/v3"
    assert emulator.api_base_url("sandbox") == base + "/sandbox/v3"
    with pytest.raises(ValueError):
        emulator.api_base_url("staging")


def test_unknown_path_is_404_and_wrong_method_is_405(emulator):
    assert requests.get(emulator.base_url + "/nope", timeout=10).status_code == 404
    reply = requests.get(emulator.base_url + "/oauth2/v1/tokens/bearer", timeout=10)
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "POST"
    assert requests.delete(emulator.base_url + "/connect/oauth2", timeout=10).status_code == 501


def test_index_page_names_the_emulator(emulator):
    reply = requests.get(emulator.base_url + "/", timeout=10)
    assert reply.status_code == 200
    assert "qbdesk Intuit emulator" in reply.text


def test_companies_default_and_custom():
    emulator = Emulator()
    assert len(emulator.companies) == 3
    assert all(company.realm_id.isdigit() for company in emulator.companies)
    custom = [DemoCompany("123", "Acme Corp")]
    assert Emulator(companies=custom).companies == custom
    with pytest.raises(ValueError):
        DemoCompany("12a", "Bad realm")
    with pytest.raises(ValueError):
        Emulator(companies=[])


def test_base_url_needs_a_started_emulator_and_stop_is_idempotent():
    emulator = Emulator()
    with pytest.raises(RuntimeError):
        _ = emulator.base_url
    emulator.start()
    url = emulator.discovery_url("production")
    assert requests.get(url, timeout=10).status_code == 200
    emulator.stop()
    emulator.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_register_client_rejects_bad_input():
    emulator = Emulator()
    with pytest.raises(ValueError):
        emulator.register_client("id", "secret", ["https://x.example/cb"], "staging")
    with pytest.raises(ValueError):
        emulator.register_client("id", "secret", ["not a url"], "sandbox")
    with pytest.raises(ValueError):
        emulator.register_client("id", "secret", [], "sandbox")
    with pytest.raises(ValueError):
        emulator.register_client("id:x", "secret", ["https://x.example/cb"], "sandbox")
    with pytest.raises(TypeError):
        emulator.register_client("id", "secret", "https://x.example/cb", "sandbox")  # type: ignore[arg-type]
