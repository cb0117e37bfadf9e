"""qbdesk's look: one style sheet, coloured from the palette and sized from the font, redone when either changes."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle
from shiboken6 import isValid

from qbdesk.ui.colours import Colours, asks_for_high_contrast

# Colours and sizes are {NAMES} filled in by style_sheet(); braces of the style sheet itself are doubled.
STYLE_TEMPLATE = """
QWidget#page {{ background: palette(base); }}
QLabel[role="title"] {{ font-size: {TITLE_SIZE}; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: {HEADING_SIZE}; font-weight: 600; }}
QLabel[role="subtitle"] {{ color: {MUTED}; }}
QLabel[role="problem"] {{ color: {DANGER}; }}
QLabel[role="hint"] {{ color: {MUTED}; }}
QFrame[role="panel"] {{ border: 1px solid palette(mid); border-radius: 6px; background: palette(window); }}
QFrame[role="info"] {{ border: 1px solid {INFO_BORDER}; border-radius: 6px; background: {INFO_BACK}; }}
QFrame[role="warning"] {{ border: 1px solid {WARNING_BORDER}; border-radius: 6px; background: {WARNING_BACK}; }}
QFrame[role="success"] {{ border: 1px solid {SUCCESS_BORDER}; border-radius: 6px; background: {SUCCESS_BACK}; }}
QLineEdit {{ padding: 3px; border: 1px solid {BORDER}; border-radius: 3px; background: palette(base);
    placeholder-text-color: {MUTED}; }}
QLineEdit:focus {{ border: 2px solid {FOCUS}; }}
QLineEdit:read-only {{ background: palette(window); color: {MUTED}; }}
QRadioButton, QCheckBox {{ padding: 2px 4px; border-radius: 3px; border: 2px solid transparent; }}
QRadioButton:focus, QCheckBox:focus {{ border-color: {FOCUS}; }}
QTableView {{ border: 1px solid palette(mid); padding: 1px; }}
QTableView:focus {{ border: 2px solid {FOCUS}; padding: 0; }}
QLabel#demoBanner {{ background: {WARNING_BACK}; color: palette(window-text); padding: 6px 12px; font-weight: 600;
    border-bottom: 1px solid {WARNING_BORDER}; }}
QPushButton[role="primary"] {{ background: {ACCENT_FILL}; color: {ON_ACCENT}; border: 1px solid {ACCENT_FILL};
    border-radius: 4px; padding: {PRIMARY_PADDING}; font-weight: 600; }}
QPushButton[role="primary"]:disabled {{ background: palette(button); border-color: {BORDER}; color: {MUTED}; }}
QPushButton[role="primary"]:focus {{ border: 2px solid palette(window-text); }}
QPushButton#integrationCard {{ text-align: left; padding: {CARD_PADDING}; border: 1px solid {BORDER};
    border-radius: 8px; background: palette(base); font-size: {CARD_SIZE}; }}
QPushButton#integrationCard:hover, QPushButton#integrationCard:focus {{ border: 2px solid {FOCUS}; }}
QPushButton[role="crumb"] {{ border: none; color: {ACCENT}; text-decoration: underline; padding: 0 2px; }}
QPushButton[role="crumb"]:focus {{ background: {ACCENT}; color: palette(window); }}
QComboBox {{ border: 1px solid {BORDER}; border-radius: 3px; padding: 2px 6px; background: palette(button); }}
QComboBox:focus {{ border: 2px solid {FOCUS}; }}
QLabel[stage="done"] {{ color: {ACCENT}; }}
QLabel[stage="upcoming"] {{ color: {MUTED}; }}
*[stageBadge="done"] {{ background: {ACCENT_FILL}; color: {ON_ACCENT}; }}
*[stageBadge="current"] {{ border: 2px solid {ACCENT}; color: {ACCENT}; }}
*[stageBadge="upcoming"] {{ border: 1px solid {MUTED}; color: {MUTED}; }}
"""


def sizes(font: QFont) -> dict[str, str]:
    """Text sizes and paddings as multiples of the font the user chose, so larger text scales the page with it."""
    points = font.pointSizeF() if font.pointSizeF() > 0 else QFontMetrics(font).height() * 0.75
    unit = QFontMetrics(font).height()  # one line of body text, in px
    return {
        "TITLE_SIZE": f"{points * 1.6:.1f}pt",
        "HEADING_SIZE": f"{points * 1.2:.1f}pt",
        "PRIMARY_PADDING": f"{round(unit * 0.35)}px {round(unit * 0.9)}px",
        "CARD_PADDING": f"{round(unit * 0.9)}px",
        "CARD_SIZE": f"{points * 1.1:.1f}pt",
    }


def style_sheet(palette: QPalette, high_contrast: bool = False, font: QFont | None = None) -> str:
    """qbdesk's style sheet in colours that read on this palette and sizes that follow this font (the
    application's when none is given)."""
    chosen = font if font is not None else QGuiApplication.font()
    return STYLE_TEMPLATE.format(**Colours.from_palette(palette, high_contrast).names(), **sizes(chosen))


INDICATOR_METRICS = (QStyle.PixelMetric.PM_IndicatorWidth, QStyle.PixelMetric.PM_IndicatorHeight,
                     QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, QStyle.PixelMetric.PM_ExclusiveIndicatorHeight)


class TickBoxStyle(QProxyStyle):
    """Fusion with tick boxes and round choices whose outline stands out at 3:1: Fusion outlines them in a shade
    of the window colour that all but vanishes (1.2:1 in a dark palette), so an unticked box showed no box."""

    def __init__(self) -> None:
        super().__init__("Fusion")
        self._borders: dict[int, QColor] = {}  # by palette, worked out once each

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 - Qt's name
        """Boxes and rings grow with the text, so with large text they stay as easy to see and hit as the words."""
        size = super().pixelMetric(metric, option, widget)
        if metric in INDICATOR_METRICS:
            font = widget.font() if widget is not None else QApplication.font()
            size = max(size, round(QFontMetrics(font).height() * 0.8))
        return size

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 - Qt's name
        super().drawPrimitive(element, option, painter, widget)
        shapes = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorRadioButton)
        if element not in shapes or not option.state & QStyle.StateFlag.State_Enabled:
            return  # a disabled box stays faint, as it should
        key = option.palette.cacheKey()
        if key not in self._borders:
            self._borders[key] = Colours.from_palette(option.palette, asks_for_high_contrast()).border
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, element == shapes[1])
        painter.setPen(QPen(self._borders[key], 1.0 if element == shapes[0] else 1.5))  # a smoothed circle needs more
        painter.setBrush(Qt.BrushStyle.NoBrush)
        box = option.rect.adjusted(0, 0, -1, -1)
        if element == shapes[0]:
            painter.drawRect(box)
        else:
            painter.drawEllipse(QRectF(box).adjusted(0.75, 0.75, -0.25, -0.25))
        painter.restore()


def _with_visible_tick_boxes(app: QGuiApplication) -> None:
    """Put TickBoxStyle in place of plain Fusion; other styles draw their boxes well enough themselves."""
    if isinstance(app, QApplication) and not isinstance(app.style(), TickBoxStyle):
        if app.style().name().lower() == "fusion":
            app.setStyle(TickBoxStyle())


class ColourFollower(QObject):
    """Keeps the application's style sheet in the colours of its palette and the sizes of its font: redone when
    the palette, the font, the system's colour scheme (light or dark) or its contrast preference changes while
    qbdesk is open."""

    restyled = Signal()  # the style sheet was worked out again

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self._app = app
        self._restyling = False
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self.restyle)
        if hasattr(hints, "accessibility"):
            hints.accessibility().contrastPreferenceChanged.connect(self.restyle)
        # Not an event filter on the application: that would see every event of every object.
        app.paletteChanged.connect(self.restyle)
        app.fontChanged.connect(self.restyle)  # a larger text size grows titles, headings and paddings with it
        self.restyle()

    def restyle(self, *_changed: object) -> None:
        if self._restyling:  # setting the sheet may itself announce a palette change
            return
        self._restyling = True
        try:
            sheet = style_sheet(self._app.palette(), asks_for_high_contrast(), self._app.font())
            if sheet != self._app.styleSheet():
                self._app.setStyleSheet(sheet)
        finally:
            self._restyling = False
        self.restyled.emit()


_followers: list[ColourFollower] = []  # not app.findChild(): its first call costs tens of milliseconds at start-up


def apply_style(app: QGuiApplication) -> ColourFollower:
    """Style the application now and whenever its colours or font change; the follower lives as long as app."""
    _followers[:] = [f for f in _followers if isValid(f) and f.parent() is app]
    _with_visible_tick_boxes(app)
    if not _followers:
        _followers.append(ColourFollower(app))
    return _followers[0]
