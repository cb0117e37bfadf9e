"""Running blocking service calls off the GUI thread and hearing back on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("qbdesk.ui")


class WorkerSignals(QObject):
    """What a worker reports: returned(result) or failed(exception)."""

    returned = Signal(object)
    failed = Signal(object)


class Worker(QRunnable):
    """Calls one function on the thread pool and reports through its signals."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self._work = work
        self.signals = WorkerSignals()

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # reported to the GUI, which shows str(exc)
            log.debug("Background task failed: %s", type(exc).__name__)
            self._report(self.signals.failed, exc)
        else:
            self._report(self.signals.returned, result)

    @staticmethod
    def _report(signal, value) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window closed while this ran: nobody is left to tell
            log.debug("A background task finished after its window closed")


def run_in_background(
    work: Callable[[], Any], on_returned: Callable[[Any], None], on_failed: Callable[[Exception], None]
) -> Worker:
    """Start work on the global pool; the callbacks run on the GUI thread."""
    worker = Worker(work)
    worker.signals.returned.connect(on_returned)
    worker.signals.failed.connect(on_failed)
    QThreadPool.globalInstance().start(worker)
    return worker
