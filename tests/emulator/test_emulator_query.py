"""The query call scripts read invoices with, and the 429 answer Intuit throttles with, shaped like Intuit's."""

from __future__ import annotations

import pytest
import requests
from emulator_flow import SANDBOX_KEYS, fault_code

from qbdesk.emulator import Fault
from qbdesk.emulator.companies import INVOICES_PER_COMPANY, invoices_of


def query(emulator, access_token: str, realm_id: str, text: str, environment: str = "production", **extra: str):
    return requests.get(
        f"{emulator.api_base_url(environment)}/company/{realm_id}/query",
        params={"query": text, **extra},
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        timeout=10,
    )


def test_select_all_invoices_answers_a_query_response_with_the_companys_invoices(driver, emulator):
    company = emulator.companies[1]
    body, _ = driver.tokens(company=company.realm_id)
    reply = query(emulator, body["access_token"], company.realm_id, "select * from Invoice", minorversion="75")
    assert reply.status_code == 200
    answer = reply.json()["QueryResponse"]
    assert answer["startPosition"] == 1 and answer["maxResults"] == INVOICES_PER_COMPANY
    assert answer["Invoice"] == invoices_of(company)
    first = answer["Invoice"][0]
    assert {"Id", "DocNumber", "TxnDate", "CustomerRef", "TotalAmt", "Balance"} <= set(first)
    assert isinstance(first["TotalAmt"], float) and first["CustomerRef"]["name"]
    assert "time" in reply.json()


def test_each_company_has_invoices_of_its_own(emulator):
    first, second = (invoices_of(company) for company in emulator.companies[:2])
    assert first != second and invoices_of(emulator.companies[0]) == first


def test_startposition_and_maxresults_page_through_the_invoices(driver, emulator):
    company = emulator.companies[0]
    body, _ = driver.tokens(company=company.realm_id)
    reply = query(emulator, body["access_token"], company.realm_id, "SELECT * FROM Invoice STARTPOSITION 2 MAXRESULTS 1")
    answer = reply.json()["QueryResponse"]
    assert answer == {"startPosition": 2, "maxResults": 1, "Invoice": [invoices_of(company)[1]]}
    beyond = query(emulator, body["access_token"], company.realm_id, "select * from Invoice startposition 50")
    assert beyond.status_code == 200 and beyond.json()["QueryResponse"] == {}


@pytest.mark.parametrize(
    "text, code", [("select from", "4000"), ("drop table Invoice", "4000"), ("select * from Nothing", "4001")]
)
def test_a_bad_query_gets_a_validation_fault(driver, emulator, text, code):
    company = emulator.companies[0]
    body, _ = driver.tokens(company=company.realm_id)
    reply = query(emulator, body["access_token"], company.realm_id, text)
    assert reply.status_code == 400 and fault_code(reply) == code
    assert reply.json()["Fault"]["type"] == "ValidationFault"


def test_a_minorversion_that_is_not_a_number_is_refused(driver, emulator):
    company = emulator.companies[0]
    body, _ = driver.tokens(company=company.realm_id)
    reply = query(emulator, body["access_token"], company.realm_id, "select * from Invoice", minorversion="x")
    assert reply.status_code == 400 and fault_code(reply) == "4001"


def test_query_without_a_valid_token_or_for_another_company_is_refused(driver, emulator):
    own, other = emulator.companies[0], emulator.companies[1]
    body, _ = driver.tokens(company=own.realm_id)
    missing = query(emulator, "made-up", own.realm_id, "select * from Invoice")
    assert missing.status_code == 401 and fault_code(missing) == "3200"
    assert "Bearer" in missing.headers["WWW-Authenticate"]
    assert fault_code(query(emulator, body["access_token"], other.realm_id, "select * from Invoice")) == "3100"
    sandbox = query(emulator, body["access_token"], own.realm_id, "select * from Invoice", environment="sandbox")
    assert sandbox.status_code == 401


def test_sandbox_tokens_query_the_sandbox_api(driver, emulator):
    body, callback = driver.tokens(SANDBOX_KEYS)
    reply = query(emulator, body["access_token"], callback["realmId"], "select * from Invoice", environment="sandbox")
    assert reply.status_code == 200 and len(reply.json()["QueryResponse"]["Invoice"]) == INVOICES_PER_COMPANY


@pytest.mark.parametrize("endpoint", ["query", "companyinfo"])
def test_a_429_fault_throttles_with_intuits_fault_and_retry_after(driver, emulator, endpoint):
    company = emulator.companies[0]
    body, _ = driver.tokens(company=company.realm_id)
    emulator.inject_fault(endpoint, Fault.HTTP_429, times=2, delay=3)

    def call():
        if endpoint == "query":
            return query(emulator, body["access_token"], company.realm_id, "select * from Invoice")
        return driver.company_info(body["access_token"], company.realm_id)

    for _ in range(2):
        throttled = call()
        assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "3"
        assert fault_code(throttled) == "3001" and "ThrottleExceeded" in throttled.text
    assert call().status_code == 200
    assert emulator.served_faults() == [(endpoint, Fault.HTTP_429)] * 2
