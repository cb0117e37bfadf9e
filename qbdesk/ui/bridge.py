"""The one place service events become Qt signals, delivered on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from qbdesk.services.context import AppContext


class ServiceBridge(QObject):
    """Re-emits the services' plain events as Qt signals.

    Services may announce from worker or listener threads; Qt queues these signals to the GUI thread.
    """

    credential_added = Signal(object)  # Credential
    credential_changed = Signal(object)  # Credential
    credential_removed = Signal(object)  # CredentialRemoved
    signin_updated = Signal(object)  # SignInUpdate

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = [
            context.credentials.added.subscribe(self.credential_added.emit),
            context.credentials.changed.subscribe(self.credential_changed.emit),
            context.credentials.removed.subscribe(self.credential_removed.emit),
            context.signin.updated.subscribe(self.signin_updated.emit),
        ]

    def detach(self) -> None:
        """Stop listening to the services (before the context closes)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
