"""Tokens, realm ids, headers and error bodies shaped like Intuit's, so qbdesk meets in tests what it meets live."""

from __future__ import annotations

import base64
import re
import signal
import subprocess
import sys

import pytest
import requests
from emulator_flow import ACCOUNTING, PRODUCTION_KEYS, Driver, emulator_process, fault_code

from qbdesk.emulator import Emulator, Fault

JWE_HEADER = "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0"
TID = re.compile(r"^1-[0-9a-f]{8}-[0-9a-f]{24}$")


def assert_jwe_shaped(token: str) -> None:
    parts = token.split(".")
    assert len(parts) == 5
    assert parts[0] == JWE_HEADER and parts[1] == ""
    for part in parts[2:]:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", part)
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))  # each part is valid base64url


def assert_intuit_refresh_shaped(value: str) -> None:
    assert len(value) == 50 and value.startswith("AB11") and value.isalnum()


def test_default_tokens_and_codes_look_like_intuits(driver, emulator, clock):
    lengths = set()
    for _ in range(4):
        body, callback = driver.tokens()
        assert_jwe_shaped(body["access_token"])
        assert 900 <= len(body["access_token"]) <= 1300
        lengths.add(len(body["access_token"]))
        assert_intuit_refresh_shaped(body["refresh_token"])
        assert_intuit_refresh_shaped(callback["code"])
    assert len(lengths) > 1, "access token lengths vary, as Intuit's do"
    clock.advance(emulator.rotation.reuse_for)
    rotated = driver.refresh(body["refresh_token"]).json()
    assert_jwe_shaped(rotated["access_token"])
    assert_intuit_refresh_shaped(rotated["refresh_token"])
    assert rotated["refresh_token"] != body["refresh_token"]


def test_realm_ids_have_intuits_lengths(emulator):
    lengths = {len(company.realm_id) for company in emulator.companies}
    assert all(15 <= length <= 19 for length in lengths)
    assert {15, 19} <= lengths


@pytest.mark.parametrize("length", [4096, 16 * 1024])
def test_long_access_tokens_work_everywhere_a_token_goes(clock, length):
    with Emulator(clock=clock, access_token_length=length) as emulator:
        emulator.register_client(
            PRODUCTION_KEYS.client_id, PRODUCTION_KEYS.client_secret, [PRODUCTION_KEYS.redirect_uri], "production"
        )
        driver = Driver(emulator)
        try:
            body, callback = driver.tokens(scope=f"{ACCOUNTING} openid")
            assert len(body["access_token"]) == length
            assert_jwe_shaped(body["access_token"])
            assert driver.company_info(body["access_token"], callback["realmId"]).status_code == 200
            refreshed = driver.refresh(body["refresh_token"]).json()
            assert len(refreshed["access_token"]) == length
            assert driver.revoke(refreshed["access_token"]).status_code == 200
            assert driver.company_info(refreshed["access_token"], callback["realmId"]).status_code == 401
        finally:
            driver.close()


@pytest.mark.parametrize("length", [0, 96, 16 * 1024 + 1, True, "1000"])
def test_impossible_access_token_lengths_are_refused(length):
    with pytest.raises((ValueError, TypeError)):
        Emulator(access_token_length=length)


def test_every_answer_carries_an_intuit_tid(driver, emulator):
    callback = driver.code()
    answers = [
        requests.get(emulator.discovery_url("production"), timeout=10),
        requests.get(emulator.base_url + "/nowhere", timeout=10),
        driver.authorize_page(driver.authorize_params()),
        driver.exchange(callback["code"]),
        driver.exchange(callback["code"]),  # reused: 400
        driver.token_request({"grant_type": "refresh_token", "refresh_token": "x"}, secret="wrong"),  # 401
        driver.company_info("not-a-token", emulator.companies[0].realm_id),
    ]
    emulator.inject_fault("token", Fault.HTTP_500)
    answers.append(driver.refresh("anything"))
    assert {answer.status_code for answer in answers} >= {200, 302, 400, 401, 404, 500} - {302}
    tids = [answer.headers.get("intuit_tid", "") for answer in answers]
    assert all(TID.match(tid) for tid in tids), tids
    assert len(set(tids)) == len(tids)


def test_oauth_errors_have_intuits_bodies(driver, emulator):
    body, _ = driver.tokens()
    assert driver.refresh("AB11" + "x" * 46).json() == {
        "error": "invalid_grant",
        "error_description": "Incorrect or invalid refresh token",
    }
    wrong = driver.token_request({"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}, secret="x")
    assert wrong.status_code == 401 and wrong.json() == {"error": "invalid_client"}
    emulator.inject_fault("token", Fault.HTTP_400)
    assert driver.refresh(body["refresh_token"]).json() == {
        "error": "invalid_grant",
        "error_description": "Incorrect or invalid refresh token",
    }


def test_api_faults_have_intuits_fault_envelope(driver, emulator):
    body, callback = driver.tokens(company=emulator.companies[0].realm_id)
    unauthenticated = driver.company_info("not-a-token", callback["realmId"])
    assert unauthenticated.status_code == 401
    fault = unauthenticated.json()["Fault"]
    assert fault["type"] == "AUTHENTICATION"
    (error,) = fault["Error"]
    assert error["code"] == "3200"
    assert error["Message"] == "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    assert error["Detail"]
    assert unauthenticated.json()["time"]
    forbidden = driver.company_info(body["access_token"], emulator.companies[1].realm_id)
    assert forbidden.status_code == 403 and fault_code(forbidden) == "3100"
    assert forbidden.json()["Fault"]["Error"][0]["Message"].startswith("message=ApplicationAuthorizationFailed;")


def test_command_line_sets_token_length_and_rotation(tmp_path):
    keys = f"{PRODUCTION_KEYS.client_id}:{PRODUCTION_KEYS.client_secret}:production:{PRODUCTION_KEYS.redirect_uri}"
    options = ["--access-token-length", "4096", "--strict-rotation", "--client", keys]
    with emulator_process(*options) as (process, first):
        base_url = first.rsplit(" ", 1)[1].strip()

        class Running:
            def __init__(self, url: str) -> None:
                self.base_url = url

            def api_base_url(self, environment: str) -> str:
                return self.base_url + ("/v3" if environment == "production" else "/sandbox/v3")

        driver = Driver(Running(base_url))  # type: ignore[arg-type]
        body, _ = driver.tokens()
        assert len(body["access_token"]) == 4096
        rotated = driver.refresh(body["refresh_token"]).json()["refresh_token"]
        assert rotated != body["refresh_token"]
        assert driver.refresh(body["refresh_token"]).status_code == 400  # strict: the previous one is refused
        driver.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    too_short = [sys.executable, "-m", "qbdesk.emulator", "--port", "0", "--access-token-length", "12"]
    bad = subprocess.run(too_short, capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "argument --access-token-length" in bad.stderr
