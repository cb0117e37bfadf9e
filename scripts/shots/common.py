"""What every scene shares: waiting on the event loop, grabbing an open menu, and the size windows open at."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

WINDOW_SIZE = (1100, 640)


def wait(app: QApplication, ms: int) -> None:
    """Let the window paint and workers answer for `ms` without holding the GIL the way QTest.qWait does."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(ms)
    while timer.isActive():
        app.processEvents()


def wait_until(app: QApplication, done, tries: int = 100, step: int = 50) -> None:
    """Wait in short steps until `done()` holds or the tries run out."""
    for _ in range(tries):
        if done():
            return
        wait(app, step)


def grab_open_menu(app: QApplication, window: QWidget, action, path: Path, height: int = 420) -> None:
    """Open a menu of the menu bar and save the top of the screen around the window, the menu dropped down."""
    window.activateWindow()
    window.menuBar().setActiveAction(action)
    wait(app, 500)
    area = window.frameGeometry()
    app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), min(area.height(), height)).save(str(path))
    action.menu().hide()


def shoot(app: QApplication, widget: QWidget, path: Path, settle: int = 300) -> None:
    """Show a widget, let it paint, save it and close it."""
    widget.show()
    wait(app, settle)
    widget.grab().save(str(path))
    widget.close()
