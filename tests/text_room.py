"""Finds text a user cannot read in full: labels, buttons and table cells given less room than their text needs.

Text that elides on purpose (ends in "…" and shows the whole text in a tooltip) is not counted as clipped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QStyle,
    QTableView,
    QWidget,
)

ELLIPSIS = "\u2026"


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def _describe(widget: QWidget, text: str, needed: tuple[int, int]) -> str:
    return (f"{type(widget).__name__} {text[:60]!r}: needs {needed[0]}x{needed[1]}, "
            f"has {widget.width()}x{widget.height()}")


def _label_clipped(widget: QLabel) -> str | None:
    text = widget.text()
    if not text or widget.pixmap() is not None and not widget.pixmap().isNull():
        return None
    if widget.toolTip() and getattr(widget, "elides", False):
        return None  # an eliding label that shows the whole text in its tooltip
    margins = widget.contentsMargins()
    spare = 2 * widget.margin() + margins.left() + margins.right()
    if widget.wordWrap():
        needed_height = widget.heightForWidth(widget.width())
        # A single word longer than the line cannot wrap: it needs the width of its longest word.
        longest = max((widget.fontMetrics().horizontalAdvance(word) for word in text.split()), default=0)
        if needed_height > widget.height() or longest + spare > widget.width():
            return _describe(widget, text, (longest + spare, needed_height))
        return None
    hint = widget.sizeHint()
    if hint.width() > widget.width() or hint.height() > widget.height():
        return _describe(widget, text, (hint.width(), hint.height()))
    return None


def _button_clipped(widget: QAbstractButton) -> str | None:
    if not widget.text():
        return None
    hint = widget.sizeHint()
    if hint.width() > widget.width() or widget.fontMetrics().height() > widget.height():
        return _describe(widget, widget.text(), (hint.width(), hint.height()))
    return None


def _cells_clipped(view: QTableView) -> list[str]:
    """Cells whose text is cut and whose tooltip does not give it in full."""
    model = view.model()
    found = []
    metrics = view.fontMetrics()
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) * 2 + 2
    first, last = view.rowAt(0), view.rowAt(view.viewport().height() - 1)
    rows = range(max(first, 0), (last if last >= 0 else model.rowCount() - 1) + 1)
    for row in rows:
        for column in range(model.columnCount()):
            if view.isColumnHidden(column):
                continue
            index = model.index(row, column)
            text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            if not text:
                continue
            needed = metrics.horizontalAdvance(text) + margin
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                needed += view.iconSize().width() if view.iconSize().isValid() else metrics.height()
            tooltip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            if needed > view.columnWidth(column) and text not in _unescaped(tooltip):
                found.append(f"cell ({row}, {column}) {text[:60]!r}: needs {needed}, has {view.columnWidth(column)}")
    return found


def _unescaped(tooltip: str) -> str:
    import html

    return html.unescape(tooltip)


def clipped_text(root: QWidget) -> list[str]:
    """Every visible label, button and table cell under root (root included) whose text does not fit."""
    QApplication.processEvents()
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _shown(widget, root) and widget is not root:
            continue
        if isinstance(widget, QLabel):
            problem = _label_clipped(widget)
        elif isinstance(widget, QAbstractButton):
            problem = _button_clipped(widget)
        elif isinstance(widget, QTableView):
            found.extend(_cells_clipped(widget))
            continue
        else:
            continue
        if problem:
            found.append(problem)
    return found



def visible_texts(root: QWidget) -> list[tuple[QWidget, str]]:
    """The words a user sees under root: window title, labels, buttons, tabs, headers, placeholders, list entries."""
    from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLineEdit, QTabBar

    QApplication.processEvents()
    found: list[tuple[QWidget, str]] = [(root, root.windowTitle())]
    standard = {
        button for box in root.findChildren(QDialogButtonBox) for button in box.buttons()
        if box.standardButton(button) != QDialogButtonBox.StandardButton.NoButton
    }  # Save, Cancel, Close: Qt's own words, translated by Qt's translations
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget in standard:
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((widget, widget.text()))
        elif isinstance(widget, QLineEdit):
            found.append((widget, widget.placeholderText()))
        elif isinstance(widget, QTabBar):
            found.extend((widget, widget.tabText(index)) for index in range(widget.count()))
        elif isinstance(widget, QComboBox):
            found.extend((widget, widget.itemText(index)) for index in range(widget.count()))
        elif isinstance(widget, QTableView):
            model = widget.model()
            found.extend(
                (widget, str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
                for column in range(model.columnCount())
            )
        if widget.toolTip():
            found.append((widget, widget.toolTip()))
    return [(widget, text) for widget, text in found if text]
