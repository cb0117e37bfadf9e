"""Every page and dialog of the window, opened the way a user reaches it, with the longest text a user can give.

The checks for clipped text, large fonts, scaling and translation walk these screens; the screenshots too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from qbdesk.core.destinations import Destination
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.style import sized_style_sheet

# The longest name the rules allow (100 characters), in words as people write them, and a long company name.
LONG_NAME = "Northwind Traders International Holdings \u2013 Accounts Payable and Receivable Reconciliation Team A-001"
LONG_COMPANY = (
    "Contoso Consolidated Accounting and Bookkeeping Services for Small Businesses of the Greater "
    "Metropolitan Area LLC"
)
WIDEST_WINDOW = 1000  # logical px: the window and every dialog must fit a screen this wide
USUAL_HEIGHT = 700  # logical px: what a laptop screen leaves for a window; content that needs more must scroll


@contextmanager
def text_size(points: float | None) -> Iterator[None]:
    """The application's font at `points` (None: as it is) with qbdesk's style sheet sized for it."""
    app = QApplication.instance()
    before = QFont(app.font())
    if points is not None:
        font = QFont(before)
        font.setPointSizeF(points)
        app.setFont(font)
    app.setStyleSheet(sized_style_sheet(app.font()))
    try:
        yield
    finally:
        app.setStyleSheet("")
        app.setFont(before)


def open_long_window(context, open_window) -> MainWindow:
    """The window with one credential holding the longest name and a long company name."""
    credential = context.credentials.create_pending(LONG_NAME, Destination.SANDBOX)
    context.credentials.record_test_passed(credential.id, LONG_COMPANY)
    return open_window(context)


def _quickbooks(window: MainWindow) -> QWidget:
    window.show_quickbooks()
    window.quickbooks_page.table.selectRow(0)
    return window


def _stage_one(window: MainWindow) -> QWidget:
    window.show_create()
    page = window.services.create_page
    page.name_field.setText(LONG_NAME[:-1] + "2")
    page.sandbox_choice.setChecked(True)
    return window


def _stage_two(window: MainWindow) -> QWidget:
    _stage_one(window)
    window.services.create_page.go_next()
    return window


def _reconnect(window: MainWindow) -> QWidget:
    window.show_reconnect(window.model.credentials()[0])
    return window


def _integrations(window: MainWindow) -> QWidget:
    window.show_integrations()
    return window


def _settings(window: MainWindow) -> QWidget:
    window.open_settings()
    return window.settings_dialog


def _audit_log(window: MainWindow) -> QWidget:
    window.open_audit_log()
    return window.audit_dialog


def _shortcuts(window: MainWindow) -> QWidget:
    window.help_menu.open_shortcuts()
    return window.help_menu.shortcuts_dialog


def _about(window: MainWindow) -> QWidget:
    window.help_menu.open_about()
    return window.help_menu.about_dialog


def _user_guide(window: MainWindow) -> QWidget:
    window.help_menu.open_user_guide()
    return window.help_menu.guide


SCREENS: dict[str, Callable[[MainWindow], QWidget]] = {
    "integrations": _integrations,
    "quickbooks": _quickbooks,
    "create-stage-1": _stage_one,
    "create-stage-2": _stage_two,
    "reconnect": _reconnect,
    "settings": _settings,
    "audit-log": _audit_log,
    "keyboard-shortcuts": _shortcuts,
    "about": _about,
    "user-guide": _user_guide,
}


def at_narrowest(shown: QWidget) -> int:
    """Make a screen as narrow as it allows, USUAL_HEIGHT tall unless it needs more; the width, in logical px."""
    for _ in range(2):  # twice: a part that rearranges itself for the narrower width asks for more height
        narrowest = shown.minimumSizeHint().expandedTo(shown.minimumSize())
        shown.resize(narrowest.width(), max(narrowest.height(), USUAL_HEIGHT))
        QApplication.processEvents()
    return shown.width()


def show_screen(window: MainWindow, name: str) -> QWidget:
    """Open one screen and lay it out; the top-level widget that shows it."""
    shown = SCREENS[name](window)
    shown.show()
    QApplication.processEvents()
    return shown


def close_screen(window: MainWindow, shown: QWidget) -> None:
    """Close a dialog opened by show_screen (the window itself stays)."""
    if shown is not window:
        shown.close()  # kept, not deleted: the Help menu opens its user guide again
    QApplication.processEvents()
