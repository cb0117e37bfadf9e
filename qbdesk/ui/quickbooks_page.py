"""The QuickBooks Integrations page: the Credentials panel with search, filters, table and details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.core.health import State
from qbdesk.ui.credential_model import (
    CREATED,
    CREDENTIAL_ROLE,
    DESTINATION,
    NAME,
    SEARCH_ROLE,
    SORT_ROLE,
    STATE_ROLE,
    STATUS,
    CredentialTableModel,
)
from qbdesk.ui.details_pane import DetailsPane
from qbdesk.ui.widgets import Panel, button, label

EMPTY_TEXT = "No credentials yet. Press \u201cConfigure new credentials\u201d to connect qbdesk to a QuickBooks company."
KEYS_FIRST_TEXT = " First enter your Intuit app's Client ID and Client Secret in Settings (File \u203a Settings\u2026)."
ALL_STATES, ALL_DESTINATIONS = "All states", "All destinations"


def _filter(source, column: int, role: int, parent: QWidget) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(source)
    proxy.setFilterKeyColumn(column)
    proxy.setFilterRole(role)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def _exactly(text: str) -> QRegularExpression:
    return QRegularExpression(f"^{QRegularExpression.escape(text)}$")


class QuickBooksPage(QWidget):
    """Lists credentials; the search box and filters narrow the list, a row shows its details."""

    configure_requested = Signal()
    selection_changed = Signal(object)  # Credential | None

    def __init__(self, model: CredentialTableModel, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.model = model
        # Filters chain in C++ proxies: search text, then state, then destination; the last one sorts.
        self.search_proxy = _filter(model, NAME, SEARCH_ROLE, self)
        self.state_proxy = _filter(self.search_proxy, STATUS, STATE_ROLE, self)
        self.proxy = _filter(self.state_proxy, DESTINATION, Qt.ItemDataRole.DisplayRole, self)
        self.proxy.setSortRole(SORT_ROLE)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, companies and realm ids")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search credentials")
        self.search.textChanged.connect(self.search_proxy.setFilterFixedString)
        self.state_filter = QComboBox()
        self.state_filter.addItems([ALL_STATES, *(s.value for s in State)])
        self.state_filter.setAccessibleName("Show state")
        self.state_filter.currentTextChanged.connect(self._filter_state)
        self.destination_filter = QComboBox()
        self.destination_filter.addItems([ALL_DESTINATIONS, *(d.label for d in Destination)])
        self.destination_filter.setAccessibleName("Show destination")
        self.destination_filter.currentTextChanged.connect(self._filter_destination)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        # Set the order first, then enable sorting: one sort of the list instead of two.
        self.table.horizontalHeader().setSortIndicator(CREATED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        for column, width in ((1, 200), (2, 150), (3, 230), (4, 130)):
            self.table.setColumnWidth(column, width)
        self.table.setAccessibleName("Credentials")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.details = DetailsPane(now)
        self.configure_button = button("Configure new credentials", primary=True)
        self.configure_button.clicked.connect(self.configure_requested)
        self.toolbar = QHBoxLayout()
        self.empty_message = label(EMPTY_TEXT, role="hint")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.destination_filter)
        listing_layout.addLayout(filters)
        listing_layout.addLayout(self.toolbar)
        listing_layout.addWidget(self.table, 1)
        listing_layout.addWidget(self.details)
        self.content = QStackedWidget()
        self.content.addWidget(self.empty_message)
        self.content.addWidget(listing)

        panel = Panel()
        heading = QHBoxLayout()
        heading.addWidget(label("Credentials", role="heading"), 1)
        self.heading_buttons = QHBoxLayout()
        heading.addLayout(self.heading_buttons)
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
        model.dataChanged.connect(self._refresh_details)
        self._show_table_or_hint()

    # --- filters --------------------------------------------------------------------------------

    def _filter_state(self, text: str) -> None:
        self.state_proxy.setFilterRegularExpression(QRegularExpression() if text == ALL_STATES else _exactly(text))

    def _filter_destination(self, text: str) -> None:
        self.proxy.setFilterRegularExpression(QRegularExpression() if text == ALL_DESTINATIONS else _exactly(text))

    # --- selection and details ------------------------------------------------------------------

    def selected(self) -> Credential | None:
        rows = self.table.selectionModel().selectedRows(NAME)
        return rows[0].data(CREDENTIAL_ROLE) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        credential = self.selected()
        self.details.show_credential(credential)
        self.selection_changed.emit(credential)

    def _refresh_details(self, *_args: object) -> None:
        self._selection_changed()

    def set_keys_missing(self, missing: bool) -> None:
        """Say on the empty panel that Settings come first when no destination has keys yet."""
        self.empty_message.setText(EMPTY_TEXT + (KEYS_FIRST_TEXT if missing else ""))

    def _show_table_or_hint(self, *_args: object) -> None:
        self.content.setCurrentIndex(1 if self.model.rowCount() else 0)
        self._selection_changed()

    def select(self, credential_id: str) -> None:
        """Select and scroll to a credential's row."""
        index = self._to_view(self.model.index_of(credential_id))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def _to_view(self, index):
        for proxy in (self.search_proxy, self.state_proxy, self.proxy):
            index = proxy.mapFromSource(index)
        return index

    def visible_rows(self) -> list[list[str]]:
        """The table's text as shown, row by row (for checks and screen readers alike)."""
        return [
            [self.proxy.data(self.proxy.index(row, column)) for column in range(self.proxy.columnCount())]
            for row in range(self.proxy.rowCount())
        ]
