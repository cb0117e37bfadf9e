"""Tab and Shift+Tab walk every page and dialog: each enabled control is reached, every table is left."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QApplication, QWidget
from screens import WALKED, controls, describe, open_screen, skipped_by_tab, window_with_credentials

pytestmark = pytest.mark.gui

LIMIT = 80  # more presses than any screen has controls
PARTS = 4  # presses a control may keep the focus for while Tab walks its own parts
PAGE_PARTS = 12  # the same for the sign-in window's web page, with its fields, links and buttons


def tab_cycle(top, backwards: bool = False, parts: int = PARTS, settle=lambda: None) -> list:
    """Press Tab (or Shift+Tab) from the focused control until the focus comes back to it. A control may
    keep the focus for a few presses while Tab walks its own parts (the links in a label); one that keeps
    it longer, while the window has other controls, is a trap."""
    alone = len([w for w in controls(top) if not skipped_by_tab(w)]) == 1
    start = QApplication.focusWidget()
    assert start is not None and start.window() is top, f"no focus in {top.windowTitle()}"
    cycle, stayed = [start], 0
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    for _ in range(LIMIT):
        current = QApplication.focusWidget()
        QTest.keyClick(current, Qt.Key.Key_Tab, modifier)
        settle()
        moved = QApplication.focusWidget()
        assert moved is not None and moved.window() is top, f"Tab left the window from {describe(current)}"
        if moved is start and (moved is not current or alone):
            return cycle
        if moved is current:
            stayed += 1
            assert stayed < parts, f"{'Shift+' if backwards else ''}Tab is trapped in {describe(current)}"
            continue
        stayed = 0
        cycle.append(moved)
    raise AssertionError(f"the focus never came back to {describe(start)}: {[describe(w) for w in cycle]}")


@pytest.mark.parametrize("screen", WALKED)
def test_tab_reaches_every_control_and_shift_tab_walks_back(qtbot, world, open_window, answered_dialogs, screen):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, screen)

    forwards = tab_cycle(top)
    expected = [w for w in controls(top) if not skipped_by_tab(w)]
    missed = [describe(w) for w in expected if w not in forwards]
    assert not missed, f"Tab never reaches {missed} on {screen}"
    assert len(set(forwards)) == len(forwards), "a control is visited twice in one round"

    backwards = tab_cycle(top, backwards=True)
    assert backwards == [forwards[0], *reversed(forwards[1:])]

    first = min(forwards, key=lambda w: (place(top, w).top(), place(top, w).left()))
    start = forwards.index(first)
    in_order = forwards[start:] + forwards[:start]
    wrong = [(describe(a), describe(b)) for a, b in pairwise(in_order) if reads_before(top, b, a)]
    assert not wrong, f"Tab goes against the reading order on {screen}: {wrong}"


def place(top, widget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def scroll_areas(top, widget) -> list[QWidget]:
    """The scrolling parts of the window that hold widget, innermost first."""
    found, parent = [], widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            found.append(parent)
        parent = parent.parentWidget()
    return found


def reads_before(top, a, b) -> bool:
    """a comes before b in reading order: above it, or beside it on the left. A widget in a scrolling part that
    the other is not in reads where that part is, however far down it has scrolled."""
    outside_b = [area for area in scroll_areas(top, a) if area not in scroll_areas(top, b)]
    outside_a = [area for area in scroll_areas(top, b) if area not in scroll_areas(top, a)]
    first, second = place(top, outside_b[-1] if outside_b else a), place(top, outside_a[-1] if outside_a else b)
    if first.bottom() < second.top() or second.bottom() < first.top():
        return first.top() < second.top()
    return first.left() < second.left()


def test_the_credentials_table_is_left_by_tab_and_walked_by_arrows(qtbot, world, open_window, answered_dialogs):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, "credentials")
    table = window.quickbooks_page.table
    table.setFocus()
    table.selectRow(0)
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1 and table.hasFocus()  # arrows move between rows
    QTest.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table and QApplication.focusWidget().window() is top
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is table


@pytest.mark.parametrize("screen", ["credentials", "audit-log", "keyboard-shortcuts"])
def test_no_table_moves_between_cells_with_tab(qtbot, world, open_window, answered_dialogs, screen):
    window = window_with_credentials(qtbot, world, open_window)
    top = open_screen(qtbot, window, screen)
    tables = [w for w in controls(top) if isinstance(w, QAbstractItemView)]
    assert tables
    assert not [describe(t) for t in tables if t.tabKeyNavigation()]


@pytest.mark.webengine
def test_tab_walks_the_sign_in_window_and_its_page(qtbot, emulator, open_signin):
    from test_signin_window import authorization, wait_loaded

    window = open_signin(authorization(emulator).url)
    wait_loaded(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    def settle() -> None:  # the page answers keys in its own process, a moment later
        for _ in range(10):
            QApplication.processEvents()
            time.sleep(0.02)

    forwards = tab_cycle(window, parts=PAGE_PARTS, settle=settle)
    expected = [w for w in controls(window) if not skipped_by_tab(w)]
    assert not [describe(w) for w in expected if w not in forwards]
    backwards = tab_cycle(window, backwards=True, parts=PAGE_PARTS, settle=settle)
    assert backwards == [forwards[0], *reversed(forwards[1:])]
