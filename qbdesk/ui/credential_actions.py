"""What the user can do to a credential: test, reconnect, rename, delete, copy ids."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

from qbdesk.core.credential import Credential, Status
from qbdesk.services.context import AppContext
from qbdesk.services.credentials import NameRejected
from qbdesk.ui import dialogs
from qbdesk.ui.glossary import meaning
from qbdesk.ui.quickbooks_page import QuickBooksPage
from qbdesk.ui.widgets import button
from qbdesk.ui.wording import explain
from qbdesk.ui.workers import Worker, run_in_background


class CredentialActions(QObject):
    """Actions on the selected credential, as toolbar buttons, context menu entries and shortcuts."""

    notify = Signal(str)  # a one-line outcome for the status bar
    reconnect_requested = Signal(object)  # Credential

    def __init__(self, context: AppContext, page: QuickBooksPage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._page = page
        self._workers: set[Worker] = set()
        self.test = self._action(
            self.tr("&Test connection"), "Ctrl+T", self.test_connection,
            self.tr("Ask QuickBooks for the company's details with this credential, to check it still works."))
        self.reconnect = self._action(
            self.tr("&Reconnect\u2026"), "Ctrl+Shift+R", self._reconnect,
            self.tr("Sign this credential in at Intuit again, for when it needs a reconnect."))
        self.rename = self._action(self.tr("Re&name\u2026"), "F2", self.rename_selected, self.tr("Give this credential another name."))
        self.delete = self._action(
            self.tr("&Delete\u2026"), QKeySequence.StandardKey.Delete, self.delete_selected,
            self.tr("Revoke this credential at Intuit and remove it from this computer (asks first)."))
        self.copy_realm = self._action(
            self.tr("Co&py realm id"), "Ctrl+Shift+C", self._copy_realm,
            self.tr("Copy the realm id to the clipboard.") + " " + meaning("Realm id"))
        self.copy_id = self._action(
            self.tr("Copy credential &id"), None, self._copy_id,
            self.tr("Copy qbdesk's id for this credential, which the command line accepts as its name."))
        self.all = (self.test, self.reconnect, self.rename, self.delete, self.copy_realm, self.copy_id)
        self.buttons = {}
        for action in self.all[:5]:
            widget = button(action.text())
            widget.setToolTip(action.toolTip())
            widget.clicked.connect(action.trigger)
            self.buttons[action] = widget
            page.toolbar.addWidget(widget)
        for action in self.all:
            page.table.addAction(action)  # the context menu; the window's Credential menu holds the same actions
        page.selection_changed.connect(self._update)
        self._update(None)

    def _action(self, text: str, shortcut, handler, explanation: str) -> QAction:
        action = QAction(text, self._page)
        keys = ""
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            keys = f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(explanation + keys)
        action.setStatusTip(explanation)
        action.triggered.connect(handler)
        self._page.addAction(action)
        return action

    def _update(self, credential: Credential | None) -> None:
        connected = credential is not None and credential.status is Status.CONNECTED
        enabled = {
            self.test: connected,
            self.reconnect: connected,
            self.rename: credential is not None,
            self.delete: credential is not None,
            self.copy_realm: bool(credential and credential.realm_id),
            self.copy_id: credential is not None,
        }
        for action, on in enabled.items():
            action.setEnabled(on)
            if action in self.buttons:
                self.buttons[action].setEnabled(on)

    def _run(self, work, done, busy: str) -> None:
        """Run a service call off the GUI thread; report failures in plain words."""
        self.notify.emit(busy)
        worker = run_in_background(work, lambda result: self._finished(worker, done, result), lambda e: self._failed(worker, e))
        self._workers.add(worker)

    def _finished(self, worker: Worker, done, result) -> None:
        self._workers.discard(worker)
        done(result)

    def _failed(self, worker: Worker, error: Exception) -> None:
        self._workers.discard(worker)
        self.notify.emit(explain(error))

    # --- the actions ----------------------------------------------------------------------------

    def test_connection(self) -> None:
        credential = self._page.selected()
        if credential is None or credential.status is not Status.CONNECTED:
            return
        self._run(
            lambda: self._context.tokens.test_connection(credential.id),
            lambda updated: self.notify.emit(
                self.tr("\u201c{name}\u201d works: connected to {company} ({realm_id}).").format(
                    name=updated.name, company=updated.company_name, realm_id=updated.realm_id)
            ),
            self.tr("Testing \u201c{name}\u201d with Intuit\u2026").format(name=credential.name),
        )

    def _reconnect(self) -> None:
        credential = self._page.selected()
        if credential is not None:
            self.reconnect_requested.emit(credential)

    def rename_selected(self) -> None:
        credential = self._page.selected()
        if credential is None:
            return

        def problem(text: str) -> str | None:
            return self._context.credentials.check_name(text, ignore_id=credential.id).problem

        new_name = dialogs.ask_text(
            self._page, self.tr("Rename credential"),
            self.tr("New name for \u201c{name}\u201d").format(name=credential.name), credential.name, problem)
        if new_name is None or new_name.strip() == credential.name:
            return
        try:
            renamed = self._context.credentials.rename(credential.id, new_name)
        except NameRejected as exc:
            self.notify.emit(str(exc))
            return
        self.notify.emit(self.tr("Renamed to \u201c{name}\u201d.").format(name=renamed.name))

    def delete_selected(self) -> None:
        credential = self._page.selected()
        if credential is None:
            return
        confirmed = dialogs.ask(
            self._page,
            self.tr("Delete this credential?"),
            self.tr("Delete \u201c{name}\u201d? qbdesk revokes its access at Intuit and removes its tokens from "
                    "this computer. Tools that use it will stop working.").format(name=credential.name),
            confirm=self.tr("Delete"),
        )
        if not confirmed:
            return
        self._run(
            lambda: self._context.tokens.delete(credential.id),
            lambda revoked: self.notify.emit(
                (self.tr("Deleted \u201c{name}\u201d: revoked at Intuit.") if revoked else self.tr(
                    "Deleted \u201c{name}\u201d: removed here only (Intuit could not be reached).")
                 ).format(name=credential.name)
            ),
            self.tr("Deleting \u201c{name}\u201d\u2026").format(name=credential.name),
        )

    def _copy_realm(self) -> None:
        credential = self._page.selected()
        if credential and credential.realm_id:
            QGuiApplication.clipboard().setText(credential.realm_id)
            self.notify.emit(self.tr("Copied the realm id of \u201c{name}\u201d.").format(name=credential.name))

    def _copy_id(self) -> None:
        credential = self._page.selected()
        if credential:
            QGuiApplication.clipboard().setText(credential.id)
            self.notify.emit(self.tr("Copied the credential id of \u201c{name}\u201d.").format(name=credential.name))
