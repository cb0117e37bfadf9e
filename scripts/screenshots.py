"""Walk the demo through the create flow in a real window and save a screenshot of each screen.

Run under a display, e.g.: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py
With --dark, every screen and dialog is taken in a dark Fusion palette instead, into docs/screenshots/dark.
With --setup, only the first-start screens (welcome, guided setup, key check in Settings) are taken, against the
emulator with no keys entered yet (with --dark too, in the dark palette).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from contrast import fusion_dark_palette  # noqa: E402

from qbdesk import user_apps  # noqa: E402
from qbdesk.launch import open_services  # noqa: E402
from qbdesk.ui.main_window import MainWindow  # noqa: E402
from qbdesk.ui.style import apply_style  # noqa: E402

from browser_stand_in import BrowserStandIn  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait(app: QApplication, ms: int) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(ms)
    while timer.isActive():
        app.processEvents()


def help_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    """The open Help menu, About and the user guide."""
    window.activateWindow()
    window.menuBar().setActiveAction(window.menuBar().actions()[-1])
    wait(app, 500)
    area = window.frameGeometry()
    screen = app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), min(area.height(), 420))
    screen.save(str(out / "help-menu.png"))
    window.help_menu.menu.hide()
    window.help_menu.open_about()
    about = window.help_menu.about_dialog
    wait(app, 400)
    about.grab().save(str(out / "about.png"))
    about.close()
    window.help_menu.open_user_guide()
    guide = window.help_menu.guide
    guide.resize(900, 700)
    guide.browser.scrollToAnchor("setup")
    wait(app, 400)
    guide.grab().save(str(out / "user-guide.png"))
    guide.close()


def credential_menu_shot(app: QApplication, window: MainWindow, out: Path) -> None:
    """The open Credential menu, every action on the selected credential with its key."""
    window.activateWindow()
    window.menuBar().setActiveAction(window.credential_menu.menuAction())
    wait(app, 500)
    area = window.frameGeometry()
    screen = app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), min(area.height(), 420))
    screen.save(str(out / "credential-menu.png"))
    window.credential_menu.hide()


def dialog_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    """Settings, the audit log, the shortcuts, a rename with its problem, an error, the keychain banner."""
    from qbdesk.ui import dialogs

    window.open_settings()
    window.open_audit_log()
    window.help_menu.open_shortcuts()
    for name, dialog in (
        ("settings", window.settings_dialog),
        ("audit", window.audit_dialog),
        ("shortcuts", window.help_menu.shortcuts_dialog),
        ("rename", dialogs.text_dialog(window, "Rename credential", "New name\nA credential named \u201cnorthwind "
                                       "traders\u201d already exists. Choose another name.", "northwind traders")),
        ("error", dialogs.error_box(window, "Could not reach Intuit", "Intuit did not answer. Check your internet "
                                    "connection, then press Test connection again.")),
    ):
        dialog.show()
        wait(app, 300)
        dialog.grab().save(str(out / f"{name}.png"))
        dialog.close()
    window.banners.vault_message.setText("Secrets are stored in a file: anyone who can read your files can read them.")
    window.banners.vault.show()
    wait(app, 300)
    window.grab().save(str(out / "keychain-banner.png"))
    window.banners.vault.hide()


def setup_shots(app: QApplication, out: Path) -> None:
    """First start with no keys: the welcome, the guided setup as it checks keys, and Settings' check on Save."""
    from qbdesk.core.destinations import Destination
    from qbdesk.emulator import Emulator
    from qbdesk.services.context import AppContext
    from qbdesk.store.settings import env_name
    from qbdesk.store.vault import FileVault

    with Emulator() as emulator, tempfile.TemporaryDirectory() as folder:
        addresses = {  # the sandbox app lives at the emulator; production shows Intuit's own addresses
            env_name(Destination.SANDBOX, "discovery_url"): emulator.discovery_url("sandbox"),
            env_name(Destination.SANDBOX, "api_base_url"): emulator.api_base_url("sandbox"),
        }
        context = AppContext.open(Path(folder), addresses, vault=FileVault(Path(folder) / "secrets.json"))
        window = MainWindow.opened(context)
        window.resize(1100, 640)
        window.show()
        wait(app, 500)
        window.grab().save(str(out / "welcome.png"))

        client_id, secret = "ABq7Rk2Lm9Xv4Tn8Wc3Pz6Hs1Jd5Fg0Yb7Ne2Ku9Ma4Qt6Vx3", "w3Rt8Yp2Lk6Hn9Bv4Cx7Zq1Mj5Gf0Ds3Ae8Tu2Io"
        window.open_setup_guide(Destination.SANDBOX)
        guide = window.setup_guide
        emulator.register_client(client_id, secret, [guide.redirect_field.text()], "sandbox")

        def guide_shot(name: str, typed_secret: str) -> None:
            guide.client_id.setText(client_id)
            guide.client_secret.setText(typed_secret)
            guide.check()
            for _ in range(100):
                if not guide.check_panel.running:
                    break
                wait(app, 50)
            wait(app, 300)
            guide.grab().save(str(out / f"{name}.png"))

        guide_shot("setup-guide-wrong-keys", secret[:-1] + "X")
        guide_shot("setup-guide-accepted", secret)
        guide.reject()
        window.open_setup_guide(Destination.PRODUCTION)
        wait(app, 300)
        window.setup_guide.grab().save(str(out / "setup-guide-production.png"))
        window.setup_guide.reject()

        window.open_settings()
        settings = window.settings_dialog
        form = settings.forms[Destination.SANDBOX]
        settings.tabs.setCurrentWidget(form)
        form.fields["client_id"].setText(client_id)
        form.fields["client_secret"].setText("not-the-secret")
        form.fields["redirect_uri"].setText(guide.redirect_field.text())
        settings.save()
        for _ in range(100):
            if not settings.key_check.running:
                break
            wait(app, 50)
        wait(app, 300)
        settings.grab().save(str(out / "settings-key-check.png"))
        settings.reject()
        window.services.database_watcher.changed.disconnect()  # the data folder goes next
        window.close()
        context.close()


def main() -> int:
    dark = "--dark" in sys.argv
    out = OUT / "dark" if dark else OUT
    out.mkdir(exist_ok=True)
    if "--setup" in sys.argv:
        app = QApplication(sys.argv[:1])
        if dark:
            app.setStyle("Fusion")
            app.setPalette(fusion_dark_palette())
        apply_style(app)
        setup_shots(app, out)
        return 0
    app = QApplication(sys.argv[:1])
    if dark:
        app.setStyle("Fusion")
        app.setPalette(fusion_dark_palette())
    apply_style(app)
    browser = BrowserStandIn()
    user_apps.open_in_user_app = browser.open  # the demo consent page is answered, no real browser opens
    with tempfile.TemporaryDirectory() as folder:
        launched = open_services(Path(folder), {}, demo=True)
        context = launched.context
        window = MainWindow.opened(context)
        window.resize(1100, 640)
        window.show()
        wait(app, 400)

        def shot(name: str) -> None:
            wait(app, 300)
            window.grab().save(str(out / f"{name}.png"))

        shot("integrations")
        window.show_quickbooks()
        shot("credentials-empty")
        window.show_create()
        page = window.services.create_page
        page.name_field.setText("Acme Ltd \u2013 Accounting")
        page.sandbox_choice.setChecked(True)
        shot("create-stage1")
        page.go_next()
        shot("create-stage2")
        browser.decision = None
        page.sign_in.go_to_quickbooks()
        wait(app, 1500)
        shot("create-waiting")
        browser.decision = "connect"
        page.sign_in.go_to_quickbooks()
        for _ in range(50):
            if "Connected" in page.sign_in.status_text():
                break
            wait(app, 100)
        shot("create-connected")
        page.create()

        context.settings.save_prefer_system_browser(True)
        browser.decision = None
        window.show_create()
        page.name_field.setText("Northwind Traders")
        page.production_choice.setChecked(True)
        page.go_next()
        page.sign_in.go_to_quickbooks()
        wait(app, 1500)
        page.sign_in.paste_field.setText("https://demo.qbdesk.invalid/callback?code=\u2026")
        shot("create-paste")
        page.create()
        wait(app, 200)
        acme = next(c for c in context.credentials.list() if c.name.startswith("Acme"))
        window.quickbooks_page.select(acme.id)
        window.services.actions.test_connection()
        wait(app, 1500)
        shot("credentials")
        credential_menu_shot(app, window, OUT)
        window.quickbooks_page.search.setText("globex")
        shot("credentials-no-match")
        window.quickbooks_page.search.clear()

        opening = MainWindow(context.credentials.list(), context.clock.now, demo=True)
        opening.resize(1100, 640)
        opening.show()
        wait(app, 300)
        opening.grab().save(str(out / "opening.png"))  # the first frame, before the services are attached
        opening.close()

        window.show_quickbooks()
        help_shots(app, window, out)
        setup_shots(app, out)
        if dark:
            dialog_shots(app, window, out)
        window.close()
        launched.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
