"""Catching Intuit's redirect on this computer: one loopback listener per redirect URI while a sign-in waits on it.

Each redirect that reaches the handler is counted until its browser has the answer page, so a command line
can wait for that before it exits (answer_delivered and wait_answers_delivered).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from qbdesk.callback.handoff import BrowserHandoff
from qbdesk.callback.listener import CallbackListener, CallbackPage
from qbdesk.core.events import Event
from qbdesk.core.problems import NextStep

log = logging.getLogger("qbdesk.signin")

# The browser page is its own medium: it can only send the person back to qbdesk, whichever front end waits.
_BROWSER_STEPS = {
    NextStep.SIGN_IN_AGAIN: "Return to qbdesk and start the sign-in again.",
    NextStep.START_OVER: "Return to qbdesk and start over with a new credential.",
}


def refusal_page(cause: str, next_step: NextStep) -> CallbackPage:
    """The page the browser shows when a redirect did not finish a sign-in."""
    step = _BROWSER_STEPS.get(next_step, "Return to qbdesk to see what to do next.")
    return CallbackPage(ok=False, title="Sign-in did not complete", message=f"{cause} {step}", status=400)


class CallbackCapture:
    """The loopback listeners of waiting sign-ins; on_redirect decides each redirect and returns its page."""

    def __init__(self, on_redirect: Callable[[dict[str, str]], CallbackPage]) -> None:
        self._on_redirect = on_redirect
        self._lock = threading.Lock()
        self._listeners: dict[str, CallbackListener] = {}  # by redirect URI
        self._stopping: dict[str, threading.Thread] = {}  # by redirect URI: a listener still letting go of its port
        self._answering = 0  # redirects handed to on_redirect whose browser has not had its answer yet
        self._answered = threading.Condition()
        self._handoffs: list[BrowserHandoff] = []
        self.answer_delivered: Event[str] = Event()  # the redirect URI whose browser now has its answer

    def browser_address(self, sign_in_url: str) -> str:
        """The address to start the system browser with: a one-time address on this computer that sends the
        browser on to sign_in_url, so the state and challenge never appear on a command line. The sign-in
        address itself when no loopback port can be had (said in the log)."""
        handoff = BrowserHandoff(sign_in_url)
        try:
            address = handoff.start()
        except OSError as exc:
            log.warning("No loopback port for the browser hand-off (%s); the browser gets the address itself", exc)
            return sign_in_url
        with self._lock:
            self._handoffs = [h for h in self._handoffs if not h.finished] + [handoff]
        return address

    def ensure_listening(self, redirect_uri: str) -> None:
        """Listen on the redirect URI unless already listening. Raises ListenerError when the port is taken."""
        with self._lock:
            listener = self._listeners.get(redirect_uri)
            if listener is not None and listener.running:
                return
            stopping = self._stopping.pop(redirect_uri, None)
            if stopping is not None:
                stopping.join(timeout=5)  # its port is free only once it has stopped
            listener = CallbackListener(
                redirect_uri, self._handle, on_answered=lambda: self._delivered(redirect_uri)
            )
            listener.start()
            self._listeners[redirect_uri] = listener

    def close_idle(self, busy: Callable[[], set[str]]) -> None:
        """Stop every listener whose redirect URI is not in busy() (asked under this capture's lock)."""
        with self._lock:
            in_use = busy()
            for uri in [uri for uri in self._listeners if uri not in in_use]:
                # The listener may be answering this very request: stop it from another thread.
                stopper = threading.Thread(target=self._listeners.pop(uri).stop, name="listener-stop", daemon=True)
                self._stopping[uri] = stopper
                stopper.start()

    def listening(self) -> list[str]:
        """Redirect URIs with an open listener."""
        with self._lock:
            return [uri for uri, listener in self._listeners.items() if listener.running]

    def wait_answers_delivered(self, timeout: float) -> bool:
        """Block until every redirect handled so far has its answer page (True), or timeout seconds pass."""
        deadline = time.monotonic() + timeout
        with self._answered:
            while self._answering:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._answered.wait(remaining)
            return True

    def shutdown(self) -> None:
        """Close every listener (at exit)."""
        with self._lock:
            listeners = list(self._listeners.values())
            stoppers = list(self._stopping.values())
            handoffs, self._handoffs = self._handoffs, []
            self._listeners.clear()
            self._stopping.clear()
        for handoff in handoffs:
            handoff.close()
        for listener in listeners:
            listener.stop()
        for stopper in stoppers:
            stopper.join(timeout=5)

    def _handle(self, query: dict[str, str]) -> CallbackPage:
        with self._answered:
            self._answering += 1
        return self._on_redirect(query)

    def _delivered(self, redirect_uri: str) -> None:
        with self._answered:
            self._answering -= 1
            self._answered.notify_all()
        self.answer_delivered.emit(redirect_uri)
