"""Intuit's OAuth 2.0 authorization-code flow through requests-oauthlib: the URL to open, the code exchange."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from oauthlib.oauth2.rfc6749 import errors as oauth_errors
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from qbdesk.core.addresses import is_loopback_host
from qbdesk.intuit import timeouts
from qbdesk.intuit.discovery import Endpoints
from qbdesk.intuit.errors import (
    IntuitError,
    Kind,
    NextStep,
    retry_step,
    service_trouble,
    throttled,
    token_refusal,
    unreachable,
    unreadable_answer,
)

log = logging.getLogger("qbdesk.intuit")

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
HARD_EXPIRY_HEADER = {"x-include-refresh-token-hard-expires-in": "true"}
_insecure_transport_lock = threading.Lock()
# Tokens go into an Authorization header, which http.client encodes as Latin-1: visible ASCII only.
_TOKEN = re.compile(r"[\x21-\x7e]{1,8192}")
_ERROR_CODE = re.compile(r"[A-Za-z0-9_.-]{1,100}")
MAX_LIFETIME_SECONDS = 20 * 366 * 86400  # no Intuit token lives 20 years; Intuit's longest is 5


@contextlib.contextmanager
def loopback_transport(*urls: str):
    """Let oauthlib use plain http for loopback addresses (emulator, tests) and nothing else."""
    plain = [u for u in urls if urlsplit(u).scheme != "https"]
    if not plain:
        yield
        return
    if not all(urlsplit(u).scheme == "http" and is_loopback_host(urlsplit(u).hostname) for u in plain):
        raise IntuitError("Intuit addresses must use https://.", kind=Kind.SETUP, next_step=NextStep.CHECK_SETUP)
    with _insecure_transport_lock:
        previous = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
            else:
                os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = previous


@dataclass(frozen=True)
class TokenSet:
    """Tokens from one exchange or refresh. repr never shows the secrets."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_expires_at: datetime
    refresh_expires_at: datetime
    hard_expires_at: datetime | None = None


@dataclass
class AuthorizationAttempt:
    """One trip to Intuit's consent page: the URL to open and what the exchange needs later."""

    url: str
    state: str
    redirect_uri: str
    session: OAuth2Session = field(repr=False)


def start_authorization(endpoints: Endpoints, client_id: str, redirect_uri: str) -> AuthorizationAttempt:
    """Build the consent URL with a fresh state and a PKCE S256 challenge."""
    session = OAuth2Session(client_id, redirect_uri=redirect_uri, scope=[ACCOUNTING_SCOPE], pkce="S256")
    with loopback_transport(endpoints.authorization):
        url, state = session.authorization_url(endpoints.authorization)
    return AuthorizationAttempt(url=url, state=state, redirect_uri=redirect_uri, session=session)


def exchange_code(
    attempt: AuthorizationAttempt, endpoints: Endpoints, client_secret: str, code: str, now: datetime
) -> TokenSet:
    """Trade the authorization code for tokens (HTTP Basic client authentication)."""
    session = attempt.session
    session.register_compliance_hook("access_token_response", _judged_answer)

    def call() -> dict:
        return session.fetch_token(
            endpoints.token,
            code=code,
            auth=HTTPBasicAuth(session.client_id, client_secret),
            include_client_id=False,
            headers={"Accept": "application/json", **HARD_EXPIRY_HEADER},
            timeout=timeouts.CALL_TIMEOUT_SECONDS,
        )

    return parse_token_response(_token_call(endpoints.token, call, refreshing=False), now, refreshing=False)


def refresh_tokens(endpoints: Endpoints, client_id: str, client_secret: str, refresh_token: str, now: datetime) -> TokenSet:
    """Trade a refresh token for new tokens; Intuit may rotate the refresh token in the answer."""
    session = OAuth2Session(client_id, scope=[ACCOUNTING_SCOPE])
    session.register_compliance_hook("refresh_token_response", _judged_answer)

    def call() -> dict:
        return session.refresh_token(
            endpoints.token,
            refresh_token=refresh_token,
            auth=HTTPBasicAuth(client_id, client_secret),
            headers={"Accept": "application/json", **HARD_EXPIRY_HEADER},
            timeout=timeouts.CALL_TIMEOUT_SECONDS,
        )

    return parse_token_response(_token_call(endpoints.token, call, refreshing=True), now, refreshing=True)


def probe_client_keys(endpoints: Endpoints, client_id: str, client_secret: str,
                      http: requests.Session) -> tuple[int, str]:
    """Ask the token endpoint to refresh a made-up token with these keys, for the HTTP status and OAuth error code.

    Intuit refuses the grant (400 invalid_grant) when it knows the keys and the client (401 invalid_client) when it
    does not; no token is ever issued. Raises unreachable() when no answer comes."""
    try:
        response = http.post(
            endpoints.token,
            data={"grant_type": "refresh_token", "refresh_token": "qbdesk-key-check-" + secrets.token_hex(16)},
            auth=HTTPBasicAuth(client_id, client_secret),
            headers={"Accept": "application/json"},
            timeout=timeouts.CALL_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        log.warning("The token endpoint could not be reached to check keys: %s", type(exc).__name__)
        raise unreachable(isinstance(exc, requests.Timeout)) from None
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    code = body.get("error") if isinstance(body, dict) else None
    return response.status_code, code if isinstance(code, str) and code.isascii() and len(code) <= 100 else ""


def _judged_answer(response: requests.Response) -> requests.Response:
    """Judge a token answer before oauthlib reads it, since oauthlib ignores the HTTP status.

    A 5xx is Intuit's trouble whatever its body says; a body that is not a JSON object cannot be a token
    answer (oauthlib would report it as a missing token, which reads like a refusal).
    """
    if response.status_code >= 500:
        log.warning("Token endpoint answered HTTP %s", response.status_code)
        raise service_trouble()
    if response.status_code == 429:
        log.warning("Token endpoint answered HTTP 429 (too many requests)")
        raise throttled(response.headers.get("Retry-After"))
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        log.warning("Token endpoint answered HTTP %s with a body that is not a JSON object", response.status_code)
        raise unreadable_answer()
    return response


def _token_call(token_url: str, call, refreshing: bool) -> dict:
    """Run one token-endpoint request, turning every failure into an IntuitError with plain words."""
    try:
        with loopback_transport(token_url):
            return call()
    except oauth_errors.OAuth2Error as exc:
        code = getattr(exc, "error", None)
        if not isinstance(code, str) or not _ERROR_CODE.fullmatch(code):
            code = "error"  # the server's own words go into the message and the log: only a plain error code
        status = getattr(exc, "status_code", None)
        log.warning("Intuit refused the token request: %s (HTTP %s)", code, status)
        raise token_refusal(code, status if isinstance(status, int) else None, refreshing) from None
    except Warning as changed:  # oauthlib's way of saying the granted scope differs from the one asked for
        return _token_with_changed_scope(changed)
    except requests.RequestException as exc:
        log.warning("Token request failed: %s", type(exc).__name__)
        raise unreachable(isinstance(exc, requests.Timeout)) from None
    except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
        # oauthlib reading a hostile body: "expires_in": Infinity or 1e999 (OverflowError), "scope": 5
        # (AttributeError), JSON nested thousands deep (RecursionError), a JSON array (TypeError).
        log.warning("Token answer could not be read: %s", type(exc).__name__)
        raise unreadable_answer() from None


def _token_with_changed_scope(changed: Warning) -> dict:
    """Accept a grant whose scope changed as long as QuickBooks accounting is still in it."""
    granted = getattr(changed, "new_scope", None) or []
    token = getattr(changed, "token", None)
    if ACCOUNTING_SCOPE not in granted or not isinstance(token, dict):
        raise IntuitError(
            "Intuit did not grant access to QuickBooks accounting data: sign in as a QuickBooks administrator, "
            "and approve access when asked.",
            next_step=NextStep.SIGN_IN_AGAIN,
        ) from None
    return dict(token)
def _positive_seconds(token: dict, field_name: str, default: int | None = None, refreshing: bool = False) -> int:
    value = token.get(field_name, default)
    try:
        seconds = int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
        seconds = 0
    if not 0 < seconds <= MAX_LIFETIME_SECONDS:  # beyond it, now + seconds overflows datetime or means nonsense
        raise IntuitError(f"Intuit's answer had no valid {field_name}.", "bad_answer", next_step=retry_step(refreshing))
    return seconds


def parse_token_response(token: dict, now: datetime, refreshing: bool = False) -> TokenSet:
    """Check Intuit's token answer field by field and turn it into a TokenSet."""
    access, refresh = token.get("access_token"), token.get("refresh_token")
    for name, value in (("access token", access), ("refresh token", refresh)):
        if not isinstance(value, str) or not _TOKEN.fullmatch(value):
            raise IntuitError(f"Intuit's answer had no usable {name}.", "bad_answer", next_step=retry_step(refreshing))
    if str(token.get("token_type", "")).lower() != "bearer":
        raise IntuitError(
            "Intuit's answer had an unexpected token type.", "bad_answer", next_step=retry_step(refreshing)
        )
    hard = token.get("x_refresh_token_hard_expires_in")
    return TokenSet(
        access_token=access,
        refresh_token=refresh,
        access_expires_at=now + timedelta(seconds=_positive_seconds(token, "expires_in", None, refreshing)),
        refresh_expires_at=now
        + timedelta(seconds=_positive_seconds(token, "x_refresh_token_expires_in", 8726400, refreshing)),
        hard_expires_at=None
        if hard is None
        else now + timedelta(seconds=_positive_seconds(token, "x_refresh_token_hard_expires_in", None, refreshing)),
    )
