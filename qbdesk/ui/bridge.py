"""The one place service events become Qt signals, delivered on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance

from qbdesk.services.context import AppContext

DELIVER_SECONDS = 0.004  # at most this long emitting waiting events before the event loop gets a turn


class ServiceBridge(QObject):
    """Re-emits the services' plain events as Qt signals, on the GUI thread and in the order they happened.

    Events from worker or listener threads wait in one queue that the GUI thread empties whenever it gets to
    it, so a burst (Test all changing 1,000 credentials) costs the GUI thread one wake-up, not one per event
    and listener; a credential changed twice before the GUI thread looked is delivered once, as it is now.
    Events announced on the GUI thread itself are delivered at once, after any still waiting.
    """

    credential_added = Signal(object)  # Credential
    credential_changed = Signal(object)  # Credential
    credential_removed = Signal(object)  # CredentialRemoved
    signin_updated = Signal(object)  # SignInUpdate
    _waiting_events = Signal()  # private: the queue was empty and now is not

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._waiting: list[tuple[SignalInstance, object, str | None]] = []  # (signal, value, credential id)
        self._delivered = 0  # how many events were taken from _waiting so far
        self._change_at: dict[str, int] = {}  # credential id -> its waiting change's number (_delivered + place)
        self._waiting_events.connect(self.deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = [
            context.credentials.added.subscribe(lambda added: self._announce(self.credential_added, added, added.id)),
            context.credentials.changed.subscribe(
                lambda changed: self._announce(self.credential_changed, changed, changed.id, change=True)),
            context.credentials.removed.subscribe(
                lambda removal: self._announce(self.credential_removed, removal, removal.credential.id)),
            context.signin.updated.subscribe(lambda update: self._announce(self.signin_updated, update)),
        ]

    def _announce(self, signal: SignalInstance, value: object, credential_id: str | None = None,
                  change: bool = False) -> None:
        if threading.current_thread() is threading.main_thread():
            self.deliver(everything=True)  # what waits happened first
            signal.emit(value)
            return
        with self._lock:
            number = self._change_at.get(credential_id) if change else None
            if number is not None:  # its earlier change is not delivered yet: the newer state takes its place
                self._waiting[number - self._delivered] = (signal, value, credential_id)
                return
            if change:
                self._change_at[credential_id] = self._delivered + len(self._waiting)
            elif credential_id is not None:
                self._change_at.pop(credential_id, None)  # a later change must come after this event
            self._waiting.append((signal, value, credential_id))
            first = len(self._waiting) == 1
        if first:
            try:
                self._waiting_events.emit()
            except RuntimeError:  # the window is gone
                pass

    def deliver(self, everything: bool = False) -> None:
        """Emit the waiting events, oldest first (on the GUI thread), for at most DELIVER_SECONDS unless `everything`.

        What is left waits for the next turn of the event loop, so timers and painting are not held up by a
        long burst while the workers share the interpreter with the GUI thread.
        """
        deadline = time.monotonic() + DELIVER_SECONDS
        while True:
            with self._lock:
                if not self._waiting:
                    return
                signal, value, credential_id = self._waiting.pop(0)
                if self._change_at.get(credential_id) == self._delivered:
                    del self._change_at[credential_id]  # delivered: a later change waits anew
                self._delivered += 1
                left = bool(self._waiting)
            signal.emit(value)
            if left and not everything and time.monotonic() > deadline:
                self._waiting_events.emit()  # queued: the rest after what else waits in the event loop
                return

    def detach(self) -> None:
        """Stop listening to the services (before the context closes)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        with self._lock:
            self._delivered += len(self._waiting)
            self._waiting, self._change_at = [], {}
