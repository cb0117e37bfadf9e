"""The dialogs of a move to another computer: which credentials, the passphrase, and what an import does.

Shown only through qbdesk/ui/dialogs.py, so tests answer them without a blocking exec().
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qbdesk.ui.widgets import ElidingLabel

PLAIN = Qt.TextFormat.PlainText


def _label(text: str) -> QLabel:
    shown = QLabel(text)
    shown.setTextFormat(PLAIN)  # names come from users and from files
    shown.setWordWrap(True)
    return shown


def _buttons(dialog: QDialog, accept_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(accept_text)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class MoveDialog(QDialog):
    """Which credentials go into the file, and whether they leave this computer."""

    def __init__(self, items: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Move credentials to another computer"))
        layout = QVBoxLayout(self)
        layout.addWidget(_label(self.tr(
            "qbdesk saves the chosen credentials with their tokens in one file locked with a passphrase. "
            "On the other computer, set up the same Intuit app keys, then use File \u203a Import credentials."
        )))
        self.credential_list = QListWidget()
        self.credential_list.setAccessibleName(self.tr("Credentials to move"))
        for credential_id, text in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, credential_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.credential_list.addItem(item)
        layout.addWidget(self.credential_list, 1)
        self.remove_here = QCheckBox(self.tr("&Remove them from this computer (recommended)"))
        self.remove_here.setChecked(True)
        why = _label(self.tr(
            "Once the file is saved. Intuit's tokens work on one computer at a time. They are not revoked, "
            "only removed here."
        ))  # a short checkbox and a hint that wraps: room for longer languages and large text
        why.setProperty("role", "hint")
        self.remove_here.setToolTip(why.text())
        self.remove_here.setAccessibleDescription(why.text())
        layout.addWidget(self.remove_here)
        layout.addWidget(why)
        self.buttons = _buttons(self, self.tr("&Choose file\u2026"))
        layout.addWidget(self.buttons)
        self.credential_list.itemChanged.connect(self._update)
        self.resize(520, 420)

    def chosen(self) -> list[str]:
        items = (self.credential_list.item(row) for row in range(self.credential_list.count()))
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.chosen()))


class PassphraseDialog(QDialog):
    """A passphrase, typed twice when it will lock a file; OK only while problem() finds nothing wrong."""

    def __init__(self, title: str, prompt: str, confirm: bool, problem: Callable[[str], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._problem = problem
        layout = QVBoxLayout(self)
        layout.addWidget(_label(prompt))
        form = QFormLayout()
        self.passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        form.addRow(self.tr("&Passphrase:"), self.passphrase)
        self.again = QLineEdit(echoMode=QLineEdit.EchoMode.Password) if confirm else None
        if self.again is not None:
            form.addRow(self.tr("&Type it again:"), self.again)
            self.again.textChanged.connect(self._update)
        for row in range(form.rowCount()):
            shown = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            if isinstance(shown, QLabel):
                shown.setBuddy(form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget())
        layout.addLayout(form)
        self.reason = _label("")
        self.reason.setAccessibleName(self.tr("Passphrase problem"))
        layout.addWidget(self.reason)
        self.buttons = _buttons(self, self.tr("&OK"))
        layout.addWidget(self.buttons)
        self.passphrase.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(420)

    def problem(self) -> str | None:
        text = self.passphrase.text()
        if not text:
            return self.tr("Type the passphrase.")
        if self.again is not None:
            reason = self._problem(text)
            if reason:
                return reason
            if self.again.text() != text:
                return self.tr("Type the same passphrase twice.")
        return None

    def _update(self) -> None:
        reason = self.problem()
        self.reason.setText(reason or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(reason is None)


class ImportDialog(QDialog):
    """What the file holds, and for each name already used here whether to skip, rename or replace it."""

    CHOICES = ("skip", "rename", "replace")

    def __init__(self, summary: str, rows: list[str], conflicts: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import credentials"))
        layout = QVBoxLayout(self)
        layout.addWidget(_label(summary))
        shown = QListWidget()
        shown.setAccessibleName(self.tr("Credentials in the file"))
        shown.addItems(rows)
        layout.addWidget(shown, 1)
        self.choices: dict[str, QComboBox] = {}
        if conflicts:
            layout.addWidget(_label(self.tr("These names are already used here. Choose what to do with each:")))
            words = (self.tr("Skip it"), self.tr("Import it under a new name"), self.tr("Replace the one here"))
            for name in conflicts:
                combo = QComboBox()
                combo.addItems(list(words))
                combo.setCurrentIndex(1)
                combo.setAccessibleName(name)
                shown_name = ElidingLabel(name)  # a long name ends in "…", whole in its tooltip
                shown_name.setBuddy(combo)
                layout.addWidget(shown_name)  # each name above its choice, the dialog's width for it: a long name
                layout.addWidget(combo)  # beside the choice was squeezed to nothing at large text
                self.choices[name] = combo
        layout.addWidget(_buttons(self, self.tr("&Import")))
        self.resize(520, 420)

    def chosen(self) -> dict[str, str]:
        return {name: self.CHOICES[combo.currentIndex()] for name, combo in self.choices.items()}
