"""Checking an Intuit app's Client ID and Client Secret before anyone signs in.

The discovery document is fetched first, then the token endpoint is asked to refresh a made-up refresh
token with the keys as HTTP Basic client authentication. Intuit must refuse that grant, and how it refuses
tells the keys apart: invalid_client (HTTP 401) means it did not recognise the keys, invalid_grant (HTTP 400)
means the keys authenticated and only the made-up token was refused. No token is ever issued.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

import requests

from qbdesk.core.problems import NextStep
from qbdesk.intuit.discovery import fetch_endpoints
from qbdesk.intuit.errors import IntuitError, Kind
from qbdesk.intuit.oauth import probe_client_keys
from qbdesk.store.settings import IntuitApp, client_id_problem, client_secret_problem

log = logging.getLogger("qbdesk.keycheck")


class KeyVerdict(str, Enum):
    """What the check found out about the keys."""

    ACCEPTED = "accepted"  # Intuit authenticated the keys
    WRONG_KEYS = "wrong_keys"  # Intuit did not recognise the Client ID or the Client Secret
    UNREACHABLE = "unreachable"  # Intuit could not be reached, or is having trouble
    BAD_DISCOVERY = "bad_discovery"  # the discovery document is missing, unreadable or incomplete
    UNEXPECTED = "unexpected"  # the token endpoint answered in a way no Intuit server does


@dataclass(frozen=True)
class KeyCheck:
    """The verdict, its cause in plain words (never a secret) and what to do next."""

    verdict: KeyVerdict
    cause: str
    next_step: NextStep = NextStep.NONE

    @property
    def accepted(self) -> bool:
        return self.verdict is KeyVerdict.ACCEPTED


def _wrong_keys(why: str) -> KeyCheck:
    return KeyCheck(KeyVerdict.WRONG_KEYS, why, NextStep.CHECK_SETUP)


def check_keys(app: IntuitApp, client_secret: str, http: requests.Session | None = None) -> KeyCheck:
    """Ask Intuit whether it knows these keys. Blocks on the network: call it off the GUI thread."""
    problem = client_id_problem(app.client_id)
    if problem:
        return _wrong_keys(problem)
    problem = client_secret_problem(client_secret) or (
        None if client_secret else "Enter the Client Secret from your app's Keys & credentials page at Intuit."
    )
    if problem:
        return _wrong_keys(problem)
    http = http or requests.Session()
    try:
        endpoints = fetch_endpoints(http, app.effective_discovery_url)
    except IntuitError as exc:
        if exc.kind is Kind.OFFLINE:
            return KeyCheck(KeyVerdict.UNREACHABLE, exc.cause, NextStep.CHECK_CONNECTION)
        return KeyCheck(
            KeyVerdict.BAD_DISCOVERY,
            f"The discovery document at {app.effective_discovery_url} cannot be used: {exc.cause}",
            NextStep.CHECK_SETUP,
        )
    try:
        status, code = probe_client_keys(endpoints, app.client_id, client_secret, http)
    except IntuitError as exc:  # no answer at all
        return KeyCheck(KeyVerdict.UNREACHABLE, exc.cause, NextStep.CHECK_CONNECTION)
    log.info("Key check: the token endpoint answered HTTP %s (%s)", status, code or "no error code")
    if status == 400 and code == "invalid_grant":
        return KeyCheck(KeyVerdict.ACCEPTED, "Intuit accepted the Client ID and Client Secret.")
    if status == 401 or code in ("invalid_client", "unauthorized_client"):
        return _wrong_keys("Intuit did not recognise this Client ID and Client Secret together.")
    if status >= 500:
        return KeyCheck(KeyVerdict.UNREACHABLE, "Intuit's service is having trouble right now.", NextStep.TRY_LATER)
    return KeyCheck(
        KeyVerdict.UNEXPECTED,
        f"Intuit's token endpoint ({endpoints.token}) gave an unexpected answer (HTTP {status}"
        + (f", {code}" if code else "") + "), so the keys could not be checked.",
        NextStep.CHECK_SETUP,
    )
