"""Noticing when the wall clock may have moved on without the window's timers, so time rules are checked again.

QTimer counts monotonic time, which stops while the computer sleeps, and a clock change does not move it at
all. This watch adds no timer of its own: it speaks when qbdesk becomes the active application or its window
is activated again (which a wake-up behind a lock screen also brings), and, on Linux, when the kernel says the
wall clock was set or the computer resumed (a timerfd that is cancelled on either, read through a socket
notifier, so it wakes nobody while nothing happens).
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import sys

from PySide6.QtCore import QObject, QSocketNotifier, Qt, Signal
from PySide6.QtGui import QGuiApplication

log = logging.getLogger("qbdesk.ui")

CLOCK_REALTIME = 0
TFD_TIMER_ABSTIME = 1
TFD_TIMER_CANCEL_ON_SET = 2
TFD_NONBLOCK = os.O_NONBLOCK
TFD_CLOEXEC = os.O_CLOEXEC
FAR_FUTURE = 7_258_118_400  # 2200-01-01 in seconds since 1970: the timer itself never goes off


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_int64), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", _Timespec), ("it_value", _Timespec)]


class ClockSetListener:
    """A Linux timerfd on the wall clock that becomes readable when the clock is set or the computer resumes."""

    def __init__(self) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "timerfd_create failed")
        self._arm()

    def _arm(self) -> None:
        spec = _Itimerspec()
        spec.it_value.tv_sec = FAR_FUTURE
        flags = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET
        if self._libc.timerfd_settime(self.fd, flags, ctypes.byref(spec), None) != 0:
            raise OSError(ctypes.get_errno(), "timerfd_settime failed")

    def take(self) -> bool:
        """After the descriptor became readable: True when the wall clock jumped; ready for the next jump."""
        try:
            os.read(self.fd, 8)
            jumped = False
        except OSError as exc:
            jumped = exc.errno == errno.ECANCELED
            if exc.errno not in (errno.ECANCELED, errno.EAGAIN):
                raise
        self._arm()
        return jumped

    def close(self) -> None:
        os.close(self.fd)


def clock_set_listener() -> ClockSetListener | None:
    """The OS's word on clock changes and resumes where qbdesk can hear it (Linux), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ClockSetListener()
    except (OSError, AttributeError):  # an old kernel or a libc without timerfd: activation still rechecks
        log.info("No notice of wall-clock changes from this system")
        return None


class WallClockWatch(QObject):
    """Emits moved() whenever rules about time should look at the wall clock again."""

    moved = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QGuiApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._application_state_changed)
        self._listener = clock_set_listener()
        self._notifier: QSocketNotifier | None = None
        if self._listener is not None:
            self._notifier = QSocketNotifier(self._listener.fd, QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._clock_set)
            listener, notifier = self._listener, self._notifier
            self.destroyed.connect(lambda *_: (notifier.setEnabled(False), listener.close()))

    @property
    def hears_the_system(self) -> bool:
        """True where the OS tells of clock changes and resumes (not only activation)."""
        return self._listener is not None

    def window_activated(self) -> None:
        """The main window became active (QEvent.WindowActivate)."""
        self.moved.emit()

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.moved.emit()

    def _clock_set(self, *_args: object) -> None:
        if self._listener is not None and self._listener.take():
            log.info("The wall clock was set or the computer resumed: checking times again")
            self.moved.emit()
