"""Loopback HTTP listener that receives Intuit's OAuth redirect from the user's browser.

The listener only transports: it accepts GET on the registered redirect path, hands the parsed
query to ``on_callback`` and renders the page that callback returns. Deciding whether the state,
code or error in the query are acceptable is the caller's job. Everything that arrives over the
socket is treated as hostile: sizes and time are bounded, and every value shown is escaped.
"""

from __future__ import annotations

import base64
import errno
import functools
import hashlib
import html
import importlib.resources
import logging
import re
import selectors
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["CallbackListener", "CallbackPage", "ListenerError", "is_loopback_redirect"]

log = logging.getLogger("qbdesk.callback")

MAX_HEAD_BYTES = 16 * 1024  # request line and headers together
MAX_PATH_CHARS = 2048
MAX_QUERY_CHARS = 4096
MAX_QUERY_FIELDS = 64

_HOST_FAMILIES = {
    "localhost": ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")),
    "127.0.0.1": ((socket.AF_INET, "127.0.0.1"),),
    "[::1]": ((socket.AF_INET6, "::1"),),
}
_NETLOC = re.compile(r"(?P<host>localhost|127\.0\.0\.1|\[::1\])(?::(?P<port>[0-9]{1,5}))?", re.IGNORECASE)
_PATH = re.compile(r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_REQUEST_LINE = re.compile(r"(?P<method>[!#$%&'*+.^_`|~0-9A-Za-z-]+) (?P<target>[!-~]+) HTTP/1\.[01]")
_HEAD_END = re.compile(rb"\r?\n\r?\n")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_PLACEHOLDERS = {"outcome", "title", "message"}
_NO_IPV6 = {
    errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT,
    getattr(errno, "WSAEADDRNOTAVAIL", -1), getattr(errno, "WSAEAFNOSUPPORT", -1),
}
_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)}
_DENIED = {errno.EACCES, getattr(errno, "WSAEACCES", -1)}


def is_loopback_redirect(redirect_uri: str) -> bool:
    """Tell whether a redirect URI is plain http to this machine's loopback, which the listener can serve."""
    return _parse_redirect(redirect_uri) is not None


def _parse_redirect(uri: object) -> tuple[str, int, str] | None:
    """Split a loopback redirect URI into (host as written, port, path), or None if it is anything else."""
    if not isinstance(uri, str) or not uri.isascii() or any(c <= " " or c == "\x7f" for c in uri):
        return None
    if "?" in uri or "#" in uri:  # a query would mix with Intuit's; a fragment is forbidden in redirect URIs
        return None
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    if parts.scheme != "http" or not uri.lower().startswith("http://"):
        return None
    netloc = _NETLOC.fullmatch(parts.netloc)  # no userinfo, no other host spelling
    if netloc is None:
        return None
    port = int(netloc["port"]) if netloc["port"] else 80
    if not 1 <= port <= 65535:
        return None
    path = parts.path or "/"
    if not _PATH.fullmatch(path) or any(unquote(seg) in (".", "..") for seg in path.split("/")):
        return None  # a browser would rewrite this path, so it could never match exactly
    return netloc["host"].lower(), port, path


@dataclass(frozen=True)
class CallbackPage:
    """The page the browser shows after the redirect; all text is plain and escaped when rendered."""

    ok: bool
    title: str
    message: str
    status: int = 200

    def __post_init__(self) -> None:
        if not isinstance(self.title, str) or not isinstance(self.message, str):
            raise TypeError("CallbackPage title and message must be str")
        if not isinstance(self.status, int) or not 200 <= self.status <= 599:
            raise ValueError(f"CallbackPage status must be an HTTP status from 200 to 599, not {self.status!r}")


class ListenerError(Exception):
    """The listener could not start; the message says, in plain English, what the user can do about it."""


@dataclass(frozen=True)
class _Template:
    text: str
    csp: str


@functools.lru_cache(maxsize=1)
def _page_template() -> _Template:
    """Load the callback page template once, and derive a CSP that allows exactly its own stylesheet."""
    text = (importlib.resources.files("qbdesk.resources") / "pages" / "callback.html").read_text("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # browsers hash the style after this normalisation
    found = set(_PLACEHOLDER.findall(text))
    if found != _PLACEHOLDERS:
        raise RuntimeError(f"callback.html placeholders are {sorted(found)}, expected {sorted(_PLACEHOLDERS)}")
    styles = re.findall(r"<style>(.*?)</style>", text, re.DOTALL)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in styles
    )
    style_src = hashes or "'none'"
    csp = f"default-src 'none'; style-src {style_src}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    return _Template(text, csp)


def _render(page: CallbackPage) -> bytes:
    """Fill the template in one pass, so text in one value can never be read as another placeholder."""
    paragraphs = (line.strip() for line in page.message.splitlines())
    values = {
        "outcome": "ok" if page.ok else "fail",
        "title": html.escape(page.title),
        "message": "\n".join(f"    <p>{html.escape(p)}</p>" for p in paragraphs if p),
    }
    return _PLACEHOLDER.sub(lambda m: values[m[1]], _page_template().text).encode("utf-8", "replace")


def _plain(title: str) -> bytes:
    """A bare page for answers nobody is meant to read (wrong path, wrong method)."""
    text = html.escape(title)
    return f'<!DOCTYPE html>\n<html lang="en"><title>{text}</title><p>{text}</p></html>\n'.encode("utf-8")


_MALFORMED = CallbackPage(
    False,
    "This sign-in address isn't valid",
    "qbdesk received an address it couldn't read, so nothing was changed.\n"
    "Start the sign-in again from qbdesk.",
    400,
)
_TOO_LARGE = (
    "Your browser sent more data than qbdesk accepts, so nothing was changed.\n"
    "Start the sign-in again from qbdesk. If this keeps happening, clear your browser's cookies for localhost."
)
_FAILED = CallbackPage(
    False,
    "Something went wrong",
    "qbdesk couldn't finish the sign-in.\nGo back to qbdesk to see what happened and try again.",
    500,
)
_NOT_WAITING = CallbackPage(
    False,
    "qbdesk isn't waiting for this sign-in",
    "qbdesk stopped listening for this sign-in, so nothing was changed.\nStart the sign-in again from qbdesk.",
    503,
)


class _Refused(Exception):
    """A request the listener answers with an error page instead of passing it on."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


_Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    query: str


@dataclass
class _Run:
    """Everything that belongs to one start()..stop() period."""

    sockets: list[socket.socket]
    wake_reader: socket.socket
    wake_writer: socket.socket
    slots: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    connections: dict[socket.socket, bool] = field(default_factory=dict)  # connection -> busy answering
    stopped: bool = False
    thread: threading.Thread | None = None


class CallbackListener:
    """Serves the redirect path of a loopback redirect URI until stop() is called."""

    request_timeout: float = 5.0  # seconds a client has to send its request, and again to read the answer
    max_connections: int = 32

    def __init__(self, redirect_uri: str, on_callback: Callable[[dict[str, str]], CallbackPage]) -> None:
        target = _parse_redirect(redirect_uri)
        if target is None:
            raise ValueError(f"not a plain-http loopback redirect URI: {redirect_uri!r}")
        self._host, self._port, self._path = target
        self._on_callback = on_callback
        self._lock = threading.Lock()
        self._run: _Run | None = None
        _page_template()  # a broken install should fail here, not in front of the user's browser

    @property
    def running(self) -> bool:
        """Whether the listener is accepting connections."""
        return self._run is not None

    @property
    def port(self) -> int:
        """The TCP port taken from the redirect URI."""
        return self._port

    @property
    def bound_addresses(self) -> tuple[tuple[str, int], ...]:
        """The (address, port) pairs listened on; empty while stopped."""
        run = self._run
        try:
            return tuple(sock.getsockname()[:2] for sock in run.sockets) if run else ()
        except OSError:  # stopped meanwhile
            return ()

    def start(self) -> None:
        """Bind the loopback address(es) and serve in a daemon thread; returns once bound. No-op if running."""
        with self._lock:
            if self._run is not None:
                return
            sockets = self._bind()
            try:
                wake_reader, wake_writer = socket.socketpair()
            except OSError:
                _close_all(sockets)
                raise
            run = _Run(sockets, wake_reader, wake_writer, threading.BoundedSemaphore(self.max_connections))
            run.thread = threading.Thread(target=self._serve, args=(run,), name="qbdesk-callback", daemon=True)
            try:
                run.thread.start()
            except BaseException:
                _close_all([*sockets, wake_reader, wake_writer])
                raise
            self._run = run
            where = ", ".join(f"{address}:{port}" for address, port in self.bound_addresses)
            log.debug("Listening for the sign-in callback on %s", where)

    def stop(self) -> None:
        """Close the listening sockets (the port is free when this returns). Safe to call any number of times.

        Connections still waiting for their request are cut; one whose callback is already running may
        finish and answer its browser.
        """
        with self._lock:
            run, self._run = self._run, None
        if run is None:
            return
        with run.lock:
            run.stopped = True
            for conn, busy in run.connections.items():
                if not busy:
                    _shutdown(conn)
        try:
            run.wake_writer.send(b"\0")
        except OSError:
            pass
        if run.thread is not None and run.thread is not threading.current_thread():
            run.thread.join(timeout=2.0)
        _close_all([*run.sockets, run.wake_reader, run.wake_writer])
        log.debug("Stopped listening for the sign-in callback on port %d", self._port)

    # -- binding -----------------------------------------------------------------------------------

    def _bind(self) -> list[socket.socket]:
        """Listen on every loopback address the redirect host can mean; all or nothing."""
        sockets: list[socket.socket] = []
        try:
            for family, address in _HOST_FAMILIES[self._host]:
                optional = self._host == "localhost" and family == socket.AF_INET6
                if optional and not socket.has_ipv6:
                    continue
                try:
                    sockets.append(_listen(family, address, self._port))
                except OSError as exc:
                    if optional and exc.errno in _NO_IPV6:
                        log.debug("No IPv6 loopback on this machine; listening on IPv4 only")
                        continue
                    raise self._bind_error(exc, family) from exc
        except BaseException:
            _close_all(sockets)
            raise
        return sockets

    def _bind_error(self, exc: OSError, family: int) -> ListenerError:
        port = self._port
        register = "in the Redirect URI in Settings (and register it with Intuit)"
        if exc.errno in _IN_USE:
            return ListenerError(
                f"Port {port} is already in use by another program, so qbdesk can't receive the sign-in "
                f"from your browser. Close that program, or choose another port {register}."
            )
        if exc.errno in _DENIED and sys.platform == "win32":  # Windows' answer to a port held exclusively or reserved
            return ListenerError(
                f"Port {port} is already in use by another program or reserved by Windows, so qbdesk can't "
                f"receive the sign-in from your browser. Close that program, or choose another port {register}."
            )
        if exc.errno in _DENIED:
            return ListenerError(
                f"qbdesk isn't allowed to use port {port} on this computer (ports below 1024 usually need "
                f"administrator rights), so it can't receive the sign-in from your browser. "
                f"Choose a port between 1024 and 65535 {register}."
            )
        if family == socket.AF_INET6 and exc.errno in _NO_IPV6:
            return ListenerError(
                "This computer has no IPv6 loopback, so qbdesk can't listen at [::1]. "
                "Use localhost instead of [::1] in the Redirect URI in Settings (and register it with Intuit)."
            )
        return ListenerError(
            f"qbdesk couldn't listen on port {port} ({exc.strerror or exc}), so it can't receive the sign-in "
            f"from your browser. Try again, or choose another port {register}."
        )

    # -- serving -----------------------------------------------------------------------------------

    def _serve(self, run: _Run) -> None:
        """Accept connections until woken by stop(); each connection is answered on its own thread."""
        try:
            with selectors.DefaultSelector() as selector:
                for sock in run.sockets:
                    selector.register(sock, selectors.EVENT_READ)
                selector.register(run.wake_reader, selectors.EVENT_READ)
                while not run.stopped:
                    for key, _ in selector.select():
                        if key.fileobj is run.wake_reader or run.stopped:
                            return
                        self._accept(run, key.fileobj)  # type: ignore[arg-type]
        except Exception:
            log.exception("The sign-in callback listener stopped unexpectedly")

    def _accept(self, run: _Run, sock: socket.socket) -> None:
        try:
            conn, _ = sock.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # e.g. out of file descriptors: back off instead of spinning
            log.warning("Could not accept a connection: %s", exc.strerror or exc)
            time.sleep(0.1)
            return
        if not run.slots.acquire(blocking=False):
            log.warning("Too many open connections to the callback listener; dropping one")
            conn.close()
            return
        with run.lock:
            if run.stopped:
                run.slots.release()
                conn.close()
                return
            run.connections[conn] = False
        worker = threading.Thread(target=self._handle, args=(run, conn), name="qbdesk-callback-conn", daemon=True)
        try:
            worker.start()
        except RuntimeError:
            self._release(run, conn)

    def _release(self, run: _Run, conn: socket.socket) -> None:
        with run.lock:
            run.connections.pop(conn, None)
        run.slots.release()
        conn.close()

    def _handle(self, run: _Run, conn: socket.socket) -> None:
        """Read one request, answer it, close. Never raises."""
        try:
            deadline = time.monotonic() + self.request_timeout
            try:
                head = _read_head(conn, deadline)
                if head is None:
                    return  # silent, slow or gone: close without an answer
                request = _parse_head(head)
                status, body, extra = self._answer(run, conn, request)
            except _Refused as refused:
                status, body, extra = refused.status, refused.body, ()
                request = None
            conn.settimeout(self.request_timeout)
            conn.sendall(_response(status, body, extra, head_only=request is not None and request.method == "HEAD"))
            with run.lock:
                if conn in run.connections:
                    run.connections[conn] = False
            log.debug(
                "%s %.200r -> %d",
                request.method if request else "-",
                request.path if request else "-",
                status,
            )
            _let_client_close(conn, min(1.0, self.request_timeout))
        except OSError as exc:
            log.debug("Callback connection ended early: %s", exc.strerror or type(exc).__name__)
        except Exception:
            log.exception("Unexpected failure while answering a callback connection")
        finally:
            self._release(run, conn)

    def _answer(self, run: _Run, conn: socket.socket, request: _Request) -> tuple[int, bytes, _Headers]:
        """Route one parsed request and produce (status, body, extra headers)."""
        if request.path != self._path:
            return 404, _plain("Not found"), ()
        if request.method != "GET":
            return 405, _plain("Method not allowed"), (("Allow", "GET"),)
        params = _parse_query(request.query)
        if params is None:
            return 400, _render(_MALFORMED), ()
        with run.lock:
            if run.stopped:
                return _NOT_WAITING.status, _render(_NOT_WAITING), ()
            run.connections[conn] = True  # stop() must not cut a callback that is being handled
        status, body = self._call(params)
        return status, body, ()

    def _call(self, params: dict[str, str]) -> tuple[int, bytes]:
        """Run on_callback and render its page; any failure becomes the generic failure page."""
        try:
            page = self._on_callback(params)
            if not isinstance(page, CallbackPage):
                raise TypeError(f"on_callback returned {type(page).__name__}, not CallbackPage")
            return page.status, _render(page)
        except Exception as exc:
            # The exception text may quote the query (it carries the authorization code): log type and frames only.
            log.error(
                "The sign-in callback handler failed with %s\n%s",
                type(exc).__qualname__,
                "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
            )
            return _FAILED.status, _render(_FAILED)


def _listen(family: int, address: str, port: int) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        if sys.platform == "win32":  # SO_REUSEADDR there lets another program steal the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # rebinding soon after stop() must not fail on connections in TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(16)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def _read_head(conn: socket.socket, deadline: float) -> bytes | None:
    """Read up to the blank line after the headers, or None if the client is silent, slow or gone."""
    buf = bytearray()
    while True:
        end = _HEAD_END.search(buf)
        if end is not None:
            return bytes(buf[: end.start()])
        if len(buf) >= MAX_HEAD_BYTES:
            too_long_line = b"\n" not in buf
            raise _Refused(
                414 if too_long_line else 431,
                _render(CallbackPage(False, "Request too large", _TOO_LARGE, 414 if too_long_line else 431)),
            )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        conn.settimeout(remaining)
        try:
            chunk = conn.recv(MAX_HEAD_BYTES - len(buf))
        except TimeoutError:
            return None
        if not chunk:
            return None
        buf += chunk


def _parse_head(head: bytes) -> _Request:
    """Parse the request line and check the Host header; raise _Refused for anything malformed."""
    lines = re.split(r"\r?\n", head.decode("latin-1"))
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None or not match["target"].startswith("/") or "#" in match["target"]:
        raise _Refused(400, _render(_MALFORMED))
    path, _, query = match["target"].partition("?")
    if len(path) > MAX_PATH_CHARS or len(query) > MAX_QUERY_CHARS:
        raise _Refused(414, _render(CallbackPage(False, "Request too large", _TOO_LARGE, 414)))
    host = None
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):  # also refuses obsolete folded header lines
            raise _Refused(400, _render(_MALFORMED))
        if name.lower() == "host":
            if host is not None:
                raise _Refused(400, _render(_MALFORMED))
            host = value.strip(" \t")
    if host is None or not _NETLOC.fullmatch(host):  # refuses DNS-rebinding names that point at 127.0.0.1
        raise _Refused(400, _plain("Wrong address"))
    return _Request(match["method"], path, query)


def _parse_query(query: str) -> dict[str, str] | None:
    """Decode the query into a dict, or None if it is malformed or repeats a parameter."""
    try:
        pairs = parse_qsl(
            query, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_QUERY_FIELDS
        )
    except ValueError:  # too many fields, or percent-escapes that are not UTF-8
        return None
    params = dict(pairs)
    return params if len(params) == len(pairs) else None


def _response(status: int, body: bytes, extra: _Headers, *, head_only: bool = False) -> bytes:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", _page_template().csp),
        ("Connection", "close"),
        *extra,
    ]
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1") + (b"" if head_only else body)


def _let_client_close(conn: socket.socket, timeout: float) -> None:
    """Wait for the client (told Connection: close) to hang up first, discarding anything it still sends.

    Closing with unread input would reset the connection and could destroy the answer in transit; and
    when the client closes first, the TIME_WAIT state lands on its side, not on our port.
    """
    deadline = time.monotonic() + timeout
    discarded = 0
    while discarded < 64 * 1024:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        conn.settimeout(remaining)
        try:
            chunk = conn.recv(8192)
        except OSError:
            return
        if not chunk:
            return
        discarded += len(chunk)


def _shutdown(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _close_all(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        try:
            sock.close()
        except OSError:
            pass
