"""qbdesk's look: one style sheet and the few colours the pages share."""

ACCENT = "#2c7a4b"
DANGER = "#b3261e"
MUTED = "#5f6368"

STYLE_SHEET = f"""
QWidget#page {{ background: palette(base); }}
QLabel[role="title"] {{ font-size: 20px; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: 15px; font-weight: 600; }}
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
    border-radius: 4px; padding: 6px 14px; font-weight: 600; }}
QPushButton[role="primary"]:disabled {{ background: #a9c9b5; border-color: #a9c9b5; }}
QPushButton[role="primary"]:focus {{ border: 2px solid #16402a; }}
QPushButton#integrationCard {{ text-align: left; padding: 14px; border: 1px solid palette(mid);
    border-radius: 8px; background: palette(base); font-size: 14px; }}
QPushButton#integrationCard:hover, QPushButton#integrationCard:focus {{ border: 2px solid {ACCENT}; }}
QPushButton[role="crumb"] {{ border: none; color: {ACCENT}; text-decoration: underline; padding: 0 2px; }}
"""
