"""Calls to QuickBooks and Intuit with a live token: CompanyInfo (the test call) and revoking a token."""

from __future__ import annotations

import logging

import requests

from qbdesk.core.addresses import endpoint_problem
from qbdesk.intuit import timeouts
from qbdesk.intuit.errors import (
    IntuitError,
    Kind,
    NextStep,
    api_fault,
    service_trouble,
    throttled,
    token_refusal,
    unreachable,
    unreadable_answer,
)

log = logging.getLogger("qbdesk.intuit")

MAX_ANSWER_BYTES = 1024 * 1024


def _fault_code(response: requests.Response) -> str | None:
    """The numeric code in an Intuit fault body ({"Fault"|"fault": {"Error"|"error": [{"code": ...}]}})."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    fault = body.get("Fault") or body.get("fault")
    errors = (fault.get("Error") or fault.get("error")) if isinstance(fault, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    code = first.get("code")
    return code if isinstance(code, str) and code.isdigit() else None


def company_name(http: requests.Session, api_base: str, realm_id: str, access_token: str) -> str:
    """GET CompanyInfo for the realm and return the company's name."""
    problem = endpoint_problem(api_base, "QuickBooks API address")
    if problem:
        raise IntuitError(problem, kind=Kind.SETUP, next_step=NextStep.CHECK_SETUP)
    if not realm_id.isdigit():
        raise IntuitError(
            "This credential has no valid company (realm id).", kind=Kind.RECONNECT, next_step=NextStep.RECONNECT
        )
    url = f"{api_base.rstrip('/')}/company/{realm_id}/companyinfo/{realm_id}"
    try:
        response = http.get(
            url,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
            timeout=timeouts.CALL_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        log.warning("CompanyInfo request failed: %s", type(exc).__name__)
        raise unreachable(isinstance(exc, requests.Timeout)) from None
    if response.status_code == 429:
        raise throttled(response.headers.get("Retry-After"))
    if response.status_code != 200:
        raise api_fault(response.status_code, _fault_code(response))
    if len(response.content) > MAX_ANSWER_BYTES:
        raise unreadable_answer()
    try:
        info = response.json().get("CompanyInfo", {})
        name = info.get("CompanyName") or info.get("LegalName")
    except (ValueError, AttributeError):
        raise unreadable_answer() from None
    if not isinstance(name, str) or not name.strip():
        raise unreadable_answer()
    return "".join(ch for ch in name.strip() if ch.isprintable())[:200]


def revoke(http: requests.Session, revocation_url: str, client_id: str, client_secret: str, token: str) -> None:
    """Ask Intuit to revoke a refresh (or access) token and everything issued with it."""
    problem = endpoint_problem(revocation_url, "revocation address")
    if problem:
        raise IntuitError(problem, kind=Kind.SETUP, next_step=NextStep.CHECK_SETUP)
    try:
        response = http.post(
            revocation_url,
            json={"token": token},
            auth=(client_id, client_secret),
            headers={"Accept": "application/json"},
            timeout=timeouts.CALL_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        log.warning("Revoke request failed: %s", type(exc).__name__)
        raise unreachable(isinstance(exc, requests.Timeout)) from None
    if response.status_code >= 500:
        raise service_trouble()
    if response.status_code == 401:
        raise token_refusal("invalid_client", 401, refreshing=True)
    if response.status_code != 200:
        raise IntuitError(f"Intuit refused to revoke the token (HTTP {response.status_code}).")
