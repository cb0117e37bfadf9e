"""Looking after credentials while the window is open: keep-alive refreshes and early warnings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from qbdesk.core.health import expiry_warning
from qbdesk.services.context import AppContext
from qbdesk.ui.workers import Worker, run_in_background

EVERY_MS = 6 * 3600 * 1000  # four wake-ups a day; nothing else ticks while idle


class Upkeep(QObject):
    """Runs keep-alive at start-up and every six hours, then warns once a day per credential."""

    warning = Signal(str, str)  # title, message: one per credential per day

    def __init__(self, context: AppContext, notify: Callable[[str, str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._warned: dict[str, str] = {}  # credential id -> the day it was last warned about
        self._worker: Worker | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(EVERY_MS)
        self._timer.timeout.connect(self.run)
        self.warning.connect(notify)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.run)

    def run(self) -> None:
        """Refresh what is due (off the GUI thread), then raise the day's warnings."""
        if self._worker is None:
            self._worker = run_in_background(self._context.tokens.keep_alive, self._done, self._done)

    def _done(self, _result: object) -> None:
        self._worker = None
        self.warn()

    def warn(self) -> None:
        now = self._context.credentials.clock.now()
        today = now.astimezone().date().isoformat()
        for credential in self._context.credentials.list():
            message = expiry_warning(credential, now)
            if message and self._warned.get(credential.id) != today:
                self._warned[credential.id] = today
                self.warning.emit(f"qbdesk: \u201c{credential.name}\u201d needs attention", message)
