"""Keychain calls with a time limit: one keychain thread takes the calls in turn, callers wait a few seconds at most.

A locked keychain whose unlock prompt nobody answers (Secret Service on a screen the user is not at, an
access prompt left open on macOS) blocks a keyring call for as long as the prompt stays open. Every call
therefore runs on one long-lived keychain thread, and the caller waits at most CALL_TIMEOUT_SECONDS for its
answer; after that it gets KeychainNotAnswering. One thread, not one per call: while the keychain hangs, a
single call is stuck there instead of one more thread per retry, and later calls fail at once rather than
piling up. A call still waiting in the queue when its caller gives up is dropped, never run late; only the
one call already inside the keychain can finish after its caller stopped waiting.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("qbdesk.vault")

CALL_TIMEOUT_SECONDS = 5.0  # tests shorten this; a person answering an unlock prompt takes longer, and may retry


class KeychainNotAnswering(Exception):
    """The keychain did not answer within the time limit (locked, or waiting for an answer to a prompt)."""


class _Call:
    """One keychain call and, once made, its outcome."""

    def __init__(self, fn: Callable[..., Any], args: tuple) -> None:
        self.fn = fn
        self.args = args
        self.done = threading.Event()
        self.abandoned = False
        self.result: Any = None
        self.error: BaseException | None = None


class KeychainThread:
    """Runs keychain calls one at a time on a thread of its own, each bounded by CALL_TIMEOUT_SECONDS."""

    def __init__(self) -> None:
        self._calls: queue.Queue[_Call] = queue.Queue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._current: _Call | None = None

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """fn(*args) on the keychain thread; its result, or its exception, or KeychainNotAnswering."""
        with self._guard:
            stuck = self._current
            if stuck is not None and stuck.abandoned:
                # The keychain still has not answered an earlier call whose caller gave up: no need to wait again.
                raise KeychainNotAnswering
            self._start()
            pending = _Call(fn, args)
            self._calls.put(pending)
        if not pending.done.wait(CALL_TIMEOUT_SECONDS):
            with self._guard:
                pending.abandoned = True
            if not pending.done.is_set():
                log.warning("The keychain did not answer within %s seconds", CALL_TIMEOUT_SECONDS)
                raise KeychainNotAnswering
        if pending.error is not None:
            raise pending.error
        return pending.result

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._serve, name="qbdesk-keychain", daemon=True)
            self._thread.start()

    def _serve(self) -> None:
        while True:
            pending = self._calls.get()
            with self._guard:
                if pending.abandoned:
                    continue  # its caller has stopped waiting: never run a call late
                self._current = pending
            try:
                pending.result = pending.fn(*pending.args)
            except BaseException as exc:  # handed to the caller, who decides what it means
                pending.error = exc
            finally:
                with self._guard:
                    self._current = None
                pending.done.set()


keychain_thread = KeychainThread()
