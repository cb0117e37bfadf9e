"""Test all in the window: progress while the checks run, a summary by state, Cancel, and 429s backed off."""

from __future__ import annotations

import pytest
import requests
from PySide6.QtCore import Qt

from qbdesk.core.destinations import Destination
from qbdesk.emulator import Fault
from qbdesk.store.vault import load_tokens

from consent import approve_in_browser

pytestmark = pytest.mark.gui


def connect(context, name):
    credential = context.credentials.create_pending(name, Destination.SANDBOX)
    assert approve_in_browser(context.signin.begin(credential.id).url).status_code == 200
    return credential.id


@pytest.fixture
def window(world, open_window):
    opened = open_window(world.open())
    opened.show_quickbooks()
    return opened


def panel_of(window):
    return window.services.check_all


def finished(qtbot, window, timeout=20000):
    qtbot.waitUntil(lambda: panel_of(window).last_summary is not None, timeout=timeout)
    return panel_of(window)


def test_test_all_tests_every_credential_and_ends_with_a_summary_by_state(qtbot, window, world):
    context = window.services.context
    connect(context, "Acme")
    revoked = connect(context, "Birch")
    revoke_at_intuit(context, world, revoked)
    context.credentials.create_pending("Cedar", Destination.SANDBOX)
    panel = panel_of(window)
    assert not panel.isVisible() and panel.start_button.isVisible()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.isVisible() and not panel.start_button.isEnabled()
    window.quickbooks_page.search.setFocus()  # the user goes on searching while the tests run
    panel = finished(qtbot, window)
    assert window.quickbooks_page.search.hasFocus()  # the summary does not take the keyboard away
    assert panel.progress.maximum() == 3 and panel.progress.value() == 3 and panel.progress.text() == "3 of 3"
    assert panel.status.text().startswith("Tested 3 credentials: 1 Connected, 1 Incomplete, 1 Needs reconnect.")
    assert "2 need attention" in panel.status.text()
    assert panel.property("role") == "warning"
    assert panel.close_button.isVisible() and not panel.cancel_button.isVisible()
    assert panel.start_button.isEnabled() and panel.action.isEnabled()
    qtbot.waitUntil(lambda: {row[0]: row[3] for row in window.quickbooks_page.visible_rows()}.get("Birch")
                    == "Needs reconnect", timeout=5000)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()


def revoke_at_intuit(context, world, credential_id):
    """What disconnecting the app in QuickBooks does: Intuit stops accepting the tokens."""
    _, refresh = load_tokens(context.vault, credential_id)
    endpoints = context.discovery.endpoints(world.emulator.discovery_url("sandbox"))
    requests.post(endpoints.revocation, json={"token": refresh}, auth=("test-sandbox-client", "test-sandbox-secret"),
                  timeout=10).raise_for_status()


def test_throttled_tests_are_backed_off_and_all_pass(qtbot, window, world):
    for name in ("Acme", "Birch"):
        connect(window.services.context, name)
    world.emulator.inject_fault("companyinfo", Fault.HTTP_429, times=2, delay=0)
    window.services.check_all.action.trigger()
    panel = finished(qtbot, window)
    assert world.emulator.served_faults()[-2:] == [("companyinfo", Fault.HTTP_429)] * 2
    assert panel.status.text() == "Tested 2 credentials: 2 Connected. Intuit asked qbdesk to slow down 2 times."
    assert panel.property("role") == "success"


def test_progress_shows_while_running_and_cancel_starts_no_more(qtbot, window, world):
    for number in range(6):
        connect(window.services.context, f"Company {number}")
    world.emulator.inject_fault("companyinfo", Fault.SLOW, times=6, delay=1.0)
    panel = panel_of(window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.running and panel.isVisible()
    qtbot.waitUntil(lambda: panel.progress.maximum() == 6)  # busy until the run has counted them
    assert panel.progress.value() == 0 and panel.status.text() == "Testing 6 credentials with Intuit\u2026"
    assert panel.cancel_button.hasFocus()
    panel.start()  # a second press while running does nothing
    qtbot.keyClick(panel.cancel_button, Qt.Key.Key_Space)
    assert panel.status.text() == "Stopping after the tests under way\u2026" and not panel.cancel_button.isEnabled()
    panel = finished(qtbot, window)
    done = len(panel.last_summary.results)
    assert panel.last_summary.cancelled and 1 <= done < 6
    assert panel.close_button.hasFocus()  # the keyboard stays in the panel: Enter or Space closes it
    assert panel.status.text().startswith(f"Stopped after {done} of 6 credentials: {done} Connected.")
    assert panel.property("role") == "warning"
    world.emulator.clear_faults()
