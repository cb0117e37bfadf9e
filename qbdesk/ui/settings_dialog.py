"""Settings: each destination's Intuit app keys and addresses, and where secrets are kept."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qbdesk.callback.plan import Capture, intuit_redirect_problem, plan_capture
from qbdesk.core.addresses import DEFAULT_API_BASE_URLS, DEFAULT_DISCOVERY_URLS
from qbdesk.core.app_keys import swapped_keys_problem
from qbdesk.core.destinations import Destination
from qbdesk.services.context import AppContext
from qbdesk.store.settings import (
    FIELDS,
    IntuitApp,
    client_id_problem,
    client_secret_problem,
    discovery_url_problem,
    redirect_uri_problem,
)
from qbdesk.store.vault import VaultUnavailable, keychain_problem
from qbdesk.ui import setup_sharing
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.glossary import explain_term, meaning
from qbdesk.ui.key_check_panel import KeyCheckPanel
from qbdesk.ui.widgets import Scrolling, button, fitting_size, label
from qbdesk.ui.wording import CAPTURE_SUMMARIES, tr

FIELD_LABELS = {
    "client_id": QT_TRANSLATE_NOOP("DestinationForm", "Client ID"),
    "client_secret": QT_TRANSLATE_NOOP("DestinationForm", "Client Secret"),
    "redirect_uri": QT_TRANSLATE_NOOP("DestinationForm", "Redirect URI"),
    "discovery_url": QT_TRANSLATE_NOOP("DestinationForm", "Discovery document URL (optional)"),
    "api_base_url": QT_TRANSLATE_NOOP("DestinationForm", "QuickBooks API URL (optional)"),
}
FIELD_TERMS = {"redirect_uri": "Redirect URI", "discovery_url": "Discovery document", "api_base_url": "QuickBooks API URL"}
OPTIONAL_TEXT = QT_TRANSLATE_NOOP(
    "DestinationForm", "Fields marked optional can stay empty: qbdesk then uses Intuit's own addresses.")


class DestinationForm(QWidget):
    """The fields of one destination's Intuit app."""

    guide_requested = Signal(object)  # this form's Destination: the user wants the guided setup

    def __init__(
        self,
        context: AppContext,
        destination: Destination,
        prefer_system_browser: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.destination = destination
        self._prefer_system_browser = prefer_system_browser
        self._settings = context.settings
        app = context.settings.app(destination)
        self.fields: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.addRow(label(self.tr(OPTIONAL_TEXT), role="hint"))
        for name, untranslated in FIELD_LABELS.items():
            text = self.tr(untranslated)
            field = QLineEdit("" if name == "client_secret" else getattr(app, name))
            field.setAccessibleName(text)
            self.fields[name] = field
            form.addRow(text, field)
            if name in FIELD_TERMS:
                explain_term(field, FIELD_TERMS[name])
                explain_term(form.labelForField(field), FIELD_TERMS[name])
            fixed_by = self._fixed_by(context, name)
            if fixed_by:
                field.setReadOnly(True)
                field.setToolTip(" ".join(filter(None, (fixed_by, field.toolTip()))))
                field.setAccessibleDescription(fixed_by)
                form.addRow("", label(fixed_by, role="hint"))
            problem = label(role="problem")
            self.problems[name] = problem
            form.addRow("", problem)
        secret = self.fields["client_secret"]
        secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.has_saved_secret = context.settings.has_client_secret(destination)
        secret.setPlaceholderText(
            self.tr("Set by your organisation") if context.settings.locked(destination, "client_secret")
            else self.tr("Saved \u2013 leave empty to keep it") if self.has_saved_secret
            else self.tr("From your app's Keys & credentials page")
        )
        self.fields["redirect_uri"].setPlaceholderText(
            "https://your-company.example/qbdesk/callback" if destination is Destination.PRODUCTION
            else "http://localhost:8765/callback"
        )
        self.fields["redirect_uri"].textChanged.connect(self.explain_redirect)
        self.explain_redirect()
        self.fields["discovery_url"].setPlaceholderText(DEFAULT_DISCOVERY_URLS[destination])
        self.fields["api_base_url"].setPlaceholderText(DEFAULT_API_BASE_URLS[destination])
        self.guide_button = button(self.tr("&Guided setup\u2026"))
        self.guide_button.setToolTip(self.tr("Step by step: create the Intuit app, register the Redirect URI, "
                                             "paste and check the keys."))
        self.guide_button.clicked.connect(lambda: self.guide_requested.emit(self.destination))
        guide_row = QHBoxLayout()
        guide_row.addWidget(self.guide_button)
        guide_row.addStretch(1)
        form.addRow("", guide_row)
        form.addRow("", label(
            self.tr("Find these on developer.intuit.com under your app's Keys & credentials (Production).")
            if destination is Destination.PRODUCTION
            else self.tr("Find these on developer.intuit.com under your app's Keys & credentials (Development)."),
            role="hint",
        ))

    def _fixed_by(self, context: AppContext, name: str) -> str | None:
        """Who decides this field when the user cannot (environment, demo mode, organisation), or None."""
        override = context.settings.overridden(self.destination, name)
        if override:
            return self.tr("Set by demo mode.") if context.demo else self.tr(
                "Set by the environment variable {name}.").format(name=override)
        if context.settings.locked(self.destination, name):
            return self.tr("Set by your organisation.")
        return None

    def reload(self) -> None:
        """Show the stored values again (after the guided setup saved them)."""
        app = self._settings.app(self.destination)
        for name in FIELDS:
            self.fields[name].setText(getattr(app, name))
        self.fields["client_secret"].clear()
        if self._settings.has_client_secret(self.destination):
            self.fields["client_secret"].setPlaceholderText(self.tr("Saved \u2013 leave empty to keep it"))

    def keys_changed(self) -> bool:
        """The Client ID or the Client Secret differs from what is stored."""
        typed_secret = self.fields["client_secret"].text().strip()
        return bool(typed_secret) or self.values().client_id != self._settings.app(self.destination).client_id

    def _note(self, name: str, text: str, role: str = "problem") -> None:
        note = self.problems[name]
        note.setProperty("role", role)
        note.setText(text)
        note.setToolTip("")
        note.style().unpolish(note)
        note.style().polish(note)

    def explain_redirect(self) -> None:
        """As the Redirect URI is typed: an error in red, or Intuit's rule it breaks, or how it will be caught."""
        value = self.fields["redirect_uri"].text().strip()
        problem = redirect_uri_problem(value) if value else None
        if problem or not value:
            self._note("redirect_uri", problem or "")
            return
        rule = intuit_redirect_problem(value, self.destination)
        plan = plan_capture(self.destination, value, self._prefer_system_browser())
        self._note("redirect_uri", self.tr("Intuit's rule: {rule}").format(rule=rule) if rule else tr(CAPTURE_SUMMARIES[plan.capture]),
                   role="hint")
        if plan.capture is Capture.LISTENER and not rule:
            self.problems["redirect_uri"].setToolTip(meaning("Listener"))

    def values(self) -> IntuitApp:
        return IntuitApp(self.destination, **{
            name: self.fields[name].text().strip() for name in FIELDS
        })

    def validate(self) -> bool:
        """Show each field's problem; True when the form can be saved. Empty forms are allowed."""
        app = self.values()
        secret = self.fields["client_secret"].text().strip()
        empty = not (app.client_id or app.redirect_uri or app.discovery_url or secret)
        checks = {
            "client_id": None if empty else client_id_problem(app.client_id) or swapped_keys_problem(app.client_id, secret),
            "client_secret": client_secret_problem(secret),
            "redirect_uri": None if empty else redirect_uri_problem(app.redirect_uri),
            "discovery_url": discovery_url_problem(app.discovery_url),
            "api_base_url": discovery_url_problem(app.api_base_url),
        }
        for name, problem in checks.items():
            self._note(name, problem or "")
        if not checks["redirect_uri"]:
            self.explain_redirect()
        return not any(checks.values())


class SettingsDialog(QDialog):
    """Edits settings; emits saved() after a successful save."""

    saved = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(min(self.fontMetrics().averageCharWidth() * 80, 900))
        self._context = context
        self.tabs = QTabWidget()
        self.prefer_system_browser = QCheckBox(self.tr("Sign in with my own web browser"))
        browser_hint = label(
            self.tr("Instead of a qbdesk sign-in window. For https Redirect URIs, you paste the address back."), role="hint"
        )
        explain_term(browser_hint, "Redirect URI")
        self.prefer_system_browser.setAccessibleDescription(browser_hint.text())
        self.prefer_system_browser.setToolTip(self.tr("Redirect URI: {meaning}").format(meaning=meaning("Redirect URI")))
        self.prefer_system_browser.setChecked(context.settings.prefer_system_browser)
        self.forms = {
            d: DestinationForm(context, d, self.prefer_system_browser.isChecked)
            for d in context.settings.shown_destinations  # a destination the organisation hides gets no tab
        }
        for form in self.forms.values():
            self.prefer_system_browser.toggled.connect(form.explain_redirect)
        for destination, form in self.forms.items():
            self.tabs.addTab(Scrolling(form), destination_word(destination))

        problem = keychain_problem()
        self.secrets_in_file = QCheckBox(self.tr("Store secrets in a file when no keychain is available"))
        file_hint = label(self.tr("Less safe: anyone who can read your files on this computer can read them."), role="hint")
        self.secrets_in_file.setChecked(context.settings.secrets_in_file)
        self.secrets_in_file.setEnabled(not context.demo)
        where = label(self.tr("Secrets are kept in {place}.").format(place=context.vault.description), role="hint")
        explain_term(self.secrets_in_file, "Keychain")
        self.secrets_in_file.setAccessibleDescription(" ".join((file_hint.text(), meaning("Keychain"))))
        explain_term(where, "Keychain")
        self.save_problem = label(role="problem")
        self.check_on_save = QCheckBox(self.tr("Check new keys with Intuit when saving"))
        self.check_on_save.setChecked(True)
        self.key_check = KeyCheckPanel()
        self.key_check.finished.connect(self._key_check_finished)
        self._to_check: list[Destination] = []  # destinations whose new keys wait for their check
        self._checking: Destination | None = None
        for form in self.forms.values():
            form.guide_requested.connect(self.open_guide)
        self.guide: QDialog | None = None

        self.managed_note = self._managed_note(context)
        self.sharing_note = label(role="hint")
        self.export_button = button(self.tr("&Export setup\u2026"))
        self.export_button.setToolTip(self.tr("Save the Client IDs and addresses, without secrets, for colleagues"))
        self.export_button.clicked.connect(lambda: setup_sharing.export_setup(self))
        self.import_button = button(self.tr("&Import setup\u2026"))
        self.import_button.setToolTip(self.tr("Fill these fields from a setup a colleague exported"))
        self.import_button.clicked.connect(lambda: setup_sharing.import_setup(self))
        sharing = QHBoxLayout()
        sharing.addWidget(self.export_button)
        sharing.addWidget(self.import_button)
        sharing.addStretch(1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if self.managed_note is not None:
            layout.addWidget(self.managed_note)
        layout.addWidget(self.tabs)
        layout.addLayout(sharing)
        layout.addWidget(self.sharing_note)
        layout.addWidget(self.prefer_system_browser)
        layout.addWidget(browser_hint)
        if problem and not context.demo:
            layout.addWidget(label(problem, role="problem"))
        layout.addWidget(self.secrets_in_file)
        layout.addWidget(file_hint)
        layout.addWidget(where)
        layout.addWidget(self.check_on_save)
        layout.addWidget(self.key_check)
        layout.addWidget(self.save_problem)
        layout.addWidget(self.buttons)
        self.resize(fitting_size(self, self.sizeHint()))  # tall enough for the forms where the screen allows

    def _managed_note(self, context: AppContext) -> QLabel | None:
        """A line at the top about the organisation's managed file: in force, or why it is not used."""
        managed = context.settings.managed
        problem = setup_sharing.managed_setup_message(managed)
        if problem:
            return label(problem, role="problem")
        if managed is not None and managed.in_force:
            return label(self.tr("Some settings are set by your organisation ({path}) and cannot be changed here.")
                         .format(path=managed.path), role="hint")
        return None

    def save(self) -> None:
        forms = list(self.forms.values())
        if not all([form.validate() for form in forms]):
            self.save_problem.setText(self.tr("Correct the fields marked in red, then save again."))
            return
        if self.prefer_system_browser.isChecked() != self._context.settings.prefer_system_browser:
            self._context.settings.save_prefer_system_browser(self.prefer_system_browser.isChecked())
        if self.secrets_in_file.isChecked() != self._context.settings.secrets_in_file:
            self._context.allow_secrets_in_file(self.secrets_in_file.isChecked())
        changed = [form.destination for form in forms if form.keys_changed() and form.values().client_id]
        try:
            for form in forms:
                secret = form.fields["client_secret"].text().strip() or None
                self._context.settings.save_app(form.values(), secret)
        except (VaultUnavailable, OSError) as exc:
            self.save_problem.setText(str(exc))
            return
        self.saved.emit()
        if not self.check_on_save.isChecked() or not changed:
            self.accept()
            return
        for form in forms:
            form.fields["client_secret"].clear()  # saved: what is typed now is a new change
        self._to_check = changed
        self.buttons.setEnabled(False)
        self._check_next()

    def _check_next(self) -> None:
        """Check the next destination's saved keys off the GUI thread; close once all were accepted."""
        if not self._to_check:
            self.buttons.setEnabled(True)
            self.accept()
            return
        self._checking = self._to_check.pop(0)
        settings = self._context.settings
        try:
            secret = settings.client_secret(self._checking) or ""
        except VaultUnavailable:
            secret = ""
        self.key_check.start(settings.app(self._checking), secret)

    def show_form(self, destination: Destination) -> None:
        """Bring a destination's tab to the front (each form sits in a scrolling tab of its own)."""
        self.tabs.setCurrentIndex(list(self.forms).index(destination))

    def shown_form(self) -> DestinationForm:
        return list(self.forms.values())[self.tabs.currentIndex()]

    def _key_check_finished(self, result) -> None:
        if result.accepted:
            self._check_next()
            return
        self._to_check = []
        self.buttons.setEnabled(True)
        self.show_form(self._checking)
        self.key_check.result.setText(self.tr("Saved. {destination}: {verdict}").format(
            destination=destination_word(self._checking), verdict=self.key_check.verdict_text(result)
        ))

    def open_guide(self, destination: Destination) -> None:
        """The guided setup for one destination, over Settings; its saved keys show here at once."""
        from qbdesk.ui.setup_guide import SetupGuide

        self.guide = SetupGuide(self._context, destination, self)
        self.guide.saved.connect(lambda _destination: self.forms[destination].reload())
        self.guide.saved.connect(self.saved)
        self.guide.open()
