"""The scene of a computer set up by its organisation: Settings with managed fields, and a managed file not used."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from qbdesk.services.context import AppContext
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.settings_dialog import SettingsDialog
from shots.common import WINDOW_SIZE, shoot, wait

MANAGED = {"qbdesk_setup": 1, "destinations": {
    "production": {"client_id": "ABx7Qm2Lp9Rt4Vw8Yz3Kd6Hn1Fs5Gj0", "client_secret": "organisation-secret-0640",
                   "redirect_uri": "https://harborlane.example/qbdesk/callback",
                   "locked": ["client_id", "client_secret", "redirect_uri"]},
    "sandbox": {"hidden": True}}}
BROKEN = '{"qbdesk_setup": 1, "destinations": {"production": {"redirect_uri": "http://harborlane.example/cb"}}}'


def _open_with(folder: Path, text: str) -> AppContext:
    path = folder / "managed.json"
    path.write_text(text)
    path.chmod(0o640)
    return AppContext.open(folder / "data", {"QBDESK_MANAGED_CONFIG": str(path)})


def managed_setup(app: QApplication, out: Path) -> None:
    """Settings with locked keys and Sandbox Mode hidden; the window's note about a file it cannot use."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        context = _open_with(folder, json.dumps(MANAGED))
        dialog = SettingsDialog(context)
        dialog.resize(760, 560)
        shoot(app, dialog, out / "settings-managed.png", 400)
        context.close()
        broken = _open_with(folder, BROKEN)
        window = MainWindow.opened(broken)
        window.resize(*WINDOW_SIZE)
        window.show()
        wait(app, 400)
        window.grab().save(str(out / "managed-broken.png"))
        window.services.database_watcher.changed.disconnect()  # the data folder goes next
        window.close()
        broken.close()
