"""The Integrations page: the systems qbdesk keeps credentials for."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from qbdesk.ui.credential_model import CredentialTableModel
from qbdesk.ui.widgets import Panel, button, label


def credential_count(count: int) -> str:
    if count == 0:
        return QCoreApplication.translate("IntegrationsPage", "No credentials yet")
    if count == 1:
        return QCoreApplication.translate("IntegrationsPage", "1 credential")
    return QCoreApplication.translate("IntegrationsPage", "{count} credentials").format(count=count)


class IntegrationsPage(QWidget):
    """Lists the systems qbdesk connects to; today that is QuickBooks."""

    quickbooks_opened = Signal()
    setup_requested = Signal()  # the welcome's "Set up" button: no destination has keys yet

    def __init__(self, model: CredentialTableModel, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.quickbooks_entry = button("")
        self.quickbooks_entry.setObjectName("integrationCard")
        self.quickbooks_entry.setIcon(icon)
        self.quickbooks_entry.setIconSize(self.quickbooks_entry.iconSize() * 2.5)
        self.quickbooks_entry.setMinimumHeight(self.fontMetrics().height() * 5)
        self.quickbooks_entry.setMaximumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.quickbooks_entry.clicked.connect(self.quickbooks_opened)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(label(self.tr("Integrations"), role="title"))
        layout.addWidget(label(self.tr("The systems qbdesk keeps credentials for. Open one to see and add credentials."), role="subtitle"))
        layout.addSpacing(12)
        self.welcome = Panel("panel")
        self.welcome.body.addWidget(label(self.tr("Welcome to qbdesk"), role="heading"))
        self.welcome.body.addWidget(label(self.tr(
            "Before your first credential, qbdesk needs the keys of an Intuit app: a free entry on Intuit's "
            "developer website that lets qbdesk sign in to QuickBooks. The setup explains each step and checks "
            "the keys with Intuit."
        )))
        self.setup_button = button(self.tr("Set up QuickBooks &keys\u2026"), primary=True)
        self.setup_button.clicked.connect(self.setup_requested)
        self.welcome.body.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.welcome.setMaximumWidth(640)
        self.welcome.hide()
        layout.addWidget(self.welcome)
        layout.addWidget(self.quickbooks_entry)
        layout.addStretch(1)
        model.count_changed.connect(self._update_count)
        self._update_count(model.total())

    def _update_count(self, count: int) -> None:
        """Show how many credentials exist; the QuickBooks page's search and filters do not change it."""
        self.quickbooks_entry.setText(self.tr("QuickBooks\n{count}").format(count=credential_count(count)))
        self.quickbooks_entry.setAccessibleName(self.tr("QuickBooks, {count}").format(count=credential_count(count)))
