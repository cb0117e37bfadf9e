"""The Integrations page and the QuickBooks Integrations page with its Credentials panel."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qbdesk.ui.credential_model import CREATED, NAME, SORT_ROLE, CredentialTableModel
from qbdesk.ui.widgets import Panel, button, label

EMPTY_TEXT = "No credentials yet. Press \u201cConfigure new credentials\u201d to connect qbdesk to a QuickBooks company."
KEYS_FIRST_TEXT = (
    " First enter your Intuit app's Client ID and Client Secret in Settings (File \u203a Settings\u2026)."
)


def credential_count(count: int) -> str:
    return "No credentials yet" if count == 0 else f"{count} credential" + ("" if count == 1 else "s")


class IntegrationsPage(QWidget):
    """Lists the systems qbdesk connects to; today that is QuickBooks."""

    quickbooks_opened = Signal()

    def __init__(self, model: CredentialTableModel, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._model = model
        self.quickbooks_entry = button("")
        self.quickbooks_entry.setObjectName("integrationCard")
        self.quickbooks_entry.setIcon(icon)
        self.quickbooks_entry.setIconSize(self.quickbooks_entry.iconSize() * 2.5)
        self.quickbooks_entry.setMinimumHeight(84)
        self.quickbooks_entry.setMaximumWidth(420)
        self.quickbooks_entry.clicked.connect(self.quickbooks_opened)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(label("Integrations", role="title"))
        layout.addWidget(label("The systems qbdesk keeps credentials for. Open one to see and add credentials.", role="subtitle"))
        layout.addSpacing(12)
        layout.addWidget(self.quickbooks_entry)
        layout.addStretch(1)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_count)
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        count = self._model.rowCount()
        self.quickbooks_entry.setText(f"QuickBooks\n{credential_count(count)}")
        self.quickbooks_entry.setAccessibleName(f"QuickBooks, {credential_count(count)}")


class QuickBooksPage(QWidget):
    """QuickBooks Integrations: the Credentials panel with its table and the way to add one."""

    configure_requested = Signal()

    def __init__(self, model: CredentialTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CREATED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for column, width in ((1, 200), (2, 150), (3, 300), (4, 140)):
            self.table.setColumnWidth(column, width)
        self.table.setAccessibleName("Credentials")

        self.configure_button = button("Configure new credentials", primary=True)
        self.configure_button.clicked.connect(self.configure_requested)
        self.empty_message = label(EMPTY_TEXT, role="hint")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.content = QStackedWidget()
        self.content.addWidget(self.empty_message)
        self.content.addWidget(self.table)

        panel = Panel()
        heading = QHBoxLayout()
        heading.addWidget(label("Credentials", role="heading"), 1)
        heading.addWidget(self.configure_button)
        panel.body.addLayout(heading)
        panel.body.addWidget(self.content, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(label("QuickBooks Integrations", role="title"))
        layout.addWidget(label("Credentials that let other tools reach your QuickBooks Online companies.", role="subtitle"))
        layout.addSpacing(8)
        layout.addWidget(panel, 1)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._show_table_or_hint)
        self._show_table_or_hint()

    def set_keys_missing(self, missing: bool) -> None:
        """Say on the empty panel that Settings come first when no destination has keys yet."""
        self.empty_message.setText(EMPTY_TEXT + (KEYS_FIRST_TEXT if missing else ""))

    def _show_table_or_hint(self, *_args: object) -> None:
        self.content.setCurrentWidget(self.table if self.model.rowCount() else self.empty_message)

    def select(self, credential_id: str) -> None:
        """Select and scroll to a credential's row."""
        index = self.proxy.mapFromSource(self.model.index_of(credential_id))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def visible_rows(self) -> list[list[str]]:
        """The table's text as shown, row by row (for checks and screen readers alike)."""
        return [
            [self.proxy.data(self.proxy.index(row, column)) for column in range(self.proxy.columnCount())]
            for row in range(self.proxy.rowCount())
        ]
