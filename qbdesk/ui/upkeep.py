"""Looking after credentials while the window is open: keep-alive refreshes and early warnings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from qbdesk.core.health import expiry_warning
from qbdesk.services.context import AppContext
from qbdesk.ui.workers import Worker, run_in_background

log = logging.getLogger("qbdesk.ui")
EVERY_MS = 6 * 3600 * 1000  # four wake-ups a day; nothing else ticks while idle
EVERY = timedelta(milliseconds=EVERY_MS)


class Upkeep(QObject):
    """Runs keep-alive at start-up and every six hours, then warns once a day per credential.

    The six hours are counted by the wall clock: the timer (monotonic time) stops while the computer sleeps,
    so catch_up() runs a round that is due when the wall clock may have moved on by itself.
    """

    warning = Signal(str, str)  # title, message: one per credential per day
    round_done = Signal()  # a keep-alive round finished (refreshes done, warnings raised)

    def __init__(self, context: AppContext, notify: Callable[[str, str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._warned: dict[str, str] = {}  # credential id -> the day it was last warned about
        self._worker: Worker | None = None
        self._last_run: datetime | None = None  # wall-clock time of the last round, once started
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._timer.timeout.connect(self.run)
        self.warning.connect(notify)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.run)

    def run(self) -> None:
        """Refresh what is due and find the day's warnings, both off the GUI thread."""
        if self._worker is None:
            self._last_run = self._context.clock.now()
            self._worker = run_in_background(self._check, self._done, self._failed)

    def catch_up(self, *_why: object) -> None:
        """Run now when six hours have passed by the wall clock since the last round (or it went back)."""
        last = self._last_run
        if last is None:
            return  # not started yet
        now = self._context.clock.now()
        if now - last >= EVERY or now < last:
            self._timer.start()  # the next round six hours from this one
            self.run()

    def _check(self) -> list[tuple[str, str, str]]:
        try:
            self._context.tokens.keep_alive()
        except Exception:  # warnings still matter when refreshing failed
            log.exception("Keep-alive failed")
        return self.due_warnings()

    def due_warnings(self) -> list[tuple[str, str, str]]:
        """(credential id, title, message) for every credential with trouble ahead."""
        now = self._context.clock.now()
        found = []
        for credential in self._context.credentials.list():
            message = expiry_warning(credential, now)
            if message:
                title = QCoreApplication.translate("Upkeep", "qbdesk: \u201c{name}\u201d needs attention")
                found.append((credential.id, title.format(name=credential.name), message))
        return found

    def _failed(self, _error: Exception) -> None:
        self._worker = None
        self.round_done.emit()

    def _done(self, warnings: list[tuple[str, str, str]]) -> None:
        self._worker = None
        self.warn(warnings)
        self.round_done.emit()

    def warn(self, warnings: list[tuple[str, str, str]] | None = None) -> None:
        """Raise each warning at most once a day per credential."""
        today = self._context.clock.now().astimezone().date().isoformat()
        for credential_id, title, message in self.due_warnings() if warnings is None else warnings:
            if self._warned.get(credential_id) != today:
                self._warned[credential_id] = today
                self.warning.emit(title, message)
