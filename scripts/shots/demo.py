"""Scenes in demo mode: the create walk with its credential list, the Help menu and its windows, and dialogs."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QApplication

from qbdesk import user_apps
from qbdesk.core.destinations import Destination
from qbdesk.launch import open_services
from qbdesk.ui import dialogs
from qbdesk.ui.main_window import MainWindow
from shots.common import WINDOW_SIZE, grab_open_menu, shoot, wait, wait_until

from browser_stand_in import BrowserStandIn
from consent import consent_redirect


@contextmanager
def demo_window(app: QApplication, size: tuple[int, int] = WINDOW_SIZE) -> Iterator[tuple[MainWindow, object]]:
    """The window on a fresh demo data folder, shown; yields the window and the opened run."""
    with tempfile.TemporaryDirectory() as folder:
        launched = open_services(Path(folder), {}, demo=True)
        window = MainWindow.opened(launched.context)
        window.resize(*size)
        window.show()
        wait(app, 400)
        try:
            yield window, launched
        finally:
            window.services.database_watcher.changed.disconnect()  # the data folder goes next
            window.close()
            launched.close()


def connect_all(context, names) -> list[str]:
    """Credentials connected through the demo's consent page, as if signed in one after another; their ids."""
    ids = []
    for name in names:
        credential = context.credentials.create_pending(name, Destination.PRODUCTION)
        start = context.signin.begin(credential.id)
        context.signin.complete_from_address(credential.id, consent_redirect(start.url))
        ids.append(credential.id)
    return ids


def create_walk(app: QApplication, out: Path) -> None:
    """Create two credentials (browser sign-in, then a pasted address), test one, open its menu, search."""
    browser = BrowserStandIn()
    user_apps.open_in_user_app = browser.open  # the demo consent page is answered, no real browser opens
    with demo_window(app) as (window, launched):
        context = launched.context

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
        wait_until(app, lambda: "Connected" in page.sign_in.status_text(), step=100)
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
        grab_open_menu(app, window, window.credential_menu.menuAction(), out / "credential-menu.png")
        window.quickbooks_page.search.setText("globex")
        shot("credentials-no-match")
        window.quickbooks_page.search.clear()

        opening = MainWindow(context.credentials.list(), context.clock.now, demo=True)
        opening.resize(*WINDOW_SIZE)
        shoot(app, opening, out / "opening.png")  # the first frame, before the services are attached


def help_windows(app: QApplication, out: Path) -> None:
    """The open Help menu, About and the user guide at its setup chapter."""
    with demo_window(app) as (window, _):
        window.show_quickbooks()
        grab_open_menu(app, window, window.help_menu.menu.menuAction(), out / "help-menu.png")
        window.help_menu.open_about()
        shoot(app, window.help_menu.about_dialog, out / "about.png", 400)
        window.help_menu.open_user_guide()
        guide = window.help_menu.guide
        guide.resize(900, 700)
        guide.browser.scrollToAnchor("setup")
        shoot(app, guide, out / "user-guide.png", 400)


def dialog_windows(app: QApplication, out: Path) -> None:
    """Settings, the audit log, the shortcuts, a rename with its problem, an error, the keychain banner."""
    with demo_window(app) as (window, launched):
        connect_all(launched.context, ["Acme Ltd \u2013 Accounting", "Northwind Traders"])  # for the audit log
        window.open_settings()
        window.open_audit_log()
        window.help_menu.open_shortcuts()
        for name, dialog in (
            ("settings", window.settings_dialog),
            ("audit", window.audit_dialog),
            ("shortcuts", window.help_menu.shortcuts_dialog),
            ("rename", dialogs.text_dialog(window, "Rename credential", "New name\nA credential named \u201cnorthwind "
                                           "traders\u201d already exists. Choose another name.", "northwind traders")),
            ("error", dialogs.error_box(window, "Could not reach Intuit", "Intuit did not answer. Check your "
                                        "internet connection, then press Test connection again.")),
        ):
            shoot(app, dialog, out / f"{name}.png")
        window.banners.vault_message.setText("Secrets are stored in a file: anyone who can read your files can read them.")
        window.banners.vault.show()
        wait(app, 300)
        window.grab().save(str(out / "keychain-banner.png"))
        window.banners.vault.hide()
