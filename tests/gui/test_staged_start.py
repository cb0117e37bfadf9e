"""The window's two steps: the list straight from the file first, then the services attached."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from qbdesk.core.destinations import Destination
from qbdesk.store.schema import read_snapshot
from qbdesk.ui.main_window import OPENING_TEXT, MainWindow
from qbdesk.ui.window_services import OpenedServices

pytestmark = pytest.mark.gui


def service_actions(window: MainWindow) -> dict[str, bool]:
    """Whether each menu entry that needs the services is enabled, by its text."""
    wanted = {"&Settings\u2026", "&Audit log\u2026", "&New credential"}
    return {action.text(): action.isEnabled() for action in window.findChildren(QAction) if action.text() in wanted}


@pytest.fixture
def stored(world):
    """A data folder holding two unfinished sign-ins, and its services (still open)."""
    context = world.open()
    acme = context.credentials.create_pending("Acme Books", Destination.SANDBOX)
    northwind = context.credentials.create_pending("Northwind", Destination.PRODUCTION)
    yield context, acme, northwind
    context.close()


def test_before_its_services_the_window_lists_what_the_file_holds_and_offers_nothing_that_needs_them(
    qtbot, world, stored
):
    context, _, _ = stored
    window = MainWindow(read_snapshot(world.data_dir), context.clock.now)
    qtbot.addWidget(window)
    window.show()
    assert window.integrations_page.quickbooks_entry.text() == "QuickBooks\n2 credentials"
    assert window.statusBar().currentMessage() == OPENING_TEXT
    assert service_actions(window) == {"&Settings\u2026": False, "&Audit log\u2026": False, "&New credential": False}
    window.show_quickbooks()
    page = window.quickbooks_page
    assert sorted(row[0] for row in page.visible_rows()) == ["Acme Books (Incomplete)", "Northwind (Incomplete)"]
    assert not page.configure_button.isEnabled()
    window.show_create()  # the shortcut while opening: nothing happens
    assert window.pages.currentWidget() is page

    window.attach(OpenedServices.read(context))
    assert page.configure_button.isEnabled() and window.statusBar().currentMessage() == ""
    assert set(service_actions(window).values()) == {True}
    window.show_create()
    assert window.pages.currentWidget() is window.services.create_page


def test_attaching_brings_the_list_in_line_with_the_store(qtbot, world, stored):
    """What start-up changed after the file was read (an expired sign-in removed, say) reaches the list."""
    context, acme, northwind = stored
    window = MainWindow(read_snapshot(world.data_dir), context.clock.now)
    qtbot.addWidget(window)
    context.credentials.discard(northwind.id)
    renamed = context.credentials.rename(acme.id, "Acme Holdings")
    window.attach(OpenedServices.read(context))
    assert window.model.credentials() == [renamed]
    assert window.integrations_page.quickbooks_entry.text() == "QuickBooks\n1 credential"
