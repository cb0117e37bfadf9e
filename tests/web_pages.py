"""Web pages on loopback for the sign-in window's tests: a server that records every path asked of it and
answers with the page given for that path (a plain one otherwise), and a fixture that opens sign-in windows."""

from __future__ import annotations

import http.server
import socket
import ssl
import threading

import pytest

PLAIN_PAGE = b"<!DOCTYPE html><title>listener</title><p>listener page</p>"
SIGNIN_REDIRECT = "https://books.example.invalid/qbdesk/callback"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Listener:
    """A loopback HTTP server that records every path asked of it; pages maps a path to the HTML it serves."""

    def __init__(self, port: int = 0, tls: ssl.SSLContext | None = None, pages: dict[str, str] | None = None) -> None:
        self.paths: list[str] = []
        paths, served = self.paths, dict(pages or {})

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                body = served[self.path].encode() if self.path in served else PLAIN_PAGE
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.base_url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def listeners():
    started: list[Listener] = []

    def start(port: int = 0, tls: ssl.SSLContext | None = None, pages: dict[str, str] | None = None) -> Listener:
        listener = Listener(port, tls, pages)
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.close()


@pytest.fixture
def open_signin(qtbot, qapp):
    """Opens SignInWindows; any still open at the end are closed and awaited until deleted."""
    from shiboken6 import Shiboken

    from qbdesk.ui.signin_window import SignInWindow

    opened = []

    def factory(url: str, redirect_uri: str = SIGNIN_REDIRECT):
        window = SignInWindow(url, redirect_uri)
        window.early = []
        window.closed_early.connect(lambda: window.early.append(True))
        opened.append(window)
        window.show()
        return window

    yield factory
    for window in opened:
        if Shiboken.isValid(window):
            window.close()
    for window in opened:
        qtbot.waitUntil(lambda w=window: not Shiboken.isValid(w), timeout=5000)
