"""The main window: banners, a breadcrumb, and the pages Integrations → QuickBooks → Create.

It opens in two steps so the first frame comes quickly: the window with the list read from the file
(Qt and the standard library only), then attach() with the services, whose imports (SQLAlchemy, requests,
keyring, oauthlib) cost several times what Qt itself does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from importlib.resources import files
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QSize
from PySide6.QtGui import QAction, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QSystemTrayIcon, QVBoxLayout, QWidget

from qbdesk import APP_ID
from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.ui.announce import announce
from qbdesk.ui.credential_model import CredentialTableModel
from qbdesk.ui.help_menu import install_help_menu
from qbdesk.ui.integrations_page import IntegrationsPage
from qbdesk.ui.widgets import Glyph, button, fitting_size, label
from qbdesk.ui.window_banners import WindowBanners

if TYPE_CHECKING:
    from qbdesk.services.context import AppContext
    from qbdesk.ui.audit_dialog import AuditDialog
    from qbdesk.ui.quickbooks_page import QuickBooksPage
    from qbdesk.ui.settings_dialog import SettingsDialog
    from qbdesk.ui.setup_guide import SetupGuide
    from qbdesk.ui.transfer_actions import TransferFlow
    from qbdesk.ui.window_services import OpenedServices, WindowServices

DEMO_TEXT = QT_TRANSLATE_NOOP("MainWindow", (
    "Demo mode \u2013 sign-in goes to a stand-in for Intuit on this computer. "
    "Your real credentials and settings are not touched."
))
OPENING_TEXT = QT_TRANSLATE_NOOP("MainWindow", "Opening your credentials\u2026")
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """qbdesk's icon: the SVG, plus the rendered PNGs for where no SVG renderer is at hand."""
    hicolor = files("qbdesk.resources") / "icons" / "hicolor"
    icon = QIcon(str(hicolor / "scalable" / "apps" / f"{APP_ID}.svg"))
    for size in ICON_SIZES:
        icon.addFile(str(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"), QSize(size, size))
    return icon


class MainWindow(QMainWindow):
    """qbdesk's single window: shows the list at once, and everything else once attach() gives it the services."""

    def __init__(self, credentials: list[Credential], now: Callable[[], datetime], demo: bool = False) -> None:
        super().__init__()
        self.services: WindowServices | None = None  # set once, by attach()
        self._demo = demo
        self.setWindowTitle(self.tr("qbdesk (demo)") if demo else self.tr("qbdesk"))
        self.setWindowIcon(app_icon())
        self.resize(fitting_size(self, QSize(1100, 680)))
        self._now = now
        self.model = CredentialTableModel(credentials, now, self)
        self.settings_dialog: SettingsDialog | None = None
        self.audit_dialog: AuditDialog | None = None
        self.transfer_flow: TransferFlow | None = None
        self.setup_guide: SetupGuide | None = None
        self.tray: QSystemTrayIcon | None = None

        self.integrations_page = IntegrationsPage(self.model, app_icon())
        self.quickbooks_page: QuickBooksPage | None = None  # see build_list_page()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.integrations_page)

        self.crumbs = QHBoxLayout()
        self.crumbs.setContentsMargins(24, 10, 24, 0)
        self.integrations_crumb = button(self.tr("Integrations"), role="crumb")
        self.quickbooks_crumb = button(self.tr("QuickBooks"), role="crumb")
        self.here = QLabel()
        self.separators = [Glyph("\u203a"), Glyph("\u203a")]  # drawn: screen readers skip them
        for widget in (self.integrations_crumb, self.separators[0], self.quickbooks_crumb, self.separators[1], self.here):
            self.crumbs.addWidget(widget)
        self.crumbs.addStretch(1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if demo:
            banner = label(self.tr(DEMO_TEXT))
            banner.setObjectName("demoBanner")
            layout.addWidget(banner)
        self.banners = WindowBanners()
        self.banners.settings_button.clicked.connect(self.open_settings)
        layout.addWidget(self.banners)
        layout.addLayout(self.crumbs)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._service_actions: list[QAction] = []
        self._build_menu()
        self.integrations_page.quickbooks_opened.connect(self.show_quickbooks)
        self.integrations_page.setup_requested.connect(lambda: self.open_setup_guide(Destination.PRODUCTION))
        self.integrations_crumb.clicked.connect(self.show_integrations)
        self.quickbooks_crumb.clicked.connect(self.show_quickbooks)
        self.statusBar().showMessage(self.tr(OPENING_TEXT))
        self.show_integrations()

    @classmethod
    def opened(cls, context: AppContext) -> MainWindow:
        """A window with its services attached, in one step (tests, tools)."""
        from qbdesk.ui.window_services import OpenedServices

        opened = OpenedServices.read(context)
        window = cls(opened.credentials, context.clock.now, context.demo)
        window.attach(opened)
        return window

    def build_list_page(self) -> QuickBooksPage:
        """The QuickBooks page, built when first opened or when the services are attached."""
        if self.quickbooks_page is None:
            from qbdesk.ui.quickbooks_page import QuickBooksPage

            page = QuickBooksPage(self.model, self._now)
            page.configure_button.setEnabled(self.services is not None)
            page.configure_requested.connect(self.show_create)
            self.pages.insertWidget(1, page)
            self.quickbooks_page = page
        return self.quickbooks_page

    def attach(self, opened: OpenedServices) -> None:
        """Give the window its services: actions, the Create page, timers, and the list as stored now."""
        from qbdesk.ui.window_services import WindowServices  # loaded by start-up's worker thread already

        page = self.build_list_page()
        services = WindowServices.build(opened.context, self, page, self.model.credentials, self.notify)
        self.services = services
        page.heading_buttons.addWidget(services.audit_button)
        page.heading_buttons.addWidget(services.check_all.start_button)
        page.layout().insertWidget(page.layout().count() - 1, services.check_all)  # above the Credentials panel
        self.addAction(services.check_all.action)
        page.follow_reading_order()  # the audit, Test all and action buttons came last
        self.credential_menu.addActions(list(services.actions.all))
        self.credential_menu.addSeparator()
        self.credential_menu.addAction(services.check_all.action)
        self.credential_menu.setEnabled(self.pages.currentWidget() is page)
        self.pages.addWidget(services.create_page)
        self._connect(services)
        self.apply_list(opened.credentials)
        for action in self._service_actions:
            action.setEnabled(True)
        page.configure_button.setEnabled(True)
        self.banners.watch_keychain(opened.context)  # the list is shown while the keychain is asked
        self._update_keys_hint()
        self.banners.show_managed_problem(opened.context)
        self.statusBar().clearMessage()
        services.expiry.rearm()
        services.upkeep.start()

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        settings = QAction(self.tr("&Settings\u2026"), self, shortcut=QKeySequence("Ctrl+,"), triggered=self.open_settings)
        setup = QAction(self.tr("Set &up Intuit app\u2026"), self, triggered=lambda: self.open_setup_guide(Destination.PRODUCTION))
        audit = QAction(self.tr("&Audit log\u2026"), self, triggered=self.open_audit_log)
        move = QAction(self.tr("&Move credentials to another computer\u2026"), self, triggered=self.move_credentials)
        import_action = QAction(self.tr("&Import credentials\u2026"), self, triggered=self.import_credentials)
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        new = QAction(self.tr("&New credential"), self, shortcut=QKeySequence.StandardKey.New, triggered=self.show_create)
        file_menu.addAction(settings)
        file_menu.addAction(setup)
        file_menu.addAction(audit)
        file_menu.addSeparator()
        file_menu.addAction(move)
        file_menu.addAction(import_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        go_menu.addAction(QAction(self.tr("&Integrations"), self, shortcut=QKeySequence("Ctrl+1"), triggered=self.show_integrations))
        go_menu.addAction(QAction(self.tr("&QuickBooks"), self, shortcut=QKeySequence("Ctrl+2"), triggered=self.show_quickbooks))
        go_menu.addAction(new)
        self.credential_menu = self.menuBar().addMenu(self.tr("&Credential"))
        self.credential_menu.setEnabled(False)  # attach() fills it with the credential actions
        QShortcut(QKeySequence("Alt+Left"), self, activated=self.go_up).setWhatsThis(self.tr("Go up one level"))
        self._service_actions = [settings, setup, audit, new, move, import_action]
        for action in self._service_actions:
            action.setEnabled(False)  # until attach()
        self.help_menu = install_help_menu(self)

    def _connect(self, services: WindowServices) -> None:
        bridge, expiry, create_page, actions = services.bridge, services.expiry, services.create_page, services.actions
        bridge.credential_added.connect(self.model.add)
        bridge.credential_changed.connect(self.model.update)
        bridge.credential_removed.connect(lambda removal: self.model.remove(removal.credential.id))
        for signal in (bridge.credential_added, bridge.credential_changed, bridge.credential_removed):
            signal.connect(expiry.rearm)
        bridge.credential_changed.connect(create_page.sign_in.on_credential_changed)
        bridge.credential_removed.connect(create_page.sign_in.on_credential_removed)
        bridge.signin_updated.connect(create_page.sign_in.on_signin_updated)
        create_page.finished.connect(self._credential_created)
        create_page.cancelled.connect(self.show_quickbooks)
        create_page.settings_requested.connect(self.open_settings)
        create_page.setup_requested.connect(self.open_setup_guide)
        for signal in (bridge.credential_added, bridge.credential_removed):
            signal.connect(self._update_keys_hint)
        services.database_watcher.changed.connect(self.resync)
        services.wall_clock.moved.connect(expiry.recheck)  # the timer's monotonic time stops in sleep
        services.wall_clock.moved.connect(services.upkeep.catch_up)
        services.audit_button.clicked.connect(self.open_audit_log)
        actions.notify.connect(self.say)
        actions.reconnect_requested.connect(self.show_reconnect)

    # --- navigation -----------------------------------------------------------------------------

    def _show(self, page: QWidget, trail: list[QWidget], here: str, title: str | None = None) -> None:
        self.pages.setCurrentWidget(page)
        page_name = title or here
        self.setWindowTitle(self.tr("{page} - qbdesk (demo)").format(page=page_name) if self._demo
                            else self.tr("{page} - qbdesk").format(page=page_name))
        # The credential actions act on the list's selection: offered while the list is shown.
        self.credential_menu.setEnabled(page is self.quickbooks_page and self.services is not None)
        for widget in (self.integrations_crumb, self.quickbooks_crumb, *self.separators):
            widget.setVisible(False)
        for widget in trail:
            widget.setVisible(True)
        self.here.setText(here)

    def show_integrations(self) -> None:
        self._show(self.integrations_page, [], self.tr("Integrations"))
        self.integrations_page.quickbooks_entry.setFocus()

    def show_quickbooks(self) -> None:
        page = self.build_list_page()
        self._show(page, [self.integrations_crumb, self.separators[0]], self.tr("QuickBooks"), self.tr("Credentials"))
        if self.model.rowCount() and page.selected() is None:
            page.table.selectRow(0)
        if self.model.rowCount():
            page.table.setFocus()
        else:  # nothing yet, or the search hides everything
            (page.search if self.model.total() else page.configure_button).setFocus()

    def show_create(self) -> None:
        if self.services is None:
            return  # still opening
        page = self.services.create_page
        if self.pages.currentWidget() is not page or page.reconnecting:
            page.start()
        self._show(page, self._create_trail(), self.tr("New credential"))
        page.name_field.setFocus()

    def _create_trail(self) -> list[QWidget]:
        return [self.integrations_crumb, self.separators[0], self.quickbooks_crumb, self.separators[1]]

    def bring_forward(self) -> None:
        """Another launch asked for qbdesk: show this window on top instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def say(self, message: str) -> None:
        """Show an outcome in the status bar and have screen readers read it."""
        self.statusBar().showMessage(message, 15000)
        announce(self, message)

    def notify(self, title: str, message: str) -> None:
        """A desktop notification where the desktop offers one, and the status bar always."""
        self.statusBar().showMessage(f"{title}: {message}", 60000)
        announce(self, f"{title}: {message}")
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(app_icon(), self)
                self.tray.show()
            self.tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Warning)

    def resync(self) -> None:
        """Bring the list in line with the database after another process changed it."""
        credentials = self.services.context.credentials
        if not credentials.changed_elsewhere():
            return  # only this window's own writes, which the services announced already
        self.apply_list(credentials.list())

    def apply_list(self, credentials: list[Credential]) -> None:
        """Make the list show these credentials, touching only the rows that differ."""
        fresh = {c.id: c for c in credentials}
        for shown in self.model.credentials():
            if shown.id not in fresh:
                self.model.remove(shown.id)
            elif fresh[shown.id] == shown:
                del fresh[shown.id]
        for credential in fresh.values():
            self.model.update(credential)
        self.services.expiry.rearm()

    def show_reconnect(self, credential) -> None:
        """Run sign-in again for an existing credential on the Create page's Stage 2."""
        self.services.create_page.reconnect(credential)
        self._show(self.services.create_page, self._create_trail(), self.tr("Reconnect"))

    def go_up(self) -> None:
        current = self.pages.currentWidget()
        if current is self.quickbooks_page:
            self.show_integrations()
        elif self.services is not None and current is self.services.create_page:
            self.services.create_page.cancel()

    def _credential_created(self, credential_id: str) -> None:
        self.show_quickbooks()
        self.quickbooks_page.select(credential_id)

    # --- settings and secrets -------------------------------------------------------------------

    def open_settings(self) -> None:
        """Show Settings without blocking (window-modal)."""
        if self.services is None:
            return  # still opening
        self.settings_dialog = self.services.settings_dialog(self)
        self.settings_dialog.saved.connect(self._settings_saved)
        self.settings_dialog.open()

    def open_setup_guide(self, destination: Destination) -> None:
        """Show the guided setup for a destination's Intuit app without blocking (window-modal)."""
        if self.services is None:
            return  # still opening
        self.setup_guide = self.services.setup_guide(self, destination)
        self.setup_guide.saved.connect(self._settings_saved)
        self.setup_guide.open()

    def open_audit_log(self) -> None:
        """Show the audit log without blocking (window-modal)."""
        if self.services is None:
            return  # still opening
        self.audit_dialog = self.services.audit_dialog(self)
        self.audit_dialog.open()

    def ready_transfer_flow(self) -> TransferFlow | None:
        """The move and import flow, made when first needed; None while the services are still opening."""
        if self.services is None:
            return None
        if self.transfer_flow is None:
            from qbdesk.ui.transfer_actions import TransferFlow

            self.transfer_flow = TransferFlow(self.services.context, self)
        return None if self.transfer_flow.busy else self.transfer_flow

    def move_credentials(self) -> None:
        """File › Move credentials to another computer…"""
        flow = self.ready_transfer_flow()
        if flow is not None:
            flow.start_move()

    def import_credentials(self) -> None:
        """File › Import credentials…"""
        flow = self.ready_transfer_flow()
        if flow is not None:
            flow.start_import()

    def _settings_saved(self) -> None:
        self.banners.show_vault(self.services.context)
        self._update_keys_hint()
        self.services.create_page.sign_in.refresh_setup()

    def _update_keys_hint(self, *_changed: object) -> None:
        """Until some destination has keys: a hint on the empty list, and a welcome when nothing exists yet."""
        signin = self.services.context.signin
        missing = all(signin.setup_problem(d) for d in Destination)
        self.quickbooks_page.set_keys_missing(missing)
        self.integrations_page.welcome.setVisible(missing and self.model.total() == 0)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and self.services is not None:
            self.services.wall_clock.window_activated()
        return super().event(event)

    def closeEvent(self, event) -> None:
        if self.services is not None:
            self.services.check_all.stop()
            self.services.bridge.detach()
        self.banners.stop()
        super().closeEvent(event)

