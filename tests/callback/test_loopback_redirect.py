"""Which redirect URIs the loopback listener accepts, and what it makes of them."""

from __future__ import annotations

import pytest

from qbdesk.callback.listener import CallbackListener, CallbackPage, is_loopback_redirect


def _never_called(params: dict[str, str]) -> CallbackPage:
    raise AssertionError("not expected to be called")


@pytest.mark.parametrize(
    "uri",
    [
        "http://localhost:8765/callback",
        "http://localhost/callback",  # no port: 80
        "http://127.0.0.1:8765/callback",
        "http://[::1]:8765/callback",
        "http://localhost:8765/oauth/intuit/callback",
        "http://localhost:8765",  # the browser asks for "/"
        "http://LocalHost:65535/cb",
        "http://localhost:8765/cb%20x",
        "http://localhost:1/",
    ],
)
def test_loopback_redirects_are_accepted(uri: str) -> None:
    assert is_loopback_redirect(uri) is True


@pytest.mark.parametrize(
    "uri",
    [
        "https://localhost:8765/callback",  # Intuit's sandbox rejects https on localhost; we can't serve TLS
        "https://example.com/callback",
        "http://example.com/callback",
        "http://0.0.0.0:8765/callback",  # would listen on every interface
        "http://localhost.evil.com/callback",
        "http://localhost@evil.com/",
        "http://evil.com@localhost:8765/callback",
        "http://user:pw@localhost:8765/callback",
        "http://localhost:8765@evil.com/callback",
        "http://localhost\\@evil.com/callback",
        "http://127.0.0.2:8765/callback",
        "http://127.1:8765/callback",
        "http://2130706433:8765/callback",
        "http://[::ffff:127.0.0.1]:8765/callback",
        "http://[0:0:0:0:0:0:0:1]:8765/callback",
        "http://localhost.:8765/callback",
        "http://[::1/callback",
        "http://localhost:0/callback",
        "http://localhost:65536/callback",
        "http://localhost:/callback",
        "http://localhost:80a/callback",
        "http://localhost:-1/callback",
        "http://localhost:8765/callback?next=/x",
        "http://localhost:8765/callback?",
        "http://localhost:8765/callback#top",
        "http://localhost:8765/a/../callback",
        "http://localhost:8765/a/%2e%2e/callback",
        "http://localhost:8765/call back",
        "http://localhost:8765/callbäck",
        "http://localhost:8765/cb%zz",
        " http://localhost:8765/callback",
        "http://localhost:8765/callback\n",
        "//localhost:8765/callback",
        "localhost:8765/callback",
        "ftp://localhost:8765/callback",
        "http:/localhost:8765/callback",
        "",
    ],
)
def test_everything_else_is_refused(uri: str) -> None:
    assert is_loopback_redirect(uri) is False


@pytest.mark.parametrize("value", [None, 8765, b"http://localhost:8765/callback"])
def test_non_strings_are_refused(value: object) -> None:
    assert is_loopback_redirect(value) is False  # type: ignore[arg-type]


def test_port_comes_from_the_uri_and_defaults_to_80() -> None:
    assert CallbackListener("http://localhost:8765/callback", _never_called).port == 8765
    assert CallbackListener("http://localhost/callback", _never_called).port == 80


@pytest.mark.parametrize("uri", ["https://localhost:8765/callback", "http://localhost@evil.com/", "nonsense"])
def test_listener_refuses_a_non_loopback_redirect(uri: str) -> None:
    with pytest.raises(ValueError):
        CallbackListener(uri, _never_called)


def test_a_new_listener_is_not_running() -> None:
    listener = CallbackListener("http://localhost:8765/callback", _never_called)
    assert listener.running is False
    assert listener.bound_addresses == ()
    listener.stop()  # stopping what never started is harmless
    assert listener.running is False
