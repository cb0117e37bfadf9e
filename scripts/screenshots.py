"""Walk the demo through the create flow in a real window and save a screenshot of each screen.

Run under a display, e.g.: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from qbdesk.launch import open_services  # noqa: E402
from qbdesk.ui.main_window import MainWindow  # noqa: E402
from qbdesk.ui.style import STYLE_SHEET  # noqa: E402

from browser_stand_in import BrowserStandIn  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait(app: QApplication, ms: int) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(ms)
    while timer.isActive():
        app.processEvents()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    browser = BrowserStandIn()
    QDesktopServices.setUrlHandler("http", browser, "open")
    with tempfile.TemporaryDirectory() as folder:
        launched = open_services(Path(folder), {}, demo=True)
        context = launched.context
        window = MainWindow.opened(context)
        window.resize(1100, 640)
        window.show()
        wait(app, 400)

        def shot(name: str) -> None:
            wait(app, 300)
            window.grab().save(str(OUT / f"{name}.png"))

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
        window.quickbooks_page.search.setText("globex")
        shot("credentials-no-match")
        window.quickbooks_page.search.clear()

        opening = MainWindow(context.credentials.list(), context.credentials.clock.now, demo=True)
        opening.resize(1100, 640)
        opening.show()
        wait(app, 300)
        opening.grab().save(str(OUT / "opening.png"))  # the first frame, before the services are attached
        opening.close()
        window.close()
        launched.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
