"""qbdesk.app.main on an existing QApplication: opens the window, returns the exit code."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from qbdesk.app import main
from qbdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def close_when_shown(seen):
    """Close the window once its services are attached; `seen` receives it."""
    def close():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible() and w.services is not None]
        if not windows:
            QTimer.singleShot(50, close)
            return
        seen.append(windows[0])
        windows[0].close()

    QTimer.singleShot(50, close)


def test_main_reuses_the_application_and_returns_zero(qapp, tmp_path):
    seen = []
    close_when_shown(seen)
    assert main(["--data-dir", str(tmp_path / "data")]) == 0
    assert seen and seen[0].windowTitle() == "Integrations - qbdesk"
    assert (tmp_path / "data" / "qbdesk.sqlite3").exists()


def test_demo_mode_uses_its_own_folder_and_shows_a_banner(qapp, tmp_path):
    seen = []
    close_when_shown(seen)
    assert main(["--demo", "--data-dir", str(tmp_path / "data")]) == 0
    window = seen[0]
    assert window.windowTitle() == "Integrations - qbdesk (demo)"
    assert (tmp_path / "data" / "demo" / "qbdesk.sqlite3").exists()
    assert not (tmp_path / "data" / "qbdesk.sqlite3").exists()
    banner = window.findChild(QLabel, "demoBanner")
    assert banner is not None and "Demo mode" in banner.text()


def test_a_database_from_a_newer_version_is_reported_not_opened(qapp, tmp_path, answered_dialogs):
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "qbdesk.sqlite3") as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    assert main(["--data-dir", str(data)]) == 1
    assert "newer version of qbdesk" in answered_dialogs.errors[0]
