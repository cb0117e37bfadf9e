"""Idle probe, run as its own process: how often the GUI thread wakes while nothing happens.

    python bench/idle.py bare|app [--data-dir DIR] [--settle S] [--seconds S]

Opens qbdesk through qbdesk.app.main (or a bare QMainWindow), waits `settle` seconds after the first paint
for start-up work to finish, then counts for `seconds`: QEvent.Timer deliveries on the GUI thread (by
receiver), wake-ups of the GUI thread's event dispatcher, and voluntary context switches of all the
process's threads. The start and stop signals come from a plain Python thread, so no timer of the probe's
own is counted. Prints one `BENCH {json}` line.
"""

from __future__ import annotations

import argparse
import resource
import sys
import threading
import time
from collections import Counter

from benchlib import emit, offscreen

offscreen()

from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, Signal  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402


def context_switches() -> int:
    """Voluntary context switches of the whole process so far (each is a sleep that ended)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw


class IdleCounter(QObject):
    """Counts timer events and dispatcher wake-ups between start() and stop()."""

    start_requested = Signal()
    stop_requested = Signal()

    def __init__(self, settle: float, seconds: float) -> None:
        super().__init__()
        self.settle, self.seconds = settle, seconds
        self.counting = False
        self.timers: Counter[str] = Counter()
        self.wakeups = 0
        self.painted = False
        self.start_requested.connect(self.start)
        self.stop_requested.connect(self.stop)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.Timer and self.counting:
            parent = obj.parent() if isinstance(obj, QObject) else None
            owner = type(parent).__name__ if parent is not None else "-"
            self.timers[f"{type(obj).__name__} (in {owner})"] += 1
        elif kind == QEvent.Type.Paint and not self.painted and obj.isWidgetType():
            self.painted = True
            threading.Thread(target=self._clock, daemon=True).start()
        return False

    def _clock(self) -> None:
        time.sleep(self.settle)
        self.start_requested.emit()
        time.sleep(self.seconds)
        self.stop_requested.emit()

    def _awake(self) -> None:
        if self.counting:
            self.wakeups += 1

    def start(self) -> None:
        QAbstractEventDispatcher.instance().awake.connect(self._awake)
        self.switches = context_switches()
        self.started = time.monotonic()
        self.counting = True

    def stop(self) -> None:
        self.counting = False
        elapsed = time.monotonic() - self.started
        switches = context_switches() - self.switches
        per_minute = 60.0 / elapsed
        emit({
            "seconds": elapsed,
            "timer_events_per_min": sum(self.timers.values()) * per_minute,
            "timers": dict(self.timers),
            "dispatcher_wakeups_per_min": max(0, self.wakeups - 1) * per_minute,  # less the stop signal
            "context_switches_per_min": switches * per_minute,
        })
        for window in QApplication.topLevelWidgets():
            window.close()
        QApplication.instance().quit()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("bare", "app"))
    parser.add_argument("--data-dir")
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    counter = IdleCounter(args.settle, args.seconds)
    if args.kind == "bare":
        app = QApplication(["bare"])
        app.installEventFilter(counter)
        window = QMainWindow()
        window.resize(1100, 680)
        window.show()
        return app.exec()

    import qbdesk.ui.application as application

    class CountedApplication(QApplication):
        def __init__(self, arguments) -> None:
            super().__init__(arguments)
            self.installEventFilter(counter)

    application.QApplication = CountedApplication
    from qbdesk.app import main as qbdesk_main

    return qbdesk_main(["--data-dir", args.data_dir])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
