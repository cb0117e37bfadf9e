"""The window keeps desktop conventions: a Credential menu, tooltips, Alt mnemonics without clashes, a title
naming the page, a Rename dialog that says what it renames, a reconnect finished only when signed in, and
the README's keyboard table in step with the window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QPushButton, QTabWidget, QWidget
from screens import WALKED, describe, open_screen, window_with_credentials

from qbdesk.ui.shortcuts_dialog import ShortcutsDialog

pytestmark = pytest.mark.gui

README = Path(__file__).resolve().parents[2] / "README.md"
PAGES = ("integrations", "credentials", "create-stage-1", "create-stage-2")


def letter(text: str) -> str:
    """The Alt letter of a label ("" when it has none)."""
    return QKeySequence.mnemonic(text).toString().rpartition("+")[2].lower()


def test_the_credential_menu_holds_every_credential_action_with_its_key(qtbot, world, open_window):
    window = window_with_credentials(qtbot, world, open_window)
    actions = window.services.actions
    menu = window.credential_menu
    assert menu.title().replace("&", "") == "Credential" and menu.isEnabled()
    credential_actions, separator, test_all = menu.actions()[:-2], *menu.actions()[-2:]
    assert credential_actions == list(actions.all)  # the very actions of the list's context menu
    assert separator.isSeparator() and test_all is window.services.check_all.action
    assert test_all.shortcut().toString() == "Ctrl+Shift+T"
    assert window.quickbooks_page.table.actions() == list(actions.all)
    keys = {a.text().replace("&", ""): a.shortcut().toString() for a in credential_actions}
    assert keys == {
        "Test connection": "Ctrl+T", "Reconnect\u2026": "Ctrl+Shift+R", "Rename\u2026": "F2",
        "Delete\u2026": QKeySequence(QKeySequence.StandardKey.Delete).toString(), "Copy realm id": "Ctrl+Shift+C",
        "Copy credential id": "",
    }
    assert all(a.isEnabled() for a in credential_actions)  # a connected credential is selected
    window.show_integrations()
    assert not menu.isEnabled()  # the actions work on the list's selection, offered while the list is shown
    window.show_quickbooks()
    assert menu.isEnabled()


def test_toolbar_buttons_explain_themselves_and_give_their_key(qtbot, world, open_window):
    window = window_with_credentials(qtbot, world, open_window)
    for action, widget in window.services.actions.buttons.items():
        tip = widget.toolTip()
        assert len(tip) > 25 and tip == action.toolTip(), describe(widget)
        assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in tip


def on_other_tab(widget: QWidget) -> bool:
    """The widget sits on a tab that is not shown: its Alt letter works only once that tab is chosen."""
    for tabs in widget.window().findChildren(QTabWidget):
        for index in range(tabs.count()):
            if index != tabs.currentIndex() and tabs.widget(index).isAncestorOf(widget):
                return True
    return False


@pytest.mark.parametrize("screen", WALKED)
def test_push_buttons_have_alt_letters_that_do_not_clash(qtbot, world, open_window, answered_dialogs, screen):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, screen)
    page = window.pages.currentWidget() if top is window else top
    # On this page, also those it shows later, and the window's own (the keychain banner's) around the pages.
    buttons = [b for b in top.findChildren(QPushButton) if b.window() is top and not on_other_tab(b)
               and (page.isAncestorOf(b) or not window.pages.isAncestorOf(b))]
    ours = [b for b in buttons if b.property("role") != "crumb" and b.objectName() != "integrationCard"
            and not isinstance(b.parent(), QDialogButtonBox)]
    if top is window:
        assert not [describe(b) for b in ours if not letter(b.text())], "a button without an Alt letter"
    letters = [letter(b.text()) for b in buttons if letter(b.text())]
    if top is window:
        letters += [letter(m.title()) for m in window.menuBar().findChildren(type(window.credential_menu))
                    if m.menuAction().isVisible() and m.parent() is window.menuBar()]
    clashes = {c for c in letters if letters.count(c) > 1}
    assert not clashes, f"Alt+{clashes} means two things on {screen}"


def test_mnemonics_keep_the_seed_words(qtbot, world, open_window, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    open_screen(qtbot, window, "create-stage-2")
    page = window.services.create_page
    shown = {b.text().replace("&", "") for b in (
        page.next_button, page.create_button, page.sign_in.go_button, window.quickbooks_page.configure_button)}
    assert shown == {"Next", "Create credential", "Go to QuickBooks", "Configure new credentials"}
    assert page.title.text() == "Configure new credentials"
    assert [w.text() for w in page.indicator._labels] == [
        "Stage 1: Select a system and name", "Stage 2: Configure and create"]


def test_the_window_title_names_the_page(qtbot, world, open_window, browser):
    window = window_with_credentials(qtbot, world, open_window)
    assert window.windowTitle() == "Credentials - qbdesk"
    window.show_integrations()
    assert window.windowTitle() == "Integrations - qbdesk"
    window.show_create()
    assert window.windowTitle() == "New credential - qbdesk"
    window.services.create_page.cancel()
    window.services.actions.reconnect.trigger()
    assert window.windowTitle() == "Reconnect - qbdesk"


def test_rename_names_the_credential_and_fits_a_long_name(qtbot, world, open_window, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, "rename")
    assert "\u201cAcme Books\u201d" in top.labelText() and top.textValue() == "Acme Books"
    assert top.width() >= top.fontMetrics().averageCharWidth() * 50 >= 300
    top.close()


def test_done_waits_for_the_reconnect_to_sign_in(qtbot, world, open_window, browser, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    window.services.actions.reconnect.trigger()
    page = window.services.create_page
    assert page.create_button.text().replace("&", "") == "Done"
    assert not page.create_button.isEnabled() and "Go to QuickBooks" in page.create_button.toolTip()
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    assert page.create_button.isEnabled()


def readme_shortcuts() -> list[tuple[str, str]]:
    section = README.read_text(encoding="utf-8").split("### Keyboard shortcuts", 1)[1].split("\n#", 1)[0]
    return [(keys, what.strip()) for keys, what in re.findall(r"^\| `([^`]+)` \|(.+)\|$", section, re.MULTILINE)]


def test_the_readme_lists_the_keys_the_window_answers_to(qtbot, world, open_window):
    window = window_with_credentials(qtbot, world, open_window)
    assert readme_shortcuts() == ShortcutsDialog(window).rows()
