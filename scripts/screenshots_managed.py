"""Screenshots of a computer set up by its organisation: Settings with managed fields (light and dark) and the
window's note about a managed file it cannot use.

Run under a display: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_managed.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

import keyring  # noqa: E402
from contrast import fusion_dark_palette  # noqa: E402
from screenshots import OUT, wait  # noqa: E402

from qbdesk.services.context import AppContext  # noqa: E402
from qbdesk.ui.main_window import MainWindow  # noqa: E402
from qbdesk.ui.settings_dialog import SettingsDialog  # noqa: E402
from qbdesk.ui.style import apply_style  # noqa: E402

from memory_keyring import MemoryKeyring  # noqa: E402

MANAGED = {"qbdesk_setup": 1, "destinations": {
    "production": {"client_id": "ABx7Qm2Lp9Rt4Vw8Yz3Kd6Hn1Fs5Gj0", "client_secret": "organisation-secret-0640",
                   "redirect_uri": "https://harborlane.example/qbdesk/callback",
                   "locked": ["client_id", "client_secret", "redirect_uri"]},
    "sandbox": {"hidden": True}}}
BROKEN = '{"qbdesk_setup": 1, "destinations": {"production": {"redirect_uri": "http://harborlane.example/cb"}}}'


def open_with(folder: Path, text: str) -> AppContext:
    path = folder / "managed.json"
    path.write_text(text)
    path.chmod(0o640)
    return AppContext.open(folder / "data", {"QBDESK_MANAGED_CONFIG": str(path)})


def settings_shot(app: QApplication, context: AppContext, name: str) -> None:
    dialog = SettingsDialog(context)
    dialog.resize(760, 560)
    dialog.show()
    wait(app, 400)
    dialog.grab().save(str(OUT / name))
    dialog.close()


def main() -> int:
    keyring.set_keyring(MemoryKeyring())  # a keychain that answers, so no keychain note covers the shots
    app = QApplication(sys.argv[:1])
    apply_style(app)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        context = open_with(folder, json.dumps(MANAGED))
        settings_shot(app, context, "settings-managed.png")
        context.close()
        broken = open_with(folder, BROKEN)
        window = MainWindow.opened(broken)
        window.resize(1100, 640)
        window.show()
        wait(app, 400)
        window.grab().save(str(OUT / "managed-broken.png"))
        window.close()
        broken.close()
        app.setStyle("Fusion")
        app.setPalette(fusion_dark_palette())
        context = open_with(folder, json.dumps(MANAGED))
        settings_shot(app, context, "settings-managed-dark.png")
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
