"""The QuickBooks Integrations page: the Credentials panel with search, filters, table and details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import pairwise

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QModelIndex, Qt, Signal
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
from qbdesk.ui.core_words import destination_word, state_word
from qbdesk.ui.credential_model import (
    COMPANY,
    CREATED,
    CREDENTIAL_ROLE,
    DESTINATION,
    NAME,
    STATUS,
    CredentialTableModel,
)
from qbdesk.ui.details_pane import DetailsPane
from qbdesk.ui.glossary import meaning
from qbdesk.ui.widgets import FlowLayout, Panel, Scrolling, button, label

EMPTY_TEXT = QT_TRANSLATE_NOOP(
    "QuickBooksPage",
    "No credentials yet. Press \u201cConfigure new credentials\u201d to connect qbdesk to a QuickBooks company.",
)
KEYS_FIRST_TEXT = QT_TRANSLATE_NOOP("QuickBooksPage", " First set up your Intuit app's keys (File \u203a Set up Intuit app\u2026).")
NO_MATCH_TEXT = QT_TRANSLATE_NOOP(
    "QuickBooksPage", "No credentials match your search. Clear the search box or the filters to see them all."
)
ALL_STATES = QT_TRANSLATE_NOOP("QuickBooksPage", "All states")
ALL_DESTINATIONS = QT_TRANSLATE_NOOP("QuickBooksPage", "All destinations")
STATE_CHOICES: tuple[State | None, ...] = (None, *State)  # the state filter's entries, in order
DESTINATION_CHOICES: tuple[Destination | None, ...] = (None, *Destination)


class QuickBooksPage(QWidget):
    """Lists credentials; the search box and filters narrow the list, a row shows its details."""

    configure_requested = Signal()
    selection_changed = Signal(object)  # Credential | None

    def __init__(self, model: CredentialTableModel, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.model = model
        self.search, self.state_filter, self.destination_filter = self._build_filters()
        self.table = self._build_table()
        self.details = DetailsPane(now)
        self.configure_button = button(self.tr("Configure ne&w credentials"), primary=True)
        self.configure_button.clicked.connect(self.configure_requested)
        self.toolbar = FlowLayout()  # CredentialActions adds its buttons here; they wrap when the window is narrow
        self.empty_message = label(self.tr(EMPTY_TEXT), role="hint")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match_message = label(self.tr(NO_MATCH_TEXT), role="hint")
        self.no_match_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.results = QStackedWidget()  # the table, or the message saying nothing matches
        self.results.addWidget(self.table)
        self.results.addWidget(self.no_match_message)
        self.content = QStackedWidget()  # the hint for an empty list, or the listing
        self.content.addWidget(self.empty_message)
        self.content.addWidget(self._build_listing())
        self.heading_buttons = FlowLayout()  # the window adds Audit log and Test all here; they wrap when narrow
        self._build_layout()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged, model.count_changed):
            signal.connect(self._show_table_or_hint)
        model.layoutChanged.connect(self._scroll_to_selected)
        model.dataChanged.connect(self._refresh_details)
        self._show_table_or_hint()

    def _build_filters(self) -> tuple[QLineEdit, QComboBox, QComboBox]:
        """The search box and the state and destination filters, each narrowing the model as it changes."""
        model = self.model
        search = QLineEdit()
        search.setPlaceholderText(self.tr("Search names, companies and realm ids"))
        search.setClearButtonEnabled(True)
        search.setAccessibleName(self.tr("Search credentials"))
        search.setToolTip(self.tr("Realm id: {meaning}").format(meaning=meaning("Realm id")))
        search.textChanged.connect(model.set_search)
        state_filter = QComboBox()
        state_filter.addItems([self.tr(ALL_STATES), *(state_word(s) for s in State)])
        state_filter.setAccessibleName(self.tr("Show state"))
        offline = STATE_CHOICES.index(State.OFFLINE)
        state_filter.setItemData(offline, meaning(State.OFFLINE.value), Qt.ItemDataRole.ToolTipRole)
        state_filter.currentIndexChanged.connect(lambda choice: model.set_state(STATE_CHOICES[choice]))
        destination_filter = QComboBox()
        destination_filter.addItems([self.tr(ALL_DESTINATIONS), *(destination_word(d) for d in Destination)])
        destination_filter.setAccessibleName(self.tr("Show destination"))
        destination_filter.currentIndexChanged.connect(
            lambda choice: model.set_destination(DESTINATION_CHOICES[choice])
        )
        QShortcut(QKeySequence.StandardKey.Find, self, activated=search.setFocus).setWhatsThis(
            self.tr("Search names, companies and realm ids"))
        return search, state_filter, destination_filter

    def _build_table(self) -> QTableView:
        """The credentials table: whole rows, one at a time, sorted newest first, read-only."""
        table = QTableView()
        table.setModel(self.model)
        # Set the order first, then enable sorting: the model starts in this order, so nothing is sorted again.
        table.horizontalHeader().setSortIndicator(CREATED, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(table.fontMetrics().averageCharWidth() * 6)
        # Wide enough for what the columns usually hold at the font in use; longer text elides, tooltip in full.
        metrics, padding = table.fontMetrics(), table.fontMetrics().averageCharWidth() * 3
        samples = {DESTINATION: max((d.label for d in Destination), key=metrics.horizontalAdvance),
                   COMPANY: "9130354567891234567", STATUS: "Needs reconnect \u00b7 until 00:00",
                   CREATED: "2026-12-31 23:59"}
        self._wanted_widths = {
            column: metrics.horizontalAdvance(sample) + padding + (metrics.height() if column == STATUS else 0)
            for column, sample in samples.items()  # the status column has the state's icon too
        }
        table.setMinimumHeight(metrics.height() * 6)  # the header and a few rows, however large the text
        table.viewport().installEventFilter(self)
        table.setAccessibleName(self.tr("Credentials"))
        table.setTabKeyNavigation(False)  # arrows move between rows; Tab goes on to the next control
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        return table

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns(event.size().width())
        return super().eventFilter(watched, event)

    def _fit_columns(self, room: int) -> None:
        """Give the other columns their wanted widths, narrowed alike when that would leave Name under a third."""
        wanted = sum(self._wanted_widths.values())
        share = min(1.0, room * 2 / 3 / wanted) if wanted else 1.0
        for column, width in self._wanted_widths.items():
            self.table.setColumnWidth(column, int(width * share))

    def _build_listing(self) -> QWidget:
        """Filters, the action buttons, the results and the selected credential's details, top to bottom."""
        listing = QWidget()
        listing_layout = QVBoxLayout(listing)
        listing_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.destination_filter)
        listing_layout.addLayout(filters)
        listing_layout.addLayout(self.toolbar)
        listing_layout.addWidget(self.results, 1)
        listing_layout.addWidget(Scrolling(self.details))
        return listing

    def _build_layout(self) -> None:
        """The page's title over the Credentials panel, whose heading holds the page's buttons."""
        panel = Panel()
        heading = QHBoxLayout()
        heading.addWidget(label(self.tr("Credentials"), role="heading"), 1)
        heading.addLayout(self.heading_buttons)
        heading.addWidget(self.configure_button)
        panel.body.addLayout(heading)
        panel.body.addWidget(self.content, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(label(self.tr("QuickBooks Integrations"), role="title"))
        layout.addWidget(label(self.tr("Credentials that let other tools reach your QuickBooks Online companies."), role="subtitle"))
        layout.addSpacing(8)
        layout.addWidget(panel, 1)

    def follow_reading_order(self) -> None:
        """Make Tab go as one reads: the heading's buttons, search and filters, the action buttons, the list."""
        def widgets(layout) -> list[QWidget]:
            return [item.widget() for item in (layout.itemAt(i) for i in range(layout.count())) if item.widget()]

        chain = [*widgets(self.heading_buttons), self.configure_button, self.search, self.state_filter,
                 self.destination_filter, *widgets(self.toolbar), self.table]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    # --- selection and details ------------------------------------------------------------------

    def selected(self) -> Credential | None:
        rows = self.table.selectionModel().selectedRows(NAME)
        return rows[0].data(CREDENTIAL_ROLE) if rows else None

    def _selection_changed(self, *_args: object) -> None:
        credential = self.selected()
        self.details.show_credential(credential)
        self.selection_changed.emit(credential)

    def _refresh_details(self, first: QModelIndex, last: QModelIndex, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows(NAME)
        if rows and first.row() <= rows[0].row() <= last.row():  # only when the selected credential changed
            self._selection_changed()

    def _scroll_to_selected(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows(NAME)
        if rows:
            self.table.scrollTo(rows[0])

    def set_keys_missing(self, missing: bool) -> None:
        """Say on the empty panel that Settings come first when no destination has keys yet."""
        self.empty_message.setText(self.tr(EMPTY_TEXT) + (self.tr(KEYS_FIRST_TEXT) if missing else ""))

    def _show_table_or_hint(self, *_args: object) -> None:
        """The hint when there are no credentials at all; the no-match message when the search hides them all."""
        self.content.setCurrentIndex(1 if self.model.total() else 0)
        self.results.setCurrentWidget(self.table if self.model.rowCount() else self.no_match_message)
        self._selection_changed()

    def select(self, credential_id: str) -> None:
        """Select and scroll to a credential's row, clearing the search and filters when they hide it."""
        index = self.model.index_of(credential_id)
        if not index.isValid():
            self.search.clear()
            self.state_filter.setCurrentIndex(0)
            self.destination_filter.setCurrentIndex(0)
            index = self.model.index_of(credential_id)
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def visible_rows(self) -> list[list[str]]:
        """The table's text as shown, row by row (for checks and screen readers alike)."""
        model = self.model
        return [
            [model.data(model.index(row, column)) for column in range(model.columnCount())]
            for row in range(model.rowCount())
        ]
