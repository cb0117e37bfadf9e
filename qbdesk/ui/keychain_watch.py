"""Watching for a locked keychain: the window says so, asks again every few seconds, and stops once it answers."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from qbdesk.services.keychain_state import VaultSwitch, VaultUnavailable
from qbdesk.ui.workers import Worker, run_in_background

log = logging.getLogger("qbdesk.ui")
RETRY_MS = 10_000  # how often a locked keychain is asked again; no timer runs while it answers


class KeychainWatch(QObject):
    """Follows the vault's locked state on the GUI thread; retries off the GUI thread while it is locked."""

    locked_changed = Signal(bool)  # True when the keychain is locked now

    def __init__(self, vault: VaultSwitch, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._vault = vault
        self._worker: Worker | None = None
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.check)
        self.locked_changed.connect(self._follow)  # queued to the GUI thread when the vault reports from a worker
        self._unsubscribe = vault.locked_changed.subscribe(self.locked_changed.emit)

    @property
    def locked(self) -> bool:
        return self._vault.locked

    def check(self) -> None:
        """Ask the keychain once, on a worker thread (a locked one may take seconds to say nothing)."""
        if self._worker is None:
            self._worker = run_in_background(self._vault.check, self._done, self._done)

    def _done(self, outcome: object) -> None:
        self._worker = None
        if isinstance(outcome, VaultUnavailable):
            log.info("The keychain still cannot be used")

    def _follow(self, locked: bool) -> None:
        if locked and not self._retry.isActive():
            self._retry.start()
        elif not locked:
            self._retry.stop()

    def stop(self) -> None:
        self._retry.stop()
        self._unsubscribe()
