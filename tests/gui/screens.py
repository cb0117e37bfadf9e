"""Every page and dialog of the window, opened the way a user reaches it, for the checks that must hold on all
of them: keyboard, screen readers and Alt letters, and room for large text, 2x scaling and longer languages.

The screenshots of large text walk the same screens. A new screen joins every check by an entry in SCREENS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAccessible, QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QRadioButton, QWidget

from qbdesk.core.destinations import Destination
from qbdesk.core.problems import NextStep
from qbdesk.services.key_check import KeyCheck, KeyVerdict
from qbdesk.services.transfer import passphrase_problem
from qbdesk.ui import dialogs
from qbdesk.ui.core_words import destination_word
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.style import apply_style
from qbdesk.ui.transfer_dialogs import ImportDialog, MoveDialog, PassphraseDialog

from steps import connect

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
    """The application's font at `points` (None: as it is), styled as qbdesk styles it (sizes follow the font)."""
    app = QApplication.instance()
    before = QFont(app.font())
    if points is not None:
        font = QFont(before)
        font.setPointSizeF(points)
        app.setFont(font)
    apply_style(app).restyle()
    try:
        yield
    finally:
        app.setFont(before)
        app.setStyleSheet("")


def open_long_window(context, open_window) -> MainWindow:
    """The window with one credential holding the longest name and a long company name."""
    credential = context.credentials.create_pending(LONG_NAME, Destination.SANDBOX)
    context.credentials.record_test_passed(credential.id, LONG_COMPANY)
    return open_window(context)


def window_with_credentials(qtbot, world, open_window) -> MainWindow:
    """The window on its credential list: one connected credential (selected) and one incomplete."""
    context = world.open()
    connected = connect(context, "Acme Books")
    connect(context, "Northwind", Destination.PRODUCTION)
    window = open_window(context)
    window.show_quickbooks()
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 2, timeout=5000)
    window.quickbooks_page.select(connected)
    return window


def _translate(text: str) -> str:
    return QCoreApplication.translate("TransferFlow", text)


def _rows(window: MainWindow) -> list[tuple[str, str]]:
    """The window's credentials as the move and import dialogs list them."""
    return [(c.id, f"{c.name} \u2014 {destination_word(c.destination)}, {c.company_name or c.realm_id or ''}")
            for c in window.model.credentials()]


def _quickbooks(window: MainWindow) -> QWidget:
    window.show_quickbooks()
    if window.quickbooks_page.selected() is None:
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


def _settings_key_check(window: MainWindow) -> QWidget:
    """Settings after Intuit refused the keys: the longest verdict the key check gives."""
    dialog = _settings(window)
    panel = dialog.key_check
    panel._show(panel.verdict_text(KeyCheck(KeyVerdict.WRONG_KEYS, "", NextStep.CHECK_SETUP)), "problem")
    return dialog


def _setup_guide(window: MainWindow) -> QWidget:
    window.open_setup_guide(Destination.PRODUCTION)
    return window.setup_guide


def _audit_log(window: MainWindow) -> QWidget:
    window.open_audit_log()
    return window.audit_dialog


def _rename(window: MainWindow) -> QWidget:
    """The dialog Rename shows for the selected credential, built without its blocking exec()."""
    _quickbooks(window)
    asked = []
    real = dialogs.ask_text
    dialogs.ask_text = lambda parent, title, prompt, text, problem: asked.append((title, prompt, text))
    try:
        window.services.actions.rename.trigger()
    finally:
        dialogs.ask_text = real
    return dialogs.text_dialog(window, *asked[-1])


def _move(window: MainWindow) -> QWidget:
    return MoveDialog(_rows(window), window)


def _passphrase(window: MainWindow) -> QWidget:
    return PassphraseDialog(
        _translate("Passphrase for the file"),
        _translate("Choose a passphrase of at least 10 characters. You need it to import the file on the other "
                   "computer; qbdesk cannot recover it."),
        True, passphrase_problem, window)


def _import(window: MainWindow) -> QWidget:
    rows = [text for _, text in _rows(window)]
    summary = QCoreApplication.translate("TransferFlow", "%1 holds %n credential(s):", "", len(rows)).replace(
        "%1", "qbdesk-credentials.qbdesk")
    names = [c.name for c in window.model.credentials()]
    return ImportDialog(summary, rows, names, window)


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
    "credentials": _quickbooks,
    "create-stage-1": _stage_one,
    "create-stage-2": _stage_two,
    "reconnect": _reconnect,
    "settings": _settings,
    "settings-key-check": _settings_key_check,
    "setup-guide": _setup_guide,
    "audit-log": _audit_log,
    "rename": _rename,
    "move-credentials": _move,
    "move-passphrase": _passphrase,
    "import-credentials": _import,
    "keyboard-shortcuts": _shortcuts,
    "about": _about,
    "user-guide": _user_guide,
}
# The screens the keyboard, screen-reader and Alt-letter walks visit: the user guide needs QtWebEngine and has
# its own tests (test_help_menu.py).
WALKED = tuple(name for name in SCREENS if name != "user-guide")


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


def open_screen(qtbot, window: MainWindow, name: str) -> QWidget:
    """Show one screen as the active window with the focus in it; the top-level widget that holds it."""
    top = show_screen(window, name)
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow)
    if QApplication.focusWidget() is None:
        top.focusNextChild()
    return top


def at_narrowest(shown: QWidget) -> int:
    """Make a screen as narrow as it allows, USUAL_HEIGHT tall unless it needs more; the width, in logical px."""
    for _ in range(2):  # twice: a part that rearranges itself for the narrower width asks for more height
        narrowest = shown.minimumSizeHint().expandedTo(shown.minimumSize())
        shown.resize(narrowest.width(), max(narrowest.height(), USUAL_HEIGHT))
        QApplication.processEvents()
    return shown.width()


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
