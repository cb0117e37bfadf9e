"""Shared helpers for the callback listener tests: free ports, IPv6 detection, raw HTTP, listener lifecycle."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from qbdesk.callback.listener import CallbackListener, CallbackPage


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


HAS_IPV6_LOOPBACK = _ipv6_loopback()


def _port_free(family: int, address: str, port: int) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.bind((address, port))
    except OSError:
        return False
    return True


@pytest.fixture
def ipv6_loopback() -> bool:
    """Whether this machine can bind ::1."""
    return HAS_IPV6_LOOPBACK


@pytest.fixture
def free_port() -> Callable[[], int]:
    """Return a function that finds a port currently free on 127.0.0.1 (and on ::1 when it exists)."""

    def find() -> int:
        for _ in range(50):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            if not HAS_IPV6_LOOPBACK or _port_free(socket.AF_INET6, "::1", port):
                return port
        raise RuntimeError("no port is free on both 127.0.0.1 and ::1")

    return find


class Recorder:
    """An on_callback that records what it was given and answers with a fixed or computed page."""

    def __init__(self, answer: Callable[[dict[str, str]], CallbackPage] | None = None) -> None:
        self.calls: list[dict[str, str]] = []
        self.threads: list[threading.Thread] = []
        self._answer = answer or (lambda params: CallbackPage(True, "Connected", "All set."))
        self._lock = threading.Lock()

    def __call__(self, params: dict[str, str]) -> CallbackPage:
        with self._lock:
            self.calls.append(params)
            self.threads.append(threading.current_thread())
        return self._answer(params)


@pytest.fixture
def recorder() -> Recorder:
    """An on_callback that records its calls and answers with a success page."""
    return Recorder()


@pytest.fixture
def make_recorder() -> type[Recorder]:
    """The Recorder class, for tests that need a computed answer."""
    return Recorder


@pytest.fixture
def make_listener() -> Iterator[Callable[..., CallbackListener]]:
    """Build (and by default start) listeners; every one is stopped at teardown."""
    made: list[CallbackListener] = []

    def build(redirect_uri: str, on_callback, *, start: bool = True, request_timeout: float | None = None):
        listener = CallbackListener(redirect_uri, on_callback)
        if request_timeout is not None:
            listener.request_timeout = request_timeout
        made.append(listener)
        if start:
            listener.start()
        return listener

    yield build
    for listener in made:
        listener.stop()


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def parse_response(data: bytes) -> RawResponse:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawResponse(status, headers, body)


@pytest.fixture
def raw_http() -> Callable[..., RawResponse | None]:
    """Send raw bytes and read one answer, as a browser would; None if the server hung up without answering."""

    def send(port: int, data: bytes, *, address: str = "127.0.0.1", timeout: float = 10.0) -> RawResponse | None:
        received = b""
        with socket.create_connection((address, port), timeout=timeout) as sock:
            sock.sendall(data)
            while not _complete(received):
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                received += chunk
        return parse_response(received) if received else None

    return send


def _complete(received: bytes) -> bool:
    head, sep, body = received.partition(b"\r\n\r\n")
    if not sep:
        return False
    length = parse_response(head + sep).headers.get("content-length")
    return length is not None and len(body) >= int(length)
