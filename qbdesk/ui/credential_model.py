"""The credentials table: a Qt model over the plain Credential list, updated from service events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QStyle

from qbdesk.core.credential import Credential, Status
from qbdesk.core.health import State, expiry_warning, state_of

COLUMNS = ("Name", "Destination", "Company", "Status", "Created")
NAME, DESTINATION, COMPANY, STATUS, CREATED = range(len(COLUMNS))
SORT_ROLE = Qt.ItemDataRole.UserRole
CREDENTIAL_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2  # the State's label, for the state filter
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # name, company and realm id in one string, for the search box
STATE_ICONS = {
    State.CONNECTED: QStyle.StandardPixmap.SP_DialogApplyButton,
    State.INCOMPLETE: QStyle.StandardPixmap.SP_MessageBoxInformation,
    State.NEEDS_RECONNECT: QStyle.StandardPixmap.SP_MessageBoxCritical,
    State.OFFLINE: QStyle.StandardPixmap.SP_MessageBoxQuestion,
}

Index = QModelIndex | QPersistentModelIndex


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def status_text(credential: Credential, now: datetime) -> str:
    """The Status column: the state in words, with a nudge when trouble is near."""
    state = state_of(credential, now)
    if state is State.INCOMPLETE and credential.pending_expires_at is not None:
        return f"Incomplete \u00b7 until {credential.pending_expires_at.astimezone().strftime('%H:%M')}"
    if state is State.CONNECTED and expiry_warning(credential, now):
        return "Connected \u00b7 reconnect soon"
    return state.value


class CredentialTableModel(QAbstractTableModel):
    """One row per credential, in the order they arrived; sorting and filtering sit in a proxy above."""

    def __init__(
        self, credentials: list[Credential], now: Callable[[], datetime], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._rows: list[Credential] = list(credentials)
        self._row_of: dict[str, int] = {c.id: i for i, c in enumerate(self._rows)}

    # --- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        credential = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(credential, column)
        if role == SEARCH_ROLE:
            return f"{credential.name}\n{credential.realm_id or ''}\n{credential.company_name or ''}"
        if role == STATE_ROLE:
            return state_of(credential, self._now()).value
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            icon = STATE_ICONS[state_of(credential, self._now())]
            if expiry_warning(credential, self._now()):
                icon = QStyle.StandardPixmap.SP_MessageBoxWarning
            return QApplication.style().standardIcon(icon)
        if role == SORT_ROLE:
            if column == CREATED:
                return credential.created_at.timestamp()
            return (self._display(credential, column) or "").casefold()
        if role == CREDENTIAL_ROLE:
            return credential
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(credential, column)
        return None

    def _tooltip(self, credential: Credential, column: int) -> str | None:
        if column == NAME:
            return credential.name
        if column == COMPANY:
            return credential.company_name
        if column == STATUS:
            if credential.status is Status.PENDING and credential.pending_expires_at is not None:
                until = credential.pending_expires_at.astimezone().strftime("%H:%M")
                return f"Sign-in has not finished; the credential is removed at {until} unless it does."
            return expiry_warning(credential, self._now()) or credential.health_detail
        return None

    def _display(self, credential: Credential, column: int) -> str | None:
        if column == NAME:
            return credential.display_name
        if column == DESTINATION:
            return credential.destination.label
        if column == COMPANY:
            return credential.realm_id or "\u2014"
        if column == STATUS:
            return status_text(credential, self._now())
        return local_time(credential.created_at)

    # --- changes from the services --------------------------------------------------------------

    def add(self, credential: Credential) -> None:
        if credential.id in self._row_of:
            self.update(credential)
            return
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(credential)
        self._row_of[credential.id] = row
        self.endInsertRows()

    def update(self, credential: Credential) -> None:
        row = self._row_of.get(credential.id)
        if row is None:
            self.add(credential)
            return
        self._rows[row] = credential
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def remove(self, credential_id: str) -> None:
        row = self._row_of.get(credential_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._row_of = {c.id: i for i, c in enumerate(self._rows)}
        self.endRemoveRows()

    def index_of(self, credential_id: str) -> QModelIndex:
        row = self._row_of.get(credential_id)
        return QModelIndex() if row is None else self.index(row, NAME)

    def credentials(self) -> list[Credential]:
        return list(self._rows)
