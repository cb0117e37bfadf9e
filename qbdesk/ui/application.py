"""Starting the window: the QApplication (reused when one exists), the services, demo mode.

The window shows first, with the list read straight from the file; the services are imported and opened
on a worker thread once it has painted, then attached. Nothing heavy stands before the first frame.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication

from qbdesk import APP_ID
from qbdesk.core.clock import SystemClock
from qbdesk.launch import Launched, database_folder, open_services
from qbdesk.store.schema import read_snapshot
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.single_instance import WindowServer, ask_running_window
from qbdesk.ui.style import apply_style

if TYPE_CHECKING:
    from qbdesk.ui.window_services import OpenedServices

log = logging.getLogger("qbdesk")
# Benchmarks (bench/bundle.py): print the moment the first frame is on screen, then quit without opening anything.
FIRST_FRAME_ENV = "QBDESK_QUIT_AFTER_FIRST_FRAME"
BACKGROUND_WAIT_MS = 5000  # at exit, at most; a worker still waiting on Intuit then is left to the process exit


class Startup(QObject):
    """Opens the services off the GUI thread after the window's first paint, then attaches them.

    A failure is shown in a dialog and ends the application with exit code 1.
    """

    _opened_signal = Signal(object)  # OpenedServices, from the worker thread
    _failed_signal = Signal(object)  # the exception
    attached = Signal()  # the window has its services
    failed = Signal(str)  # what stopped the start, in plain words

    def __init__(self, window: MainWindow, data_dir: Path, env: dict[str, str], demo: bool, verbose: bool) -> None:
        super().__init__(window)
        self._verbose = verbose
        self._window = window
        self._open_args = (data_dir, env, demo)
        self._thread = threading.Thread(target=self._open, name="qbdesk-startup", daemon=True)
        self._opened_signal.connect(self._opened)
        self._failed_signal.connect(self._failed)
        self.launched: Launched | None = None  # the worker's, closed at exit
        self._closed = False
        self.report_in_dialog = True  # False: only the failed signal and exit code 1 (the self-test)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._window and event.type() == QEvent.Type.Paint and self._thread.ident is None:
            QTimer.singleShot(0, self._begin)  # after this frame is on screen
        return False

    def _begin(self) -> None:
        self._window.removeEventFilter(self)  # not inside eventFilter(): other filters of this event still run
        if self._open_args[1].get(FIRST_FRAME_ENV) == "1":
            print(f"first-frame {time.monotonic():.6f}", flush=True)
            self._window.close()  # the last window: the application ends as when the user closes it
            return
        if self._thread.ident is None:
            self._thread.start()

    def _open(self) -> None:
        """Worker thread: set up logging, import the window's service parts, open the data folder, read the list."""
        try:
            from qbdesk.log import configure_logging  # logging.handlers alone costs 10 ms

            configure_logging(self._open_args[0], self._verbose)
            from qbdesk.ui.window_services import OpenedServices  # the heavy imports, off the GUI thread

            self.launched = open_services(*self._open_args)
            opened = OpenedServices.read(self.launched.context)
        except Exception as exc:  # shown to the user by _failed
            self._failed_signal.emit(exc)
        else:
            self._opened_signal.emit(opened)

    def _opened(self, opened: OpenedServices) -> None:
        if not self._closed:  # a window closed during start-up has no use for its services
            self._window.attach(opened)
            self.attached.emit()

    def _failed(self, error: Exception) -> None:
        from qbdesk.store.database import StoreError
        from qbdesk.ui import dialogs

        if self._closed:
            return
        if isinstance(error, StoreError | ValueError | OSError):
            message = str(error)
        else:
            message = self.tr(
                "Something unexpected stopped qbdesk from opening your data ({error}). "
                "Start qbdesk again; if this keeps happening, start it with --verbose and keep qbdesk.log "
                "from the data folder for support."
            ).format(error=type(error).__name__)
        log.error("Start-up failed: %s: %s", type(error).__name__, error)
        self.failed.emit(message)
        if self.report_in_dialog:
            dialogs.error(self._window, self.tr("qbdesk cannot start"), message)
        QApplication.instance().exit(1)

    def close(self) -> None:
        """At exit: wait for an opening under way, then close what it opened."""
        self._closed = True
        if self._thread.ident is None:
            return  # never started: the window closed before its first paint
        self._thread.join()
        if self.launched is not None:
            self.launched.close()


def _deliver_background_results() -> None:
    """Let running workers (the keep-alive, say) finish and hand over their results while the window still
    exists: a result queued for a window that is deleted by then makes PySide crash."""
    QThreadPool.globalInstance().waitForDone(BACKGROUND_WAIT_MS)
    QCoreApplication.sendPostedEvents()


def run_window(
    data_dir: Path, env: dict[str, str], demo: bool = False, verbose: bool = False, self_test: bool = False
) -> int:
    """Show the main window until it closes; returns the exit code.

    With self_test, the window checks itself and closes (qbdesk.ui.self_test); it neither asks nor answers
    another qbdesk window of the same folder."""
    app = QApplication.instance()
    if app is None:
        # The sign-in window's QtWebEngine shares OpenGL contexts; this must be set before the application exists.
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        # "-name" makes the X11 window class instance the application id, which StartupWMClass names.
        app = QApplication(["qbdesk", "-name", APP_ID])
        app.setApplicationName("qbdesk")
        app.setDesktopFileName(APP_ID)
    apply_style(app)
    folder = database_folder(data_dir, demo)
    if not self_test and ask_running_window(folder):
        from qbdesk.log import configure_logging

        configure_logging(data_dir, verbose)
        log.info("qbdesk already runs on %s; brought its window forward", folder)
        print(f"qbdesk is already open for {folder}; its window was brought forward.")
        return 0
    window_server = None if self_test else WindowServer(folder)
    window = MainWindow(read_snapshot(folder) or [], SystemClock().now, demo)
    startup = Startup(window, data_dir, env, demo, verbose)
    if window_server is not None:
        window_server.show_requested.connect(window.bring_forward)
    else:
        from qbdesk.ui.self_test import SelfTest

        checker = SelfTest(window)
        startup.report_in_dialog = False
        startup.attached.connect(checker.attached)
        startup.failed.connect(checker.failed)
    window.show()
    try:
        return app.exec()
    finally:
        if window_server is not None:
            window_server.close()
        window.close()
        startup.close()
        _deliver_background_results()
