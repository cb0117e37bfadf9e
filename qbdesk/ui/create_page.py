"""The Create page: Stage 1 picks a name and destination, Stage 2 signs in at Intuit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qbdesk.core.credential import Credential, Status
from qbdesk.core.destinations import Destination
from qbdesk.core.names import check_name
from qbdesk.core.ttl import format_remaining
from qbdesk.services.context import AppContext
from qbdesk.services.credentials import CredentialRemoved
from qbdesk.services.signin import Phase, SignInUpdate
from qbdesk.ui import dialogs
from qbdesk.ui.stage_indicator import StageIndicator
from qbdesk.ui.widgets import Panel, button, label
from qbdesk.ui.workers import Worker, run_in_background

STAGE_TITLES = ["Select a system and name", "Configure and create"]
INFO_TEXT = (
    "Authentication details are given on the QuickBooks website. When you press \u201cGo to QuickBooks\u201d, "
    "your browser opens Intuit's sign-in page: sign in, choose the company, and approve access. "
    "qbdesk picks up the result by itself; you do not need to copy anything."
)


class EnterSubmits(QWidget):
    """A form area where Enter, not taken by any field in it, means 'go on'."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class CreatePage(QWidget):
    """Creates one credential. Emits finished(id) or cancelled() when the user leaves."""

    finished = Signal(str)
    cancelled = Signal()
    settings_requested = Signal()

    def __init__(
        self, context: AppContext, known_credentials: Callable[[], list[Credential]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._context = context
        self._known_credentials = known_credentials
        self._credential: Credential | None = None
        self._sign_in_url: str | None = None
        self._worker: Worker | None = None
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._show_time_left)

        self.indicator = StageIndicator(STAGE_TITLES)
        self.stages = QStackedWidget()
        self.stages.addWidget(self._build_stage_one())
        self.stages.addWidget(self._build_stage_two())

        self.cancel_button = button("Cancel")
        self.back_button = button("Back")
        self.next_button = button("Next", primary=True)
        self.create_button = button("Create credential", primary=True)
        self.cancel_button.clicked.connect(self.cancel)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.create_button.clicked.connect(self.create)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        for widget in (self.back_button, self.next_button, self.create_button):
            buttons.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(label("Configure new credentials", role="title"))
        layout.addSpacing(6)
        layout.addWidget(self.indicator)
        layout.addSpacing(12)
        layout.addWidget(self.stages, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.cancel)
        self.start()

    # --- Stage 1 --------------------------------------------------------------------------------

    def _build_stage_one(self) -> QWidget:
        stage = EnterSubmits()
        form = QFormLayout(stage)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.system_field = QLineEdit("QuickBooks")
        self.system_field.setReadOnly(True)
        self.system_field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.system_field.setAccessibleName("External system")
        self.name_field = QLineEdit()
        self.name_field.setPlaceholderText("For example: Acme Ltd \u2013 Accounting")
        self.name_field.setMaxLength(1000)
        self.name_field.setAccessibleName("Name")
        self.name_field.textChanged.connect(self._check_stage_one)
        self.name_problem = label(role="problem")
        self.production_choice = QRadioButton(Destination.PRODUCTION.label)
        self.sandbox_choice = QRadioButton(Destination.SANDBOX.label)
        self.destination_group = QButtonGroup(stage)
        self.destination_group.addButton(self.production_choice)
        self.destination_group.addButton(self.sandbox_choice)
        self.production_choice.setChecked(True)
        destinations = QVBoxLayout()
        destinations.addWidget(self.production_choice)
        destinations.addWidget(self.sandbox_choice)
        destinations.addWidget(label("Use Sandbox Mode for Intuit's test companies.", role="hint", wrap=False))
        form.addRow("External system", self.system_field)
        form.addRow("Name", self.name_field)
        form.addRow("", self.name_problem)
        form.addRow("Destination", destinations)
        stage.submitted.connect(self.go_next)
        return stage

    def destination(self) -> Destination:
        return Destination.SANDBOX if self.sandbox_choice.isChecked() else Destination.PRODUCTION

    def _check_stage_one(self) -> bool:
        own_id = self._credential.id if self._credential else None
        taken = [c.name for c in self._known_credentials() if c.id != own_id]
        result = check_name(self.name_field.text(), taken)
        # An empty field at the start needs no scolding; the disabled Next says enough.
        self.name_problem.setText("" if not self.name_field.text() else result.problem or "")
        self.next_button.setEnabled(result.ok)
        return result.ok

    # --- Stage 2 --------------------------------------------------------------------------------

    def _build_stage_two(self) -> QWidget:
        stage = QWidget()
        layout = QVBoxLayout(stage)
        layout.setContentsMargins(0, 0, 0, 0)
        info = Panel("info")
        self.info_label = label(INFO_TEXT)
        info.body.addWidget(self.info_label)
        self.summary = label(role="hint")
        info.body.addWidget(self.summary)
        layout.addWidget(info)

        self.setup_panel = Panel("warning")
        self.setup_message = label()
        self.open_settings_button = button("Open Settings")
        self.open_settings_button.clicked.connect(self.settings_requested)
        self.setup_panel.body.addWidget(self.setup_message)
        self.setup_panel.body.addWidget(self.open_settings_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.setup_panel)

        self.go_button = button("Go to QuickBooks", primary=True)
        self.go_button.clicked.connect(self.go_to_quickbooks)
        layout.addWidget(self.go_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.status_panel = Panel("panel")
        self.status_message = label()
        self.status_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.time_left = label(role="hint")
        self.copy_link_button = button("Copy sign-in address")
        self.copy_link_button.setToolTip("For when your browser did not open: paste this address into it.")
        self.copy_link_button.clicked.connect(self._copy_sign_in_address)
        row = QHBoxLayout()
        row.addWidget(self.time_left, 1)
        row.addWidget(self.copy_link_button)
        self.status_panel.body.addWidget(self.status_message)
        self.status_panel.body.addWidget(self.progress)
        self.status_panel.body.addLayout(row)
        layout.addWidget(self.status_panel)
        layout.addStretch(1)
        return stage

    def refresh_setup(self) -> None:
        """Re-check whether the chosen destination can sign in (after Settings change)."""
        problem = self._context.signin.setup_problem(self.destination())
        self.setup_panel.setVisible(problem is not None)
        self.setup_message.setText(problem or "")
        connected = self._credential is not None and self._credential.status is Status.CONNECTED
        busy = self._worker is not None
        self.go_button.setEnabled(problem is None and not connected and not busy)

    # --- navigation -----------------------------------------------------------------------------

    def start(self) -> None:
        """Reset to an empty Stage 1."""
        self._stop_waiting()
        self._credential = None
        self._sign_in_url = None
        self.name_field.clear()
        self.production_choice.setChecked(True)
        self._show_stage(0)
        self._set_status(None)

    def _show_stage(self, stage: int) -> None:
        self.stages.setCurrentIndex(stage)
        self.indicator.set_current(stage)
        first = stage == 0
        self.next_button.setVisible(first)
        self.back_button.setVisible(not first)
        self.create_button.setVisible(not first)
        connected = self._credential is not None and self._credential.status is Status.CONNECTED
        self.back_button.setEnabled(not connected)
        self.cancel_button.setEnabled(not connected)
        self.create_button.setEnabled(self._credential is not None)
        self.create_button.setToolTip("" if self._credential else "Press \u201cGo to QuickBooks\u201d first.")
        if first:
            self._check_stage_one()
            self.name_field.setFocus()
        else:
            self.summary.setText(f"Name: {self.name_field.text().strip()}    Destination: {self.destination().label}")
            self.refresh_setup()
            (self.go_button if self.go_button.isEnabled() else self.create_button).setFocus()

    def go_next(self) -> None:
        if self.stages.currentIndex() != 0 or not self._check_stage_one():
            return
        if self._credential is not None and (
            self._credential.name != check_name(self.name_field.text()).name
            or self._credential.destination is not self.destination()
        ):
            self._revise_pending()
        self._show_stage(1)

    def go_back(self) -> None:
        if self._credential is not None and self._credential.status is Status.CONNECTED:
            return
        self._show_stage(0)

    def _revise_pending(self) -> None:
        """Carry Stage 1 edits over to the pending credential; a new destination needs a new sign-in."""
        assert self._credential is not None
        if self._credential.destination is not self.destination():
            self._context.signin.cancel(self._credential.id)
            self._stop_waiting()
            self._set_status(None)
        self._credential = self._context.credentials.revise_pending(
            self._credential.id, self.name_field.text(), self.destination()
        )

    def cancel(self) -> None:
        credential = self._credential
        if credential is not None and credential.status is Status.CONNECTED:
            return
        if credential is not None:
            confirmed = dialogs.ask(
                self,
                "Discard this credential?",
                f"\u201c{credential.name}\u201d has not finished signing in. Discarding removes it from the list "
                "and stops waiting for Intuit.",
                confirm="Discard",
            )
            if not confirmed:
                return
            self._context.signin.cancel(credential.id)
            self._context.credentials.discard(credential.id)
        self.start()
        self.cancelled.emit()

    def create(self) -> None:
        if self._credential is None:
            return
        credential_id = self._credential.id
        self.start()
        self.finished.emit(credential_id)

    # --- signing in -----------------------------------------------------------------------------

    def go_to_quickbooks(self) -> None:
        """Create the credential as pending (first time), then fetch the sign-in URL off the GUI thread."""
        if self._worker is not None:
            return
        try:
            if self._credential is None:
                self._credential = self._context.credentials.create_pending(self.name_field.text(), self.destination())
        except ValueError as exc:
            self._set_status("failed", str(exc))
            return
        credential_id = self._credential.id
        self._set_status("busy", "Contacting Intuit\u2026")
        self._worker = run_in_background(
            lambda: self._context.signin.begin(credential_id), self._open_sign_in, self._sign_in_failed
        )
        self.refresh_setup()
        self._show_stage(1)

    def _open_sign_in(self, url: str) -> None:
        self._worker = None
        self._sign_in_url = url
        self.refresh_setup()
        if self._credential is None:
            return
        if not QDesktopServices.openUrl(QUrl(url)):
            self._set_status(
                "waiting",
                "qbdesk could not open your browser. Press \u201cCopy sign-in address\u201d and paste it into "
                "your browser's address bar.",
            )
        else:
            self._set_status(
                "waiting",
                "Your browser is showing Intuit's sign-in page. Sign in, choose the company and approve access; "
                "this page updates by itself.",
            )
        self._countdown.start()
        self._show_time_left()

    def _sign_in_failed(self, error: Exception) -> None:
        self._worker = None
        self.refresh_setup()
        self._set_status("failed", str(error))

    def on_signin_updated(self, update: SignInUpdate) -> None:
        """React to news from the sign-in service (a redirect arrived, tokens stored, or refused)."""
        mine = self._credential is not None and update.credential_id == self._credential.id
        stray = update.credential_id is None and self._countdown.isActive()
        if not (mine or stray):
            return
        if update.phase is Phase.EXCHANGING:
            self._set_status("busy", update.message)
        elif update.phase is Phase.CONNECTED and update.credential is not None:
            self._credential = update.credential
            self._stop_waiting()
            self._set_status("connected", f"Connected. QuickBooks company (realm id): {update.credential.realm_id}")
            self._show_stage(1)
            self.create_button.setFocus()
        elif update.phase is Phase.FAILED:
            waiting = self._context.signin.waiting_on(self._credential.id) if self._credential else False
            if not waiting:
                self._stop_waiting()
            self._set_status("failed", update.message)
            self.refresh_setup()

    def on_credential_removed(self, removal: CredentialRemoved) -> None:
        if self._credential is None or removal.credential.id != self._credential.id:
            return
        self._credential = None
        self._stop_waiting()
        if removal.expired:
            self._set_status(
                "failed",
                "The time to sign in ran out, so the incomplete credential was removed. "
                "Press \u201cGo to QuickBooks\u201d to start again.",
            )
        self._show_stage(self.stages.currentIndex())

    def on_credential_changed(self, credential: Credential) -> None:
        if self._credential is not None and credential.id == self._credential.id:
            self._credential = credential

    def _stop_waiting(self) -> None:
        self._countdown.stop()
        self.time_left.clear()

    def _show_time_left(self) -> None:
        credential = self._credential
        if credential is None or credential.pending_expires_at is None:
            self._stop_waiting()
            return
        remaining = credential.pending_expires_at - self._context.credentials.clock.now()
        self.time_left.setText(f"Time left to finish signing in: {format_remaining(remaining)}")

    def _set_status(self, kind: str | None, message: str = "") -> None:
        """Show the sign-in status: None hides it; busy, waiting, connected or failed."""
        self.status_panel.setVisible(kind is not None)
        self.status_panel.set_role(
            {"connected": "success", "failed": "warning"}.get(kind or "", "panel")
        )
        self.status_message.setText(message)
        self.progress.setVisible(kind in ("busy", "waiting"))
        self.copy_link_button.setVisible(kind == "waiting" and self._sign_in_url is not None)

    def _copy_sign_in_address(self) -> None:
        if self._sign_in_url:
            QGuiApplication.clipboard().setText(self._sign_in_url)
            self.copy_link_button.setText("Copied")
            QTimer.singleShot(2000, lambda: self.copy_link_button.setText("Copy sign-in address"))

    def status_text(self) -> str:
        return self.status_message.text() if self.status_panel.isVisibleTo(self) else ""
