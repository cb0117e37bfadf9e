"""The first-start scene: no keys yet, the welcome, the guided setup checking keys, Settings' check on Save."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from qbdesk.core.destinations import Destination
from qbdesk.emulator import Emulator
from qbdesk.services.context import AppContext
from qbdesk.store.settings import env_name
from qbdesk.store.vault import FileVault
from qbdesk.ui.main_window import MainWindow
from shots.common import WINDOW_SIZE, wait, wait_until

CLIENT_ID = "ABq7Rk2Lm9Xv4Tn8Wc3Pz6Hs1Jd5Fg0Yb7Ne2Ku9Ma4Qt6Vx3"
CLIENT_SECRET = "w3Rt8Yp2Lk6Hn9Bv4Cx7Zq1Mj5Gf0Ds3Ae8Tu2Io"  # made up, registered only at the emulator


def first_start(app: QApplication, out: Path) -> None:
    """The welcome, the guided setup with wrong and right keys and for production, Settings' key check."""
    with Emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        addresses = {  # the sandbox app lives at the emulator; production shows Intuit's own addresses
            env_name(Destination.SANDBOX, "discovery_url"): emulator.discovery_url("sandbox"),
            env_name(Destination.SANDBOX, "api_base_url"): emulator.api_base_url("sandbox"),
        }
        context = AppContext.open(Path(folder), addresses, vault=FileVault(Path(folder) / "secrets.json"))
        window = MainWindow.opened(context)
        window.resize(*WINDOW_SIZE)
        window.show()
        wait(app, 500)
        window.grab().save(str(out / "welcome.png"))

        window.open_setup_guide(Destination.SANDBOX)
        guide = window.setup_guide
        emulator.register_client(CLIENT_ID, CLIENT_SECRET, [guide.redirect_field.text()], "sandbox")
        for name, typed_secret in (("setup-guide-wrong-keys", CLIENT_SECRET[:-1] + "X"),
                                   ("setup-guide-accepted", CLIENT_SECRET)):
            guide.client_id.setText(CLIENT_ID)
            guide.client_secret.setText(typed_secret)
            guide.check()
            wait_until(app, lambda: not guide.check_panel.running)
            wait(app, 300)
            guide.grab().save(str(out / f"{name}.png"))
        guide.reject()
        window.open_setup_guide(Destination.PRODUCTION)
        wait(app, 300)
        window.setup_guide.grab().save(str(out / "setup-guide-production.png"))
        window.setup_guide.reject()

        window.open_settings()
        settings = window.settings_dialog
        form = settings.forms[Destination.SANDBOX]
        settings.tabs.setCurrentWidget(form)
        form.fields["client_id"].setText(CLIENT_ID)
        form.fields["client_secret"].setText("not-the-secret")
        form.fields["redirect_uri"].setText(guide.redirect_field.text())
        settings.save()
        wait_until(app, lambda: not settings.key_check.running)
        wait(app, 300)
        settings.grab().save(str(out / "settings-key-check.png"))
        settings.reject()
        window.services.database_watcher.changed.disconnect()  # the data folder goes next
        window.close()
        context.close()
