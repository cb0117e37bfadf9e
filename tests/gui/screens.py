"""Every page and dialog of the main window, opened one at a time with something in it, for the checks
that must hold on all of them (keyboard, screen readers, mnemonics)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QRadioButton, QWidget

from qbdesk.core.destinations import Destination
from qbdesk.ui import dialogs

from steps import connect

SCREENS = (
    "integrations", "credentials", "create stage 1", "create stage 2",
    "settings", "audit log", "rename", "about", "shortcuts",
)


def window_with_credentials(qtbot, world, open_window):
    """The window on its credential list: one connected credential (selected) and one incomplete."""
    context = world.open()
    connected = connect(context, "Acme Books")
    connect(context, "Northwind", Destination.PRODUCTION)
    window = open_window(context)
    window.show_quickbooks()
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 2, timeout=5000)
    window.quickbooks_page.select(connected)
    return window


def open_screen(qtbot, window, screen: str, answered_dialogs) -> QWidget:
    """Show one screen and return the top-level window that holds it, active and with the focus in it."""
    top: QWidget = window
    if screen == "integrations":
        window.show_integrations()
    elif screen == "credentials":
        window.show_quickbooks()
    elif screen.startswith("create"):
        window.show_create()
        page = window.services.create_page
        qtbot.keyClicks(page.name_field, "Keyboard Co")
        page.sandbox_choice.setChecked(True)
        if screen.endswith("2"):
            page.go_next()
    elif screen == "settings":
        window.open_settings()
        top = window.settings_dialog
    elif screen == "audit log":
        window.open_audit_log()
        top = window.audit_dialog
    elif screen == "rename":
        answered_dialogs.texts = [None]
        window.services.actions.rename.trigger()
        title, prompt, text = answered_dialogs.prompts[-1]
        top = dialogs.text_dialog(window, title, prompt, text)  # the dialog rename would show
        qtbot.addWidget(top)
        top.show()
    elif screen == "about":
        window.help_menu.open_about()
        top = window.help_menu.about_dialog
    elif screen == "shortcuts":
        window.help_menu.open_shortcuts()
        top = window.help_menu.shortcuts_dialog
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow)
    if QApplication.focusWidget() is None:
        top.focusNextChild()
    return top


def skipped_by_tab(widget: QWidget) -> bool:
    """An unchecked radio button of an exclusive group: Tab reaches the group's checked one, arrows the rest."""
    if not isinstance(widget, QRadioButton) or widget.isChecked():
        return False
    group = widget.group()
    return group.exclusive() if group is not None else widget.autoExclusive()


def controls(top: QWidget, enabled_only: bool = True) -> list[QWidget]:
    """The widgets of this window a keyboard user works with: shown, taking focus by Tab, not stand-ins."""
    found = []
    for widget in top.findChildren(QWidget):
        if widget.window() is not top or not widget.isVisibleTo(top) or widget.focusProxy() is not None:
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or (enabled_only and not widget.isEnabled()):
            continue
        found.append(widget)
    return found


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    name = QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name) if widget else ""
    return f"{type(widget).__name__}({text or name or widget.objectName()!r})"
