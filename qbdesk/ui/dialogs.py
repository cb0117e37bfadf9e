"""Every modal question qbdesk asks goes through here, so tests can answer without a blocking exec()."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask(parent: QWidget | None, title: str, text: str, confirm: str, cancel: str = "Keep") -> bool:
    """Ask a yes/no question with explicit button words; True when the user confirms."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    confirm_button = box.addButton(confirm, QMessageBox.ButtonRole.DestructiveRole)
    keep_button = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep_button)
    box.setEscapeButton(keep_button)
    box.exec()
    return box.clickedButton() is confirm_button


def error(parent: QWidget | None, title: str, text: str) -> None:
    """Tell the user something went wrong and what to do next."""
    QMessageBox.critical(parent, title, text)
