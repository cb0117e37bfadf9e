"""The banners above the pages: where secrets are kept (or that the keychain is locked), and a managed setup file
that could not be used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from qbdesk.ui.glossary import explain_term
from qbdesk.ui.widgets import Panel, button, label

if TYPE_CHECKING:
    from qbdesk.services.context import AppContext
    from qbdesk.ui.keychain_watch import KeychainWatch


class WindowBanners(QWidget):
    """Warnings that concern the whole window, each hidden until there is something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 10, 24, 0)
        self.vault = Panel("warning")
        self.vault_message = label()
        explain_term(self.vault_message, "Keychain")
        self.vault.body.addWidget(self.vault_message)
        self.settings_button = button(self.tr("Open &Settings"))
        self.vault.body.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retry_button = button(self.tr("Tr&y again now"))
        self.vault.body.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.vault.hide()
        layout.addWidget(self.vault)
        self.managed = Panel("warning")  # the organisation's setup file could not be used
        self.managed_message = label()
        self.managed.body.addWidget(self.managed_message)
        self.managed.hide()
        layout.addWidget(self.managed)
        self.keychain_watch: KeychainWatch | None = None

    def watch_keychain(self, context: AppContext) -> None:
        """Learn at once whether the keychain answers, and keep the banner in step with it."""
        from qbdesk.ui.keychain_watch import KeychainWatch

        self.keychain_watch = KeychainWatch(context.vault, self)
        self.keychain_watch.locked_changed.connect(lambda _locked: self.show_vault(context))
        self.retry_button.clicked.connect(self.keychain_watch.check)
        self.keychain_watch.check()
        self.show_vault(context)

    def show_vault(self, context: AppContext) -> None:
        """Say where secrets are kept when it is less safe than a keychain, or that the keychain is locked."""
        vault = context.vault.current
        reason = getattr(vault, "reason", None)
        locked = context.vault.locked
        if locked:
            from qbdesk.services.keychain_state import KEYCHAIN_LOCKED_MESSAGE

            self.vault_message.setText(
                self.tr("{message} qbdesk tries again every few seconds.").format(message=KEYCHAIN_LOCKED_MESSAGE))
        elif reason:
            self.vault_message.setText(reason)
        elif vault.less_safe and not context.demo:
            self.vault_message.setText(self.tr(
                "Secrets are stored in {place}: anyone who can read your files can read them."
            ).format(place=vault.description))
        self.retry_button.setVisible(locked)
        self.settings_button.setVisible(not locked)
        self.vault.setVisible(locked or bool(reason) or (vault.less_safe and not context.demo))

    def show_managed_problem(self, context: AppContext) -> None:
        """Name the organisation's setup file when it could not be used."""
        from qbdesk.ui.setup_sharing import managed_setup_message

        message = managed_setup_message(context.settings.managed)
        self.managed_message.setText(message or "")
        self.managed.setVisible(bool(message))

    def stop(self) -> None:
        if self.keychain_watch is not None:
            self.keychain_watch.stop()
