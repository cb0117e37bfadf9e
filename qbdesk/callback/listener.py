"""Loopback HTTP listener that receives Intuit's OAuth redirect from the user's browser.

The listener only transports: it accepts GET on the registered redirect path, hands the parsed
query to ``on_callback`` and renders the page that callback returns. Deciding whether the state,
code or error in the query are acceptable is the caller's job. Everything that arrives over the
socket is treated as hostile: sizes and time are bounded, every value shown is escaped, connections from
other users of the computer are refused (``peer``), and a flood of idle connections cannot keep a real
callback out.

This module owns the sockets and threads of one listener; reading requests (``http_request``),
rendering pages (``pages``) and binding ports (``binding``) live beside it.
"""

from __future__ import annotations

import logging
import selectors
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from .binding import ListenerError, bind_loopback, close_all
from .http_request import Refused, Request, parse_head, parse_query, read_head
from .http_response import Headers, response
from .pages import (
    FAILED,
    MALFORMED,
    NOT_WAITING,
    CallbackPage,
    load_template,
    plain,
    render,
)
from .peer import Verdict, same_user
from .redirect_uri import is_loopback_redirect, parse_redirect

__all__ = ["CallbackListener", "CallbackPage", "ListenerError", "is_loopback_redirect"]

log = logging.getLogger("qbdesk.callback")


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

    def __init__(
        self,
        redirect_uri: str,
        on_callback: Callable[[dict[str, str]], CallbackPage],
        on_answered: Callable[[], None] | None = None,
    ) -> None:
        """on_answered runs once the browser whose redirect reached on_callback has its page and the
        connection is closed, whether or not sending the page succeeded."""
        target = parse_redirect(redirect_uri)
        if target is None:
            raise ValueError(f"not a plain-http loopback redirect URI: {redirect_uri!r}")
        self._host, self._port, self._path = target
        self._on_callback = on_callback
        self._on_answered = on_answered
        self._lock = threading.Lock()
        self._run: _Run | None = None
        load_template()  # a broken install should fail here, not in front of the user's browser

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
            sockets = bind_loopback(self._host, self._port)
            try:
                wake_reader, wake_writer = socket.socketpair()
            except OSError:
                close_all(sockets)
                raise
            run = _Run(sockets, wake_reader, wake_writer, threading.BoundedSemaphore(self.max_connections))
            run.thread = threading.Thread(target=self._serve, args=(run,), name="qbdesk-callback", daemon=True)
            try:
                run.thread.start()
            except BaseException:
                close_all([*sockets, wake_reader, wake_writer])
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
        close_all([*run.sockets, run.wake_reader, run.wake_writer])
        log.debug("Stopped listening for the sign-in callback on port %d", self._port)

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
        if same_user(conn) == Verdict.OTHER:
            log.warning("Refused a connection to the sign-in listener from another user of this computer")
            conn.close()
            return
        if not run.slots.acquire(blocking=False) and not self._make_room(run):
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

    def _make_room(self, run: _Run) -> bool:
        """All slots are taken: cut the oldest connection that is not handling a callback, so a flood of idle
        connections cannot keep the browser's real callback out. True once a slot is free."""
        with run.lock:
            oldest = next((conn for conn, busy in run.connections.items() if not busy), None)
        if oldest is None:
            return False
        _shutdown(oldest)  # its thread sees the end of input at once and frees the slot
        return run.slots.acquire(timeout=self.request_timeout)

    def _release(self, run: _Run, conn: socket.socket) -> None:
        with run.lock:
            run.connections.pop(conn, None)
        run.slots.release()
        conn.close()

    def _handle(self, run: _Run, conn: socket.socket) -> None:
        """Read one request, answer it, close. Never raises."""
        called = False
        try:
            deadline = time.monotonic() + self.request_timeout
            try:
                head = read_head(conn, deadline)
                if head is None:
                    return  # silent, slow or gone: close without an answer
                request = parse_head(head)
                status, body, extra, called = self._answer(run, conn, request)
            except Refused as refused:
                status, body, extra = refused.status, refused.body, ()
                request = None
            conn.settimeout(self.request_timeout)
            conn.sendall(response(status, body, extra, head_only=request is not None and request.method == "HEAD"))
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
            if called and self._on_answered is not None:
                self._answered()

    def _answered(self) -> None:
        try:
            self._on_answered()
        except Exception:
            log.exception("The answered handler of the callback listener failed")

    def _answer(self, run: _Run, conn: socket.socket, request: Request) -> tuple[int, bytes, Headers, bool]:
        """Route one parsed request: (status, body, extra headers, whether on_callback was called)."""
        if request.path != self._path:
            return 404, plain("Not found"), (), False
        if request.method != "GET":
            return 405, plain("Method not allowed"), (("Allow", "GET"),), False
        params = parse_query(request.query)
        if params is None:
            return 400, render(MALFORMED), (), False
        with run.lock:
            if run.stopped:
                return NOT_WAITING.status, render(NOT_WAITING), (), False
            run.connections[conn] = True  # stop() must not cut a callback that is being handled
        status, body = self._call(params)
        return status, body, (), True

    def _call(self, params: dict[str, str]) -> tuple[int, bytes]:
        """Run on_callback and render its page; any failure becomes the generic failure page."""
        try:
            page = self._on_callback(params)
            if not isinstance(page, CallbackPage):
                raise TypeError(f"on_callback returned {type(page).__name__}, not CallbackPage")
            return page.status, render(page)
        except Exception as exc:
            # The exception text may quote the query (it carries the authorization code): log type and frames only.
            log.error(
                "The sign-in callback handler failed with %s\n%s",
                type(exc).__qualname__,
                "".join(traceback.format_tb(exc.__traceback__)).rstrip(),
            )
            return FAILED.status, render(FAILED)


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
