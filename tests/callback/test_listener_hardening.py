"""The loopback listener against hostile or broken clients: bad input, oversize, silence, leaks."""

from __future__ import annotations

import logging
import select
import socket
import time

import pytest
import requests

from qbdesk.callback.listener import CallbackPage

pytestmark = pytest.mark.timeout(30)

HOSTILE = "<script>alert('x')</script> \"quoted\" & {{ message }} </p><img src=x onerror=alert(1)>"


def _uri(port: int) -> str:
    return f"http://localhost:{port}/callback"


def _get(target: str, *, host: str = "localhost", extra: str = "") -> bytes:
    return f"GET {target} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode("latin-1")


def _closed_by_peer(sock: socket.socket, within: float) -> bool:
    """Wait until the server closes the connection (EOF or reset), for at most `within` seconds."""
    ready, _, _ = select.select([sock], [], [], within)
    if not ready:
        return False
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_hostile_values_come_back_escaped(make_listener, free_port, make_recorder) -> None:
    port = free_port()
    make_listener(_uri(port), make_recorder(lambda p: CallbackPage(False, p["error"], p["error_description"])))
    response = requests.get(
        f"http://127.0.0.1:{port}/callback",
        params={"error": HOSTILE, "error_description": f"first {HOSTILE}\nsecond line\r\n\r\nthird"},
        timeout=10,
    )
    body = response.text
    assert "<script" not in body
    assert "<img" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "&quot;quoted&quot; &amp;" in body
    assert "{{ message }}" in body  # inserted text is never treated as a placeholder
    assert "<p>second line</p>" in body and "<p>third</p>" in body
    assert body.count("<p>") == 3
    assert 'class="fail"' in body


@pytest.mark.parametrize(
    "query",
    [
        "code=a&code=b&state=s",  # repeated parameter
        "state=s&state=s",
        "code=%ff%fe&state=s",  # not UTF-8
        "&".join(f"k{n}=v" for n in range(65)),  # too many fields
    ],
)
def test_malformed_queries_are_400_without_a_callback(make_listener, free_port, recorder, query) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    response = requests.get(f"http://127.0.0.1:{port}/callback?{query}", timeout=10)
    assert response.status_code == 400
    assert 'class="fail"' in response.text
    assert recorder.calls == []


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /callback?a=1 HTTP/1.1\r\nHost: evil.example:8765\r\n\r\n",  # DNS rebinding
        b"GET /callback?a=1 HTTP/1.1\r\nHost: localhost.evil.example\r\n\r\n",
        b"GET /callback?a=1 HTTP/1.0\r\n\r\n",  # no Host at all
        b"GET /callback?a=1 HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
        b"GET http://localhost/callback?a=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",  # absolute form
        b"GET /callback?a=1 HTTP/2.0\r\nHost: localhost\r\n\r\n",
        b"GET /callback?a=1\r\nHost: localhost\r\n\r\n",
        b"GET  /callback?a=1 HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /callback?a=\xff HTTP/1.1\r\nHost: localhost\r\n\r\n",  # raw non-ASCII
        b"GET /callback?a=1 HTTP/1.1\r\nHost: localhost\r\n folded: line\r\n\r\n",
        b"GET /callback?a=1 HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",  # a TLS hello on the plain port
    ],
)
def test_malformed_requests_are_400_without_a_callback(make_listener, free_port, recorder, raw_http, request_bytes):
    port = free_port()
    make_listener(_uri(port), recorder)
    response = raw_http(port, request_bytes)
    assert response is not None and response.status == 400
    assert recorder.calls == []


def test_header_case_and_port_in_host_are_accepted(make_listener, free_port, recorder, raw_http) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    for host in (f"LOCALHOST:{port}", "127.0.0.1", f"[::1]:{port}"):
        response = raw_http(port, f"GET /callback?h=1 HTTP/1.1\r\nhOsT: {host}\r\n\r\n".encode())
        assert response is not None and response.status == 200
    assert len(recorder.calls) == 3


def test_oversized_request_line_is_refused(make_listener, free_port, recorder, raw_http) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    response = raw_http(port, _get("/callback?code=" + "a" * 20_000))
    assert response is not None and response.status == 414
    response = raw_http(port, _get("/callback?code=" + "a" * 4_200))  # within the head limit, too long a query
    assert response is not None and response.status == 414
    assert recorder.calls == []


def test_oversized_headers_are_refused(make_listener, free_port, recorder, raw_http) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    cookies = "".join(f"Cookie: c{n}={'v' * 1000}\r\n" for n in range(20))
    response = raw_http(port, _get("/callback?code=a", extra=cookies))
    assert response is not None and response.status == 431
    assert b"cookies for localhost" in response.body
    assert recorder.calls == []


def test_ordinary_browser_headers_fit(make_listener, free_port, recorder, raw_http) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    headers = "User-Agent: Mozilla/5.0\r\nAccept: text/html\r\nCookie: " + "c=" + "v" * 6000 + "\r\n"
    response = raw_http(port, _get("/callback?code=" + "a" * 512 + "&state=s", extra=headers))
    assert response is not None and response.status == 200
    assert recorder.calls == [{"code": "a" * 512, "state": "s"}]


def test_a_silent_client_blocks_neither_callbacks_nor_stop(make_listener, free_port, recorder) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)  # default timeout
    with socket.create_connection(("127.0.0.1", port), timeout=10) as silent:
        started = time.monotonic()
        assert requests.get(f"http://127.0.0.1:{port}/callback?code=c", timeout=10).status_code == 200
        assert time.monotonic() - started < 2
        started = time.monotonic()
        listener.stop()
        assert time.monotonic() - started < listener.request_timeout
        assert _closed_by_peer(silent, within=listener.request_timeout + 1)
    assert recorder.calls == [{"code": "c"}]


def test_a_silent_client_is_dropped_after_the_timeout(make_listener, free_port, recorder) -> None:
    port = free_port()
    make_listener(_uri(port), recorder, request_timeout=1.0)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as silent:
        started = time.monotonic()
        assert _closed_by_peer(silent, within=5)
        assert 0.8 < time.monotonic() - started < 3


def test_a_trickling_client_is_dropped_after_the_timeout(make_listener, free_port, recorder) -> None:
    port = free_port()
    make_listener(_uri(port), recorder, request_timeout=1.0)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
        started = time.monotonic()
        slow.sendall(b"GET /callback?code=c HTTP/1.1\r\nHost: localhost\r\n")
        closed = False
        while not closed and time.monotonic() - started < 5:
            try:
                slow.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
            closed = _closed_by_peer(slow, within=0.2)
        assert closed and time.monotonic() - started < 3
    assert recorder.calls == []


def test_a_full_listener_cuts_its_oldest_idle_connection_for_a_new_one(make_listener, free_port, recorder, raw_http):
    port = free_port()
    listener = make_listener(_uri(port), recorder, start=False, request_timeout=10.0)
    listener.max_connections = 2
    listener.start()
    with socket.create_connection(("127.0.0.1", port)) as first, socket.create_connection(("127.0.0.1", port)):
        time.sleep(0.2)  # let the listener take both
        answer = raw_http(port, _get("/callback?code=c"))
        assert answer is not None and answer.status == 200
        assert _closed_by_peer(first, within=2)
    assert recorder.calls == [{"code": "c"}]


def _wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_failing_callback_gives_a_generic_500_and_logs_no_secrets(make_listener, free_port, caplog) -> None:
    port = free_port()

    def explode(params: dict[str, str]) -> CallbackPage:
        raise RuntimeError(f"exchange failed for code {params['code']}")

    make_listener(_uri(port), explode)
    with caplog.at_level(logging.DEBUG, logger="qbdesk.callback"):
        response = requests.get(f"http://127.0.0.1:{port}/callback?code=SECRET-CODE-123&state=st", timeout=10)
    assert response.status_code == 500
    assert "SECRET-CODE-123" not in response.text and "exchange failed" not in response.text
    assert 'class="fail"' in response.text
    errors = [r for r in caplog.records if r.name == "qbdesk.callback" and r.levelno == logging.ERROR]
    assert errors and "RuntimeError" in errors[0].getMessage()
    assert "SECRET-CODE-123" not in caplog.text  # the exception text is left out: it may quote the query


def test_a_callback_returning_garbage_gives_a_500(make_listener, free_port, caplog) -> None:
    port = free_port()
    make_listener(_uri(port), lambda params: "<h1>not a page</h1>")  # type: ignore[arg-type, return-value]
    with caplog.at_level(logging.ERROR, logger="qbdesk.callback"):
        response = requests.get(f"http://127.0.0.1:{port}/callback?a=1", timeout=10)
    assert response.status_code == 500 and "not a page" not in response.text
    assert any("TypeError" in r.getMessage() for r in caplog.records)


def test_request_logs_leave_out_the_query(make_listener, free_port, recorder, caplog) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    with caplog.at_level(logging.DEBUG, logger="qbdesk.callback"):
        requests.get(f"http://127.0.0.1:{port}/callback?code=SECRET-CODE-456&state=STATE-789", timeout=10)
        requests.get(f"http://127.0.0.1:{port}/elsewhere?code=SECRET-CODE-456", timeout=10)
    messages = [r.getMessage() for r in caplog.records if r.name == "qbdesk.callback"]
    assert any("/callback" in m and "200" in m for m in messages)
    assert all("SECRET-CODE-456" not in m and "STATE-789" not in m for m in messages)


def test_nothing_is_written_to_stderr(make_listener, free_port, recorder, capfd) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    requests.get(f"http://127.0.0.1:{port}/callback?code=c", timeout=10)
    requests.get(f"http://127.0.0.1:{port}/x", timeout=10)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
