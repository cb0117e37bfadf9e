"""Stage 2 of the Create page: send the user to Intuit, wait with a countdown, and show the outcome."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from qbdesk import user_apps
from qbdesk.callback.plan import Capture
from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.core.ttl import format_remaining
from qbdesk.services.context import AppContext
from qbdesk.services.credentials import CredentialRemoved
from qbdesk.services.signin import Phase, SignInStart, SignInUpdate
from qbdesk.ui import dialogs
from qbdesk.ui.announce import announce
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.widgets import Panel, button, label
from qbdesk.ui.wording import CAPTURE_SENTENCES, explain, sentence, tr
from qbdesk.ui.workers import Worker, run_in_background

INFO_TEXT = QT_TRANSLATE_NOOP("SignInStage", (
    "Authentication details are given on the QuickBooks website: you sign in at Intuit, choose the company "
    "and approve access there. qbdesk never sees your Intuit password."
))


class SignInStage(QWidget):
    """Signs one credential in. Emits credential_changed whenever the credential it holds changes."""

    credential_changed = Signal()
    settings_requested = Signal()
    setup_requested = Signal(object)  # the Destination whose Intuit app needs setting up

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._credential: Credential | None = None
        self._name = ""
        self._destination = Destination.PRODUCTION
        self._sign_in_url: str | None = None
        self._worker: Worker | None = None
        self._sign_in_window: QWidget | None = None
        self._done = False
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._show_time_left)
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        info = Panel("info")
        self.info_label = label(self.tr(INFO_TEXT))
        self.summary = label(role="hint")
        info.body.addWidget(self.info_label)
        info.body.addWidget(self.summary)
        layout.addWidget(info)

        self.plan_label = label()
        self.plan_warning = label(role="problem")
        layout.addWidget(self.plan_label)
        layout.addWidget(self.plan_warning)

        self.setup_panel = Panel("warning")
        self.setup_message = label()
        self.open_settings_button = button(self.tr("&Open Settings"))
        self.open_settings_button.clicked.connect(self.settings_requested)
        self.setup_panel.body.addWidget(self.setup_message)
        self.setup_panel.body.addWidget(self.open_settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setup_button = button(self.tr("Set up &keys\u2026"), primary=True)
        self.setup_button.clicked.connect(lambda: self.setup_requested.emit(self._destination))
        self.setup_panel.body.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.setup_panel)

        self.go_button = button(self.tr("Go to &QuickBooks"), primary=True)
        self.go_button.clicked.connect(self.go_to_quickbooks)
        layout.addWidget(self.go_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.status_panel = Panel("panel")
        self.status_message = label()
        self.status_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Sign-in in progress"))
        self.progress.setMaximumHeight(8)
        self.time_left = label(role="hint")
        self.copy_link_button = button(self.tr("Co&py sign-in address"))
        self.copy_link_button.setToolTip(self.tr("For when your browser did not open: paste this address into it."))
        self.copy_link_button.clicked.connect(self._copy_sign_in_address)
        row = QHBoxLayout()
        row.addWidget(self.time_left, 1)
        row.addWidget(self.copy_link_button)
        self.status_panel.body.addWidget(self.status_message)
        self.status_panel.body.addWidget(self.progress)
        self.status_panel.body.addLayout(row)
        layout.addWidget(self.status_panel)

        self.paste_panel = Panel("panel")
        self.paste_panel.body.addWidget(label(self.tr("Paste the address your browser shows after you approve access")))
        self.paste_field = QLineEdit()
        self.paste_field.setAccessibleName(self.tr("Address after approving access"))
        self.paste_field.setPlaceholderText("https://\u2026?code=\u2026&state=\u2026&realmId=\u2026")
        self.paste_field.returnPressed.connect(self.finish_from_paste)
        self.paste_button = button(self.tr("F&inish sign-in"), primary=True)
        self.paste_button.clicked.connect(self.finish_from_paste)
        paste_row = QHBoxLayout()
        paste_row.addWidget(self.paste_field, 1)
        paste_row.addWidget(self.paste_button)
        self.paste_panel.body.addLayout(paste_row)
        layout.addWidget(self.paste_panel)
        layout.addStretch(1)
        self.reset()

    # --- what the Create page tells it ----------------------------------------------------------

    @property
    def credential(self) -> Credential | None:
        return self._credential

    @property
    def done(self) -> bool:
        """Sign-in finished on this visit (a new credential connected, or a reconnect completed)."""
        return self._done

    def reset(self) -> None:
        """Forget everything: a new credential starts from scratch."""
        self._stop_waiting()
        self._close_sign_in_window()
        self._done = False
        self._set_credential(None)
        self._sign_in_url = None
        self.paste_panel.setVisible(False)
        self.paste_field.clear()
        self._set_status(None)

    def prepare(self, name: str, destination: Destination) -> None:
        """Enter the stage for this name and destination."""
        self._name, self._destination = name, destination
        self.summary.setText(
            self.tr("Name: {name}    Destination: {destination}").format(name=name, destination=destination_word(destination)))
        self.refresh_setup()
        (self.go_button if self.go_button.isEnabled() else self.status_message).setFocus()

    def adopt(self, credential: Credential, destination_changed: bool) -> None:
        """Take over a credential revised on Stage 1; a new destination needs a new sign-in."""
        if destination_changed:
            self._context.signin.cancel(credential.id)
            self._stop_waiting()
            self._close_sign_in_window()
            self.paste_panel.setVisible(False)
            self._set_status(None)
        self._set_credential(credential)

    def refresh_setup(self) -> None:
        """Re-check whether the destination can sign in, and how (after a Settings change too)."""
        problem = self._context.signin.setup_problem(self._destination)
        plan = None if problem else self._context.signin.capture_plan(self._destination)
        self.plan_label.setText(tr(CAPTURE_SENTENCES[plan.capture]) if plan else "")
        self.plan_label.setVisible(plan is not None)
        self.plan_warning.setText(plan.warning or "" if plan else "")
        self.plan_warning.setVisible(bool(plan and plan.warning))
        self.setup_panel.setVisible(problem is not None)
        self.setup_message.setText(explain(problem) if problem else "")
        needs_keys = problem is not None and problem.next_step is NextStep.ENTER_KEYS
        self.setup_button.setVisible(needs_keys)
        self.open_settings_button.setVisible(not needs_keys)
        self.go_button.setEnabled(problem is None and not self._done and self._worker is None)

    def status_text(self) -> str:
        return self.status_message.text() if self.status_panel.isVisibleTo(self) else ""

    # --- going to Intuit ------------------------------------------------------------------------

    def go_to_quickbooks(self) -> None:
        """Create the credential as pending (first time), then fetch the sign-in URL off the GUI thread."""
        if self._worker is not None or self._done:
            return
        if self._credential is None:
            try:
                self._set_credential(self._context.credentials.create_pending(self._name, self._destination))
            except ValueError as exc:
                self._set_status("failed", explain(exc))
                return
        credential_id = self._credential.id
        self._set_status("busy", self.tr("Contacting Intuit\u2026"))
        self._worker = run_in_background(
            lambda: self._context.signin.begin(credential_id), self._open_sign_in, self._background_failed
        )
        self.refresh_setup()

    def _open_sign_in(self, start: SignInStart) -> None:
        """Send the user to Intuit the planned way: system browser, or qbdesk's sign-in window."""
        self._worker = None
        self._sign_in_url = start.url
        self.refresh_setup()
        if self._credential is None:
            return
        self._countdown.start()
        self._show_time_left()
        if start.plan.capture is Capture.EMBEDDED:
            self._open_sign_in_window(start)
            return
        try:
            opened = user_apps.open_in_user_app(start.browser_url)  # the user's environment; no secret on its command line
        except user_apps.CannotOpen:
            opened = False
        paste = start.plan.capture is Capture.PASTE
        self.paste_panel.setVisible(paste)
        if not opened:
            message = self.tr(
                "qbdesk could not open your browser. Press \u201cCopy sign-in address\u201d and paste it into "
                "your browser's address bar."
            )
        elif paste:
            message = self.tr(
                "Your browser is showing Intuit's sign-in page. After you approve access, copy the address the "
                "browser lands on (even if it shows an error page) and paste it below."
            )
        else:
            message = self.tr(
                "Your browser is showing Intuit's sign-in page. Sign in, choose the company and approve access; "
                "this page updates by itself."
            )
        self._set_status("waiting", message)
        if paste:
            self.paste_field.setFocus()

    def _open_sign_in_window(self, start: SignInStart) -> None:
        from qbdesk.ui.signin_window import SignInWindow  # QtWebEngine loads only when first needed

        self._close_sign_in_window()
        window = SignInWindow(start.url, start.redirect_uri, self.window())
        window.redirect_captured.connect(self._finish_from_address)
        window.closed_early.connect(self._sign_in_window_closed)
        self._sign_in_window = window
        window.show()
        self._set_status("waiting", self.tr("Sign in, choose the company and approve access in the qbdesk sign-in window."))

    def _close_sign_in_window(self) -> None:
        window, self._sign_in_window = self._sign_in_window, None
        if window is not None:
            window.closed_early.disconnect(self._sign_in_window_closed)
            window.close()

    def _sign_in_window_closed(self) -> None:
        self._sign_in_window = None
        self._stop_waiting()
        self._set_status(
            "failed",
            self.tr("The sign-in window was closed before you finished. The credential stays Incomplete; press "
                    "\u201cGo to QuickBooks\u201d to open it again."),
        )

    # --- coming back from Intuit ----------------------------------------------------------------

    def finish_from_paste(self) -> None:
        self._finish_from_address(self.paste_field.text())

    def _finish_from_address(self, address: str) -> None:
        """Complete sign-in from a caught or pasted redirect address, off the GUI thread."""
        self._sign_in_window = None
        if self._credential is None or self._worker is not None:
            return
        credential_id = self._credential.id
        self._set_status("busy", self.tr("Finishing sign-in with Intuit\u2026"))
        self._worker = run_in_background(
            lambda: self._context.signin.complete_from_address(credential_id, address),
            self._address_handled,
            self._background_failed,
        )

    def _address_handled(self, _result: object) -> None:
        self._worker = None
        self.refresh_setup()

    def _background_failed(self, error: Exception) -> None:
        self._worker = None
        self.refresh_setup()
        self._set_status("failed", explain(error))

    def on_signin_updated(self, update: SignInUpdate) -> None:
        """React to news from the sign-in service (a redirect arrived, tokens stored, or refused)."""
        mine = self._credential is not None and update.credential_id == self._credential.id
        stray = update.credential_id is None and self._countdown.isActive()
        if not (mine or stray):
            return
        if update.phase is Phase.EXCHANGING:
            self._set_status("busy", update.cause)
        elif update.phase is Phase.CONNECTED and update.credential is not None:
            self._stop_waiting()
            self.paste_panel.setVisible(False)
            self._done = True
            self._set_credential(update.credential)
            self._set_status("connected", self._connected_text(update.credential))
            self.refresh_setup()
        elif update.phase is Phase.REALM_CHANGED:
            self._stop_waiting()
            self._ask_about_company(update)
        elif update.phase is Phase.FAILED:
            if not (self._credential and self._context.signin.waiting_on(self._credential.id)):
                self._stop_waiting()
            self._set_status("failed", sentence(update.cause, update.next_step))
            self.refresh_setup()

    def _connected_text(self, credential: Credential) -> str:
        """Connected, naming the company when QuickBooks told it, else its realm id."""
        if credential.company_name:
            return self.tr("Connected to {company}.").format(company=credential.company_label)
        return self.tr("Connected. QuickBooks company (realm id): {realm}").format(realm=credential.realm_id)

    def _ask_about_company(self, update: SignInUpdate) -> None:
        """A reconnect came back with another company: replacing it is the user's call."""
        credential_id = update.credential_id or ""
        replace = dialogs.ask(
            self,
            self.tr("Replace the company?"),
            self.tr("{cause} Replace it? Tools that use this credential would then reach the new company.").format(
                cause=update.cause),
            confirm=self.tr("Replace company"),
            cancel=self.tr("Keep the previous company"),
        )
        self._set_status("busy", self.tr("Saving your choice\u2026"))
        self._worker = run_in_background(
            lambda: self._context.signin.resolve_realm_change(credential_id, replace),
            self._address_handled,
            self._background_failed,
        )

    def on_credential_removed(self, removal: CredentialRemoved) -> None:
        if self._credential is None or removal.credential.id != self._credential.id:
            return
        self.reset()
        if removal.expired:
            self._set_status(
                "failed",
                self.tr("The time to sign in ran out, so the incomplete credential was removed. "
                        "Press \u201cGo to QuickBooks\u201d to start again."),
            )
        self.refresh_setup()

    def on_credential_changed(self, credential: Credential) -> None:
        if self._credential is not None and credential.id == self._credential.id:
            self._set_credential(credential)

    # --- display --------------------------------------------------------------------------------

    def _set_credential(self, credential: Credential | None) -> None:
        self._credential = credential
        self.credential_changed.emit()

    def _stop_waiting(self) -> None:
        self._countdown.stop()
        self.time_left.clear()

    def _show_time_left(self) -> None:
        credential = self._credential
        if credential is None or credential.pending_expires_at is None:
            self._stop_waiting()
            return
        remaining = credential.pending_expires_at - self._context.clock.now()
        self.time_left.setText(self.tr("Time left to finish signing in: {time}").format(time=format_remaining(remaining)))

    def _set_status(self, kind: str | None, message: str = "") -> None:
        """Show the sign-in status: None hides it; busy, waiting, connected or failed."""
        self.status_panel.setVisible(kind is not None)
        self.status_panel.set_role({"connected": "success", "failed": "warning"}.get(kind or "", "panel"))
        self.status_message.setText(message)
        self.progress.setVisible(kind in ("busy", "waiting"))
        self.copy_link_button.setVisible(kind == "waiting" and self._sign_in_url is not None)
        if kind in ("connected", "failed"):
            announce(self.status_message, message, urgent=kind == "failed")

    def _copy_sign_in_address(self) -> None:
        if self._sign_in_url:
            QGuiApplication.clipboard().setText(self._sign_in_url)
            self.copy_link_button.setText(self.tr("Copied"))
            QTimer.singleShot(2000, lambda: self.copy_link_button.setText(self.tr("Co&py sign-in address")))
