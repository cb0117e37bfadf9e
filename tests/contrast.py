"""Contrast measured from rendered pixels, as a user sees it: each visible text against its background,
and control borders and focus rings against what surrounds them (WCAG 2 ratios, qbdesk.core.contrast).

A widget's text is measured in the rectangle where it is drawn: the commonest colour there is its background,
the colour most distinct from it is the text's; anti-aliased edges only lie between the two. Text drawn in the background's colour measures 1:1. Measure without keyboard focus
in a text field: its cursor is drawn in the text colour, not the placeholder's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QWidget,
)

from qbdesk.core.contrast import contrast_ratio

RGB = tuple[int, int, int]



@dataclass(frozen=True)
class Measure:
    """One measured text or border: what it is, its colour, its background and their ratio."""

    what: str
    colour: RGB
    background: RGB
    ratio: float

    def __str__(self) -> str:
        return f"{self.what}: {self.ratio:.2f}:1 (#{bytes(self.colour).hex()} on #{bytes(self.background).hex()})"


def pixels(image: QImage, rect: QRect) -> list[RGB]:
    """The colours of rect's pixels, clipped to the image (device pixels)."""
    area = rect.intersected(image.rect())
    colours = []
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            colour = image.pixelColor(x, y)
            colours.append((colour.red(), colour.green(), colour.blue()))
    return colours


def text_contrast(what: str, image: QImage, rect: QRect) -> Measure:
    """The contrast of text drawn in rect of image; 1:1 when nothing stands out (the text is invisible)."""
    counts = Counter(pixels(image, rect))
    background = counts.most_common(1)[0][0]
    text = max(counts, key=lambda colour: contrast_ratio(colour, background))
    return Measure(what, text, background, contrast_ratio(text, background))


def edge_contrast(what: str, image: QImage, rect: QRect, depth: int = 3) -> Measure:
    """The contrast of a border drawn along rect's edges against the pixels just outside it: along the
    middle of each side, the most distinct of the first depth pixels inside against the one outside."""
    centre = rect.center()
    probes = [  # (outside point, step inwards)
        (QPoint(rect.left() - 1, centre.y()), QPoint(1, 0)),
        (QPoint(rect.right() + 1, centre.y()), QPoint(-1, 0)),
        (QPoint(centre.x(), rect.top() - 1), QPoint(0, 1)),
        (QPoint(centre.x(), rect.bottom() + 1), QPoint(0, -1)),
    ]
    worst: Measure | None = None
    for outside_point, step in probes:
        outside = pixels(image, QRect(outside_point, outside_point))
        if not outside:
            continue
        inside = [pixels(image, QRect(outside_point + step * n, outside_point + step * n)) for n in range(1, depth + 1)]
        border = max((p[0] for p in inside if p), key=lambda colour: contrast_ratio(colour, outside[0]))
        measure = Measure(what, border, outside[0], contrast_ratio(border, outside[0]))
        if worst is None or measure.ratio < worst.ratio:
            worst = measure
    assert worst is not None, f"{what} lies outside the image"
    return worst


def text_rect(widget: QWidget) -> QRect | None:
    """Where widget draws its text, in its own coordinates; None when it shows no text."""
    if isinstance(widget, QLabel):
        return widget.contentsRect() if widget.text().strip() else None
    if isinstance(widget, QLineEdit):
        return widget.contentsRect().adjusted(2, 2, -2, -2) if widget.text() or widget.placeholderText() else None
    if isinstance(widget, QComboBox):
        return widget.rect().adjusted(4, 4, -widget.height(), -4) if widget.currentText() else None
    if isinstance(widget, QAbstractButton) and widget.text().strip():
        option = QStyleOptionButton()
        option.initFrom(widget)
        option.text = widget.text()
        element = {
            QRadioButton: QStyle.SubElement.SE_RadioButtonContents,
            QCheckBox: QStyle.SubElement.SE_CheckBoxContents,
        }.get(type(widget), QStyle.SubElement.SE_PushButtonContents)
        if isinstance(widget, QPushButton | QRadioButton | QCheckBox):
            rect = widget.style().subElementRect(element, option, widget) & widget.contentsRect()
            if not widget.icon().isNull():  # the text alone, right of the icon
                rect.setLeft(rect.left() + widget.iconSize().width() + 4)
            return rect
    return None


def visible_texts(window: QWidget) -> list[tuple[str, QWidget, QRect]]:
    """Every enabled widget showing text in window, with its text rectangle in window's coordinates.
    Disabled controls are left out, as WCAG 1.4.3 leaves them out."""
    found = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or not widget.isEnabled() or widget.visibleRegion().isEmpty():
            continue
        rect = text_rect(widget)
        if rect is not None:
            rect &= widget.visibleRegion().boundingRect()  # what a scroll area or a parent does not cut off
        if rect is None or rect.isEmpty():
            continue
        name = widget.objectName() or getattr(widget, "text", lambda: "")() or type(widget).__name__
        found.append((f"{type(widget).__name__} {name[:40]!r}", widget, QRect(widget.mapTo(window, rect.topLeft()), rect.size())))
    return found


def grab(window: QWidget) -> QImage:
    """window as rendered, at one image pixel per logical pixel."""
    image = window.grab().toImage()
    if image.devicePixelRatio() != 1:
        image = image.scaled(window.size())
    return image


def texts_below(window: QWidget, minimum: float) -> list[Measure]:
    """Every visible text in window whose contrast is below minimum."""
    image = grab(window)
    measures = [text_contrast(what, image, rect) for what, _widget, rect in visible_texts(window)]
    return [measure for measure in measures if measure.ratio < minimum]


def fields(window: QWidget) -> list[QWidget]:
    """The visible, enabled text fields and drop-down lists in window: controls known only by their border."""
    return [
        widget
        for widget in window.findChildren(QLineEdit) + window.findChildren(QComboBox)
        if widget.isVisible() and widget.isEnabled() and not isinstance(widget.parentWidget(), QComboBox)
    ]


def borders_below(window: QWidget, minimum: float) -> list[Measure]:
    """Every field in window whose border stands out from its surroundings by less than minimum."""
    image = grab(window)
    measures = [
        edge_contrast(f"{type(field).__name__} {field.accessibleName() or field.objectName()!r} border", image,
                      QRect(field.mapTo(window, QPoint(0, 0)), field.size()))
        for field in fields(window)
    ]
    return [measure for measure in measures if measure.ratio < minimum]


def check_boxes(window: QWidget) -> list[tuple[str, QRect]]:
    """Every visible, enabled, unchecked tick box and round choice in window (QCheckBox, QRadioButton and list
    items), in window's coordinates: unchecked, a box is known only by its border."""
    found = []
    indicators = {QCheckBox: QStyle.SubElement.SE_CheckBoxIndicator, QRadioButton: QStyle.SubElement.SE_RadioButtonIndicator}
    for box in window.findChildren(QCheckBox) + window.findChildren(QRadioButton):
        if box.isVisible() and box.isEnabled() and not box.isChecked():
            option = QStyleOptionButton()
            option.initFrom(box)
            rect = box.style().subElementRect(indicators[type(box)], option, box)
            found.append((f"choice {box.text()!r}", rect.translated(box.mapTo(window, QPoint(0, 0)))))
    for view in window.findChildren(QListWidget):
        for row in range(view.count() if view.isVisible() else 0):
            item = view.item(row)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() == Qt.CheckState.Unchecked:
                option = QStyleOptionViewItem()
                option.initFrom(view)
                option.rect = view.visualItemRect(item)
                option.features = QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
                rect = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
                found.append((f"tick box of {item.text()[:30]!r}", rect.translated(view.viewport().mapTo(window, QPoint(0, 0)))))
    return found


def check_boxes_below(window: QWidget, minimum: float) -> list[Measure]:
    """Every unchecked tick box in window whose box stands out from what is around it by less than minimum."""
    image = grab(window)
    measures = [edge_contrast(what, image, rect) for what, rect in check_boxes(window)]
    return [measure for measure in measures if measure.ratio < minimum]


def focus_change(what: str, before: QImage, after: QImage, rect: QRect) -> Measure:
    """How much a focus indicator changes the look of rect, between an image before the widget had focus and one
    after: the contrast that at least a 1-pixel ring around rect's perimeter changed by (WCAG 2.4.13's measure).
    A ring too faint or too small to see measures near 1:1."""
    area = rect.adjusted(-2, -2, 2, 2)
    changes = sorted(
        (contrast_ratio(old, new), new, old)
        for old, new in zip(pixels(before, area), pixels(after, area), strict=True)
    )
    perimeter = 2 * (rect.width() + rect.height())
    ratio, new, old = changes[-perimeter] if len(changes) >= perimeter else changes[0]
    return Measure(what, new, old, ratio)


def fusion_dark_palette() -> QPalette:
    """A dark palette as dark themes for Qt's Fusion style set it: light text on dark grey."""
    palette = QPalette(QColor("#353535"))  # window and buttons; Qt works out the shades
    role = QPalette.ColorRole
    for name, colour in (
        (role.Window, "#353535"), (role.WindowText, "#ffffff"), (role.Base, "#2a2a2a"),
        (role.AlternateBase, "#424242"), (role.Text, "#ffffff"), (role.ButtonText, "#ffffff"),
        (role.ToolTipBase, "#353535"), (role.ToolTipText, "#ffffff"), (role.BrightText, "#ff4444"),
        (role.Link, "#2a82da"), (role.Highlight, "#2a82da"), (role.HighlightedText, "#ffffff"),
        (role.PlaceholderText, "#8c8c8c"),
    ):
        palette.setColor(name, QColor(colour))
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, name, QColor("#7f7f7f"))
    return palette
