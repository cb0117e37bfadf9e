"""Start-up probe, run as its own process: open qbdesk (or a bare QMainWindow) and report when it first paints.

    python bench/startup.py bare [--quickbooks] [--libraries]
    python bench/startup.py app --data-dir DIR [--expect TEXT] [--quickbooks]

Prints one `BENCH {json}` line with time.monotonic() stamps (comparable with the parent's on Linux):
`painted` when the first paint of the main window (or of the QuickBooks entry showing TEXT) has finished; with
--quickbooks also `quickbooks_painted` after the QuickBooks page (or, for bare, a 10,000-row table) was
shown and painted, and the peak resident memory one second after that and after qbdesk's services were
attached. Then the application quits.
--libraries (bare only): after the first paint, import what qbdesk's services are built on (SQLAlchemy with its
ORM, requests, requests-oauthlib) and detect the keychain, as qbdesk's start-up does after its first frame;
then (before any table) the peak resident memory one second later: the floor those libraries set.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()

import argparse  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402

from benchlib import emit, peak_rss_mib  # noqa: E402

SETTLE_MS = 1000


class Probe(QObject):
    """Event filter on the few widgets it is told to watch, waiting for the first finished paint.

    It watches single widgets rather than the whole application: an application-wide Python filter would
    convert every event of start-up for Python and slow the very thing measured.
    """

    def __init__(self, expect: str | None, quickbooks: bool) -> None:
        super().__init__()
        self.expect = expect
        self.quickbooks = quickbooks
        self.result: dict = {"started": STARTED}
        self.waiting_for = "window"
        self.libraries = False

    def watch_window(self, window: QMainWindow) -> None:
        """Watch the main window, or for --expect the Integrations page's QuickBooks entry."""
        entry = getattr(getattr(window, "integrations_page", None), "quickbooks_entry", None)
        (entry if self.expect is not None and entry is not None else window).installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self.waiting_for and self._wanted(obj):
            stage, self.waiting_for = self.waiting_for, ""
            QTimer.singleShot(0, lambda: self._painted(stage))  # after this paint pass has been flushed
        return False

    def _wanted(self, obj) -> bool:
        if self.waiting_for == "window" and self.expect is not None:
            return self.expect in obj.text()
        return True

    def _painted(self, stage: str) -> None:
        now = time.monotonic()
        if stage == "window":
            self.result["painted"] = now
            if self.libraries:
                load_libraries()
            if not self.quickbooks:
                QTimer.singleShot(SETTLE_MS if self.libraries else 0, self._finish)
                return
            self.waiting_for = "table"
            show_table().installEventFilter(self)
        else:
            self.result["quickbooks_painted"] = now
            self._settle_after_start_up()

    def _settle_after_start_up(self) -> None:
        """Wait until qbdesk's start-up worker has attached the services (the memory they bring counts), then
        one second more; the bare window has nothing to wait for."""
        windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "show_quickbooks")]
        if windows and windows[0].services is None:
            QTimer.singleShot(20, self._settle_after_start_up)
            return
        self.result["services_attached"] = time.monotonic()
        QTimer.singleShot(SETTLE_MS, self._finish)

    def _finish(self) -> None:
        self.result["peak_rss_mib"] = peak_rss_mib()
        emit(self.result)
        QApplication.instance().quit()


PROBE: Probe | None = None


def show_table():
    """Open the list: qbdesk's QuickBooks page, or for bare a plain 10,000-row table; returns its viewport."""
    for widget in QApplication.topLevelWidgets():
        if hasattr(widget, "show_quickbooks"):
            widget.show_quickbooks()
            return widget.quickbooks_page.table.viewport()
        if isinstance(widget, BareWindow):
            return widget.show_table()
    raise RuntimeError("no main window")


class BareWindow(QMainWindow):
    """The baseline: a QMainWindow of qbdesk's size with nothing in it (a plain table on request)."""

    def show_table(self):
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QTableView

        model = QStandardItemModel(0, 5, self)
        for i in range(10_000):
            model.appendRow([QStandardItem(f"Credential {i:05d}"), QStandardItem("QuickBooks"),
                             QStandardItem(str(9130_0000_0000_0000 + i)), QStandardItem("Connected"),
                             QStandardItem("2025-01-01 10:00")])
        view = QTableView()
        view.setModel(model)
        self.setCentralWidget(view)
        return view.viewport()


def load_libraries() -> None:
    """What qbdesk's services import and do before any credential is read (the mandated libraries)."""
    import keyring
    import requests  # noqa: F401
    import requests_oauthlib  # noqa: F401
    import sqlalchemy  # noqa: F401
    import sqlalchemy.orm  # noqa: F401

    keyring.get_keyring()


def run_bare() -> int:
    app = QApplication(["bare"])
    window = BareWindow()
    window.setWindowTitle("bare")
    window.resize(1100, 680)
    PROBE.watch_window(window)
    window.show()
    return app.exec()


def run_app(data_dir: str) -> int:
    import qbdesk.ui.application as application

    class ProbedMainWindow(application.MainWindow):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            PROBE.watch_window(self)

    application.MainWindow = ProbedMainWindow
    from qbdesk.app import main

    return main(["--data-dir", data_dir])


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("bare", "app"))
    parser.add_argument("--data-dir")
    parser.add_argument("--expect", help="wait for a painted widget whose text() contains this")
    parser.add_argument("--quickbooks", action="store_true", help="then open the list and report peak memory")
    parser.add_argument("--libraries", action="store_true", help="bare: load qbdesk's libraries before the table")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse(sys.argv[1:])
    PROBE = Probe(args.expect, args.quickbooks)
    PROBE.libraries = args.libraries and args.kind == "bare"
    sys.exit(run_bare() if args.kind == "bare" else run_app(args.data_dir))
