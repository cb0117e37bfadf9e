"""The Python API for scripts: a requests session for one credential's company that keeps its token fresh.

    from qbdesk import client

    with client.session("Acme") as qbo:
        invoices = qbo.get("query", params={"query": "select * from Invoice"}).json()

The session's base URL is the company's (``https://quickbooks.api.intuit.com/v3/company/REALM/``), so
relative paths such as ``"query"`` or ``"companyinfo/REALM"`` go there with the bearer token set. Tokens are
refreshed through the same locked, rotation-safe path as the window and the command line, when under five
minutes remain or when QuickBooks answers 401 (the call is then tried once more). The token is never sent to
an address outside the destination's QuickBooks API. No Qt is imported.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin

import requests

from qbdesk.core.credential import Credential
from qbdesk.core.health import access_token_fresh
from qbdesk.launch import Launched, data_folder, open_services
from qbdesk.services.tokens import CredentialUnusable

__all__ = ["CompanySession", "CredentialNotFound", "CredentialUnusable", "session", "token"]

class CredentialNotFound(LookupError):
    """No credential has that name or id."""


class CompanySession(requests.Session):
    """A requests.Session for one company: relative URLs resolve against base_url and carry a fresh bearer."""

    def __init__(self, launched: Launched, credential_id: str) -> None:
        super().__init__()
        self._launched = launched
        context = launched.context
        credential = context.credentials.get(credential_id)
        if credential is None:
            raise CredentialNotFound(credential_id)
        self.credential_id = credential_id
        self.name = credential.name
        self.realm_id = credential.realm_id or ""
        self.environment = credential.destination.value
        self.api_base = context.settings.app(credential.destination).effective_api_base_url.rstrip("/") + "/"
        self.base_url = f"{self.api_base}company/{self.realm_id}/"
        self.headers["Accept"] = "application/json"
        self._token: str | None = None
        self._given_for: Credential | None = None  # the credential as it was when the token was handed out

    def access_token(self) -> str:
        """A token with more than five minutes left, refreshed first (under the shared lock) when needed."""
        context = self._launched.context
        fresh = self._given_for is not None and access_token_fresh(self._given_for, context.clock.now())
        if self._token is None or not fresh:
            self._token = context.tokens.access_token(self.credential_id)
            self._given_for = context.credentials.get(self.credential_id)
        return self._token

    def _renewed_token(self, refused: str) -> str:
        """After a 401: the token another process stored meanwhile, else a refresh made now."""
        tokens = self._launched.context.tokens
        self._token = None
        stored = self.access_token()
        if stored != refused:
            return stored
        tokens.refresh(self.credential_id)
        self._token = None
        return self.access_token()

    def request(self, method: str | bytes, url: str | bytes, *args, **kwargs) -> requests.Response:
        """Send the request; a call to this destination's API carries the bearer and is retried once after a 401."""
        text = url.decode() if isinstance(url, bytes) else url
        absolute = urljoin(self.base_url, text)
        if not absolute.startswith(self.api_base):
            return super().request(method, absolute, *args, **kwargs)
        headers = dict(kwargs.pop("headers", None) or {})
        used = self.access_token()
        headers["Authorization"] = f"Bearer {used}"
        response = super().request(method, absolute, *args, headers=headers, **kwargs)
        if response.status_code != 401:
            return response
        response.close()
        headers["Authorization"] = f"Bearer {self._renewed_token(used)}"
        return super().request(method, absolute, *args, headers=headers, **kwargs)

    def close(self) -> None:
        """Close the connections and the qbdesk data folder."""
        try:
            super().close()
        finally:
            self._launched.close()

    def __repr__(self) -> str:  # never the token
        return f"<CompanySession {self.name!r} realm {self.realm_id} ({self.environment})>"


def _opened(data_dir: str | Path | None, demo: bool) -> Launched:
    return open_services(data_folder(data_dir, os.environ), dict(os.environ), demo)


def _connected_id(launched: Launched, name: str) -> str:
    credential = launched.context.credentials.find(name)
    if credential is None:
        raise CredentialNotFound(f"No credential is named \u201c{name.strip()}\u201d.")
    return credential.id


def session(name: str, data_dir: str | Path | None = None, *, demo: bool = False) -> CompanySession:
    """A session for the credential called name (any case, or its id). Close it, or use it in a with block.

    Raises CredentialNotFound, or CredentialUnusable (str() says why) when it cannot give a token.
    """
    launched = _opened(data_dir, demo)
    try:
        opened = CompanySession(launched, _connected_id(launched, name))
        opened.access_token()
    except BaseException:
        launched.close()
        raise
    return opened


def token(name: str, data_dir: str | Path | None = None, *, demo: bool = False) -> str:
    """A valid access token for the credential, refreshed first when under five minutes remain."""
    launched = _opened(data_dir, demo)
    try:
        return launched.context.tokens.access_token(_connected_id(launched, name))
    finally:
        launched.close()
