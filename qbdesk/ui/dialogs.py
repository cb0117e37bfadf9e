"""Every modal question qbdesk asks goes through here, so tests can answer without a blocking exec()."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

# Texts here often hold what a user typed (a credential's name): never let Qt read them as rich text,
# where a name like <a href=...> would become a link.
PLAIN = Qt.TextFormat.PlainText


def ask(parent: QWidget | None, title: str, text: str, confirm: str, cancel: str | None = None) -> bool:
    """Ask a yes/no question with explicit button words; True when the user confirms."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(PLAIN)
    confirm_button = box.addButton(confirm, QMessageBox.ButtonRole.DestructiveRole)
    keep_button = box.addButton(cancel or QCoreApplication.translate("Dialogs", "Keep"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep_button)
    box.setEscapeButton(keep_button)
    box.exec()
    return box.clickedButton() is confirm_button


def error(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something went wrong and what to do next."""
    error_box(parent, title, text).exec()


def error_box(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """The box error() shows, not yet shown."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(PLAIN)
    return box


def ask_text(
    parent: QWidget | None, title: str, prompt: str, text: str, problem: Callable[[str], str | None]
) -> str | None:
    """Ask for a line of text, re-asking with the reason while problem() finds one; None when cancelled."""
    reason = ""
    while True:
        dialog = text_dialog(parent, title, f"{prompt}\n{reason}".strip(), text)
        ok = dialog.exec() == QInputDialog.DialogCode.Accepted
        value = dialog.textValue()
        dialog.deleteLater()
        if not ok:
            return None
        reason = problem(value) or ""
        if not reason:
            return value
        text = value


def ask_open_path(parent: QWidget | None, title: str, file_filter: str) -> str | None:
    """Ask which file to open; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return path or None


def text_dialog(parent: QWidget | None, title: str, prompt: str, text: str) -> QInputDialog:
    """The dialog ask_text shows, not yet shown: about fifty characters wide, so a long name fits, its prompt wrapped."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(prompt)
    dialog.setTextValue(text)
    field = dialog.findChild(QLineEdit)  # the dialog's layout sizes it to its field
    field.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 50)
    for label in dialog.findChildren(QLabel):
        label.setTextFormat(PLAIN)
        label.setWordWrap(True)
    return dialog


def ask_save_path(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str | None:
    """Ask where to save a file; None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path or None


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user how something ended."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(PLAIN)
    box.exec()


def choose_credentials_to_move(parent: QWidget | None, items: list[tuple[str, str]]) -> tuple[list[str], bool] | None:
    """Which credentials (id, label) go into a move file and whether they leave here; None when cancelled."""
    from qbdesk.ui.transfer_dialogs import MoveDialog

    dialog = MoveDialog(items, parent)
    accepted = dialog.exec() == MoveDialog.DialogCode.Accepted
    result = (dialog.chosen(), dialog.remove_here.isChecked())
    dialog.deleteLater()
    return result if accepted else None


def ask_passphrase(parent: QWidget | None, title: str, prompt: str, confirm: bool,
                   problem: Callable[[str], str | None]) -> str | None:
    """A passphrase (typed twice with confirm, and only one problem() accepts); None when cancelled."""
    from qbdesk.ui.transfer_dialogs import PassphraseDialog

    dialog = PassphraseDialog(title, prompt, confirm, problem, parent)
    accepted = dialog.exec() == PassphraseDialog.DialogCode.Accepted
    passphrase = dialog.passphrase.text()
    dialog.deleteLater()
    return passphrase if accepted else None


def confirm_import(parent: QWidget | None, summary: str, rows: list[str], conflicts: list[str]) -> dict[str, str] | None:
    """Show what a file holds; for each name used here, "skip", "rename" or "replace". None when cancelled."""
    from qbdesk.ui.transfer_dialogs import ImportDialog

    dialog = ImportDialog(summary, rows, conflicts, parent)
    accepted = dialog.exec() == ImportDialog.DialogCode.Accepted
    chosen = dialog.chosen()
    dialog.deleteLater()
    return chosen if accepted else None
