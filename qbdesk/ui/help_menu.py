"""The Help menu: the user guide (F1), keyboard shortcuts, the data folder and log, a diagnostic report, About."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow

# user_apps, dialogs and workers are imported where an item is used: the menu is built for the first frame.

log = logging.getLogger("qbdesk.ui")
STILL_OPENING = QT_TRANSLATE_NOOP("HelpMenu", "qbdesk is still opening your data; try again in a moment.")
COPIED = QT_TRANSLATE_NOOP("HelpMenu", (
    "Diagnostic report copied to the clipboard. Paste it into your message to support; it contains no secrets."
))


def toolkit_versions() -> dict[str, str]:
    """The GUI libraries and how they run, for the diagnostic report."""
    app = QGuiApplication.instance()
    scheme = app.styleHints().colorScheme().name if app else "unknown"
    platform = QGuiApplication.platformName() if app else "none"
    return {"Qt": qVersion(), "PySide6": pyside_version, "Qt platform": platform, "Colour scheme": scheme}


class HelpMenu(QObject):
    """Owns the Help menu's actions and the windows they open; works before the services are attached."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.guide = None
        self.shortcuts_dialog = None
        self.about_dialog = None
        self._report_worker = None
        self.menu = window.menuBar().addMenu(self.tr("&Help"))

        def action(text: str, slot, shortcut=None) -> QAction:
            item = QAction(text, window, triggered=slot)
            if shortcut is not None:
                item.setShortcut(QKeySequence(shortcut))
            self.menu.addAction(item)
            return item

        self.user_guide_action = action(self.tr("&User guide"), self.open_user_guide, QKeySequence.StandardKey.HelpContents)
        if self.user_guide_action.shortcut() != QKeySequence("F1"):  # F1 as well where the platform has another key
            self.user_guide_action.setShortcuts([*self.user_guide_action.shortcuts(), QKeySequence("F1")])
        self.shortcuts_action = action(self.tr("&Keyboard shortcuts"), self.open_shortcuts, "Ctrl+/")
        self.menu.addSeparator()
        self.data_folder_action = action(self.tr("Open &data folder"), self.open_data_folder)
        self.log_file_action = action(self.tr("Open &log file"), self.open_log_file)
        self.report_action = action(self.tr("&Copy diagnostic report"), self.copy_report)
        self.menu.addSeparator()
        self.about_action = action(self.tr("&About qbdesk"), self.open_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self._service_actions = (self.data_folder_action, self.log_file_action, self.report_action)
        self.menu.aboutToShow.connect(self._update_enabled)

    @property
    def _context(self):
        services = self._window.services
        return None if services is None else services.context

    def _update_enabled(self) -> None:
        for item in self._service_actions:
            item.setEnabled(self._context is not None)

    def _say(self, message: str) -> None:
        self._window.statusBar().showMessage(message, 15000)

    # --- windows ---------------------------------------------------------------------------------

    def open_user_guide(self) -> None:
        from qbdesk.ui.user_guide import UserGuideWindow

        if self.guide is None:
            self.guide = UserGuideWindow(self._window)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def open_shortcuts(self) -> None:
        from qbdesk.ui.shortcuts_dialog import ShortcutsDialog

        self.shortcuts_dialog = ShortcutsDialog(self._window)  # built now: it lists the actions there are now
        self.shortcuts_dialog.open()

    def open_about(self) -> None:
        from qbdesk.ui.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self._window, self._window.windowIcon())
        self.about_dialog.open()

    # --- the data folder, the log and the report --------------------------------------------------

    def _open(self, path: Path, what: str) -> None:
        from qbdesk import user_apps
        from qbdesk.ui import dialogs

        try:
            opened = user_apps.open_in_user_app(path)
        except user_apps.CannotOpen:
            dialogs.error(self._window, self.tr("Cannot open the {what}").format(what=what),
                          self.tr("{path} does not exist yet. qbdesk creates it when it first needs it.").format(path=path))
            return
        if opened:
            self._say(self.tr("Opened the {what}: {path}").format(what=what, path=path))
        else:
            dialogs.error(self._window, self.tr("Cannot open the {what}").format(what=what),
                          self.tr("This computer has no program set up to open it. The {what} is {path}; "
                                  "open it from your file manager.").format(what=what, path=path))

    def open_data_folder(self) -> None:
        if self._context is None:
            self._say(self.tr(STILL_OPENING))
            return
        self._open(self._context.data_dir, self.tr("data folder"))

    def log_path(self) -> Path | None:
        """The file this qbdesk logs to (in demo mode, the one beside the demo folder)."""
        from qbdesk.log import LOG_FILENAME, log_file

        found = log_file()
        if found is None and self._context is not None:
            found = self._context.data_dir / LOG_FILENAME
        return found

    def open_log_file(self) -> None:
        if self._context is None:
            self._say(self.tr(STILL_OPENING))
            return
        self._open(self.log_path(), self.tr("log file"))

    def copy_report(self) -> None:
        """Build the report off the GUI thread (it reads files and the keychain), then copy it."""
        from qbdesk.ui.workers import run_in_background

        if self._context is None:
            self._say(self.tr(STILL_OPENING))
            return
        from qbdesk.services.diagnostics import diagnostic_report

        context, toolkit, log_path, environ = self._context, toolkit_versions(), self.log_path(), dict(os.environ)
        self._say(self.tr("Collecting the diagnostic report\u2026"))
        self._report_worker = run_in_background(
            lambda: diagnostic_report(context, toolkit, environ, log_path), self._report_ready, self._report_failed
        )

    def _report_ready(self, report: str) -> None:
        self._report_worker = None
        QGuiApplication.clipboard().setText(report)
        self._say(self.tr(COPIED))

    def _report_failed(self, error: Exception) -> None:
        from qbdesk.ui import dialogs

        self._report_worker = None
        log.warning("The diagnostic report failed: %s", type(error).__name__)
        dialogs.error(self._window, self.tr("Cannot build the diagnostic report"),
                      self.tr("Something went wrong while collecting it ({error}). "
                              "Open the log file from the Help menu and send it to support instead.").format(
                          error=type(error).__name__))


def install_help_menu(window: QMainWindow) -> HelpMenu:
    """Add the Help menu to the window's menu bar (last, where users look for it)."""
    return HelpMenu(window)
