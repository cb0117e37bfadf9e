"""The details of the selected credential: company, destination, times, and what to do about trouble."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from qbdesk.core.credential import Credential
from qbdesk.core.health import State, expiry_warning, state_of
from qbdesk.ui.core_words import destination_word, state_word
from qbdesk.ui.credential_model import local_time
from qbdesk.ui.glossary import TERMS, explain_term, meaning
from qbdesk.ui.widgets import ElidingLabel, Panel, label
from qbdesk.ui.wording import attention

FIELDS = (  # the field names, as keys and (translated when shown) as words
    QT_TRANSLATE_NOOP("DetailsPane", "State"), QT_TRANSLATE_NOOP("DetailsPane", "Company"),
    QT_TRANSLATE_NOOP("DetailsPane", "Realm id"), QT_TRANSLATE_NOOP("DetailsPane", "Destination"),
    QT_TRANSLATE_NOOP("DetailsPane", "Created"), QT_TRANSLATE_NOOP("DetailsPane", "Last used"),
    QT_TRANSLATE_NOOP("DetailsPane", "Access token expires"), QT_TRANSLATE_NOOP("DetailsPane", "Refresh token expires"),
    QT_TRANSLATE_NOOP("DetailsPane", "Hard expiry"),
)


MOST_COLUMNS = 3


def _when(moment: datetime | None) -> str:
    return local_time(moment) if moment else "\u2014"


class DetailsPane(QWidget):
    """Shows one credential, or a hint when none is selected."""

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.heading = ElidingLabel(self.tr("Select a credential to see its details."))
        self.heading.setProperty("role", "heading")
        self.values: dict[str, QLabel] = {}
        self._names: list[QLabel] = []
        self._grid = grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for name in FIELDS:
            value = ElidingLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = value
            name_label = label(self.tr(name), role="hint", wrap=False)
            if name in TERMS:
                explain_term(name_label, name)  # realm id, hard expiry
            self._names.append(name_label)
        self._columns = 0
        self._arrange(MOST_COLUMNS)
        self.notice = Panel("warning")
        self.notice_text = label()
        self.notice.body.addWidget(self.notice_text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.notice)
        self.show_credential(None)

    def _column_width(self) -> int:
        """Room for one field: its longest name and a date beside it."""
        names = max(name.sizeHint().width() for name in self._names)
        return names + self._grid.horizontalSpacing() * 2 + self.fontMetrics().horizontalAdvance("2026-12-31 23:59")

    def _arrange(self, columns: int) -> None:
        """Lay the fields out in this many columns of name and value, top to bottom, then left to right."""
        if columns == self._columns:
            return
        self._columns = columns
        grid = self._grid
        while grid.count():
            grid.takeAt(0)
        rows = -(-len(FIELDS) // columns)
        for position, (name, value) in enumerate(zip(self._names, self.values.values(), strict=True)):
            row, column = position % rows, (position // rows) * 2
            grid.addWidget(name, row, column)
            grid.addWidget(value, row, column + 1)
        for column in range(MOST_COLUMNS * 2):
            grid.setColumnStretch(column, 1 if column % 2 and column < columns * 2 else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Fewer columns when the window is narrow, so no field name or date is cut off."""
        fitting = event.size().width() // max(self._column_width(), 1)
        self._arrange(max(1, min(MOST_COLUMNS, fitting)))
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """As narrow as one column of fields; resizeEvent rearranges them to fit."""
        return QSize(self._column_width(), super().minimumSizeHint().height())

    def show_credential(self, credential: Credential | None) -> None:
        if credential is None:
            self.heading.setText(self.tr("Select a credential to see its details."))
            for value in self.values.values():
                value.clear()
            self.notice.hide()
            return
        now = self._now()
        state = state_of(credential, now)
        self.heading.setText(credential.name)
        shown = {
            "State": state_word(state),
            "Company": credential.company_name or self.tr("Not known yet \u2013 use Test connection"),
            "Realm id": credential.realm_id or "\u2014",
            "Destination": destination_word(credential.destination),
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
            notice = self.tr("Sign-in has not finished. Finish it in your browser or the sign-in window before it expires.")
        self.notice_text.setText(notice or "")
        self.notice.setVisible(bool(notice))
