"""The Keyboard shortcuts dialog, listed from the window's real actions and shortcuts so it cannot drift."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qbdesk.ui.widgets import fitting_size, label

# Where a shortcut that belongs to part of the window works, by the class of that part.
PLACES = {
    "QuickBooksPage": QT_TRANSLATE_NOOP("ShortcutsDialog", "in the credential list"),
    "CreatePage": QT_TRANSLATE_NOOP("ShortcutsDialog", "on the New credential page"),
}
# Keys every window understands, which no action of qbdesk's declares.
GENERAL = [
    ("Tab / Shift+Tab", QT_TRANSLATE_NOOP("ShortcutsDialog", "Move to the next or previous field or button")),
    ("Space / Enter", QT_TRANSLATE_NOOP("ShortcutsDialog", "Press the button that has the focus")),
    (QT_TRANSLATE_NOOP("ShortcutsDialog", "Alt+underlined letter"),
     QT_TRANSLATE_NOOP("ShortcutsDialog", "Open a menu, choose a menu item or press a button")),
    ("Up / Down", QT_TRANSLATE_NOOP("ShortcutsDialog", "Move between the rows of a list (Tab goes on to the next control)")),
    ("Enter", QT_TRANSLATE_NOOP("ShortcutsDialog", "Next, in the name field of a new credential")),
    ("Esc", QT_TRANSLATE_NOOP("ShortcutsDialog", "Close a dialog without changing anything")),
]


@dataclass(frozen=True)
class Shortcut:
    keys: str
    description: str
    where: str = ""


def _keys(sequences: list[QKeySequence]) -> str:
    return QCoreApplication.translate("ShortcutsDialog", " or ").join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences if not s.isEmpty())


def _place(widget: QWidget | None, window: QWidget) -> str:
    """'' for the whole window, else the part of it the shortcut works in."""
    while widget is not None and widget is not window:
        if type(widget).__name__ in PLACES:
            return PLACES[type(widget).__name__]
        widget = widget.parentWidget()
    return ""


def _describe(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("\u2026", "").strip()


def window_shortcuts(window: QWidget) -> list[Shortcut]:
    """Every shortcut the window has now: its actions' (menus, lists) and its stand-alone QShortcuts."""
    found: dict[tuple[str, str], Shortcut] = {}
    for action in window.findChildren(QAction):
        keys = _keys(action.shortcuts())
        if not keys:
            continue
        if action.shortcutContext() in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut):
            where = ""
        else:
            owners = [o for o in action.associatedObjects() if isinstance(o, QWidget)]
            where = _place(owners[0] if owners else action.parent(), window)
        shortcut = Shortcut(keys, _describe(action.text()), where)
        found.setdefault((keys, where), shortcut)
    for item in window.findChildren(QShortcut):
        keys = _keys([item.key()])
        owner = item.parent() if isinstance(item.parent(), QWidget) else None
        if keys and item.isEnabled() and (owner is None or owner.window() is window):  # not the sign-in window's
            where = _place(owner, window)
            found.setdefault((keys, where), Shortcut(keys, item.whatsThis(), where))
    return sorted(found.values(), key=lambda s: (s.where, s.description.lower()))


class ShortcutsDialog(QDialog):
    """A read-only table of keys and what they do; Esc or Close shuts it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(fitting_size(self, QSize(self.fontMetrics().averageCharWidth() * 90, self.fontMetrics().height() * 26)))
        rows = [(s.keys, s.description + (self.tr(" ({place})").format(place=self.tr(s.where)) if s.where else ""))
                for s in window_shortcuts(window)]
        rows += [(self.tr(keys), self.tr(description)) for keys, description in GENERAL]
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What it does")])
        for row, (keys, description) in enumerate(rows):
            for column, text in enumerate((keys, description)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the whole text, for when the column is too narrow for it
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, column, item)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("Every key the window answers to; a key that works in one part of it says where."), role="hint"))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.table.setFocus()

    def rows(self) -> list[tuple[str, str]]:
        """The table's text, row by row."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]
