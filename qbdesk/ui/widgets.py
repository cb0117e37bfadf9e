"""Small building blocks the pages share: titled labels, panels and buttons with a role."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOption,
    QVBoxLayout,
    QWidget,
)


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


class Scrolling(QScrollArea):
    """Content that scrolls up and down when the window is too short for it (large text, small screens).

    Never sideways: it is as narrow as its content allows, so the window keeps room for it."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls inside, which scroll into view
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(self.widget().minimumSizeHint().width() + bar, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """The content's own size: no scrolling while there is room for it."""
        bar = self.verticalScrollBar().sizeHint().width()
        return self.widget().sizeHint() + QSize(bar, 0)


def fitting_size(window: QWidget, wanted: QSize) -> QSize:
    """The size a window opens at: `wanted`, or less on a screen with less room (a 960x540 laptop, 2x scaling)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return wanted
    room = screen.availableGeometry().size()
    return wanted.boundedTo(QSize(room.width() * 9 // 10, room.height() * 9 // 10))


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


class OneLineFirstLabel(QLabel):
    """Text that asks for one line and wraps onto more only when squeezed (a plain wrapping label asks for several)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right() + 2
        return QSize(width, self.heightForWidth(width))


class ElidingLabel(QLabel):
    """One line of text that ends in "…" when it has too little room, with the whole text in its tooltip.

    text() stays the whole text; the window can be narrower than the longest name or company."""

    elides = True  # read by the checks that look for clipped text

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setToolTip(plain_tooltip(text) or "")

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("M\u2026") * 2, super().minimumSizeHint().height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, room.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(room, int(self.alignment()), shown)


class FlowLayout(QLayout):
    """Widgets in a row that wraps onto the next line when the row is too narrow for them all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """All on one line."""
        width = sum(item.sizeHint().width() + max(self.spacing(), 6) for item in self._items if not item.isEmpty())
        return QSize(width, self.heightForWidth(width)).expandedTo(self.minimumSize())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """As wide as the widest widget: the others go onto lines of their own."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items line by line within rect; the height the lines take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        gap = max(self.spacing(), 6)
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line_height = area.x(), y + line_height + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()
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
