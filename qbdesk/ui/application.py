"""Starting the window: the QApplication (reused when one exists), the services, demo mode."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from qbdesk.log import configure_logging
from qbdesk.services.context import AppContext
from qbdesk.store.database import StoreError
from qbdesk.ui import dialogs
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.single_instance import WindowServer, ask_running_window
from qbdesk.ui.style import STYLE_SHEET

log = logging.getLogger("qbdesk")


def open_context(data_dir: Path, env: dict[str, str], demo: bool) -> tuple[AppContext, object | None]:
    """The services for this run, and the demo emulator when in demo mode (to stop at exit)."""
    if not demo:
        return AppContext.open(data_dir, env), None
    from qbdesk.demo import start_demo

    setup = start_demo(data_dir, env)
    try:
        context = AppContext.open(setup.data_dir, setup.overrides, vault=setup.vault, demo=True)
    except Exception:
        setup.stop()
        raise
    return context, setup


def run_window(data_dir: Path, env: dict[str, str], demo: bool = False, verbose: bool = False) -> int:
    """Show the main window until it closes; returns the exit code."""
    configure_logging(data_dir, verbose)
    app = QApplication.instance()
    if app is None:
        # The sign-in window's QtWebEngine shares OpenGL contexts; this must be set before the application exists.
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(["qbdesk"])
        app.setApplicationName("qbdesk")
        app.setDesktopFileName("qbdesk")
    app.setStyleSheet(STYLE_SHEET)
    instance_dir = data_dir
    if demo:
        from qbdesk.demo import DEMO_FOLDER

        instance_dir = data_dir / DEMO_FOLDER
    if ask_running_window(instance_dir):
        log.info("qbdesk already runs on %s; brought its window forward", instance_dir)
        print(f"qbdesk is already open for {instance_dir}; its window was brought forward.")
        return 0
    window_server = WindowServer(instance_dir)
    try:
        context, demo_setup = open_context(data_dir, env, demo)
    except (StoreError, ValueError, OSError) as exc:
        log.error("Start-up failed: %s", exc)
        window_server.close()
        dialogs.error(None, "qbdesk cannot start", str(exc))
        return 1
    window = MainWindow(context)
    window_server.show_requested.connect(window.bring_forward)
    window.show()
    try:
        code = app.exec()
    finally:
        window_server.close()
        window.close()
        context.close()
        if demo_setup is not None:
            demo_setup.stop()
    return code
