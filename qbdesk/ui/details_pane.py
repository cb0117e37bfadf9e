"""The details of the selected credential: company, destination, times, and what to do about trouble."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from qbdesk.core.credential import Credential
from qbdesk.core.health import State, expiry_warning, state_of
from qbdesk.ui.credential_model import local_time
from qbdesk.ui.glossary import TERMS, explain_term, meaning
from qbdesk.ui.widgets import Panel, label
from qbdesk.ui.wording import attention

FIELDS = (
    "State", "Company", "Realm id", "Destination", "Created", "Last used",
    "Access token expires", "Refresh token expires", "Hard expiry",
)


def _when(moment: datetime | None) -> str:
    return local_time(moment) if moment else "\u2014"


class DetailsPane(QWidget):
    """Shows one credential, or a hint when none is selected."""

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.heading = label("Select a credential to see its details.", role="heading")
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for position, name in enumerate(FIELDS):
            value = label(wrap=False)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = value
            row, column = position % 3, (position // 3) * 2
            name_label = label(name, role="hint", wrap=False)
            if name in TERMS:
                explain_term(name_label, name)  # realm id, hard expiry
            grid.addWidget(name_label, row, column)
            grid.addWidget(value, row, column + 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        self.notice = Panel("warning")
        self.notice_text = label()
        self.notice.body.addWidget(self.notice_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.notice)
        self.show_credential(None)

    def show_credential(self, credential: Credential | None) -> None:
        if credential is None:
            self.heading.setText("Select a credential to see its details.")
            for value in self.values.values():
                value.clear()
            self.notice.hide()
            return
        now = self._now()
        state = state_of(credential, now)
        self.heading.setText(credential.name)
        shown = {
            "State": state.value,
            "Company": credential.company_name or "Not known yet \u2013 use Test connection",
            "Realm id": credential.realm_id or "\u2014",
            "Destination": credential.destination.label,
            "Created": _when(credential.created_at),
            "Last used": _when(credential.last_used_at),
            "Access token expires": _when(credential.access_token_expires_at),
            "Refresh token expires": _when(credential.refresh_token_expires_at),
            "Hard expiry": _when(credential.hard_expires_at),
        }
        for name, text in shown.items():
            self.values[name].setText(text)
        self.values["State"].setToolTip(meaning(state.value) if state.value in TERMS else "")
        notice = expiry_warning(credential, now)
        if state in (State.NEEDS_RECONNECT, State.OFFLINE):
            notice = attention(credential, state)
        elif state is State.INCOMPLETE:
            notice = "Sign-in has not finished. Finish it in your browser or the sign-in window before it expires."
        self.notice_text.setText(notice or "")
        self.notice.setVisible(bool(notice))
