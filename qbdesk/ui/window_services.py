"""The window's parts that work with the services, typed and made together once the services are open.

Importing this module loads the services' libraries (SQLAlchemy, requests, keyring, oauthlib), which cost
several times what Qt does: the window's first frame never imports it; start-up's worker thread does, when it
reads the list with OpenedServices.read(), so attach() on the GUI thread finds everything loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QWidget

from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.ui.audit_dialog import AuditDialog
from qbdesk.ui.bridge import ServiceBridge
from qbdesk.ui.check_all import CheckAllPanel
from qbdesk.ui.create_page import CreatePage
from qbdesk.ui.credential_actions import CredentialActions
from qbdesk.ui.expiry import ExpiryTimer
from qbdesk.ui.outside_changes import DatabaseWatcher
from qbdesk.ui.settings_dialog import SettingsDialog
from qbdesk.ui.setup_guide import SetupGuide
from qbdesk.ui.upkeep import Upkeep
from qbdesk.ui.wall_clock import WallClockWatch
from qbdesk.ui.widgets import button

if TYPE_CHECKING:
    from qbdesk.ui.quickbooks_page import QuickBooksPage


@dataclass(frozen=True)
class OpenedServices:
    """What the window is given to attach: the run's services and the list as stored when they opened."""

    context: AppContext
    credentials: list[Credential]

    @classmethod
    def read(cls, context: AppContext) -> OpenedServices:
        """The services with the stored list, read right after changed_elsewhere(): later comparisons start here."""
        context.credentials.changed_elsewhere()
        return cls(context, context.credentials.list())


@dataclass(frozen=True)
class WindowServices:
    """Everything in the window that needs the services: signals, actions, the Create page, timers."""

    context: AppContext
    bridge: ServiceBridge
    actions: CredentialActions
    create_page: CreatePage
    expiry: ExpiryTimer
    database_watcher: DatabaseWatcher
    upkeep: Upkeep
    wall_clock: WallClockWatch
    audit_button: QPushButton
    check_all: CheckAllPanel

    @classmethod
    def build(
        cls,
        context: AppContext,
        window: QWidget,
        list_page: QuickBooksPage,
        known_credentials: Callable[[], list[Credential]],
        notify: Callable[[str, str], None],
    ) -> WindowServices:
        """Make the parts on the GUI thread, owned by the window; nothing is connected or started yet.

        `known_credentials` gives the list the window shows (for the Create page's checks), `notify`
        shows a desktop notification."""
        return cls(
            context=context,
            bridge=ServiceBridge(context, window),
            actions=CredentialActions(context, list_page, window),
            create_page=CreatePage(context, known_credentials),
            expiry=ExpiryTimer(context.credentials, window),
            database_watcher=DatabaseWatcher(context.data_dir, window),
            upkeep=Upkeep(context, notify, window),
            wall_clock=WallClockWatch(window),
            audit_button=button(QCoreApplication.translate("WindowServices", "&Audit log")),
            check_all=CheckAllPanel(context, window),
        )

    def settings_dialog(self, parent: QWidget) -> SettingsDialog:
        return SettingsDialog(self.context, parent)

    def setup_guide(self, parent: QWidget, destination: Destination) -> SetupGuide:
        return SetupGuide(self.context, destination, parent)

    def audit_dialog(self, parent: QWidget) -> AuditDialog:
        return AuditDialog(self.context.audit, parent)
