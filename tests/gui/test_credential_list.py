"""The QuickBooks page's list as a user types, sorts and selects, while credentials come, change and go."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from qbdesk.core.clock import FakeClock
from qbdesk.core.destinations import Destination
from qbdesk.ui.credential_model import NAME

pytestmark = pytest.mark.gui

WORDS = ("Acme", "Northwind", "Contoso", "Globex", "Initech", "Wayne", "Stark", "Hooli")
KINDS = ("Books", "Payroll", "Sales", "Ledger", "Sync")
NAMES = [f"{word} {kind}" for kind in KINDS for word in WORDS]  # 40 names, created in this order
PRODUCTION_NAMES = NAMES[::3]  # the others are for the sandbox
INCOMPLETE = " (Incomplete)"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def window(world, open_window, clock):
    """The window on a data folder holding NAMES (unfinished sign-ins, one second apart), on the QuickBooks page."""
    context = world.open(clock=clock)
    for name in NAMES:
        production = name in PRODUCTION_NAMES
        context.credentials.create_pending(name, Destination.PRODUCTION if production else Destination.SANDBOX)
        clock.advance(1)
    opened = open_window(context)
    opened.show_quickbooks()
    return opened


def shown(page) -> list[str]:
    """The names in the Name column, top to bottom, without the "(Incomplete)" every one of them carries."""
    return [row[NAME].removesuffix(INCOMPLETE) for row in page.visible_rows()]


def matching(names: list[str], typed: str) -> list[str]:
    return [name for name in names if typed.strip().casefold() in name.casefold()]


def click_header(qtbot, page, column: int) -> None:
    header = page.table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def erase(qtbot, page, count: int = 1) -> None:
    for _ in range(count):
        qtbot.keyClick(page.search, Qt.Key.Key_Backspace)


def test_typing_narrows_and_erasing_brings_the_rows_back_in_the_same_order(qtbot, window):
    page = window.quickbooks_page
    newest_first = NAMES[::-1]
    assert shown(page) == newest_first
    assert page.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    typed, seen = "", []
    for key in "ACME b":
        qtbot.keyClicks(page.search, key)
        typed += key
        assert shown(page) == matching(newest_first, typed)
        seen.append(shown(page))
    assert shown(page) == ["Acme Books"]
    for rows in seen[-2::-1]:
        erase(qtbot, page)
        assert shown(page) == rows
    erase(qtbot, page)
    assert shown(page) == newest_first


def test_a_header_click_sorts_and_the_order_holds_while_searching(qtbot, window):
    page = window.quickbooks_page
    click_header(qtbot, page, NAME)
    by_name = sorted(NAMES, key=str.casefold)
    assert shown(page) == by_name
    qtbot.keyClicks(page.search, "sales")
    assert shown(page) == matching(by_name, "sales")
    click_header(qtbot, page, NAME)
    assert page.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert shown(page) == matching(by_name, "sales")[::-1]
    erase(qtbot, page, 3)
    assert shown(page) == matching(by_name, "sa")[::-1]
    page.search.clear()
    assert shown(page) == by_name[::-1]


def test_the_selection_and_its_details_survive_filtering_and_stay_in_view(qtbot, window):
    page = window.quickbooks_page
    announced = []
    page.selection_changed.connect(announced.append)
    oldest = window.model.credentials()[-1]
    assert oldest.name == NAMES[0]
    page.select(oldest.id)
    page.table.scrollToTop()
    assert page.details.heading.text() == "Acme Books"
    table = page.table

    def in_view(credential_id):
        return table.viewport().rect().contains(table.visualRect(window.model.index_of(credential_id)).center())

    assert not in_view(oldest.id)
    qtbot.keyClicks(page.search, "o")  # most names have an "o": the list stays longer than the view
    assert len(shown(page)) > 20 and shown(page)[-1] == "Acme Books"
    assert page.selected() == oldest and page.details.heading.text() == "Acme Books"
    assert in_view(oldest.id)
    qtbot.keyClicks(page.search, "ok")
    assert page.selected() == oldest and page.details.heading.text() == "Acme Books"
    qtbot.keyClicks(page.search, "z")  # "ookz" hides it
    assert page.selected() is None
    assert announced[-1] is None
    assert page.details.heading.text() == "Select a credential to see its details."


def test_credentials_added_renamed_and_removed_during_a_search_follow_it_in_order(qtbot, window):
    page, services = window.quickbooks_page, window.services.context.credentials
    click_header(qtbot, page, NAME)
    qtbot.keyClicks(page.search, "acme")
    assert shown(page) == ["Acme Books", "Acme Ledger", "Acme Payroll", "Acme Sales", "Acme Sync"]

    middle = services.create_pending("Acme Middle", Destination.SANDBOX)
    qtbot.waitUntil(lambda: "Acme Middle" in shown(page))
    assert shown(page) == ["Acme Books", "Acme Ledger", "Acme Middle", "Acme Payroll", "Acme Sales", "Acme Sync"]
    elsewhere = services.create_pending("Bluebird", Destination.SANDBOX)
    qtbot.waitUntil(lambda: window.model.total() == len(NAMES) + 2)
    assert "Bluebird" not in shown(page)

    services.rename(middle.id, "Zebra Middle")
    qtbot.waitUntil(lambda: "Acme Middle" not in shown(page))
    assert shown(page) == ["Acme Books", "Acme Ledger", "Acme Payroll", "Acme Sales", "Acme Sync"]
    services.rename(elsewhere.id, "ACME Bluebird")
    qtbot.waitUntil(lambda: "ACME Bluebird" in shown(page))
    assert shown(page) == ["ACME Bluebird", "Acme Books", "Acme Ledger", "Acme Payroll", "Acme Sales", "Acme Sync"]
    services.discard(elsewhere.id)
    qtbot.waitUntil(lambda: "ACME Bluebird" not in shown(page))
    assert window.model.total() == len(NAMES) + 1

    page.search.clear()
    assert shown(page) == sorted([*NAMES, "Zebra Middle"], key=str.casefold)


def test_the_integrations_count_counts_every_credential_whatever_the_search(qtbot, window):
    entry = window.integrations_page.quickbooks_entry
    assert entry.text() == f"QuickBooks\n{len(NAMES)} credentials"
    page = window.quickbooks_page
    qtbot.keyClicks(page.search, "acme")
    assert entry.text() == f"QuickBooks\n{len(NAMES)} credentials"
    page.state_filter.setCurrentText("Connected")
    assert shown(page) == []
    assert entry.text() == f"QuickBooks\n{len(NAMES)} credentials"
    window.services.context.credentials.create_pending("Hidden By The Search", Destination.SANDBOX)
    qtbot.waitUntil(lambda: entry.text() == f"QuickBooks\n{len(NAMES) + 1} credentials")
    assert shown(page) == []


def test_a_search_that_matches_nothing_says_so_and_keeps_the_search_box(qtbot, window):
    page = window.quickbooks_page
    assert page.table.isVisible() and not page.no_match_message.isVisible()
    qtbot.keyClicks(page.search, "acme x")
    assert page.no_match_message.isVisible() and not page.table.isVisible()
    assert "No credentials match your search" in page.no_match_message.text()
    assert page.search.isVisible() and page.state_filter.isVisible() and not page.empty_message.isVisible()
    erase(qtbot, page, 2)
    assert page.table.isVisible() and not page.no_match_message.isVisible()
    page.destination_filter.setCurrentText("QuickBooks")
    page.state_filter.setCurrentText("Needs reconnect")
    assert page.no_match_message.isVisible()
    page.state_filter.setCurrentText("All states")
    assert page.table.isVisible()
    assert shown(page) == matching(PRODUCTION_NAMES[::-1], "acme") == ["Acme Ledger", "Acme Books"]


def test_the_empty_panel_hint_counts_every_credential_not_the_rows_shown(qtbot, world, open_window):
    window = open_window(world.open())
    window.show_quickbooks()
    page, services = window.quickbooks_page, window.services.context.credentials
    assert page.empty_message.isVisible() and not page.search.isVisible()
    only = services.create_pending("Only One", Destination.SANDBOX)
    qtbot.waitUntil(page.table.isVisible)
    qtbot.keyClicks(page.search, "nothing like it")
    assert page.no_match_message.isVisible()
    services.discard(only.id)
    qtbot.waitUntil(page.empty_message.isVisible)
    services.create_pending("Another", Destination.SANDBOX)  # still hidden by the search
    qtbot.waitUntil(page.no_match_message.isVisible)
    assert page.search.isVisible() and not page.empty_message.isVisible()


def test_ctrl_f_reaches_the_search_box_from_the_table(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.quickbooks_page
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()


def test_selecting_a_credential_the_search_hides_clears_the_search_and_filters(qtbot, window):
    """After "Create credential" the list must show the new one, whatever was typed before."""
    page = window.quickbooks_page
    hidden = next(c for c in window.model.credentials() if c.name == "Hooli Sync")
    qtbot.keyClicks(page.search, "acme")
    page.state_filter.setCurrentText("Connected")
    assert not window.model.index_of(hidden.id).isValid()
    page.select(hidden.id)
    assert page.search.text() == "" and page.state_filter.currentIndex() == 0
    assert page.selected() == hidden and len(shown(page)) == len(NAMES)


def test_with_everything_hidden_the_quickbooks_page_focuses_the_search_box(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.quickbooks_page
    qtbot.keyClicks(page.search, "no such company")
    window.show_integrations()
    window.show_quickbooks()
    assert page.search.hasFocus()
