"""The loopback listener over real sockets: binding, routing, pages, stopping."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from qbdesk.callback.listener import CallbackListener, CallbackPage, ListenerError

pytestmark = pytest.mark.timeout(30)


def _uri(port: int, host: str = "localhost", path: str = "/callback") -> str:
    return f"http://{host}:{port}{path}"


def _refused(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect((address, port))
        except ConnectionRefusedError:
            return True
    return False


def test_start_binds_before_returning_and_passes_the_query(make_listener, free_port, recorder) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)
    assert listener.running and listener.port == port
    response = requests.get(
        f"http://127.0.0.1:{port}/callback",
        params={"code": "AB-12_x", "state": "s t+ä", "realmId": "4620816365", "empty": ""},
        timeout=10,
    )
    assert response.status_code == 200
    assert recorder.calls == [{"code": "AB-12_x", "state": "s t+ä", "realmId": "4620816365", "empty": ""}]
    assert recorder.threads[0] is not threading.main_thread()
    assert "Connected" in response.text and "All set." in response.text
    assert "You can close this tab and return to qbdesk." in response.text
    assert 'class="ok"' in response.text


def test_localhost_is_served_on_both_loopbacks(make_listener, free_port, recorder, ipv6_loopback) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)
    assert requests.get(f"http://127.0.0.1:{port}/callback?n=4", timeout=10).status_code == 200
    if not ipv6_loopback:
        assert {a for a, _ in listener.bound_addresses} == {"127.0.0.1"}
        pytest.skip("this machine has no IPv6 loopback")
    assert requests.get(f"http://[::1]:{port}/callback?n=6", timeout=10).status_code == 200
    assert recorder.calls == [{"n": "4"}, {"n": "6"}]
    assert sorted(listener.bound_addresses) == [("127.0.0.1", port), ("::1", port)]


def test_literal_ipv4_host_listens_on_ipv4_only(make_listener, free_port, recorder, ipv6_loopback) -> None:
    port = free_port()
    listener = make_listener(_uri(port, "127.0.0.1"), recorder)
    assert listener.bound_addresses == (("127.0.0.1", port),)
    if ipv6_loopback:
        assert _refused("::1", port)


def test_literal_ipv6_host_listens_on_ipv6_only(make_listener, free_port, recorder, ipv6_loopback) -> None:
    if not ipv6_loopback:
        pytest.skip("this machine has no IPv6 loopback")
    port = free_port()
    listener = make_listener(_uri(port, "[::1]"), recorder)
    assert listener.bound_addresses == (("::1", port),)
    assert _refused("127.0.0.1", port)
    assert requests.get(f"http://[::1]:{port}/callback?a=1", timeout=10).status_code == 200
    assert recorder.calls == [{"a": "1"}]


def test_never_binds_a_non_loopback_address(make_listener, free_port, recorder) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)
    assert {address for address, _ in listener.bound_addresses} <= {"127.0.0.1", "::1"}
    try:  # find this machine's outward address without sending anything
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("203.0.113.1", 9))
            outward = probe.getsockname()[0]
    except OSError:
        outward = None
    if outward and not outward.startswith("127."):
        assert _refused(outward, port)


@pytest.mark.parametrize("path", ["/favicon.ico", "/", "/callback/", "/callbackx", "/other/callback", "/CALLBACK"])
def test_other_paths_are_404_and_never_reach_the_callback(make_listener, free_port, recorder, path) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    response = requests.get(f"http://127.0.0.1:{port}{path}?code=x&state=y", timeout=10)
    assert response.status_code == 404
    assert recorder.calls == []


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "HEAD", "OPTIONS"])
def test_other_methods_are_405(make_listener, free_port, recorder, method) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    response = requests.request(method, f"http://127.0.0.1:{port}/callback?code=x&state=y", data=b"a=b", timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert recorder.calls == []


def test_responses_carry_the_protective_headers(make_listener, free_port, recorder) -> None:
    port = free_port()
    make_listener(_uri(port), recorder)
    for path in ("/callback?state=1", "/nowhere"):
        headers = requests.get(f"http://127.0.0.1:{port}{path}", timeout=10).headers
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] == "no-store"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Connection"] == "close"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp and "unsafe-inline" not in csp


def test_failure_pages_are_styled_as_failures_with_their_status(make_listener, free_port, make_recorder) -> None:
    port = free_port()
    answer = make_recorder(lambda p: CallbackPage(False, "Sign-in refused", p["error_description"], 400))
    make_listener(_uri(port), answer)
    response = requests.get(
        f"http://127.0.0.1:{port}/callback?error=access_denied&error_description=User+said+no", timeout=10
    )
    assert response.status_code == 400
    assert 'class="fail"' in response.text
    assert "Sign-in refused" in response.text and "<p>User said no</p>" in response.text


def test_the_listener_keeps_serving_after_a_callback(make_listener, free_port, recorder) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)
    for n in range(3):
        assert requests.get(f"http://127.0.0.1:{port}/callback?n={n}", timeout=10).status_code == 200
    assert listener.running and len(recorder.calls) == 3


def test_a_slow_callback_does_not_block_other_connections(make_listener, free_port) -> None:
    port = free_port()
    release = threading.Event()

    def answer(params: dict[str, str]) -> CallbackPage:
        if params.get("slow"):
            assert release.wait(20)
        return CallbackPage(True, "Done", params.get("slow", "fast"))

    make_listener(_uri(port), answer)
    slow_result: list[requests.Response] = []
    slow = threading.Thread(
        target=lambda: slow_result.append(requests.get(f"http://127.0.0.1:{port}/callback?slow=1", timeout=20))
    )
    slow.start()
    try:
        started = time.monotonic()
        fast = requests.get(f"http://127.0.0.1:{port}/callback?fast=1", timeout=10)
        assert fast.status_code == 200 and time.monotonic() - started < 3
        assert requests.get(f"http://127.0.0.1:{port}/favicon.ico", timeout=10).status_code == 404
    finally:
        release.set()
        slow.join(20)
    assert slow_result[0].status_code == 200 and "<p>1</p>" in slow_result[0].text


def test_port_in_use_is_a_helpful_listener_error(make_listener, free_port, recorder) -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other_program:
        other_program.bind(("127.0.0.1", port))
        other_program.listen()
        listener = make_listener(_uri(port), recorder, start=False)
        with pytest.raises(ListenerError) as raised:
            listener.start()
    message = str(raised.value)
    assert f"Port {port} is already in use" in message
    assert "Redirect URI" in message and "Intuit" in message
    assert not listener.running
    listener.start()  # nothing was left half-bound
    assert listener.running


def test_port_in_use_on_ipv6_only_also_fails(make_listener, free_port, recorder, ipv6_loopback) -> None:
    if not ipv6_loopback:
        pytest.skip("this machine has no IPv6 loopback")
    port = free_port()
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as other_program:
        other_program.bind(("::1", port))
        other_program.listen()
        listener = make_listener(_uri(port), recorder, start=False)
        with pytest.raises(ListenerError, match=f"Port {port} is already in use"):
            listener.start()
    assert not listener.running
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as check:  # the IPv4 half was released
        check.bind(("127.0.0.1", port))


def test_stop_frees_the_port_and_is_idempotent(make_listener, free_port, recorder) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)
    assert requests.get(f"http://127.0.0.1:{port}/callback?n=1", timeout=10).status_code == 200
    listener.stop()
    assert not listener.running and listener.bound_addresses == ()
    assert _refused("127.0.0.1", port)
    listener.stop()
    listener.stop()
    successor = make_listener(_uri(port), recorder)
    assert requests.get(f"http://127.0.0.1:{port}/callback?n=2", timeout=10).status_code == 200
    successor.stop()
    listener.start()  # the same listener can start again
    assert requests.get(f"http://127.0.0.1:{port}/callback?n=3", timeout=10).status_code == 200
    assert [c["n"] for c in recorder.calls] == ["1", "2", "3"]


def test_start_twice_is_harmless(make_listener, free_port, recorder) -> None:
    port = free_port()
    listener = make_listener(_uri(port), recorder)
    addresses = listener.bound_addresses
    listener.start()
    assert listener.bound_addresses == addresses


def test_the_callback_may_stop_the_listener_and_still_answer(make_listener, free_port) -> None:
    port = free_port()
    holder: list[CallbackListener] = []

    def answer(params: dict[str, str]) -> CallbackPage:
        holder[0].stop()  # the sign-in completed: nothing else is pending
        return CallbackPage(True, "Connected", "Done.")

    holder.append(make_listener(_uri(port), answer))
    response = requests.get(f"http://127.0.0.1:{port}/callback?code=c&state=s", timeout=10)
    assert response.status_code == 200 and "Done." in response.text
    assert not holder[0].running
    assert _refused("127.0.0.1", port)


def test_stop_does_not_wait_for_a_running_callback(make_listener, free_port) -> None:
    port = free_port()
    entered, release = threading.Event(), threading.Event()

    def answer(params: dict[str, str]) -> CallbackPage:
        entered.set()
        assert release.wait(20)
        return CallbackPage(True, "Connected", "Finished after stop.")

    listener = make_listener(_uri(port), answer)
    result: list[requests.Response] = []
    client = threading.Thread(
        target=lambda: result.append(requests.get(f"http://127.0.0.1:{port}/callback?x=1", timeout=20))
    )
    client.start()
    try:
        assert entered.wait(10)
        started = time.monotonic()
        listener.stop()
        assert time.monotonic() - started < 2
        assert _refused("127.0.0.1", port)
    finally:
        release.set()
        client.join(20)
    assert result[0].status_code == 200 and "Finished after stop." in result[0].text
