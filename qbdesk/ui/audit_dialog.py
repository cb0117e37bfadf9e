"""The audit log viewer: every event with time and credential, newest first, exportable to CSV."""

from __future__ import annotations

from pathlib import Path

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
from qbdesk.ui.widgets import button, label

HEADERS = ("Time", "Credential", "Event", "Detail")


class AuditDialog(QDialog):
    """Shows the audit log; Export CSV writes it where the user says."""

    def __init__(self, audit: AuditTrail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit log")
        self.resize(860, 520)
        self._audit = audit
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        for event in audit.events():
            row = [local_time(event.at), event.credential_name, event.event.replace("_", " "), event.detail]
            self.model.appendRow([QStandardItem(text) for text in row])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # arrows move between rows; Tab goes on to Export CSV
        self.table.setAccessibleName(self.tr("Audit log events"))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(1, 200)
        self.table.setColumnWidth(2, 140)
        self.export_button = button(self.tr("&Export CSV\u2026"))
        self.export_button.clicked.connect(self.export)
        self.outcome = label(role="hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label("What happened to your credentials, newest first. Secrets are never recorded.", role="hint"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.outcome)
        row = QHBoxLayout()  # Export beside the box, not in it: the box would put Close first for Tab
        row.addWidget(self.export_button)
        row.addWidget(buttons, 1)
        layout.addLayout(row)

    def export(self) -> None:
        path = dialogs.ask_save_path(self, "Export the audit log", "qbdesk-audit.csv", "CSV files (*.csv)")
        if not path:
            return
        try:
            Path(path).write_text(self._audit.csv(), encoding="utf-8", newline="")
        except OSError as exc:
            self.outcome.setText(f"Could not write {path}: {exc.strerror or exc}. Choose another folder.")
            return
        self.outcome.setText(f"Saved {self.model.rowCount()} events to {path}.")
