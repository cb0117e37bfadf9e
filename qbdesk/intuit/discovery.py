"""Fetching and checking an OpenID discovery document: where to authorize and exchange tokens."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import requests

from qbdesk.core.addresses import endpoint_problem
from qbdesk.intuit import timeouts
from qbdesk.intuit.errors import IntuitError, Kind, NextStep, unreachable

log = logging.getLogger("qbdesk.intuit")

MAX_DOCUMENT_BYTES = 256 * 1024


@dataclass(frozen=True)
class Endpoints:
    """The OAuth endpoints one destination uses."""

    authorization: str
    token: str
    revocation: str | None
    userinfo: str | None


class DiscoveryCache:
    """Discovery documents fetched once per run and reused."""

    def __init__(self, http: requests.Session | None = None) -> None:
        self._http = http or requests.Session()
        self._lock = threading.Lock()
        self._cache: dict[str, Endpoints] = {}

    def endpoints(self, discovery_url: str) -> Endpoints:
        with self._lock:
            cached = self._cache.get(discovery_url)
        if cached is not None:
            return cached
        endpoints = fetch_endpoints(self._http, discovery_url)
        with self._lock:
            self._cache[discovery_url] = endpoints
        return endpoints


def fetch_endpoints(http: requests.Session, discovery_url: str) -> Endpoints:
    """Download the discovery document and check every endpoint in it."""
    problem = endpoint_problem(discovery_url, "discovery document address")
    if problem:
        raise IntuitError(problem, kind=Kind.SETUP, next_step=NextStep.CHECK_SETUP)
    try:
        response = http.get(
            discovery_url, timeout=timeouts.DISCOVERY_TIMEOUT_SECONDS, headers={"Accept": "application/json"}
        )
    except requests.RequestException as exc:
        log.warning("Discovery request failed: %s", type(exc).__name__)
        raise unreachable(isinstance(exc, requests.Timeout)) from None
    if response.status_code != 200 or len(response.content) > MAX_DOCUMENT_BYTES:
        raise IntuitError(
            f"Intuit's sign-in service answered with an error (HTTP {response.status_code}); if it keeps "
            "happening, the discovery document address may be wrong."
        )
    try:
        document = response.json()
    except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
        document = None
    if not isinstance(document, dict):
        raise IntuitError("Intuit's sign-in service sent an answer qbdesk does not understand.")
    return Endpoints(
        authorization=_required(document, "authorization_endpoint"),
        token=_required(document, "token_endpoint"),
        revocation=_optional(document, "revocation_endpoint"),
        userinfo=_optional(document, "userinfo_endpoint"),
    )


def _optional(document: dict, field: str) -> str | None:
    value = document.get(field)
    if not isinstance(value, str) or endpoint_problem(value, field):
        return None
    return value


def _required(document: dict, field: str) -> str:
    value = _optional(document, field)
    if value is None:
        raise IntuitError(
            f"Intuit's discovery document has no usable {field}.", kind=Kind.SETUP, next_step=NextStep.CHECK_SETUP
        )
    return value
