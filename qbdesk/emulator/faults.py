"""Fault injection: make chosen endpoints misbehave for the next few requests.

A queued fault answers in place of the endpoint, so the real handler never runs: no code is used up
and no token rotates. Only SLOW lets the real answer through, after its delay.
"""

from __future__ import annotations

import json
import math
import socket
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from http.server import BaseHTTPRequestHandler

from .api_routes import DISCOVERY_ADDRESSES
from .messages import BadRequest, HttpRequest
from .oauth_routes import REVOKE_PATH, TOKEN_PATH
from .router import COMPANY_INFO_PATTERN, QUERY_PATTERN
from .shapes import transaction_id
from .validator import INVALID_REFRESH_TOKEN

ENDPOINTS: dict[str, Callable[[str], bool]] = {
    "token": lambda path: path == TOKEN_PATH,
    "discovery": lambda path: path in DISCOVERY_ADDRESSES,
    "companyinfo": lambda path: COMPANY_INFO_PATTERN.match(path) is not None,
    "revoke": lambda path: path == REVOKE_PATH,
    "query": lambda path: QUERY_PATTERN.match(path) is not None,
}

SLOW_SECONDS = 2.0
RETRY_AFTER_SECONDS = 1.0
HOLD_SECONDS = 60.0
GARBAGE_BODY = b"<html><body><h1>qbdesk emulator: not JSON</h1><p>garbage</p></body></html>"
THROTTLED_BODY = json.dumps({
    "Fault": {
        "Error": [{"Message": "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                   "Detail": "The request limit was reached.", "code": "3001"}],
        "type": "SERVICE",
    }
}).encode("utf-8")
FAKE_ACCESS_TOKEN = "fault-access-token-not-valid-anywhere"
FAKE_REFRESH_TOKEN = "fault-refresh-token-not-valid-anywhere"


class Fault(Enum):
    """How an endpoint misbehaves for one request."""

    HTTP_400 = "http_400"  # {"error": "invalid_grant"}
    HTTP_401 = "http_401"  # {"error": "invalid_client"} with a Basic challenge
    HTTP_500 = "http_500"  # an HTML error page, as a failing gateway sends
    HTTP_429 = "http_429"  # throttled: Intuit's ThrottleExceeded fault, with Retry-After (the delay) in seconds
    TIMEOUT = "timeout"  # no answer at all; the connection is held, then closed
    SLOW = "slow"  # the correct answer, after a delay
    GARBAGE = "garbage"  # 200 with an HTML body
    TRUNCATED = "truncated"  # 200 whose body stops halfway short of its Content-Length
    MISSING_FIELD = "missing_field"  # 200 token JSON without refresh_token (token endpoint only)
    WRONG_TOKEN_TYPE = "wrong_token_type"  # 200 token JSON with token_type "mac" (token endpoint only)
    RESET = "reset"  # the connection is reset (RST) instead of answered


TOKEN_ONLY = frozenset({Fault.MISSING_FIELD, Fault.WRONG_TOKEN_TYPE})


@dataclass
class _Queued:
    fault: Fault
    times: int  # requests still to be faulted
    delay: float  # seconds SLOW waits or TIMEOUT holds


class FaultPlan:
    """Faults waiting for requests, per endpoint, consumed in the order they were queued. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, list[_Queued]] = {name: [] for name in ENDPOINTS}
        self._release = threading.Event()
        self._served: list[tuple[str, Fault]] = []

    def inject(self, endpoint: str, fault: Fault, times: int = 1, delay: float | None = None) -> None:
        """Queue a fault for the next `times` requests to an endpoint."""
        if endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {', '.join(ENDPOINTS)}")
        if not isinstance(fault, Fault):
            raise TypeError("fault must be a Fault")
        if fault in TOKEN_ONLY and endpoint != "token":
            raise ValueError(f"{fault.name} applies to the token endpoint only")
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError("times must be a whole number of at least 1")
        defaults = {Fault.SLOW: SLOW_SECONDS, Fault.HTTP_429: RETRY_AFTER_SECONDS}
        seconds = defaults.get(fault, HOLD_SECONDS) if delay is None else float(delay)
        if seconds < 0:
            raise ValueError("delay must not be negative")
        with self._lock:
            self._queues[endpoint].append(_Queued(fault, times, seconds))

    def clear(self) -> None:
        """Drop every queued fault and let held connections go."""
        with self._lock:
            for queue in self._queues.values():
                queue.clear()
        self.release()

    def release(self) -> None:
        """End every wait now in progress (held or slowed requests); later faults wait afresh."""
        with self._lock:
            released, self._release = self._release, threading.Event()
        released.set()

    def served(self) -> list[tuple[str, Fault]]:
        """(endpoint, fault) for every fault served so far, in order."""
        with self._lock:
            return list(self._served)

    def _take(self, path: str) -> tuple[Fault, float, threading.Event] | None:
        with self._lock:
            for endpoint, matches in ENDPOINTS.items():
                queue = self._queues[endpoint]
                if queue and matches(path):
                    queued = queue[0]
                    queued.times -= 1
                    if queued.times == 0:
                        queue.pop(0)
                    self._served.append((endpoint, queued.fault))
                    return queued.fault, queued.delay, self._release
        return None

    def intercept(self, handler: BaseHTTPRequestHandler, request: HttpRequest) -> bool:
        """Serve a queued fault for this request; True when it took the place of the real answer."""
        taken = self._take(request.path)
        if taken is None:
            return False
        fault, delay, release = taken
        if fault is Fault.SLOW:
            release.wait(delay)
            return False
        handler.close_connection = True
        if fault is Fault.TIMEOUT:
            release.wait(delay)
        elif fault is Fault.RESET:
            _reset(handler)
        elif fault is Fault.TRUNCATED:
            body = _token_body(token_type="bearer", refresh=True)
            _send(handler, 200, "application/json;charset=UTF-8", body[: len(body) // 2], length=len(body))
        elif fault is Fault.GARBAGE:
            _send(handler, 200, "text/html; charset=utf-8", GARBAGE_BODY)
        elif fault is Fault.HTTP_500:
            _send(handler, 500, "text/html; charset=utf-8", b"<html><body>500 Internal Server Error</body></html>")
        elif fault is Fault.HTTP_429:
            retry_after = (("Retry-After", str(math.ceil(delay))),)
            _send(handler, 429, "application/json;charset=UTF-8", THROTTLED_BODY, headers=retry_after)
        elif fault is Fault.HTTP_400:
            _send(handler, 400, "application/json;charset=UTF-8", _invalid_grant_body(request))
        elif fault is Fault.HTTP_401:
            challenge = (("WWW-Authenticate", 'Basic realm="qbdesk Intuit emulator"'),)
            _send(handler, 401, "application/json;charset=UTF-8", b'{"error":"invalid_client"}', headers=challenge)
        elif fault is Fault.MISSING_FIELD:
            _send(handler, 200, "application/json;charset=UTF-8", _token_body(token_type="bearer", refresh=False))
        elif fault is Fault.WRONG_TOKEN_TYPE:
            _send(handler, 200, "application/json;charset=UTF-8", _token_body(token_type="mac", refresh=True))
        return True


def _invalid_grant_body(request: HttpRequest) -> bytes:
    """Intuit's invalid_grant: with its description when a refresh token was refused, bare otherwise."""
    try:
        refreshing = ("grant_type", "refresh_token") in request.form_fields()
    except BadRequest:
        refreshing = False
    body: dict[str, str] = {"error": "invalid_grant"}
    if refreshing:
        body["error_description"] = INVALID_REFRESH_TOKEN
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def _token_body(token_type: str, refresh: bool) -> bytes:
    """A token answer with made-up tokens that no endpoint accepts."""
    token: dict[str, object] = {"access_token": FAKE_ACCESS_TOKEN, "token_type": token_type, "expires_in": 3600}
    if refresh:
        token["refresh_token"] = FAKE_REFRESH_TOKEN
    token["x_refresh_token_expires_in"] = 8726400
    return json.dumps(token).encode("utf-8")


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    content_type: str,
    body: bytes,
    length: int | None = None,
    headers: tuple[tuple[str, str], ...] = (),
) -> None:
    handler.send_response(status)
    handler.send_header("intuit_tid", transaction_id())
    handler.send_header("Content-Type", content_type)
    handler.send_header("Cache-Control", "no-store")
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()


def _reset(handler: BaseHTTPRequestHandler) -> None:
    """Close the socket with an RST: SO_LINGER on with a zero timeout, then a real close."""
    connection = handler.connection
    linger = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
    handler.rfile.close()  # the reader holds a reference that would keep the socket open
    connection.close()
