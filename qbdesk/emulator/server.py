"""HTTP plumbing: a threading server that turns sockets into HttpRequest/HttpResponse values."""

from __future__ import annotations

import logging
import re
import socket
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .config import MAX_BODY_BYTES, MAX_TARGET_LENGTH, SOCKET_TIMEOUT_SECONDS
from .faults import FaultPlan
from .messages import HttpRequest, HttpResponse, json_response
from .shapes import transaction_id

log = logging.getLogger("qbdesk.emulator")

_QUERY = re.compile(r"\?\S*")


def _without_query(text: object) -> object:
    """Strip query strings, which may carry secrets, from values headed for the log."""
    return _QUERY.sub("?…", text) if isinstance(text, str) else text


class EmulatorRequestHandler(BaseHTTPRequestHandler):
    """Reads one bounded request, hands it to the app and writes the answer."""

    server: EmulatorHTTPServer
    server_version = "qbdesk-intuit-emulator"
    sys_version = ""
    timeout = SOCKET_TIMEOUT_SECONDS

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        try:
            request_or_error = self._read_request()
            if isinstance(request_or_error, HttpResponse):
                self.close_connection = True
                self._write(request_or_error)
                return
            if not self.server.faults.intercept(self, request_or_error):
                self._write(self._dispatch(request_or_error))
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            log.debug("client went silent or away during %s", self.command)

    def _read_request(self) -> HttpRequest | HttpResponse:
        if len(self.path) > MAX_TARGET_LENGTH:
            return json_response(414, {"error": "invalid_request", "error_description": "URL too long"})
        if self.headers.get("Transfer-Encoding"):
            return json_response(411, {"error": "invalid_request", "error_description": "Content-Length required"})
        raw_length = self.headers.get("Content-Length", "0").strip() or "0"
        if not raw_length.isdigit():
            return json_response(400, {"error": "invalid_request", "error_description": "Bad Content-Length"})
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            return json_response(413, {"error": "invalid_request", "error_description": "Request body too large"})
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise ConnectionError("request body ended early")
        path, _, query = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        return HttpRequest(method=self.command, path=path, query=query.partition("#")[0], headers=headers, body=body)

    def _dispatch(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.server.app_handler(request)
        except Exception as exc:  # a bug must answer 500, not kill the connection silently
            frames = "".join(traceback.format_tb(exc.__traceback__))
            # Only the exception type and frames: messages may quote request values.
            log.error("unhandled %s serving %s %s\n%s", type(exc).__name__, request.method, request.path, frames)
            return json_response(500, {"error": "server_error"})

    def _write(self, response: HttpResponse) -> None:
        self.send_response(response.status)
        self.send_header("intuit_tid", transaction_id())
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.body:
            self.wfile.write(response.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s -> %s", self.command, _without_query(self.path.partition("?")[0]), code)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("http: " + format, *(_without_query(arg) for arg in args))


class EmulatorHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with daemon threads and quiet error handling."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int],
        app_handler: Callable[[HttpRequest], HttpResponse],
        faults: FaultPlan | None = None,
    ) -> None:
        self.app_handler = app_handler
        self.faults = faults or FaultPlan()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, EmulatorRequestHandler)

    def handle_error(self, request, client_address) -> None:
        log.debug("connection error from a client", exc_info=False)
