"""Small building blocks the pages share: titled labels, panels and buttons with a role."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QStyle, QStyleOption, QVBoxLayout, QWidget


def label(text: str = "", role: str | None = None, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    return widget


def plain_tooltip(text: str | None) -> str | None:
    """A tooltip that shows text exactly as written: Qt reads tooltips as rich text when they look like
    HTML, so a name such as <img src=...> is escaped and wrapped instead of rendered."""
    if not text:
        return text
    import html  # here, not above: the first frame never shows a tooltip

    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def button(text: str, primary: bool = False, role: str | None = None) -> QPushButton:
    """A push button that Enter presses when it has focus, as Space does."""
    widget = QPushButton(text)
    widget.setAutoDefault(True)
    if primary or role:
        widget.setProperty("role", "primary" if primary else role)
    return widget


class Panel(QFrame):
    """A bordered box whose colour says what kind of news it holds (panel, info, warning, success)."""

    def __init__(self, role: str = "panel", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.set_role(role)

    def set_role(self, role: str) -> None:
        self.setProperty("role", role)
        self.style().unpolish(self)
        self.style().polish(self)


class Glyph(QWidget):
    """A symbol that decorates (a breadcrumb's arrow, a stage's number or tick): drawn, not written, so
    screen readers do not read it as text of its own. Style sheets still give it colours and a shape."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = text
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._text) + metrics.averageCharWidth(), metrics.height())

    def paintEvent(self, _event) -> None:
        option = QStyleOption()
        option.initFrom(self)
        painter = QPainter(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        self.style().drawItemText(painter, self.rect(), Qt.AlignmentFlag.AlignCenter, self.palette(), self.isEnabled(),
                                  self._text, QPalette.ColorRole.WindowText)
