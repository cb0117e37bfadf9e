"""Hostile and sloppy clients: bounded bodies, timeouts, quiet logs and the command line."""

from __future__ import annotations

import http.client
import logging
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import requests
from emulator_flow import ACCOUNTING, PROD_REDIRECT, PRODUCTION_KEYS, emulator_process, read_form

from qbdesk.emulator.server import EmulatorRequestHandler


def _address(emulator) -> tuple[str, int]:
    parts = urlsplit(emulator.base_url)
    return parts.hostname, parts.port


def test_oversized_body_is_refused(emulator):
    reply = requests.post(
        emulator.base_url + "/oauth2/v1/tokens/bearer",
        data=b"a=" + b"x" * (64 * 1024),
        timeout=10,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status_code == 413


def test_chunked_body_is_refused(emulator):
    reply = requests.post(emulator.base_url + "/oauth2/v1/tokens/bearer", data=iter([b"grant_type=x"]), timeout=10)
    assert reply.status_code == 411


def test_wrong_content_type_on_token_endpoint(emulator):
    reply = requests.post(
        emulator.base_url + "/oauth2/v1/tokens/bearer",
        json={"grant_type": "refresh_token"},
        auth=(PRODUCTION_KEYS.client_id, PRODUCTION_KEYS.client_secret),
        timeout=10,
    )
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_request"


def test_raw_hostile_query_is_escaped(emulator):
    host, port = _address(emulator)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        target = (
            f"/connect/oauth2?client_id={PRODUCTION_KEYS.client_id}&response_type=code&scope={ACCOUNTING}"
            f"&redirect_uri={PROD_REDIRECT}&state=<img/src=x/onerror=alert(1)>"
        )
        connection.request("GET", target)
        reply = connection.getresponse()
        page = reply.read().decode()
    finally:
        connection.close()
    assert reply.status == 200
    assert "<img" not in page
    assert dict(read_form(page).hidden_fields())["state"] == "<img/src=x/onerror=alert(1)>"


def test_silent_client_is_dropped_and_does_not_block_others(emulator, monkeypatch):
    monkeypatch.setattr(EmulatorRequestHandler, "timeout", 0.5)
    silent = socket.create_connection(_address(emulator), timeout=5)
    try:
        silent.sendall(b"POST /oauth2/v1/tokens/bearer HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")
        assert requests.get(emulator.discovery_url("production"), timeout=5).status_code == 200
        started = time.monotonic()
        assert silent.recv(1024) == b""
        assert time.monotonic() - started < 4
    finally:
        silent.close()


def test_logs_never_carry_secrets_and_stderr_stays_quiet(driver, emulator, clock, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    body, callback = driver.tokens(scope=f"{ACCOUNTING} openid")
    clock.advance(emulator.rotation.reuse_for)  # old enough to be rotated: two refresh tokens to look for
    refreshed = driver.refresh(body["refresh_token"]).json()
    driver.exchange(callback["code"])
    driver.revoke(refreshed["access_token"])
    driver.company_info("bogus", callback["realmId"])
    secrets = emulator.issued_secrets() | {PRODUCTION_KEYS.client_secret}
    assert len(secrets) >= 6
    assert caplog.records, "expected some log records"
    text = caplog.text
    assert not [secret for secret in secrets if secret in text]
    assert capsys.readouterr().err == ""


def test_command_line_runs_until_interrupted(tmp_path):
    with emulator_process("--client", f"cli-id:cli-secret:sandbox:{PROD_REDIRECT}") as (process, first):
        assert first.startswith("qbdesk Intuit emulator running at http://127.0.0.1:")
        base_url = first.rsplit(" ", 1)[1].strip()
        discovery = process.stdout.readline()
        assert "/.well-known/openid_configuration" in discovery
        assert "/.well-known/openid_sandbox_configuration" in process.stdout.readline()
        assert requests.get(base_url + "/.well-known/openid_sandbox_configuration", timeout=10).status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_command_line_help_and_bad_client():
    help_text = subprocess.run(
        [sys.executable, "-m", "qbdesk.emulator", "--help"], capture_output=True, text=True, timeout=30
    )
    assert help_text.returncode == 0
    assert "ID:SECRET:ENV:REDIRECT_URI" in help_text.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "qbdesk.emulator", "--client", "only:two"], capture_output=True, text=True, timeout=30
    )
    assert bad.returncode == 2
    assert "ID:SECRET:ENV:REDIRECT_URI" in bad.stderr
