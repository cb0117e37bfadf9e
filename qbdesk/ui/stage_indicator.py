"""The stage indicator across the top of the Create page: current stage highlighted, done ones checked off."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from qbdesk.ui.widgets import Glyph, OneLineFirstLabel

UPCOMING, CURRENT, DONE = "upcoming", "current", "done"


class StageIndicator(QWidget):
    """Numbered stages in a row, each upcoming, current or done."""

    def __init__(self, titles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles = titles
        self._badges: list[Glyph] = []
        self._labels: list[QLabel] = []
        self._states = [UPCOMING] * len(titles)
        self._lines: list[QFrame] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for number, title in enumerate(titles, start=1):
            if number > 1:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                self._lines.append(line)
                layout.addWidget(line)
            badge = Glyph(str(number))  # the label says the number and state to screen readers
            label = OneLineFirstLabel(self.tr("Stage {number}: {title}").format(number=number, title=self.tr(title)))
            self._badges.append(badge)
            self._labels.append(label)
            layout.addWidget(badge)
            layout.addWidget(label)
        layout.addStretch(1)
        self._fit_to_font()
        self.set_current(0)

    def _fit_to_font(self) -> None:
        """Badges and lines sized from the font, so they grow with larger text."""
        unit = self.fontMetrics().height()
        self._side = side = max(28, round(unit * 1.6))
        for badge in self._badges:
            badge.setFixedSize(side, side)
        for line in self._lines:
            line.setFixedWidth(unit * 3)
        if self._badges and self._states:
            self.set_states(self._states)  # the badges' rounding follows their size

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:
            self._fit_to_font()
        super().changeEvent(event)

    def set_current(self, stage: int) -> None:
        """Make stage (0-based) current; stages before it are done, after it upcoming."""
        self.set_states([DONE if i < stage else CURRENT if i == stage else UPCOMING for i in range(len(self._titles))])

    def set_states(self, states: list[str]) -> None:
        self._states = list(states)
        for number, (badge, label, state) in enumerate(zip(self._badges, self._labels, states, strict=True), start=1):
            title = self.tr(self._titles[number - 1])
            badge.setText("\u2713" if state == DONE else str(number))
            radius = f"border-radius: {self._side // 2}px;"
            badge.setStyleSheet(radius + ("" if state == UPCOMING else " font-weight: 700;"))
            label.setStyleSheet("font-weight: 700;" if state == CURRENT else "")
            for widget, name in ((badge, "stageBadge"), (label, "stage")):
                widget.setProperty(name, state)  # coloured by the application's style sheet (ui/style.py)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            description = {DONE: self.tr("completed"), CURRENT: self.tr("current stage"), UPCOMING: self.tr("not started")}[state]
            label.setAccessibleName(self.tr("Stage {number}, {title}, {state}").format(number=number, title=title, state=description))

    def states(self) -> list[str]:
        return list(self._states)
