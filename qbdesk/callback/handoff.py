"""Handing the sign-in address to the system browser without putting it on a command line.

Starting a browser puts the address it opens on the browser's command line, which every user of the computer
can read (/proc/PID/cmdline). The sign-in address carries the state and the PKCE challenge, so the browser is
given a one-time address on this computer instead; opening it redirects to the sign-in address. Only the user
qbdesk runs as may open it (``peer``), once, within a few minutes.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
import time

from .http_request import Refused, parse_head, read_head
from .http_response import response
from .pages import plain
from .peer import Verdict, same_user

__all__ = ["BrowserHandoff"]

log = logging.getLogger("qbdesk.callback")


class BrowserHandoff:
    """A loopback address that redirects the browser to target once; closes itself after use or lifetime."""

    lifetime: float = 300.0  # seconds the browser has to open the address
    request_timeout: float = 5.0

    def __init__(self, target: str) -> None:
        if not target.startswith(("https://", "http://")):
            raise ValueError("the sign-in address must be a web address")
        self._target = target
        self._path = "/" + secrets.token_urlsafe(24)
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()
        self.used = threading.Event()

    def start(self) -> str:
        """Listen on a free loopback port; returns the address to give the browser."""
        server = socket.create_server(("127.0.0.1", 0))
        server.settimeout(0.25)
        self._socket = server
        self._thread = threading.Thread(target=self._serve, name="qbdesk-browser-handoff", daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{server.getsockname()[1]}{self._path}"

    @property
    def finished(self) -> bool:
        """True once the address was used, ran out of time or was closed."""
        return self._closed.is_set()

    def close(self) -> None:
        """Stop listening (safe to call any number of times)."""
        self._closed.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
        if self._socket is not None:
            self._socket.close()

    def _serve(self) -> None:
        deadline = time.monotonic() + self.lifetime
        while not self._closed.is_set() and not self.used.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with conn:
                self._answer(conn)
        self._closed.set()
        self._socket.close()

    def _answer(self, conn: socket.socket) -> None:
        if same_user(conn) == Verdict.OTHER:
            log.warning("Refused another user's request for the browser's sign-in address")
            return
        try:
            head = read_head(conn, time.monotonic() + self.request_timeout)
            if head is None:
                return
            request = parse_head(head)
            if request.method != "GET" or request.path != self._path:
                status, body, extra = 404, plain("Not found"), ()
            else:
                self.used.set()
                status, body, extra = 303, plain("Opening Intuit\u2019s sign-in page\u2026"), (("Location", self._target),)
        except Refused as refused:
            status, body, extra = refused.status, refused.body, ()
        except OSError:
            return
        try:
            conn.settimeout(self.request_timeout)
            conn.sendall(response(status, body, extra))
        except OSError:
            pass
