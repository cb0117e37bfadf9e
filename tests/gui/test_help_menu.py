"""The Help menu: user guide (F1), keyboard shortcuts, data folder and log, diagnostic report, About."""

from __future__ import annotations

import logging
import re

import pytest
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel

from qbdesk import __version__
from qbdesk.core.destinations import Destination
from qbdesk.log import configure_logging
from qbdesk.store.vault import load_tokens
from qbdesk.ui.main_window import MainWindow
from qbdesk.ui.shortcuts_dialog import window_shortcuts

from consent import approve_in_browser
from desktop_stand_in import DesktopStandIn

pytestmark = pytest.mark.gui


@pytest.fixture
def desktop(tmp_path, monkeypatch):
    return DesktopStandIn(tmp_path / "desktop").install(monkeypatch)


@pytest.fixture
def window(world, open_window):
    return open_window(world.open())


@pytest.fixture
def logging_to_data_folder(window):
    configure_logging(window.services.context.data_dir)
    yield window.services.context.data_dir / "qbdesk.log"
    root = logging.getLogger("qbdesk")
    for handler in [h for h in root.handlers if getattr(h, "qbdesk_handler", False)]:
        root.removeHandler(handler)
        handler.close()


def help_items(window) -> list[str]:
    menu = window.help_menu.menu
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_help_is_the_last_menu_and_holds_every_item(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[-1] == "Help"
    assert help_items(window) == [
        "User guide", "Keyboard shortcuts", "Open data folder", "Open log file", "Copy diagnostic report",
        "About qbdesk",
    ]


def test_f1_opens_the_user_guide_in_the_window_without_network(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.help_menu.guide
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    for heading in ("Set up your Intuit app and its keys", "Create a credential", "Look after credentials",
                    "Use a credential in other tools", "Messages and what to do"):
        assert heading in text
    assert "prefers-color-scheme" not in guide.browser.toHtml()  # the browser's style sheet stays out
    guide.find_field.setText("No keychain is available")
    guide.find_next()
    assert guide.browser.textCursor().selectedText() == "No keychain is available"
    guide.find_field.setText("words that are nowhere")
    guide.find_next()
    assert guide.find_result.text() == "Not found"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help_menu.guide is guide  # one guide window, brought forward again
    guide.close()


def test_the_guides_web_links_open_in_the_users_browser(qtbot, window, desktop):
    window.help_menu.open_user_guide()
    guide = window.help_menu.guide
    guide.follow(QUrl("https://developer.intuit.com/app/developer/dashboard"))
    assert desktop.opened()["args"] == ["https://developer.intuit.com/app/developer/dashboard"]
    guide.follow(QUrl("#messages"))  # a section link stays in the window
    assert not desktop.record.exists()
    guide.close()


def test_the_guide_is_coloured_for_a_dark_palette(qtbot, window):
    from PySide6.QtGui import QColor, QPalette

    from qbdesk.ui.colours import contrast
    from qbdesk.ui.user_guide import theme_css

    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1f21"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e4e6e8"))
    light = QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#1d1f21"))
    assert "color: #e4e6e8" in theme_css(dark) and "color: #1d1f21" in theme_css(light)
    for palette in (dark, light):
        link = QColor(re.search(r"a \{ color: (#[0-9a-f]{6})", theme_css(palette)).group(1))
        assert contrast(link, palette.color(QPalette.ColorRole.Base)) >= 4.5


def test_keyboard_shortcuts_lists_the_windows_real_keys(qtbot, window):
    window.help_menu.shortcuts_action.trigger()
    dialog = window.help_menu.shortcuts_dialog
    rows = dict(dialog.rows())
    native = lambda keys: QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)  # noqa: E731
    assert rows[native("Ctrl+N")] == "New credential"
    assert rows[native("Ctrl+,")] == "Settings"
    assert rows[native("Alt+Left")] == "Go up one level"
    assert rows[native("Ctrl+T")] == "Test connection (in the credential list)"
    assert rows[native("Ctrl+F")] == "Search names, companies and realm ids (in the credential list)"
    assert rows[native("Esc")] in ("Cancel (on the New credential page)", "Close a dialog without changing anything")
    assert any(keys.startswith(native("F1")) or native("F1") in keys for keys in rows)
    dialog.close()


def test_a_new_shortcut_appears_without_editing_the_dialog(window):
    window.addAction(QAction("Refresh everything", window, shortcut=QKeySequence("Ctrl+Shift+F5")))
    found = {s.keys: s.description for s in window_shortcuts(window)}
    assert found[QKeySequence("Ctrl+Shift+F5").toString(QKeySequence.SequenceFormat.NativeText)] == "Refresh everything"


def test_every_shortcut_says_what_it_does(window):
    window.show_quickbooks()
    window.show_create()
    assert all(s.description for s in window_shortcuts(window)), window_shortcuts(window)


def test_open_data_folder_shows_it_in_the_users_file_manager(qtbot, window, desktop):
    window.help_menu.data_folder_action.trigger()
    assert desktop.opened()["args"] == [str(window.services.context.data_dir.resolve())]
    assert str(window.services.context.data_dir) in window.statusBar().currentMessage()


def test_open_log_file_opens_the_file_qbdesk_writes(qtbot, window, desktop, logging_to_data_folder):
    logging.getLogger("qbdesk.test").warning("something for the log")
    window.help_menu.log_file_action.trigger()
    assert desktop.opened()["args"] == [str(logging_to_data_folder.resolve())]


def test_a_log_not_written_yet_is_explained(window, desktop, answered_dialogs):
    window.help_menu.open_log_file()
    assert answered_dialogs.errors and "does not exist yet" in answered_dialogs.errors[0]


def test_without_a_program_to_open_folders_the_user_learns_where_it_is(window, answered_dialogs, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no xdg-open, no gio
    window.help_menu.open_data_folder()
    assert answered_dialogs.errors and str(window.services.context.data_dir) in answered_dialogs.errors[0]


def test_before_the_services_are_attached_the_folder_items_wait(qtbot, world, desktop):
    window = MainWindow([], lambda: None)
    qtbot.addWidget(window)
    window.help_menu.menu.aboutToShow.emit()
    assert not window.help_menu.data_folder_action.isEnabled()
    window.help_menu.open_data_folder()
    assert "still opening" in window.statusBar().currentMessage()
    assert not desktop.record.exists()


def test_copy_diagnostic_report_copies_it_without_any_secret(qtbot, window, world, logging_to_data_folder):
    context = window.services.context
    credential = context.credentials.create_pending("Acme", Destination.SANDBOX)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    qtbot.waitUntil(lambda: context.credentials.get(credential.id).realm_id is not None, timeout=10000)
    access, refresh = load_tokens(context.vault, credential.id)
    secret = context.settings.client_secret(Destination.SANDBOX)
    logging.getLogger("qbdesk.test").warning("leaked by a library: %s %s %s", access, refresh, secret)
    QGuiApplication.clipboard().clear()

    window.help_menu.report_action.trigger()
    qtbot.waitUntil(lambda: "report copied" in window.statusBar().currentMessage(), timeout=10000)
    report = QGuiApplication.clipboard().text()
    assert report.startswith(f"qbdesk {__version__}")
    assert f"Qt: {qVersion()}" in report
    assert "PySide6:" in report and "Keychain backend: memory_keyring.MemoryKeyring" in report
    assert "leaked by a library" in report
    for value in (access, refresh, secret):
        assert value not in report


def test_about_shows_version_licence_links_and_notices(qtbot, window, desktop):
    from qbdesk import licences

    window.help_menu.about_action.trigger()
    about = window.help_menu.about_dialog
    assert about.isVisible()
    assert about.windowTitle() == "About qbdesk"
    summary = about.tabs.widget(0)
    texts = " ".join(label.text() for label in summary.findChildren(QLabel))
    assert f"qbdesk {__version__}" in texts and f"Licence: {licences.QBDESK_LICENCE}" in texts
    assert about.licence.toPlainText() == licences.licence_text()
    assert about.notices.toPlainText() == licences.third_party_notices()
    assert [about.tabs.tabText(i).replace("&", "") for i in range(3)] == ["About", "Licence", "Third-party notices"]
    about.links[0].linkActivated.emit("https://developer.intuit.com/app/developer/dashboard")
    assert desktop.opened()["args"] == ["https://developer.intuit.com/app/developer/dashboard"]
    about.close()
