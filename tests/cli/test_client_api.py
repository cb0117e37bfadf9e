"""qbdesk.client: the session scripts use, and the invoices example run as a script against the emulator."""

from __future__ import annotations

import csv
import sys
from datetime import timedelta
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from qbdesk import client
from qbdesk.emulator import STRICT_ROTATION
from qbdesk.emulator.companies import invoices_of
from qbdesk.store.vault import save_tokens

pytestmark = pytest.mark.cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "invoices_to_csv.py"


def company_of(qb, credential_id: str):
    with qb.services() as context:
        realm_id = context.credentials.get(credential_id).realm_id
    return next(company for company in qb.emulator.companies if company.realm_id == realm_id)


@pytest.fixture
def script_env(qb, monkeypatch):
    """This process set up as a script's would be: the data folder and the app settings from the environment,
    and no keychain, so the secrets file the test's data folder chose is used."""
    for key, value in qb.env().items():
        if key.startswith("QBDESK_"):
            monkeypatch.setenv(key, value)
    keyring.set_keyring(keyring.backends.fail.Keyring())  # the autouse memory keychain is restored afterwards
    return qb


def test_the_invoices_example_writes_the_companys_invoices_to_csv(qb, tmp_path):
    acme = qb.connect("Acme")
    out = tmp_path / "invoices.csv"
    result = qb.run_python(str(EXAMPLE), "acme", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    with out.open(newline="", encoding="utf-8") as written:
        rows = list(csv.reader(written))
    expected = [[i["DocNumber"], i["TxnDate"], i["CustomerRef"]["name"], str(i["TotalAmt"]), str(i["Balance"])]
                for i in invoices_of(company_of(qb, acme))]
    assert rows == [["Number", "Date", "Customer", "Total", "Balance"], *expected]
    assert len(expected) == 3 and len({row[0] for row in expected}) == 3
    secrets = qb.secrets()
    assert not any(secret in out.read_text(encoding="utf-8") for secret in secrets)


def test_the_example_for_a_name_that_does_not_exist_fails_without_writing(qb, tmp_path):
    qb.connect("Acme")
    out = tmp_path / "invoices.csv"
    result = qb.run_python(str(EXAMPLE), "Nobody", str(out))
    assert result.returncode != 0 and not out.exists()
    assert "CredentialNotFound" in result.stderr and "Nobody" in result.stderr


def test_session_base_url_is_the_companys_and_token_matches_the_stored_one(script_env):
    qb = script_env
    acme = qb.connect("Acme")
    realm = company_of(qb, acme).realm_id
    with client.session("ACME") as qbo:
        assert qbo.base_url == f"{qb.emulator.api_base_url('sandbox')}/company/{realm}/"
        assert qbo.realm_id == realm and qbo.environment == "sandbox"
        info = qbo.get(f"companyinfo/{realm}")
        assert info.status_code == 200 and info.json()["CompanyInfo"]["Id"] == realm
        assert qb.tokens(acme)[0] not in repr(qbo)
    assert client.token("acme") == qb.tokens(acme)[0]


def test_session_refreshes_a_token_close_to_expiry_and_keeps_the_rotated_refresh_token(script_env, monkeypatch):
    qb = script_env
    monkeypatch.setattr(qb.emulator, "rotation", STRICT_ROTATION)
    acme = qb.connect("Acme")
    old_access, old_refresh = qb.tokens(acme)
    qb.set_expiries(acme, access_in=timedelta(minutes=2))
    calls = qb.emulator.token_calls
    with client.session("Acme") as qbo:
        assert qbo.get("query", params={"query": "select * from Invoice"}).status_code == 200
    new_access, new_refresh = qb.tokens(acme)
    assert qb.emulator.token_calls == calls + 1
    assert new_access != old_access and new_refresh != old_refresh


def test_a_401_refreshes_once_and_the_call_is_retried(script_env):
    qb = script_env
    acme = qb.connect("Acme")
    _, refresh = qb.tokens(acme)
    save_tokens(qb.vault, acme, "refused-access-token", refresh)  # as if revoked at Intuit before its time
    calls = qb.emulator.token_calls
    with client.session("Acme") as qbo:
        answer = qbo.get("query", params={"query": "select * from Invoice"})
    assert answer.status_code == 200 and len(answer.json()["QueryResponse"]["Invoice"]) == 3
    assert qb.emulator.token_calls == calls + 1
    assert qb.tokens(acme)[0] != "refused-access-token"


def test_after_a_401_a_token_another_process_stored_is_used_without_refreshing(script_env):
    qb = script_env
    acme = qb.connect("Acme")
    good_access, refresh = qb.tokens(acme)
    save_tokens(qb.vault, acme, "refused-access-token", refresh)
    with client.session("Acme") as qbo:
        assert qbo.access_token() == "refused-access-token"
        save_tokens(qb.vault, acme, good_access, refresh)  # the window refreshed meanwhile
        calls = qb.emulator.token_calls
        assert qbo.get("query", params={"query": "select * from Invoice"}).status_code == 200
        assert qb.emulator.token_calls == calls


def test_a_credential_revoked_at_intuit_is_refreshed_once_then_the_script_hears_why(script_env):
    qb = script_env
    acme = qb.connect("Acme")
    with client.session("Acme") as qbo:
        qb.revoke_at_intuit(acme)
        calls = qb.emulator.token_calls
        with pytest.raises(client.CredentialUnusable, match="no longer accepts this credential"):
            qbo.get("query", params={"query": "select * from Invoice"})
        assert qb.emulator.token_calls == calls + 1  # one refresh, refused: no loop


def test_the_token_never_leaves_for_another_address(script_env, intuit):
    qb = script_env
    acme = qb.connect("Acme")
    access, _ = qb.tokens(acme)
    with client.session("Acme") as qbo:
        elsewhere = qbo.get(f"{intuit.base_url}/.well-known/openid_sandbox_configuration")
        assert elsewhere.status_code == 200
        assert "Authorization" not in elsewhere.request.headers
        assert access not in str(elsewhere.request.headers)


def test_an_unknown_name_raises_credential_not_found(script_env):
    script_env.connect("Acme")
    with pytest.raises(client.CredentialNotFound):
        client.session("Nobody")


def test_importing_the_client_imports_no_qt(qb):
    code = "import sys, qbdesk.client; sys.exit(1 if any(m.startswith(('PySide6', 'shiboken6')) for m in sys.modules) else 0)"
    assert qb.run_python("-c", code).returncode == 0
    assert sys.modules.get("qbdesk.client") is client
