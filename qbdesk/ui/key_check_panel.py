"""A row that checks an Intuit app's keys off the GUI thread: a busy bar while Intuit is asked, then the verdict."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QProgressBar, QVBoxLayout, QWidget

from qbdesk.core.problems import NextStep
from qbdesk.services.key_check import KeyCheck, KeyVerdict, check_keys
from qbdesk.store.settings import IntuitApp
from qbdesk.ui.widgets import label
from qbdesk.ui.workers import Worker, run_in_background


class KeyCheckPanel(QWidget):
    """Runs one key check at a time and shows its verdict; emits finished(KeyCheck) on the GUI thread."""

    finished = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._worker: Worker | None = None
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.setAccessibleName(self.tr("Checking the keys with Intuit"))
        self.progress.hide()
        self.result = label(role="hint")
        self.result.setAccessibleName(self.tr("Result of the key check"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)

    @property
    def running(self) -> bool:
        return self._worker is not None

    def start(self, app: IntuitApp, client_secret: str) -> None:
        """Ask Intuit about these keys in the background (nothing is saved)."""
        if self._worker is not None:
            return
        self.progress.show()
        self._show(self.tr("Asking Intuit whether it knows these keys\u2026"), "hint")
        self._worker = run_in_background(lambda: check_keys(app, client_secret), self._done, self._failed)

    def clear(self) -> None:
        if self._worker is None:
            self._show("", "hint")

    def _done(self, result: KeyCheck) -> None:
        self._worker = None
        self.progress.hide()
        self._show(self.verdict_text(result), "" if result.accepted else "problem")
        self.finished.emit(result)

    def _failed(self, error: Exception) -> None:
        self._done(KeyCheck(KeyVerdict.UNEXPECTED, str(error) or type(error).__name__, NextStep.SEE_LOG))

    def verdict_text(self, result: KeyCheck) -> str:
        """The verdict in a few plain words, then the cause and what to do."""
        headline = {
            KeyVerdict.ACCEPTED: self.tr("Keys accepted."),
            KeyVerdict.WRONG_KEYS: self.tr("Wrong Client ID or Client Secret."),
            KeyVerdict.UNREACHABLE: self.tr("Intuit could not be reached."),
            KeyVerdict.BAD_DISCOVERY: self.tr("The discovery document is wrong."),
            KeyVerdict.UNEXPECTED: self.tr("The keys could not be checked."),
        }[result.verdict]
        advice = {
            KeyVerdict.ACCEPTED: self.tr("Intuit knows this Client ID and Client Secret."),
            KeyVerdict.WRONG_KEYS: self.tr(
                "Copy both again from your app's Keys & credentials page at Intuit (development keys for "
                "Sandbox Mode, production keys for QuickBooks)."
            ),
            KeyVerdict.UNREACHABLE: self.tr("Check your internet connection, then check again."),
            KeyVerdict.BAD_DISCOVERY: self.tr(
                "Empty the Discovery document URL in Settings to use Intuit's own, or correct it."
            ),
            KeyVerdict.UNEXPECTED: self.tr("Check the addresses in Settings, or try again later."),
        }[result.verdict]
        cause = "" if result.accepted else result.cause  # the advice says it in the window's words
        return " ".join(part for part in (headline, cause, advice) if part)

    def _show(self, text: str, role: str) -> None:
        self.result.setText(text)
        self.result.setProperty("role", role)
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
