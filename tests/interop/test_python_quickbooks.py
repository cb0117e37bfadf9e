"""python-quickbooks, unchanged, reading CompanyInfo from the emulator with a token from Intuit's Python client.

python-quickbooks takes a signed-in intuitlib AuthClient and builds its API addresses from its public
`sandbox_api_url_v3` setting, which is pointed at the emulator's sandbox API. It calls the API through
requests-oauthlib, which refuses plain http unless oauthlib's OAUTHLIB_INSECURE_TRANSPORT is set.
"""

from __future__ import annotations

import pytest
from quickbooks import QuickBooks
from quickbooks.exceptions import AuthorizationException, QuickbooksException
from quickbooks.objects.company_info import CompanyInfo

from intuitlib_sign_in import emulator_with_intuitlib_app, signed_in_client

pytestmark = pytest.mark.interop

MINOR_VERSION = 75  # the lowest Intuit still accepts; python-quickbooks warns when none is given


@pytest.fixture
def intuit(monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the emulator listens on http://127.0.0.1
    with emulator_with_intuitlib_app() as emulator:
        yield emulator


def quickbooks_for(intuit, auth_client, realm_id: str) -> QuickBooks:
    client = QuickBooks(
        auth_client=auth_client,
        refresh_token=auth_client.refresh_token,
        company_id=realm_id,
        minorversion=MINOR_VERSION,
    )
    client.sandbox = True  # intuitlib's environment is a discovery address here, not the word "sandbox"
    client.sandbox_api_url_v3 = intuit.api_base_url("sandbox")
    return client


def test_python_quickbooks_reads_the_signed_in_companys_info(intuit):
    auth_client, realm_id = signed_in_client(intuit, company=0)
    company = CompanyInfo.get(realm_id, qb=quickbooks_for(intuit, auth_client, realm_id))
    assert company.Id == realm_id
    assert company.CompanyName == intuit.companies[0].name
    assert company.Country == "US"


def test_python_quickbooks_reports_another_company_and_a_revoked_token_as_intuit_faults(intuit):
    auth_client, realm_id = signed_in_client(intuit, company=0)
    other_realm = intuit.companies[1].realm_id
    with pytest.raises(QuickbooksException) as not_this_company:  # python-quickbooks files 3100 as validation
        CompanyInfo.get(other_realm, qb=quickbooks_for(intuit, auth_client, other_realm))
    assert not_this_company.value.error_code == 3100  # read from Intuit's Fault body

    client = quickbooks_for(intuit, auth_client, realm_id)
    assert auth_client.revoke() is True
    with pytest.raises(AuthorizationException) as revoked:
        CompanyInfo.get(realm_id, qb=client)
    assert revoked.value.error_code == 401
