"""The emulator's fault injection itself: what each fault looks like on the wire, and how faults are consumed."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import requests

from qbdesk.emulator import Emulator, Fault
from qbdesk.emulator.faults import GARBAGE_BODY
from qbdesk.emulator.validator import INVALID_REFRESH_TOKEN as REFUSED

pytestmark = pytest.mark.reliability

TOKEN_PATH = "/oauth2/v1/tokens/bearer"


@pytest.fixture
def emulator():
    with Emulator() as running:
        yield running


def post_token(emulator: Emulator, timeout: float = 5) -> requests.Response:
    """A refresh by an unknown client: the real endpoint answers 401 invalid_client."""
    return requests.post(
        emulator.base_url + TOKEN_PATH,
        data={"grant_type": "refresh_token", "refresh_token": "unknown"},
        auth=("unknown-client", "unknown-secret"),
        timeout=timeout,
    )


def discovery(emulator: Emulator) -> requests.Response:
    return requests.get(emulator.discovery_url("sandbox"), timeout=5)


def raw_exchange(emulator: Emulator) -> bytes:
    """Send one token request over a bare socket and read until the server closes it."""
    host, port = emulator.base_url.removeprefix("http://").split(":")
    body = b"grant_type=refresh_token"
    head = (
        f"POST {TOKEN_PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(head + body)
        received = b""
        while chunk := sock.recv(4096):
            received += chunk
    return received


def _closed_without_answer(emulator: Emulator) -> bool:
    return raw_exchange(emulator) == b""


@pytest.mark.parametrize(
    "fault, status, check",
    [
        (Fault.HTTP_400, 400, lambda r: r.json() == {"error": "invalid_grant", "error_description": REFUSED}),
        (Fault.HTTP_401, 401, lambda r: r.json() == {"error": "invalid_client"} and "Basic" in r.headers["WWW-Authenticate"]),
        (Fault.HTTP_500, 500, lambda r: "text/html" in r.headers["Content-Type"]),
        (Fault.GARBAGE, 200, lambda r: r.content == GARBAGE_BODY),
        (Fault.MISSING_FIELD, 200, lambda r: "refresh_token" not in r.json() and r.json()["access_token"]),
        (Fault.WRONG_TOKEN_TYPE, 200, lambda r: r.json()["token_type"] == "mac" and r.json()["refresh_token"]),
    ],
    ids=lambda value: value.name if isinstance(value, Fault) else "",
)
def test_an_answering_fault_takes_the_place_of_the_endpoint_once(emulator, fault, status, check):
    emulator.inject_fault("token", fault)
    answer = post_token(emulator)
    assert answer.status_code == status and check(answer)
    assert emulator.token_calls == 0  # the real endpoint never ran: no code used, no token rotated
    assert post_token(emulator).status_code == 401  # the real endpoint again: no client credentials
    assert emulator.token_calls == 1
    assert emulator.served_faults() == [("token", fault)]


def test_truncated_promises_more_body_than_it_sends(emulator):
    emulator.inject_fault("token", Fault.TRUNCATED)
    head, _, body = raw_exchange(emulator).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200")
    promised = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    assert 0 < len(body) < promised
    with pytest.raises(ValueError):
        json.loads(body)
    emulator.inject_fault("token", Fault.TRUNCATED)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        post_token(emulator)


def test_reset_resets_the_connection_without_an_answer(emulator):
    emulator.inject_fault("token", Fault.RESET)
    with pytest.raises(ConnectionResetError):
        raw_exchange(emulator)
    emulator.inject_fault("token", Fault.RESET)
    with pytest.raises(requests.ConnectionError):
        post_token(emulator)


def test_timeout_holds_the_connection_without_blocking_others_or_stop():
    emulator = Emulator().start()
    try:
        emulator.inject_fault("token", Fault.TIMEOUT)  # held for a minute unless released
        with pytest.raises(requests.Timeout):
            post_token(emulator, timeout=0.5)
        assert discovery(emulator).status_code == 200  # the held connection blocks nobody
        emulator.inject_fault("token", Fault.TIMEOUT)
        outcome = []
        waiting = threading.Thread(target=lambda: outcome.append(_closed_without_answer(emulator)))
        waiting.start()
        time.sleep(0.2)
    finally:
        started = time.monotonic()
        emulator.stop()
    assert time.monotonic() - started < 2  # stop() lets held connections go
    waiting.join(timeout=5)
    assert outcome == [True]


def test_slow_answers_correctly_after_its_delay_while_others_are_served(emulator):
    emulator.inject_fault("discovery", Fault.SLOW, delay=0.6)
    answers = []
    slow = threading.Thread(target=lambda: answers.append((discovery(emulator), time.monotonic())))
    started = time.monotonic()
    slow.start()
    time.sleep(0.1)
    assert post_token(emulator).status_code == 401  # answered meanwhile
    assert time.monotonic() - started < 0.5
    slow.join(timeout=5)
    answer, finished = answers[0]
    assert answer.status_code == 200 and answer.json()["token_endpoint"].endswith(TOKEN_PATH)
    assert finished - started >= 0.6


def test_clear_faults_releases_a_held_connection(emulator):
    emulator.inject_fault("token", Fault.TIMEOUT)
    outcome = []
    held = threading.Thread(target=lambda: outcome.append(_closed_without_answer(emulator)))
    held.start()
    time.sleep(0.2)
    started = time.monotonic()
    emulator.clear_faults()
    held.join(timeout=5)
    assert outcome == [True] and time.monotonic() - started < 2


def test_faults_are_consumed_per_request_in_order_and_only_on_their_endpoint(emulator):
    emulator.inject_fault("token", Fault.HTTP_500, times=2)
    emulator.inject_fault("token", Fault.HTTP_400)
    assert discovery(emulator).status_code == 200
    assert [post_token(emulator).status_code for _ in range(4)] == [500, 500, 400, 401]
    assert emulator.served_faults() == [("token", Fault.HTTP_500)] * 2 + [("token", Fault.HTTP_400)]


def test_clear_faults_forgets_what_was_queued(emulator):
    emulator.inject_fault("token", Fault.HTTP_500, times=3)
    emulator.inject_fault("discovery", Fault.GARBAGE)
    emulator.clear_faults()
    assert post_token(emulator).status_code == 401
    assert discovery(emulator).status_code == 200
    assert emulator.served_faults() == []


@pytest.mark.parametrize(
    "endpoint, realm_path",
    [("companyinfo", "/sandbox/v3/company/123/companyinfo/123"), ("revoke", "/v2/oauth2/tokens/revoke")],
)
def test_other_endpoints_take_faults_too(emulator, endpoint, realm_path):
    emulator.inject_fault(endpoint, Fault.HTTP_500)
    method = requests.get if endpoint == "companyinfo" else requests.post
    assert method(emulator.base_url + realm_path, timeout=5).status_code == 500
    assert emulator.served_faults() == [(endpoint, Fault.HTTP_500)]


@pytest.mark.parametrize(
    "endpoint, fault, times, error",
    [
        ("tokens", Fault.HTTP_500, 1, ValueError),
        ("discovery", Fault.MISSING_FIELD, 1, ValueError),
        ("companyinfo", Fault.WRONG_TOKEN_TYPE, 1, ValueError),
        ("token", Fault.HTTP_500, 0, ValueError),
        ("token", Fault.HTTP_500, True, ValueError),
        ("token", "HTTP_500", 1, TypeError),
    ],
)
def test_inject_fault_refuses_what_it_cannot_do(emulator, endpoint, fault, times, error):
    with pytest.raises(error):
        emulator.inject_fault(endpoint, fault, times)
