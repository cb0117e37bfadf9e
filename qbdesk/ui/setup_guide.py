"""Guided setup: where an Intuit app's keys come from, which Redirect URI to register, and a key check before saving."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qbdesk import user_apps
from qbdesk.callback.plan import intuit_redirect_problem, proposed_redirect_uri
from qbdesk.core.app_keys import swapped_keys_problem, tidy_key
from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.services.key_check import KeyCheck, KeyVerdict
from qbdesk.store.settings import IntuitApp, client_id_problem, client_secret_problem, redirect_uri_problem
from qbdesk.store.vault import VaultUnavailable
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.key_check_panel import KeyCheckPanel
from qbdesk.ui.widgets import FlowLayout, Scrolling, button, fitting_size, label

DEVELOPER_PORTAL = "https://developer.intuit.com/app/developer/dashboard"


class SetupGuide(QDialog):
    """Walks finance staff through creating the Intuit app and entering its keys; emits saved() once stored."""

    saved = Signal(object)  # the Destination whose keys were saved

    def __init__(self, context: AppContext, destination: Destination, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set up your Intuit app"))
        self.setMinimumWidth(640)
        self._context = context
        self._checked: tuple[IntuitApp, str] | None = None  # the values the last accepted check was for
        self._under_check: tuple[IntuitApp, str] | None = None
        self._pending_save = False  # Save waits for the check that is running

        self.destination_choice = QComboBox()
        for choice in (Destination.PRODUCTION, Destination.SANDBOX):
            self.destination_choice.addItem(destination_word(choice), choice.value)
        self.destination_choice.setAccessibleName(self.tr("Keys for"))
        self.portal_button = button(self.tr("Open Intuit's developer portal"))
        self.portal_button.clicked.connect(lambda: user_apps.open_in_user_app(DEVELOPER_PORTAL))
        self.step_app = label()
        self.step_keys = label()
        self.step_redirect = label()
        self.redirect_field = QLineEdit()  # editable: an organisation may register an https address of its own
        self.redirect_field.setAccessibleName(self.tr("Redirect URI to register at Intuit"))
        self.copy_button = button(self.tr("&Copy"))
        self.copy_button.clicked.connect(self.copy_redirect_uri)
        self.redirect_reason = label(role="hint")
        self.client_id = QLineEdit()
        self.client_id.setAccessibleName(self.tr("Client ID"))
        self.client_secret = QLineEdit()
        self.client_secret.setAccessibleName(self.tr("Client Secret"))
        self.client_secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = label(role="problem")
        self.check_panel = KeyCheckPanel()
        self.check_panel.finished.connect(self._check_finished)
        self.check_button = button(self.tr("Check &keys"))
        self.check_button.clicked.connect(self.check)
        self.save_button = button(self.tr("&Save"), primary=True)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.save_unchecked_button = button(self.tr("Save without checking"))
        self.save_unchecked_button.clicked.connect(self._store)
        self.save_unchecked_button.hide()
        self.cancel_button = button(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self._lay_out()
        for field in (self.client_id, self.client_secret):
            field.textEdited.connect(lambda text, field=field: self._key_edited(field, text))
        self.redirect_field.textEdited.connect(self._values_edited)
        self.destination_choice.currentIndexChanged.connect(self._show_destination)
        self.destination_choice.setCurrentIndex(self.destination_choice.findData(destination.value))
        self._show_destination()

    def _lay_out(self) -> None:
        """The steps scroll when large text needs more height than the screen has; the buttons stay in view."""
        steps = QWidget()
        layout = QVBoxLayout(steps)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(self.tr("Connect qbdesk to your Intuit app"), role="title"))
        layout.addWidget(label(self.tr(
            "qbdesk signs in to QuickBooks through an \u201capp\u201d that you, or your IT team, create once on "
            "Intuit's developer website. It is free, takes about five minutes and needs an Intuit account "
            "(the one you use for QuickBooks will do)."
        )))
        chooser = QFormLayout()
        chooser.addRow(self._buddy(self.tr("Keys &for:"), self.destination_choice), self.destination_choice)
        layout.addLayout(chooser)
        layout.addWidget(self.step_app)
        layout.addWidget(self.portal_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.step_redirect)
        row = QHBoxLayout()
        row.addWidget(self.redirect_field, 1)
        row.addWidget(self.copy_button)
        layout.addLayout(row)
        layout.addWidget(self.redirect_reason)
        layout.addWidget(self.step_keys)
        keys = QFormLayout()
        keys.addRow(self._buddy(self.tr("Client &ID:"), self.client_id), self.client_id)
        keys.addRow(self._buddy(self.tr("Client S&ecret:"), self.client_secret), self.client_secret)
        layout.addLayout(keys)
        layout.addWidget(self.problem)
        layout.addWidget(self.check_panel)
        layout.addStretch(1)
        buttons = FlowLayout()  # the buttons wrap onto a second line when large text makes them wide
        for each in (self.check_button, self.save_unchecked_button, self.save_button, self.cancel_button):
            buttons.addWidget(each)
        self.steps_area = Scrolling(steps)
        whole = QVBoxLayout(self)
        whole.addWidget(self.steps_area, 1)
        whole.addLayout(buttons)
        wanted = self.sizeHint()  # at least about 80 characters wide, so large text wraps less
        wanted.setWidth(max(wanted.width(), self.fontMetrics().averageCharWidth() * 80))
        self.resize(fitting_size(self, wanted))

    @staticmethod
    def _buddy(text: str, field: QWidget) -> QLabel:
        caption = QLabel(text)
        caption.setBuddy(field)
        return caption

    @property
    def destination(self) -> Destination:
        return Destination(self.destination_choice.currentData())

    def _show_destination(self) -> None:
        """The steps, the proposed Redirect URI and the saved Client ID for the chosen destination."""
        production = self.destination is Destination.PRODUCTION
        settings = self._context.settings
        app = settings.app(self.destination)
        self.step_app.setText(self.tr(
            "1. On Intuit's developer portal, sign in and create an app for \u201cQuickBooks Online and "
            "Payments\u201d. When asked which scopes it needs, choose only Accounting "
            "(com.intuit.quickbooks.accounting)."
        ))
        self.step_redirect.setText(self.tr(
            "2. In your app, open {section} \u203a Settings \u203a Redirect URIs, add this address exactly as "
            "shown, and save it at Intuit:"
        ).format(section=self.tr("Production") if production else self.tr("Development")))
        self.redirect_field.setText(proposed_redirect_uri(self.destination, app.redirect_uri))
        self.redirect_field.setReadOnly(bool(settings.overridden(self.destination, "redirect_uri")))
        self.redirect_reason.setText(self.tr(
            "Production keys take only https addresses. Nothing has to answer at this one: qbdesk's sign-in "
            "window stops there and reads the result of the sign-in from the address itself."
        ) if production else self.tr(
            "Development keys may send you back to this computer: qbdesk listens at this address only while a "
            "sign-in waits, and nobody else can reach it."
        ))
        self.step_keys.setText(self.tr(
            "3. Open {section} \u203a Keys & credentials and copy the Client ID and the Client Secret "
            "(press \u201cShow\u201d to see the secret) into these fields. {note}"
        ).format(
            section=self.tr("Production") if production else self.tr("Development"),
            note=self.tr("Intuit shows production keys once you have answered its questions about your app.")
            if production else self.tr("Development keys connect to sandbox (test) companies only."),
        ))
        self.client_id.setText(app.client_id)
        self.client_secret.clear()
        self.client_secret.setPlaceholderText(
            self.tr("Saved \u2013 leave empty to keep it") if settings.has_client_secret(self.destination) else ""
        )
        locked = {name: settings.overridden(self.destination, name) for name in ("client_id", "client_secret")}
        self.client_id.setReadOnly(bool(locked["client_id"]))
        self.client_secret.setReadOnly(bool(locked["client_secret"]))
        self._values_edited()

    def copy_redirect_uri(self) -> None:
        QGuiApplication.clipboard().setText(self.redirect_field.text())
        self.check_panel.result.setText(self.tr("Redirect URI copied: paste it at Intuit."))

    def _key_edited(self, field: QLineEdit, text: str) -> None:
        """Keys hold no white space: what a paste drags along (spaces, line breaks) goes at once."""
        tidy = tidy_key(text)
        if tidy != text:
            field.setText(tidy)
        self._values_edited()

    def _values_edited(self) -> None:
        self._checked = None
        self.save_unchecked_button.hide()
        self.problem.setText("")
        self.check_panel.clear()

    def _values(self) -> tuple[IntuitApp, str] | None:
        """The typed keys with the saved addresses, or None after showing what is wrong with them."""
        client_id = tidy_key(self.client_id.text())
        typed_secret = tidy_key(self.client_secret.text())
        secret = typed_secret or self._saved_secret()
        redirect_uri = self.redirect_field.text().strip()
        problem = (
            redirect_uri_problem(redirect_uri)
            or intuit_redirect_problem(redirect_uri, self.destination)
            or client_id_problem(client_id)
            or client_secret_problem(typed_secret)
            or swapped_keys_problem(client_id, typed_secret)
            or (None if secret else self.tr("Enter the Client Secret from your app's Keys & credentials page."))
        )
        self.problem.setText(problem or "")
        if problem:
            self._bring_into_view(self.problem)
            return None
        saved = self._context.settings.app(self.destination)
        app = IntuitApp(self.destination, client_id, redirect_uri, saved.discovery_url, saved.api_base_url)
        return app, secret

    def _saved_secret(self) -> str:
        try:
            return self._context.settings.client_secret(self.destination) or ""
        except VaultUnavailable:
            return ""

    def check(self) -> None:
        """Ask Intuit about the typed keys, off the GUI thread; nothing is saved."""
        values = self._values()
        if values is not None:
            self._pending_save = False
            self._start_check(values)

    def save(self) -> None:
        """Check the keys (unless just checked), then store them when Intuit accepts them."""
        values = self._values()
        if values is None:
            return
        if self._checked == values:
            self._store()
            return
        self._pending_save = True
        self._start_check(values)

    def _start_check(self, values: tuple[IntuitApp, str]) -> None:
        self._under_check = values
        for each in (self.check_button, self.save_button):
            each.setEnabled(False)
        self.check_panel.start(*values)

    def _bring_into_view(self, widget: QWidget) -> None:
        """Scroll the steps so a message just shown below them is read, laid out first at its new height."""
        for _ in range(4):  # label, its panel, the steps, the scrolling area: one layout request each
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.steps_area.ensureWidgetVisible(widget, 0, 0)

    def _check_finished(self, result: KeyCheck) -> None:
        self._bring_into_view(self.check_panel)
        for each in (self.check_button, self.save_button):
            each.setEnabled(True)
        self._checked = self._under_check if result.accepted else None
        if result.accepted and self._pending_save:
            self._store()
        elif self._pending_save and result.verdict is not KeyVerdict.WRONG_KEYS:
            self.save_unchecked_button.show()  # Intuit could not say: the user may still keep the keys

    def _store(self) -> None:
        values = self._values()
        if values is None:
            return
        app, secret = values
        typed_secret = tidy_key(self.client_secret.text())
        try:
            self._context.settings.save_app(app, typed_secret or None)
        except (VaultUnavailable, OSError) as exc:
            self.problem.setText(str(exc))
            return
        self.saved.emit(app.destination)
        self.accept()
