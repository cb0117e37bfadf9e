"""The audit log viewer: every event with time and credential, newest first, exportable to CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qbdesk.services.audit import AuditTrail
from qbdesk.ui import dialogs
from qbdesk.ui.credential_model import local_time
from qbdesk.ui.widgets import button, fitting_size, label, plain_tooltip

HEADERS = (  # translated when shown
    QT_TRANSLATE_NOOP("AuditDialog", "Time"), QT_TRANSLATE_NOOP("AuditDialog", "Credential"),
    QT_TRANSLATE_NOOP("AuditDialog", "Event"), QT_TRANSLATE_NOOP("AuditDialog", "Detail"),
)


class AuditDialog(QDialog):
    """Shows the audit log; Export CSV writes it where the user says."""

    def __init__(self, audit: AuditTrail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit log"))
        self._audit = audit
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels([self.tr(header) for header in HEADERS])
        for event in audit.events():
            row = [local_time(event.at), event.credential_name, event.event.replace("_", " "), event.detail]
            self.model.appendRow([self._cell(text) for text in row])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # arrows move between rows; Tab goes on to Export CSV
        self.table.setAccessibleName(self.tr("Audit log events"))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        em = self.table.fontMetrics().averageCharWidth()  # widths in characters: they follow the font
        for column, characters in enumerate((19, 26, 14)):
            self.table.setColumnWidth(column, em * characters)
        for column in (0, 2):  # wider when need be, so a time or an event never breaks in two
            self.table.setColumnWidth(column, max(self.table.columnWidth(column), self.table.sizeHintForColumn(column) + em))
        self.resize(fitting_size(self, QSize(em * 125, self.fontMetrics().height() * 24)))
        self.export_button = button(self.tr("&Export CSV\u2026"))
        self.export_button.clicked.connect(self.export)
        self.outcome = label(role="hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("What happened to your credentials, newest first. Secrets are never recorded."), role="hint"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.outcome)
        row = QHBoxLayout()  # Export beside the box, not in it: the box would put Close first for Tab
        row.addWidget(self.export_button)
        row.addWidget(buttons, 1)
        layout.addLayout(row)

    @staticmethod
    def _cell(text: str) -> QStandardItem:
        """A cell that shows its whole text as a tooltip, for when the column elides it."""
        item = QStandardItem(text)
        item.setToolTip(plain_tooltip(text) or "")
        return item

    def export(self) -> None:
        path = dialogs.ask_save_path(self, self.tr("Export the audit log"), "qbdesk-audit.csv", self.tr("CSV files (*.csv)"))
        if not path:
            return
        try:
            Path(path).write_text(self._audit.csv(), encoding="utf-8", newline="")
        except OSError as exc:
            self.outcome.setText(self.tr("Could not write {path}: {reason}. Choose another folder.").format(
                path=path, reason=exc.strerror or exc))
            return
        self.outcome.setText(self.tr("Saved {count} events to {path}.").format(count=self.model.rowCount(), path=path))
