"""qbdesk's OAuth client against an independent server: the npm package oauth2-mock-server.

The bundled emulator was written alongside the client; this server was not. mock_server.js starts it
on 127.0.0.1 and fills two Intuit-specific gaps through the server's own events (see that file).
"""

from __future__ import annotations

import base64
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from qbdesk.core.credential import Status
from qbdesk.core.destinations import Destination
from qbdesk.intuit.discovery import DiscoveryCache, Endpoints
from qbdesk.intuit.errors import IntuitError
from qbdesk.intuit.oauth import ACCOUNTING_SCOPE, AuthorizationAttempt, TokenSet, exchange_code, start_authorization
from qbdesk.services.context import AppContext
from qbdesk.services.signin import Phase
from qbdesk.store.settings import env_name

from node_script import NodeScript

pytestmark = pytest.mark.interop

STARTUP_SECONDS = 20
CLIENT_ID = "interop-client"
CLIENT_SECRET = "interop-secret"
DEFAULT_REFRESH_SECONDS = 8726400  # qbdesk's default when x_refresh_token_expires_in is absent


@dataclass(frozen=True)
class MockServer:
    issuer: str
    realm_id: str | None

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def loopback_redirect_uri() -> str:
    return f"http://localhost:{free_port()}/callback"


@contextmanager
def running_mock_server(*args: str):
    """Start mock_server.js, read its one line of JSON, and stop it afterwards."""
    script = NodeScript("mock_server.js", *args, needs="oauth2-mock-server")
    try:
        started = script.receive(STARTUP_SECONDS)
        yield MockServer(started["issuer"], started["realm_id"])
    finally:
        script.stop()


@pytest.fixture(scope="module")
def server():
    with running_mock_server() as running:
        yield running


@pytest.fixture
def endpoints(server) -> Endpoints:
    return DiscoveryCache().endpoints(server.discovery_url)


@pytest.fixture
def attempt(endpoints) -> AuthorizationAttempt:
    return start_authorization(endpoints, CLIENT_ID, loopback_redirect_uri())


def authorize(attempt: AuthorizationAttempt) -> dict[str, str]:
    """Open the consent URL the way a browser would and read where the server sends it."""
    response = requests.get(attempt.url, allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303), response.text
    location = response.headers["Location"]
    assert location.startswith(attempt.redirect_uri + "?")
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def test_discovery_reads_the_servers_endpoints(server, endpoints):
    assert endpoints == Endpoints(
        authorization=server.issuer + "/authorize",
        token=server.issuer + "/token",
        revocation=server.issuer + "/revoke",
        userinfo=server.issuer + "/userinfo",
    )


def test_authorization_url_carries_state_and_an_s256_challenge(endpoints, attempt):
    parts = urlsplit(attempt.url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == endpoints.authorization
    query = parse_qs(parts.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [attempt.redirect_uri]
    assert query["scope"] == [ACCOUNTING_SCOPE]
    assert query["state"] == [attempt.state] and len(attempt.state) >= 16
    assert query["code_challenge_method"] == ["S256"]
    challenge = query["code_challenge"][0]
    assert len(base64.urlsafe_b64decode(challenge + "=")) == 32  # a SHA-256 digest, base64url without padding


def test_the_authorize_redirect_brings_a_code_and_the_same_state(attempt):
    redirect = authorize(attempt)
    assert redirect["code"]
    assert redirect["state"] == attempt.state


def test_exchange_returns_tokens_that_expire_in_the_future(endpoints, attempt):
    code = authorize(attempt)["code"]
    now = datetime.now(UTC)
    # The server checks the code_verifier against the S256 challenge it saw at /authorize.
    tokens = exchange_code(attempt, endpoints, CLIENT_SECRET, code, now)
    assert isinstance(tokens, TokenSet)
    assert tokens.access_token and tokens.refresh_token
    assert tokens.access_expires_at == now + timedelta(seconds=3600)
    # oauth2-mock-server sends no x_refresh_token_expires_in: qbdesk falls back to Intuit's 100 days.
    assert tokens.refresh_expires_at == now + timedelta(seconds=DEFAULT_REFRESH_SECONDS)
    assert tokens.hard_expires_at is None
    assert now < tokens.access_expires_at < tokens.refresh_expires_at


def test_a_code_is_accepted_only_once(endpoints, attempt):
    # oauth2-mock-server forgets a code's PKCE challenge when the code is redeemed, so a replay that
    # carries a code_verifier (as qbdesk's must) is refused; one without a verifier would be accepted.
    code = authorize(attempt)["code"]
    now = datetime.now(UTC)
    exchange_code(attempt, endpoints, CLIENT_SECRET, code, now)
    with pytest.raises(IntuitError) as refused:
        exchange_code(attempt, endpoints, CLIENT_SECRET, code, now)
    assert refused.value.code in ("invalid_grant", "invalid_request")


def test_a_grant_without_accounting_scope_is_refused_in_plain_words():
    # Unmodified, oauth2-mock-server answers scope "dummy" to an authorization_code grant: a server
    # granting another scope than the one asked for, which RFC 6749 section 3.3 allows.
    with running_mock_server("--as-is") as raw:
        endpoints = DiscoveryCache().endpoints(raw.discovery_url)
        attempt = start_authorization(endpoints, CLIENT_ID, loopback_redirect_uri())
        code = authorize(attempt)["code"]
        with pytest.raises(IntuitError, match="did not grant access to QuickBooks accounting"):
            exchange_code(attempt, endpoints, CLIENT_SECRET, code, datetime.now(UTC))


def test_the_sign_in_service_connects_a_credential_end_to_end(server, tmp_path):
    destination = Destination.SANDBOX
    overrides = {
        env_name(destination, "client_id"): CLIENT_ID,
        env_name(destination, "client_secret"): CLIENT_SECRET,
        env_name(destination, "redirect_uri"): loopback_redirect_uri(),
        env_name(destination, "discovery_url"): server.discovery_url,
    }
    context = AppContext.open(tmp_path / "data", overrides)
    try:
        updates = []
        context.signin.updated.subscribe(updates.append)
        credential = context.credentials.create_pending("X", destination)
        url = context.signin.begin(credential.id).url

        page = requests.get(url, timeout=20)  # the server redirects straight to qbdesk's listener

        assert page.status_code == 200 and "Connected to QuickBooks" in page.text
        stored = context.credentials.get(credential.id)
        assert stored.status is Status.CONNECTED
        assert stored.realm_id == server.realm_id
        assert [update.phase for update in updates] == [Phase.EXCHANGING, Phase.CONNECTED]
    finally:
        context.close()
