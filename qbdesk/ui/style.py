"""qbdesk's look: one style sheet and the few colours the pages share; sizes follow the font in use."""

from PySide6.QtGui import QFont, QFontMetrics

ACCENT = "#2c7a4b"
DANGER = "#b3261e"
MUTED = "#5f6368"

STYLE_SHEET = f"""
QWidget#page {{ background: palette(base); }}
QLabel[role="title"] {{ font-weight: 600; }}
QLabel[role="heading"] {{ font-weight: 600; }}
QLabel[role="subtitle"] {{ color: {MUTED}; }}
QLabel[role="problem"] {{ color: {DANGER}; }}
QLabel[role="hint"] {{ color: {MUTED}; }}
QFrame[role="panel"] {{ border: 1px solid palette(mid); border-radius: 6px; background: palette(window); }}
QFrame[role="info"] {{ border: 1px solid #9ec5e8; border-radius: 6px; background: #eef5fc; }}
QFrame[role="warning"] {{ border: 1px solid #e0b252; border-radius: 6px; background: #fff6e0; }}
QFrame[role="success"] {{ border: 1px solid #8cc8a0; border-radius: 6px; background: #edf8f0; }}
QLineEdit {{ padding: 3px; border: 1px solid palette(mid); border-radius: 3px; background: palette(base); }}
QLineEdit:focus {{ border: 2px solid {ACCENT}; }}
QLineEdit:read-only {{ background: palette(window); color: {MUTED}; }}
QRadioButton, QCheckBox {{ padding: 2px 4px; border-radius: 3px; }}
QRadioButton:focus, QCheckBox:focus {{ background: #e3f1e8; }}
QTableView:focus {{ border: 2px solid {ACCENT}; }}
QLabel#demoBanner {{ background: #fff1b8; color: #4a3b00; padding: 6px 12px; font-weight: 600; }}
QPushButton[role="primary"] {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT};
    border-radius: 4px; font-weight: 600; }}
QPushButton[role="primary"]:disabled {{ background: #a9c9b5; border-color: #a9c9b5; }}
QPushButton[role="primary"]:focus {{ border: 2px solid #16402a; }}
QPushButton#integrationCard {{ text-align: left; border: 1px solid palette(mid);
    border-radius: 8px; background: palette(base); }}
QPushButton#integrationCard:hover, QPushButton#integrationCard:focus {{ border: 2px solid {ACCENT}; }}
QPushButton[role="crumb"] {{ border: none; color: {ACCENT}; text-decoration: underline; padding: 0 2px; }}
"""


def sized_rules(font: QFont) -> str:
    """Text sizes and paddings as multiples of the font the user chose, so larger text scales the page with it."""
    points = font.pointSizeF() if font.pointSizeF() > 0 else QFontMetrics(font).height() * 0.75
    unit = QFontMetrics(font).height()  # one line of body text, in px
    return f"""
QLabel[role="title"] {{ font-size: {points * 1.6:.1f}pt; }}
QLabel[role="heading"] {{ font-size: {points * 1.2:.1f}pt; }}
QPushButton[role="primary"] {{ padding: {round(unit * 0.35)}px {round(unit * 0.9)}px; }}
QPushButton#integrationCard {{ padding: {round(unit * 0.9)}px; font-size: {points * 1.1:.1f}pt; }}
"""


def sized_style_sheet(font: QFont) -> str:
    """The whole style sheet for an application whose font is `font`."""
    return STYLE_SHEET + sized_rules(font)
