"""Actions on listed credentials, search and filters, state and details, against the emulator."""

from __future__ import annotations

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from qbdesk.core.destinations import Destination
from qbdesk.emulator import Fault
from qbdesk.store.vault import load_tokens

from consent import approve_in_browser
from steps import connect

pytestmark = pytest.mark.gui


@pytest.fixture
def window(world, open_window, qtbot):
    context = world.open()
    opened = open_window(context)
    opened.show_quickbooks()
    return opened


def settled(qtbot, window):
    """Wait until the list shows every credential as the services last announced it."""
    def same():
        by_id = lambda c: c.id  # noqa: E731
        return sorted(window.model.credentials(), key=by_id) == sorted(window.services.context.credentials.list(), key=by_id)

    qtbot.waitUntil(same, timeout=5000)


def select(qtbot, window, credential_id):
    """Select a row once the list shows the credential as the services last announced it."""
    expected = window.services.context.credentials.get(credential_id)
    qtbot.waitUntil(lambda: window.model.credentials() and expected in window.model.credentials())
    window.quickbooks_page.select(credential_id)
    qtbot.waitUntil(lambda: window.quickbooks_page.selected() == expected)


def status_bar(window):
    return window.statusBar().currentMessage()


def test_test_connection_shows_the_company_and_fills_the_details(qtbot, window, world):
    world.emulator.inject_fault("companyinfo", Fault.HTTP_500)  # QuickBooks could not name it at sign-in
    credential_id = connect(window.services.context, "Acme")
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 1)
    select(qtbot, window, credential_id)
    assert "Not known yet" in window.quickbooks_page.details.values["Company"].text()
    qtbot.mouseClick(window.services.actions.buttons[window.services.actions.test], Qt.MouseButton.LeftButton)
    company = world.emulator.companies[0].name
    qtbot.waitUntil(lambda: company in status_bar(window), timeout=10000)
    qtbot.waitUntil(lambda: window.quickbooks_page.details.values["Company"].text() == company, timeout=5000)


def test_a_revoked_credential_shows_needs_reconnect_with_what_to_do(qtbot, window, world):
    credential_id = connect(window.services.context, "Acme")
    _, refresh = load_tokens(window.services.context.vault, credential_id)
    endpoints = window.services.context.discovery.endpoints(world.emulator.discovery_url("sandbox"))
    requests.post(endpoints.revocation, json={"token": refresh}, auth=("test-sandbox-client", "test-sandbox-secret"),
                  timeout=10).raise_for_status()
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 1)
    select(qtbot, window, credential_id)
    window.services.actions.test.trigger()
    qtbot.waitUntil(lambda: "Reconnect" in status_bar(window), timeout=10000)
    qtbot.waitUntil(lambda: window.quickbooks_page.visible_rows()[0][3] == "Needs reconnect", timeout=5000)
    assert window.quickbooks_page.details.notice.isVisibleTo(window)
    assert "Reconnect" in window.quickbooks_page.details.notice_text.text()


def test_rename_follows_the_name_rules(qtbot, window, answered_dialogs):
    first = connect(window.services.context, "Acme")
    connect(window.services.context, "Beta")
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 2)
    select(qtbot, window, first)
    answered_dialogs.texts = ["Acme Holdings"]
    window.services.actions.rename.trigger()
    assert answered_dialogs.problems == [None]
    qtbot.waitUntil(lambda: "Acme Holdings" in [r[0] for r in window.quickbooks_page.visible_rows()])
    assert window.services.context.credentials.get(first).name == "Acme Holdings"
    assert "already exists" in window.services.context.credentials.check_name("beta", ignore_id=first).problem
    assert [e.event for e in window.services.context.audit.events()][0] == "renamed"


def test_delete_asks_then_revokes_and_says_so(qtbot, window, answered_dialogs):
    credential_id = connect(window.services.context, "Acme")
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 1)
    select(qtbot, window, credential_id)
    answered_dialogs.answers = [False]
    window.services.actions.delete.trigger()
    assert window.services.context.credentials.get(credential_id) is not None
    answered_dialogs.answers = [True]
    window.services.actions.delete.trigger()
    qtbot.waitUntil(lambda: "revoked at Intuit" in status_bar(window), timeout=10000)
    qtbot.waitUntil(lambda: window.quickbooks_page.visible_rows() == [], timeout=5000)
    assert window.services.context.credentials.get(credential_id) is None


def test_copy_realm_id_puts_it_on_the_clipboard(qtbot, window, world):
    credential_id = connect(window.services.context, "Acme")
    qtbot.waitUntil(lambda: len(window.quickbooks_page.visible_rows()) == 1)
    select(qtbot, window, credential_id)
    window.services.actions.copy_realm.trigger()
    assert QGuiApplication.clipboard().text() == world.emulator.companies[0].realm_id


def test_search_and_filters_narrow_the_list(qtbot, window):
    connect(window.services.context, "Acme Books")
    connect(window.services.context, "Blue Heron")
    window.services.context.credentials.create_pending("Northwind", Destination.PRODUCTION)
    page = window.quickbooks_page
    settled(qtbot, window)
    qtbot.keyClicks(page.search, "heron")
    assert [r[0] for r in page.visible_rows()] == ["Blue Heron"]
    page.search.clear()
    page.state_filter.setCurrentText("Incomplete")
    assert [r[0] for r in page.visible_rows()] == ["Northwind (Incomplete)"]
    page.state_filter.setCurrentText("All states")
    page.destination_filter.setCurrentText("QuickBooks (Sandbox Mode)")
    assert sorted(r[0] for r in page.visible_rows()) == ["Acme Books", "Blue Heron"]
    page.destination_filter.setCurrentText("QuickBooks")
    assert [r[0] for r in page.visible_rows()] == ["Northwind (Incomplete)"]


def test_search_finds_a_realm_id(qtbot, window, world):
    connect(window.services.context, "Acme Books")
    page = window.quickbooks_page
    settled(qtbot, window)
    qtbot.keyClicks(page.search, world.emulator.companies[0].realm_id[-6:])
    assert [r[0] for r in page.visible_rows()] == ["Acme Books"]
    qtbot.keyClicks(page.search, "x")
    assert page.visible_rows() == []


def test_reconnect_in_place_asks_before_replacing_the_company(qtbot, window, world, browser, answered_dialogs):
    credential = window.services.context.credentials.create_pending("Acme", Destination.SANDBOX)
    approve_in_browser(window.services.context.signin.begin(credential.id).url, company=world.emulator.companies[1].realm_id)
    select(qtbot, window, credential.id)
    window.services.actions.reconnect.trigger()
    page = window.services.create_page
    assert window.pages.currentWidget() is page and page.reconnecting
    assert page.stages.currentIndex() == 1 and "Reconnect" in page.title.text()
    answered_dialogs.answers = [True]  # replace the company
    qtbot.mouseClick(page.sign_in.go_button, Qt.MouseButton.LeftButton)  # the browser picks the first company
    qtbot.waitUntil(lambda: "Connected" in page.sign_in.status_text(), timeout=15000)
    assert "Replace it?" in answered_dialogs.asked[-1]
    after = window.services.context.credentials.get(credential.id)
    assert (after.id, after.name, after.realm_id) == (credential.id, "Acme", world.emulator.companies[0].realm_id)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.quickbooks_page


def test_cancelling_a_reconnect_keeps_the_credential(qtbot, window, browser):
    browser.decision = None
    credential_id = connect(window.services.context, "Acme")
    select(qtbot, window, credential_id)
    window.services.actions.reconnect.trigger()
    qtbot.mouseClick(window.services.create_page.cancel_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.quickbooks_page
    assert window.services.context.credentials.get(credential_id).realm_id is not None


def test_the_audit_log_lists_events_and_exports_csv_without_secrets(qtbot, window, answered_dialogs, tmp_path):
    import csv

    credential_id = connect(window.services.context, "=Acme")
    window.services.context.tokens.test_connection(credential_id)
    window.open_audit_log()
    dialog = window.audit_dialog
    events = [dialog.model.item(row, 2).text() for row in range(dialog.model.rowCount())]
    assert events[:4] == ["tested", "company named", "signed in", "created"]
    for column in (0, 2):  # the time and the event read on one line each, not broken in two
        widest = max(dialog.table.fontMetrics().horizontalAdvance(dialog.model.item(row, column).text())
                     for row in range(dialog.model.rowCount()))
        assert dialog.table.columnWidth(column) > widest, dialog.model.horizontalHeaderItem(column).text()
    target = tmp_path / "audit.csv"
    answered_dialogs.paths = [str(target)]
    dialog.export_button.click()
    assert "Saved 4 events" in dialog.outcome.text()
    with target.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["time_utc", "credential_id", "credential_name", "event", "detail"]
    assert rows[1][2] == "'=Acme"  # a name that looks like a formula stays text in a spreadsheet
    text = target.read_text()
    for secret in load_tokens(window.services.context.vault, credential_id):
        assert secret not in text
    dialog.reject()


def test_changes_made_by_another_process_show_up_in_the_list(qtbot, window, world):
    """Another qbdesk process (the CLI, say) adds and removes credentials; the open window follows."""
    other = world.open()
    try:
        added = other.credentials.create_pending("From elsewhere", Destination.SANDBOX)
        qtbot.waitUntil(lambda: [r[0] for r in window.quickbooks_page.visible_rows()] == ["From elsewhere (Incomplete)"],
                        timeout=5000)
        other.credentials.discard(added.id)
        qtbot.waitUntil(lambda: window.quickbooks_page.visible_rows() == [], timeout=5000)
    finally:
        other.close()
