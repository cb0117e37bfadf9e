"""The last step of a sign-in: trade Intuit's one-time code for tokens, and have the credential service keep them."""

from __future__ import annotations

import logging

import requests

from qbdesk.core.clock import Clock
from qbdesk.core.credential import Credential
from qbdesk.core.problems import Kind, NextStep
from qbdesk.intuit import api
from qbdesk.intuit.errors import IntuitError
from qbdesk.intuit.oauth import TokenSet, exchange_code
from qbdesk.services.credentials import CredentialService
from qbdesk.services.signin_outcome import SignInProblem
from qbdesk.services.signin_pending import PendingSignIn
from qbdesk.store.repository import CredentialNotFound
from qbdesk.store.settings import SettingsStore

log = logging.getLogger("qbdesk.signin")


class CodeExchange:
    """Exchanges codes at Intuit's token endpoint and stores the result through the one writer."""

    def __init__(self, credentials: CredentialService, settings: SettingsStore, clock: Clock) -> None:
        self._credentials = credentials
        self._settings = settings
        self._clock = clock
        self._http = requests.Session()

    def exchange(self, pending: PendingSignIn, code: str) -> TokenSet:
        """The tokens for the code (blocks on the network). Raises IntuitError when Intuit says no."""
        secret = self._settings.client_secret(pending.destination) or ""
        return exchange_code(pending.authorization, pending.endpoints, secret, code, self._clock.now())

    def store(
        self, credential_id: str, realm_id: str, tokens: TokenSet, event: str, replaced_realm: str | None = None
    ) -> Credential:
        """Keep the tokens for the credential. Raises SignInProblem when it was removed meanwhile."""
        try:
            return self._credentials.store_connection(credential_id, realm_id, tokens, event, replaced_realm)
        except CredentialNotFound:
            raise SignInProblem(
                "This credential was removed (it expired or was cancelled) before sign-in finished.",
                NextStep.START_OVER,
                Kind.SETUP,
            ) from None

    def name_company(self, credential: Credential, access_token: str) -> Credential:
        """Ask QuickBooks once for the company's name and keep it (blocks on the network).

        The credential is connected either way: when QuickBooks does not answer, the name comes with the next
        keep-alive or Test connection, and the credential is returned as it was.
        """
        app = self._settings.app(credential.destination)
        try:
            name = api.company_name(self._http, app.effective_api_base_url, credential.realm_id or "", access_token)
            return self._credentials.record_company_name(credential.id, name)
        except IntuitError as exc:
            log.warning("No company name for %s after sign-in: %s", credential.id, exc.code or exc.kind.value)
        except CredentialNotFound:
            log.info("Credential %s was removed before its company was named", credential.id)
        return credential
