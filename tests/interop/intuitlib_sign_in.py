"""Signing in with Intuit's Python client (intuitlib) against the emulator, as its caller would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

from intuitlib.client import AuthClient  # intuit-oauth, pinned in pyproject's test extra
from intuitlib.enums import Scopes

from qbdesk.emulator import Emulator

from consent import consent_redirect

CLIENT_ID, CLIENT_SECRET = "intuitlib-client", "intuitlib-secret"
REDIRECT_URI = "http://localhost:8765/callback"


@contextmanager
def emulator_with_intuitlib_app() -> Iterator[Emulator]:
    """An emulator on the real clock (intuitlib checks id token expiry against it) that knows the app."""
    with Emulator() as emulator:
        emulator.register_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], "sandbox")
        yield emulator


def signed_in_client(intuit: Emulator, company: int = 2) -> tuple[AuthClient, str]:
    """An AuthClient that went through consent for one demo company; returns it and the realm id."""
    # developer.intuit.com's discovery path with its trailing slash, as intuitlib's own constants have it
    discovery = intuit.discovery_url("sandbox") + "/"
    client = AuthClient(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, discovery)
    scopes = [Scopes.ACCOUNTING, Scopes.OPENID, Scopes.PROFILE, Scopes.EMAIL]
    address = client.get_authorization_url(scopes)
    landing = parse_qs(urlsplit(consent_redirect(address, company=intuit.companies[company].realm_id)).query)
    assert landing["state"] == [client.state_token]  # intuitlib leaves the state check to its caller
    client.get_bearer_token(landing["code"][0], realm_id=landing["realmId"][0])
    return client, landing["realmId"][0]
