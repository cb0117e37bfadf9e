"""The Create page: Stage 1 picks a name and destination, Stage 2 signs in at Intuit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qbdesk.core.credential import Credential
from qbdesk.core.destinations import Destination
from qbdesk.core.names import check_name
from qbdesk.services.context import AppContext
from qbdesk.ui import dialogs
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.signin_stage import SignInStage
from qbdesk.ui.stage_indicator import StageIndicator
from qbdesk.ui.widgets import OneLineFirstLabel, Scrolling, button, label

STAGE_TITLES = [QT_TRANSLATE_NOOP("StageIndicator", "Select a system and name"),
                QT_TRANSLATE_NOOP("StageIndicator", "Configure and create")]
NAME_RULE = QT_TRANSLATE_NOOP("CreatePage", "1 to 100 characters, not the name of another credential (ignoring case).")


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
    setup_requested = Signal(object)  # the Destination whose Intuit app needs setting up

    def __init__(
        self, context: AppContext, known_credentials: Callable[[], list[Credential]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._context = context
        self._known_credentials = known_credentials

        self._reconnecting = False
        self.indicator = StageIndicator(STAGE_TITLES)
        self.sign_in = SignInStage(context)
        self.sign_in.settings_requested.connect(self.settings_requested)
        self.sign_in.setup_requested.connect(self.setup_requested)
        self.sign_in.credential_changed.connect(self._update_buttons)
        self.stages = QStackedWidget()
        self.stages.addWidget(self._build_stage_one())
        self.stages.addWidget(Scrolling(self.sign_in))

        self.cancel_button = button(self.tr("Canc&el"))
        self.back_button = button(self.tr("&Back"))
        self.next_button = button(self.tr("&Next"), primary=True)
        self.create_button = button(self.tr("C&reate credential"), primary=True)
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
        self.title = label(self.tr("Configure new credentials"), role="title")
        layout.addWidget(self.title)
        layout.addSpacing(6)
        layout.addWidget(self.indicator)
        layout.addSpacing(12)
        layout.addWidget(self.stages, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.cancel).setWhatsThis(self.tr("Cancel"))
        self.start()

    def _build_stage_one(self) -> QWidget:
        stage = EnterSubmits()
        form = QFormLayout(stage)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.system_field = QLineEdit(self.tr("QuickBooks"))
        self.system_field.setReadOnly(True)
        self.system_field.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.system_field.setAccessibleName(self.tr("External system"))
        self.name_field = QLineEdit()
        self.name_field.setPlaceholderText(self.tr("For example: Acme Ltd \u2013 Accounting"))
        self.name_field.setMaxLength(1000)
        self.name_field.setAccessibleName(self.tr("Name"))
        self.name_field.textChanged.connect(self._check_stage_one)
        self.name_problem = label(role="problem")
        self.production_choice = QRadioButton(destination_word(Destination.PRODUCTION))
        self.sandbox_choice = QRadioButton(destination_word(Destination.SANDBOX))
        self.destination_group = QButtonGroup(stage)
        self.destination_group.addButton(self.production_choice)
        self.destination_group.addButton(self.sandbox_choice)
        destinations = QVBoxLayout()
        destinations.addWidget(self.production_choice)
        destinations.addWidget(self.sandbox_choice)
        self.sandbox_hint = OneLineFirstLabel(self.tr("Use Sandbox Mode for Intuit's test companies."))
        self.sandbox_hint.setProperty("role", "hint")
        destinations.addWidget(self.sandbox_hint)
        form.addRow(self.tr("External system"), self.system_field)
        form.addRow(self.tr("Name"), self.name_field)
        form.addRow("", self.name_problem)
        form.addRow(self.tr("Destination"), destinations)
        stage.submitted.connect(self.go_next)
        return stage

    def destination(self) -> Destination:
        return Destination.SANDBOX if self.sandbox_choice.isChecked() else Destination.PRODUCTION

    def _check_stage_one(self) -> bool:
        credential = self.sign_in.credential
        taken = [c.name for c in self._known_credentials() if credential is None or c.id != credential.id]
        result = check_name(self.name_field.text(), taken)
        # An empty field at the start needs no scolding; the disabled Next says enough.
        problem = "" if not self.name_field.text() else result.problem or ""
        self.name_problem.setText(problem)
        self.name_field.setAccessibleDescription(problem or self.tr(NAME_RULE))
        self.next_button.setEnabled(result.ok)
        return result.ok

    # --- navigation -----------------------------------------------------------------------------

    def start(self) -> None:
        """Reset to an empty Stage 1."""
        self._reconnecting = False
        self.title.setText(self.tr("Configure new credentials"))
        self.create_button.setText(self.tr("C&reate credential"))
        self.name_field.setReadOnly(False)
        self.sign_in.reset()
        self.name_field.clear()
        shown = self._context.settings.shown_destinations  # the organisation may offer one destination only
        self.production_choice.setVisible(Destination.PRODUCTION in shown)
        self.sandbox_choice.setVisible(Destination.SANDBOX in shown)
        self.sandbox_hint.setVisible(len(shown) > 1)
        (self.production_choice if Destination.PRODUCTION in shown else self.sandbox_choice).setChecked(True)
        self._show_stage(0)

    @property
    def reconnecting(self) -> bool:
        return self._reconnecting

    def reconnect(self, credential: Credential) -> None:
        """Sign an existing credential in again: same id and name, straight to Stage 2."""
        self.start()
        self._reconnecting = True
        self.title.setText(self.tr("Reconnect \u201c{name}\u201d").format(name=credential.name))
        self.create_button.setText(self.tr("&Done"))
        self.name_field.setText(credential.name)
        self.name_field.setReadOnly(True)
        (self.sandbox_choice if credential.destination is Destination.SANDBOX else self.production_choice).setChecked(True)
        self.sign_in.adopt(credential, destination_changed=False)
        self._show_stage(1)

    def _show_stage(self, stage: int) -> None:
        self.stages.setCurrentIndex(stage)
        self.indicator.set_current(stage)
        self._update_buttons()
        if stage == 0:
            self._check_stage_one()
            self.name_field.setFocus()
        else:
            self.sign_in.prepare(check_name(self.name_field.text()).name, self.destination())

    def _update_buttons(self) -> None:
        first = self.stages.currentIndex() == 0
        credential, connected = self.sign_in.credential, self.sign_in.done
        self.next_button.setVisible(first)
        self.back_button.setVisible(not first and not self._reconnecting)
        self.create_button.setVisible(not first)
        self.back_button.setEnabled(not connected)
        self.cancel_button.setEnabled(not connected or self._reconnecting)
        ready = connected if self._reconnecting else credential is not None  # a reconnect is done once signed in
        self.create_button.setEnabled(ready)
        self.create_button.setToolTip("" if ready else self.tr("Press \u201cGo to QuickBooks\u201d first."))
        if connected and not first:
            self.create_button.setFocus()

    def go_next(self) -> None:
        if self.stages.currentIndex() != 0 or not self._check_stage_one():
            return
        credential = self.sign_in.credential
        name = check_name(self.name_field.text()).name
        if credential is not None and (credential.name != name or credential.destination is not self.destination()):
            revised = self._context.credentials.revise_pending(credential.id, name, self.destination())
            self.sign_in.adopt(revised, destination_changed=credential.destination is not self.destination())
        self._show_stage(1)

    def go_back(self) -> None:
        if not self.sign_in.done and not self._reconnecting:
            self._show_stage(0)

    def cancel(self) -> None:
        credential = self.sign_in.credential
        if self._reconnecting and credential is not None:
            self._context.signin.cancel(credential.id)  # the credential itself stays as it was
        elif self.sign_in.done:
            return
        elif credential is not None:
            confirmed = dialogs.ask(
                self,
                self.tr("Discard this credential?"),
                self.tr("\u201c{name}\u201d has not finished signing in. Discarding removes it from the list "
                        "and stops waiting for Intuit.").format(name=credential.name),
                confirm=self.tr("Discard"),
            )
            if not confirmed:
                return
            self._context.signin.cancel(credential.id)
            self._context.credentials.discard(credential.id)
        self.start()
        self.cancelled.emit()

    def create(self) -> None:
        credential = self.sign_in.credential
        if credential is None:
            return
        self.start()
        self.finished.emit(credential.id)
