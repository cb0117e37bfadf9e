"""One QTimer armed for the next pending expiry only; nothing ticks while nothing is pending.

The timer counts monotonic time, which stops while the computer sleeps: recheck() looks at the stored
expiries against the wall clock again whenever the wall clock may have moved on by itself (see wall_clock).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from qbdesk.core.credential import Status
from qbdesk.services.credentials import CredentialService

MAX_TIMER_MS = 24 * 3600 * 1000


class ExpiryTimer(QObject):
    """Purges expired pending credentials at the moment the earliest one runs out."""

    def __init__(self, credentials: CredentialService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._credentials = credentials
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)

    @property
    def armed(self) -> bool:
        return self._timer.isActive()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def rearm(self, *changes: object) -> None:
        """Point the timer at the next expiry (call after any change to the list)."""
        if changes and not self.armed and all(getattr(c, "status", None) is Status.CONNECTED for c in changes):
            return  # a connected credential changed while nothing is pending: there is no expiry to aim at
        left = self._credentials.time_to_next_expiry()
        if left is None:
            self._timer.stop()
            return
        remaining = left.total_seconds()
        # A few milliseconds late rather than early: an early wake-up would find nothing expired.
        self._timer.start(max(0, min(MAX_TIMER_MS, int(remaining * 1000) + 5)))

    def recheck(self, *_why: object) -> None:
        """Remove what expired by the wall clock and re-aim the timer; nothing to do while nothing is pending.
        Activation asks often, so the store is only written to when something did expire."""
        if not self.armed:
            return
        left = self._credentials.time_to_next_expiry()
        if left is not None and left.total_seconds() <= 0:
            self._expire()
        else:
            self.rearm()

    def _expire(self) -> None:
        self._credentials.purge_expired()
        self.rearm()
