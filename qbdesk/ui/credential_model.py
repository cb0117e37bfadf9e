"""The credentials table: one Qt model that searches, filters and sorts the Credential list itself.

The work happens in qbdesk.core.listing on plain Python lists; Qt asks data() only for the cells on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon

from qbdesk.core.credential import Credential, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.health import State, expiry_warning, state_of
from qbdesk.core.listing import Column, Listing, Move, Order, cell_text, needle
from qbdesk.core.listing import local_time as local_time  # the pages format times with it too
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.widgets import plain_tooltip

COLUMNS = (  # translated when shown
    QT_TRANSLATE_NOOP("CredentialTableModel", "Name"), QT_TRANSLATE_NOOP("CredentialTableModel", "Destination"),
    QT_TRANSLATE_NOOP("CredentialTableModel", "Company"), QT_TRANSLATE_NOOP("CredentialTableModel", "Status"),
    QT_TRANSLATE_NOOP("CredentialTableModel", "Created"),
)
NAME, DESTINATION, COMPANY, STATUS, CREATED = Column
CREDENTIAL_ROLE = Qt.ItemDataRole.UserRole + 1
# QStyle's standard pixmaps by name: importing QStyle builds a dozen large enums, which the first frame can do without.
# (cli/report.py maps the same states to its JSON words: each front end shows a state its own way.)
STATE_ICONS = {
    State.CONNECTED: "SP_DialogApplyButton",
    State.INCOMPLETE: "SP_MessageBoxInformation",
    State.NEEDS_RECONNECT: "SP_MessageBoxCritical",
    State.OFFLINE: "SP_MessageBoxQuestion",
}
WARNING_ICON = "SP_MessageBoxWarning"
TELL_CHANGES_EVERY_MS = 100  # after a change is told, rows changed in place are told together at most this often

Index = QModelIndex | QPersistentModelIndex


class CredentialTableModel(QAbstractTableModel):
    """The credentials the search and filters let through, in the order of the column last sorted by.

    Starts sorted by Created, newest first. credentials() and total() count every credential, shown or not.
    """

    count_changed = Signal(int)  # how many credentials exist, shown or not

    def __init__(
        self, credentials: list[Credential], now: Callable[[], datetime], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._listing = Listing(credentials, now)
        self._icons: dict[str, QIcon] = {}
        self._untold: tuple[int, int] | None = None  # rows changed in place that the view has not been told of
        self._tell_timer = QTimer(self)
        self._tell_timer.setSingleShot(True)
        self._tell_timer.setInterval(TELL_CHANGES_EVERY_MS)
        self._tell_timer.timeout.connect(self._tell_untold)

    # --- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._listing.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        credential = self._listing.rows[index.row()].credential
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(credential, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return self._status_icon(credential)
        if role == CREDENTIAL_ROLE:
            return credential
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole cell, which a narrow column elides, and what it means
            lines = (self._cell(credential, column), self._tooltip(credential, column))
            return plain_tooltip("\n".join(line for line in lines if line))
        return None

    def _cell(self, credential: Credential, column: Column) -> str:
        """A cell's text; the destination in the user's language (names, ids and times are as they are)."""
        if column == DESTINATION:
            return destination_word(credential.destination)
        return cell_text(credential, column, self._now())

    def _status_icon(self, credential: Credential) -> QIcon:
        now = self._now()
        name = WARNING_ICON if expiry_warning(credential, now) else STATE_ICONS[state_of(credential, now)]
        if name not in self._icons:
            from PySide6.QtWidgets import QApplication, QStyle

            self._icons[name] = QApplication.style().standardIcon(getattr(QStyle.StandardPixmap, name))
        return self._icons[name]

    def _tooltip(self, credential: Credential, column: Column) -> str | None:
        if column == COMPANY:
            return credential.company_name
        if column == STATUS:
            if credential.status is Status.PENDING and credential.pending_expires_at is not None:
                until = credential.pending_expires_at.astimezone().strftime("%H:%M")
                return self.tr("Sign-in has not finished; the credential is removed at {time} unless it does.").format(time=until)
            from qbdesk.ui.wording import attention  # here, not above: the first frame has no use for it

            now = self._now()
            return expiry_warning(credential, now) or attention(credential, state_of(credential, now))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Called by the view when sorting is on: reorder every credential, then filter as before."""
        wanted = Order(Column(column), order == Qt.SortOrder.DescendingOrder)
        if wanted != self._listing.order:
            self._relayout(lambda: self._listing.sort(wanted))

    # --- search and filters ---------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show the credentials whose name, company or realm id contains `text` (any case)."""
        self._filter(needle=needle(text))

    def set_state(self, state: State | None) -> None:
        """Show only credentials in this state; None shows every state."""
        self._filter(state=state)

    def set_destination(self, destination: Destination | None) -> None:
        """Show only credentials for this destination; None shows both."""
        self._filter(destination=destination)

    def _filter(self, **changes: object) -> None:
        wanted = replace(self._listing.filter, **changes)
        if wanted != self._listing.filter:
            self._relayout(lambda: self._listing.refilter(wanted))

    def _relayout(self, change: Callable[[], None]) -> None:
        """Make a change that reorders, hides or shows rows; the selection follows its credentials."""
        self._tell_untold()  # while its row numbers still hold
        self.layoutAboutToBeChanged.emit()
        held = [(index, self._listing.rows[index.row()].credential.id) for index in self.persistentIndexList()]
        change()
        for index, credential_id in held:
            row = self._listing.row_of(credential_id)
            self.changePersistentIndex(index, QModelIndex() if row is None else self.index(row, index.column()))
        self.layoutChanged.emit()

    # --- changes from the services --------------------------------------------------------------

    def add(self, credential: Credential) -> None:
        """Add a credential, or replace the one with its id: in its sorted place, shown if the filters let it."""
        self._apply(self._listing.put(credential))

    def update(self, credential: Credential) -> None:
        """Like add(); but when a change was told lately and this one stays in its row, the view hears of it later.

        Test all changes every credential within seconds: a repaint, details and actions refresh for each would
        keep the GUI thread busy. The list's content is always current (what the actions read), a row a view holds
        on to (the selected one, whose details are shown) is told at once; only the view's notice of other rows
        changed in place waits, and comes once per TELL_CHANGES_EVERY_MS.
        """
        move = self._listing.put(credential)
        row = move.before
        if not self._tell_timer.isActive() or row is None or row != move.after or self._held(row):
            self._apply(move)
            self._tell_timer.start()
            return
        move.apply()
        first, last = self._untold or (row, row)
        self._untold = (min(first, row), max(last, row))

    def _held(self, row: int) -> bool:
        """True when a view holds on to the row (the selection, the current row): the details show it."""
        return any(index.row() == row for index in self.persistentIndexList())

    def _tell_untold(self) -> None:
        """Tell the view of the rows changed in place since it last heard (one dataChanged over their span)."""
        if self._untold is None:
            return  # a quiet interval: the next change is told at once
        (first, last), self._untold = self._untold, None
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self._tell_timer.start()

    def remove(self, credential_id: str) -> None:
        move = self._listing.drop(credential_id)
        if move is not None:
            self._apply(move)

    def _apply(self, move: Move) -> None:
        """Make one credential's change, telling the view which row appears, goes, moves or changes."""
        if move.before != move.after:
            self._tell_untold()  # while its row numbers still hold
        total = self._listing.total()
        before, after, root = move.before, move.after, QModelIndex()
        if before is None and after is None:
            move.apply()
        elif before is None:
            self.beginInsertRows(root, after, after)
            move.apply()
            self.endInsertRows()
        elif after is None:
            self.beginRemoveRows(root, before, before)
            move.apply()
            self.endRemoveRows()
        else:
            moving = before != after
            if moving:
                self.beginMoveRows(root, before, before, root, after + 1 if after > before else after)
            move.apply()
            if moving:
                self.endMoveRows()
            self.dataChanged.emit(self.index(after, 0), self.index(after, len(COLUMNS) - 1))
        if self._listing.total() != total:
            self.count_changed.emit(self._listing.total())

    # --- reading --------------------------------------------------------------------------------

    def index_of(self, credential_id: str) -> QModelIndex:
        """The Name cell showing a credential; invalid when the search or a filter hides it."""
        row = self._listing.row_of(credential_id)
        return QModelIndex() if row is None else self.index(row, NAME)

    def credentials(self) -> list[Credential]:
        """Every credential, shown or not."""
        return self._listing.credentials()

    def total(self) -> int:
        """How many credentials exist, shown or not."""
        return self._listing.total()
