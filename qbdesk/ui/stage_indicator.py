"""The stage indicator across the top of the Create page: current stage highlighted, done ones checked off."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from qbdesk.ui.widgets import Glyph

UPCOMING, CURRENT, DONE = "upcoming", "current", "done"


class StageIndicator(QWidget):
    """Numbered stages in a row, each upcoming, current or done."""

    def __init__(self, titles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles = titles
        self._badges: list[Glyph] = []
        self._labels: list[QLabel] = []
        self._states = [UPCOMING] * len(titles)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for number, title in enumerate(titles, start=1):
            if number > 1:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFixedWidth(48)
                layout.addWidget(line)
            badge = Glyph(str(number))  # the label says the number and state to screen readers
            badge.setFixedSize(28, 28)
            label = QLabel(f"Stage {number}: {title}")
            self._badges.append(badge)
            self._labels.append(label)
            layout.addWidget(badge)
            layout.addWidget(label)
        layout.addStretch(1)
        self.set_current(0)

    def set_current(self, stage: int) -> None:
        """Make stage (0-based) current; stages before it are done, after it upcoming."""
        self.set_states([DONE if i < stage else CURRENT if i == stage else UPCOMING for i in range(len(self._titles))])

    def set_states(self, states: list[str]) -> None:
        self._states = list(states)
        for number, (badge, label, state) in enumerate(zip(self._badges, self._labels, states, strict=True), start=1):
            title = self._titles[number - 1]
            badge.setText("\u2713" if state == DONE else str(number))
            badge.setStyleSheet("border-radius: 14px;" + ("" if state == UPCOMING else " font-weight: 700;"))
            label.setStyleSheet("font-weight: 700;" if state == CURRENT else "")
            for widget, name in ((badge, "stageBadge"), (label, "stage")):
                widget.setProperty(name, state)  # coloured by the application's style sheet (ui/style.py)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            description = {DONE: "completed", CURRENT: "current stage", UPCOMING: "not started"}[state]
            label.setAccessibleName(f"Stage {number}, {title}, {description}")

    def states(self) -> list[str]:
        return list(self._states)
