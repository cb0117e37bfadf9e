"""The authorize endpoint: consent page, error page and redirects back to the app."""

from __future__ import annotations

from emulator_flow import ACCOUNTING, PROD_REDIRECT, SANDBOX_KEYS, query_of, read_form


def test_consent_page_lists_companies_with_first_checked(driver, emulator):
    reply = driver.authorize_page(driver.authorize_params())
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    form = read_form(reply.text)
    assert "qbdesk Intuit emulator" in form.title
    radios = form.radios()
    assert [radio["value"] for radio in radios] == [company.realm_id for company in emulator.companies]
    assert "checked" in radios[0] and all("checked" not in radio for radio in radios[1:])
    assert {button["value"] for button in form.buttons} == {"connect", "cancel"}
    assert "Pinecrest Plumbing &amp; Heating" in reply.text


def test_hostile_state_is_escaped_and_carried_intact(driver):
    hostile = '"><script>alert(1)</script><input name="x" value=\'&amp;'
    reply = driver.authorize_page(driver.authorize_params(state=hostile))
    assert reply.status_code == 200
    assert "<script>" not in reply.text
    assert dict(read_form(reply.text).hidden_fields())["state"] == hostile
    callback = driver.code(state=hostile)
    assert callback["state"] == hostile


def test_hostile_client_id_gets_escaped_error_page(driver):
    reply = driver.authorize_page(driver.authorize_params(client_id="<b>who</b>"))
    assert reply.status_code == 400
    assert "Location" not in reply.headers
    assert "<b>who</b>" not in reply.text


def test_redirect_uri_must_match_exactly_and_never_redirects(driver):
    for near_miss in (
        PROD_REDIRECT + "/",
        PROD_REDIRECT + "?x=1",
        PROD_REDIRECT.upper(),
        "https://evil.example/cb",
        "",
    ):
        reply = driver.authorize_page(driver.authorize_params(redirect_uri=near_miss))
        assert reply.status_code == 400, near_miss
        assert "Location" not in reply.headers
        assert "qbdesk Intuit emulator" in reply.text


def test_unknown_client_shows_error_page(driver):
    reply = driver.authorize_page(driver.authorize_params(client_id="nobody"))
    assert reply.status_code == 400
    assert "Location" not in reply.headers


def test_bad_response_type_and_unknown_scope_redirect_with_error(driver):
    reply = driver.authorize_page(driver.authorize_params(response_type="token"))
    assert reply.status_code == 302
    assert reply.headers["Location"].startswith(PROD_REDIRECT + "?")
    params = query_of(reply.headers["Location"])
    assert params["error"] == "unsupported_response_type"
    assert params["state"] == "state-123"
    reply = driver.authorize_page(driver.authorize_params(scope=f"{ACCOUNTING} com.example.everything"))
    assert reply.status_code == 302
    params = query_of(reply.headers["Location"])
    assert params["error"] == "invalid_scope"
    assert params["state"] == "state-123"


def test_connect_redirects_with_code_state_and_chosen_realm(driver, emulator):
    second = emulator.companies[1].realm_id
    callback = driver.code(company=second)
    assert set(callback) == {"code", "state", "realmId"}
    assert callback["state"] == "state-123"
    assert callback["realmId"] == second
    assert len(callback["code"]) >= 40
    assert callback["code"] in emulator.issued_secrets()


def test_connect_without_quickbooks_scope_has_no_company_choice(driver):
    params = driver.authorize_params(scope="openid email")
    assert read_form(driver.authorize_page(params).text).radios() == []
    reply = driver.decide(params)
    assert set(query_of(reply.headers["Location"])) == {"code", "state"}


def test_cancel_redirects_with_access_denied(driver):
    reply = driver.decide(driver.authorize_params(SANDBOX_KEYS), "cancel")
    assert reply.status_code == 302
    assert reply.headers["Location"].startswith(SANDBOX_KEYS.redirect_uri + "?")
    params = query_of(reply.headers["Location"])
    assert params["error"] == "access_denied"
    assert params["error_description"]
    assert params["state"] == "state-123"
    assert "code" not in params


def test_post_is_revalidated(driver, emulator):
    base_fields = list(driver.authorize_params().items())
    url = emulator.base_url + "/connect/oauth2"
    tampered = [(k, "https://evil.example/cb" if k == "redirect_uri" else v) for k, v in base_fields]
    reply = driver.http.post(
        url,
        data=[*tampered, ("company", emulator.companies[0].realm_id), ("decision", "connect")],
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 400 and "Location" not in reply.headers
    reply = driver.http.post(
        url, data=[*base_fields, ("company", "999"), ("decision", "connect")], allow_redirects=False, timeout=10
    )
    assert reply.status_code == 400 and "Location" not in reply.headers
    reply = driver.http.post(
        url,
        data=[*base_fields, ("company", emulator.companies[0].realm_id), ("decision", "maybe")],
        allow_redirects=False,
        timeout=10,
    )
    assert reply.status_code == 400 and "Location" not in reply.headers


def test_duplicate_parameters_are_rejected_without_redirect(driver, emulator):
    url = (
        emulator.base_url
        + "/connect/oauth2?"
        + "&".join(f"{k}={v}" for k, v in driver.authorize_params().items())
        + "&state=second"
    )
    reply = driver.http.get(url, allow_redirects=False, timeout=10)
    assert reply.status_code == 400
    assert "Location" not in reply.headers
